package io.nm4j.core.internal.delivery;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Recognises a batch Alertmanager sends again after it timed out waiting for our answer, so its
 * notifications are not sent twice. Two batches are the same when they have the same group key and
 * the same alerts (fingerprint, status, start and end) in the same order. A batch is remembered for
 * a window from when it was first seen; at most {@code maxEntries} are remembered, the oldest
 * forgotten first. Batches built in code have no group key and are never deduplicated.
 *
 * <p>Keys are 128-bit SipHash-2-4 digests under a key drawn at random for each deduplicator, so
 * memory per entry stays small however large the batch. A tenant writes the alerts a batch holds
 * and may try to make another tenant's batch look like one already seen, so the hash must not be
 * one anybody can aim at a chosen value: with a secret key nobody can, short of guessing 2^128
 * values, and SipHash costs a fraction of SHA-256 on input this short (it showed in the intake's
 * profile). Nothing persists these digests: a new key at each start changes nothing.
 *
 * <p>Each remembered batch keeps the outcome of its first arrival, so a re-send that arrives while
 * the first is still being stored is answered with what the first becomes: a re-send answered
 * "accepted" before the first was durable would be lost if storing the first then failed.
 */
public final class BatchDeduplicator {
  private final Clock clock;
  private final Duration window;
  private final int maxEntries;
  private final long key0;
  private final long key1;
  // insertion order == first-seen order, so expired entries are always at the head
  private final LinkedHashMap<BatchDigest, FirstArrival> seen = new LinkedHashMap<>();

  private static final CompletableFuture<Void> SETTLED = CompletableFuture.completedFuture(null);

  /** When a batch was first seen, and what became of it. */
  private record FirstArrival(Instant at, CompletableFuture<Void> outcome) {}

  public BatchDeduplicator(Duration window, int maxEntries, Clock clock) {
    Objects.requireNonNull(window, "window");
    if (window.isNegative()) {
      throw new IllegalArgumentException("window: must not be negative, was " + window);
    }
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries: must be at least 1, was " + maxEntries);
    }
    this.window = window;
    this.maxEntries = maxEntries;
    this.clock = Objects.requireNonNull(clock, "clock");
    SecureRandom random = new SecureRandom();
    this.key0 = random.nextLong();
    this.key1 = random.nextLong();
  }

  /**
   * Whether the batch is new: true (and remembered) the first time within the window, false for a
   * re-send. Always true for a batch without group key.
   */
  public boolean firstSeen(AlertBatch batch) {
    return firstArrival(batch, clock.instant(), SETTLED) == null;
  }

  /**
   * The outcome of the first arrival of the same batch within the window, or {@code null} when this
   * is the first: then it is remembered with {@code outcome}, which the caller completes once the
   * batch is stored (or completes exceptionally, after {@link #forget}, when it is not). Always
   * {@code null} for a batch without group key.
   *
   * @param now when the batch was received, for a caller that has read the clock
   */
  public @Nullable CompletableFuture<Void> firstArrival(
      AlertBatch batch, Instant now, CompletableFuture<Void> outcome) {
    if (batch.groupKey().isEmpty() || window.isZero()) {
      return null;
    }
    BatchDigest key = digestOf(batch);
    synchronized (this) {
      evictExpired(now);
      FirstArrival first = seen.get(key);
      if (first != null) {
        return first.outcome();
      }
      seen.put(key, new FirstArrival(now, outcome));
      if (seen.size() > maxEntries) {
        Iterator<BatchDigest> it = seen.keySet().iterator();
        it.next();
        it.remove();
      }
      return null;
    }
  }

  /**
   * Forgets a batch, so its next arrival counts as first seen. Call it when the batch was not
   * accepted after all (queues full), so Alertmanager's retry is not suppressed.
   */
  public void forget(AlertBatch batch) {
    if (batch.groupKey().isEmpty()) {
      return;
    }
    BatchDigest key = digestOf(batch);
    synchronized (this) {
      seen.remove(key);
    }
  }

  /** Batches remembered now, expired ones included until the next call evicts them. */
  public synchronized int size() {
    return seen.size();
  }

  private void evictExpired(Instant now) {
    Iterator<Map.Entry<BatchDigest, FirstArrival>> it = seen.entrySet().iterator();
    while (it.hasNext()) {
      if (it.next().getValue().at().plus(window).isAfter(now)) {
        return;
      }
      it.remove();
    }
  }

  // package-private for the test comparing two deduplicators' keys
  BatchDigest digestOf(AlertBatch batch) {
    SipHash128 h = new SipHash128(key0, key1);
    text(h, batch.groupKey());
    for (Alert a : batch.alerts()) {
      text(h, a.fingerprint());
      h.word(a.status().ordinal());
      time(h, a.startsAt());
      time(h, a.endsAt());
    }
    long low = h.finish();
    return new BatchDigest(low, h.high());
  }

  private static void time(SipHash128 h, @Nullable Instant t) {
    if (t == null) {
      h.word(-1);
    } else {
      // nanos are below 10^9: never -1, so a time never reads as a missing one
      h.word(t.getNano()).word(t.getEpochSecond());
    }
  }

  /** The length first, so ("ab","c") and ("a","bc") differ; then four chars a word. */
  private static void text(SipHash128 h, String s) {
    int length = s.length();
    h.word(length);
    int i = 0;
    for (; i + 4 <= length; i += 4) {
      h.word(
          s.charAt(i)
              | (long) s.charAt(i + 1) << 16
              | (long) s.charAt(i + 2) << 32
              | (long) s.charAt(i + 3) << 48);
    }
    if (i < length) {
      long last = 0;
      for (int shift = 0; i < length; i++, shift += 16) {
        last |= (long) s.charAt(i) << shift;
      }
      h.word(last);
    }
  }

  /** A batch's 128-bit keyed hash: cheap to hash and compare, 16 bytes an entry. */
  record BatchDigest(long low, long high) {}
}
