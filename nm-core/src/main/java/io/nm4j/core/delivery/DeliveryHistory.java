package io.nm4j.core.delivery;

import io.nm4j.spi.DeliveryListener;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.SendResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The latest delivery events in memory: a {@link DeliveryListener} keeping a bounded ring of
 * records (failed attempts, deliveries, dead letters, suppressions); the oldest make room for new
 * ones. Queries return the newest first.
 */
public final class DeliveryHistory implements DeliveryListener {

  /** The default number of records kept. */
  public static final int DEFAULT_SIZE = 10_000;

  private final Clock clock;
  private final DeliveryRecord[] ring;
  // guarded by this: next slot to write, and how many slots hold a record
  private int next;
  private int size;

  /** A history of {@value #DEFAULT_SIZE} records on the system clock. */
  public DeliveryHistory() {
    this(DEFAULT_SIZE, Clock.systemUTC());
  }

  /**
   * @param capacity most records kept
   * @param clock stamps each record
   */
  public DeliveryHistory(int capacity, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: must be at least 1, was " + capacity);
    }
    this.ring = new DeliveryRecord[capacity];
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
            why));
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
            f == null ? "" : f.detail()));
  }

  private synchronized void add(DeliveryRecord r) {
    ring[next] = r;
    next = (next + 1) % ring.length;
    if (size < ring.length) {
      size++;
    }
  }

  /** The records matching {@code query}, newest first, at most {@link Query#limit()}. */
  public List<DeliveryRecord> query(Query query) {
    Objects.requireNonNull(query, "query");
    List<DeliveryRecord> out = new ArrayList<>(Math.min(query.limit(), 64));
    synchronized (this) {
      for (int i = 1; i <= size && out.size() < query.limit(); i++) {
        DeliveryRecord r = ring[Math.floorMod(next - i, ring.length)];
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
    return size;
  }

  /** The most records kept. */
  public int capacity() {
    return ring.length;
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
