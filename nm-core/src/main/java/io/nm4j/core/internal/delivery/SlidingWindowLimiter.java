package io.nm4j.core.internal.delivery;

import io.nm4j.spi.ChannelLimits;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Per-key sliding-log rate limits: at most {@code permits} sends in any window {@code [t, t +
 * per)}. A log, not a token bucket, because remotes such as DingTalk count calls in any minute, and
 * a bucket's burst at a window's edge would go over. Not thread-safe: the dispatcher calls it under
 * its lock.
 */
final class SlidingWindowLimiter {
  private final Map<String, ArrayDeque<Instant>> logs = new HashMap<>();

  /**
   * Takes a permit for a send at {@code now}.
   *
   * @return {@code null} when taken; else the earliest instant a permit may be free
   */
  @Nullable Instant tryAcquire(String key, ChannelLimits.Rate rate, Instant now) {
    ArrayDeque<Instant> log = logs.computeIfAbsent(key, k -> new ArrayDeque<>());
    Instant windowStart = now.minus(rate.per());
    while (!log.isEmpty() && !log.peekFirst().isAfter(windowStart)) {
      log.pollFirst();
    }
    // After the limit was lowered the log may hold more than permits entries; the oldest of the
    // newest `permits` decides when a permit frees up.
    while (log.size() > rate.permits()) {
      log.pollFirst();
    }
    if (log.size() < rate.permits()) {
      log.addLast(now);
      return null;
    }
    return log.peekFirst().plus(rate.per());
  }
}
