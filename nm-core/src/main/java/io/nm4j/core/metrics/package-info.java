/**
 * Micrometer meters of a {@link io.nm4j.core.NotificationManager}. Micrometer is an optional
 * dependency of nm4j: only this package refers to it, and nothing loads it unless the host binds a
 * registry with {@link io.nm4j.core.metrics.NotificationMetrics}.
 */
@NullMarked
package io.nm4j.core.metrics;

import org.jspecify.annotations.NullMarked;
