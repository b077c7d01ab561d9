/**
 * What a host sees of delivery: the dispatcher's options, the outcome of each notification, the
 * in-memory delivery history, the dead-letter file and a fan-out of listeners.
 */
@NullMarked
package io.nm4j.core.delivery;

import org.jspecify.annotations.NullMarked;
