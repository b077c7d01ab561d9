package io.nm4j.core.internal.delivery;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Recognises a batch Alertmanager sends again after it timed out waiting for our answer, so its
 * notifications are not sent twice. Two batches are the same when they have the same group key and
 * the same alerts (fingerprint, status, start and end) in the same order. A batch is remembered for
 * a window from when it was first seen; at most {@code maxEntries} are remembered, the oldest
 * forgotten first. Batches built in code have no group key and are never deduplicated.
 *
 * <p>Keys are SHA-256 digests, so memory per entry stays small however large the batch.
 */
public final class BatchDeduplicator {
  private final Clock clock;
  private final Duration window;
  private final int maxEntries;
  // insertion order == first-seen order, so expired entries are always at the head
  private final LinkedHashMap<BatchDigest, Instant> seen = new LinkedHashMap<>();

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
  }

  /**
   * Whether the batch is new: true (and remembered) the first time within the window, false for a
   * re-send. Always true for a batch without group key.
   */
  public boolean firstSeen(AlertBatch batch) {
    return firstSeen(batch, clock.instant());
  }

  /** The same for a batch received at {@code now}, for a caller that has read the clock. */
  public boolean firstSeen(AlertBatch batch, Instant now) {
    if (batch.groupKey().isEmpty() || window.isZero()) {
      return true;
    }
    BatchDigest key = digestOf(batch);
    synchronized (this) {
      evictExpired(now);
      if (seen.containsKey(key)) {
        return false;
      }
      seen.put(key, now);
      if (seen.size() > maxEntries) {
        Iterator<BatchDigest> it = seen.keySet().iterator();
        it.next();
        it.remove();
      }
      return true;
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
    Iterator<Map.Entry<BatchDigest, Instant>> it = seen.entrySet().iterator();
    while (it.hasNext()) {
      if (it.next().getValue().plus(window).isAfter(now)) {
        return;
      }
      it.remove();
    }
  }

  private static BatchDigest digestOf(AlertBatch batch) {
    MessageDigest md = sha256();
    update(md, batch.groupKey());
    for (Alert a : batch.alerts()) {
      update(md, a.fingerprint());
      update(md, a.status().wireName());
      update(md, a.startsAt());
      update(md, a.endsAt());
    }
    ByteBuffer d = ByteBuffer.wrap(md.digest());
    return new BatchDigest(d.getLong(), d.getLong(), d.getLong(), d.getLong());
  }

  private static void update(MessageDigest md, @Nullable Instant t) {
    if (t == null) {
      md.update((byte) 0);
    } else {
      md.update((byte) 1);
      md.update(ByteBuffer.allocate(12).putLong(t.getEpochSecond()).putInt(t.getNano()).array());
    }
  }

  private static void update(MessageDigest md, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    // length prefix, so ("ab","c") and ("a","bc") differ
    md.update(ByteBuffer.allocate(4).putInt(b.length).array());
    md.update(b);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** A batch's SHA-256, as four longs: cheap to hash and compare, 32 bytes an entry. */
  private record BatchDigest(long bits0, long bits64, long bits128, long bits192) {}
}
