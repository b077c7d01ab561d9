/**
 * The delivery engine behind the public options: bounded per-receiver queues picked fairly across
 * tenants, retries with backoff, rate limits, send timeouts, dead letters and batch deduplication.
 */
@NullMarked
package io.nm4j.core.internal.delivery;

import org.jspecify.annotations.NullMarked;
