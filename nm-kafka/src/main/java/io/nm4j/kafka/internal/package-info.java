/** How the Kafka queue tracks the partitions a replica owns; not API. */
@NullMarked
package io.nm4j.kafka.internal;

import org.jspecify.annotations.NullMarked;
