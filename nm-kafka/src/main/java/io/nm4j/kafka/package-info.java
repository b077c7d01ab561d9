/**
 * A Kafka topic as the {@link io.nm4j.core.journal.SharedQueue} of several nm4j replicas: {@link
 * io.nm4j.kafka.KafkaQueue}.
 */
@NullMarked
package io.nm4j.kafka;

import org.jspecify.annotations.NullMarked;
