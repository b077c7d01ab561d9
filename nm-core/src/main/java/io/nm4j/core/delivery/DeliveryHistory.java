package io.nm4j.core.delivery;

import io.nm4j.spi.DeliveryListener;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.SendResult;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The latest delivery events in memory: a {@link DeliveryListener} keeping a bounded window of
 * records (failed attempts, deliveries, dead letters, suppressions). It is capped both in records
 * and in estimated heap bytes, because a record's size depends on remote error details; when either
 * cap is reached the oldest records make room for new ones, and {@link #evictions()} counts them. A
 * detail longer than {@value #MAX_DETAIL_CHARS} characters is cut there and ends with "…". Queries
 * return the newest first.
 */
public final class DeliveryHistory implements DeliveryListener {

  /** The default number of records kept. */
  public static final int DEFAULT_SIZE = 10_000;

  /** The default most bytes kept (8 MiB). */
  public static final long DEFAULT_BYTES = 8L * 1024 * 1024;

  /** The smallest byte cap: room for a few records with a full-length detail. */
  public static final long MIN_BYTES = 16L * 1024;

  /** Longest detail kept, in chars; a longer one is cut and marked with "…". */
  public static final int MAX_DETAIL_CHARS = 1024;

  // What a record costs besides its strings' chars: the record, its Instant, the string and array
  // headers; an estimate, deliberately on the high side.
  private static final int RECORD_OVERHEAD = 256;

  private final Clock clock;
  private final int capacity;
  private final long maxBytes;
  // guarded by this: oldest first, with each record's estimated size
  private final ArrayDeque<Entry> records = new ArrayDeque<>();
  private long bytes;
  private long evictions;

  private record Entry(DeliveryRecord record, long bytes) {}

  /** A history of {@value #DEFAULT_SIZE} records and 8 MiB on the system clock. */
  public DeliveryHistory() {
    this(DEFAULT_SIZE, DEFAULT_BYTES, Clock.systemUTC());
  }

  /**
   * A history capped at {@code capacity} records and {@link #DEFAULT_BYTES}.
   *
   * @param capacity most records kept
   * @param clock stamps each record
   */
  public DeliveryHistory(int capacity, Clock clock) {
    this(capacity, DEFAULT_BYTES, clock);
  }

  /**
   * @param capacity most records kept
   * @param maxBytes most bytes kept, as estimated by {@link #estimatedBytes}; at least {@value
   *     #MIN_BYTES}
   * @param clock stamps each record
   */
  public DeliveryHistory(int capacity, long maxBytes, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: must be at least 1, was " + capacity);
    }
    if (maxBytes < MIN_BYTES) {
      throw new IllegalArgumentException(
          "maxBytes: must be at least " + MIN_BYTES + ", was " + maxBytes);
    }
    this.capacity = capacity;
    this.maxBytes = maxBytes;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void onAttempt(Notification notification, int attempt, SendResult result) {
    // A successful attempt is recorded once, as DELIVERED, by onDelivered.
    if (result instanceof SendResult.Failed f) {
      add(notification, DeliveryRecord.Status.FAILED_ATTEMPT, attempt, f);
    }
  }

  @Override
  public void onDelivered(Notification notification, int attempts) {
    add(notification, DeliveryRecord.Status.DELIVERED, attempts, null);
  }

  @Override
  public void onDeadLetter(Notification notification, int attempts, SendResult.Failed failure) {
    add(notification, DeliveryRecord.Status.DEAD_LETTER, attempts, failure);
  }

  @Override
  public void onSuppressed(Notification notification, String why) {
    add(
        new DeliveryRecord(
            clock.instant(),
            notification.id(),
            notification.receiver(),
            notification.tenant(),
            notification.config(),
            DeliveryRecord.Status.SUPPRESSED,
            0,
            null,
            false,
            truncate(why)));
  }

  private void add(
      Notification n, DeliveryRecord.Status status, int attempt, SendResult.@Nullable Failed f) {
    add(
        new DeliveryRecord(
            clock.instant(),
            n.id(),
            n.receiver(),
            n.tenant(),
            n.config(),
            status,
            attempt,
            f == null ? null : f.reason(),
            f != null && f.retryable(),
            f == null ? "" : truncate(f.detail())));
  }

  private void add(DeliveryRecord r) {
    // Estimated before the lock is taken: with many tenants the names it reads are mostly in no
    // cache (JFR: this method's share of the workers' samples, 7% at 1,000 tenants, was 20% at
    // 100,000), and a miss under the lock holds up every other worker recording an outcome.
    Entry entry = new Entry(r, estimatedBytes(r));
    synchronized (this) {
      records.addLast(entry);
      bytes += entry.bytes();
      // The newest record stays even if it alone exceeds the byte cap.
      while (records.size() > capacity || (bytes > maxBytes && records.size() > 1)) {
        bytes -= records.removeFirst().bytes();
        evictions++;
      }
    }
  }

  /** {@code detail} if at most {@value #MAX_DETAIL_CHARS} chars, else its start and "…". */
  static String truncate(String detail) {
    if (detail.length() <= MAX_DETAIL_CHARS) {
      return detail;
    }
    int end = MAX_DETAIL_CHARS - 1;
    if (Character.isHighSurrogate(detail.charAt(end - 1))) {
      end--; // never split a surrogate pair
    }
    return detail.substring(0, end) + "…";
  }

  /**
   * The heap a record is estimated to hold: two bytes per char of its strings plus a fixed overhead
   * for the objects around them.
   */
  static long estimatedBytes(DeliveryRecord r) {
    long chars =
        r.notificationId().length()
            + r.receiver().kind().length()
            + r.receiver().name().length()
            + (r.tenant() == null ? 0 : r.tenant().length())
            + (r.config() == null ? 0 : r.config().kind().length() + r.config().name().length())
            + r.detail().length();
    return RECORD_OVERHEAD + 2 * chars;
  }

  /** The records matching {@code query}, newest first, at most {@link Query#limit()}. */
  public List<DeliveryRecord> query(Query query) {
    Objects.requireNonNull(query, "query");
    List<DeliveryRecord> out = new ArrayList<>(Math.min(query.limit(), 64));
    synchronized (this) {
      for (Iterator<Entry> it = records.descendingIterator();
          it.hasNext() && out.size() < query.limit(); ) {
        DeliveryRecord r = it.next().record();
        if (query.matches(r)) {
          out.add(r);
        }
      }
    }
    return List.copyOf(out);
  }

  /** The newest {@code limit} records. */
  public List<DeliveryRecord> latest(int limit) {
    return query(Query.all().limit(limit));
  }

  /** How many records are kept now. */
  public synchronized int size() {
    return records.size();
  }

  /** The most records kept. */
  public int capacity() {
    return capacity;
  }

  /** The most bytes kept, as estimated by {@link #estimatedBytes}. */
  public long maxBytes() {
    return maxBytes;
  }

  /** The estimated bytes the kept records hold now. */
  public synchronized long bytes() {
    return bytes;
  }

  /** Records dropped to make room (by either cap) since the history was created. */
  public synchronized long evictions() {
    return evictions;
  }

  /**
   * What to look for; a {@code null} criterion matches everything.
   *
   * @param receiver only this receiver's records
   * @param tenant only this tenant's records
   * @param status only records of this status
   * @param limit most records returned
   */
  public record Query(
      @Nullable ObjectRef receiver,
      @Nullable String tenant,
      DeliveryRecord.@Nullable Status status,
      int limit) {

    public Query {
      if (limit < 1) {
        throw new IllegalArgumentException("limit: must be at least 1, was " + limit);
      }
    }

    /** Every record, up to 100. */
    public static Query all() {
      return new Query(null, null, null, 100);
    }

    public Query receiver(@Nullable ObjectRef receiver) {
      return new Query(receiver, tenant, status, limit);
    }

    public Query tenant(@Nullable String tenant) {
      return new Query(receiver, tenant, status, limit);
    }

    public Query status(DeliveryRecord.@Nullable Status status) {
      return new Query(receiver, tenant, status, limit);
    }

    public Query limit(int limit) {
      return new Query(receiver, tenant, status, limit);
    }

    boolean matches(DeliveryRecord r) {
      return (receiver == null || receiver.equals(r.receiver()))
          && (tenant == null || tenant.equals(r.tenant()))
          && (status == null || status == r.status());
    }
  }
}
