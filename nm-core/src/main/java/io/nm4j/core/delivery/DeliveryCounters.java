package io.nm4j.core.delivery;

import io.nm4j.spi.DeliveryListener;
import io.nm4j.spi.Notification;
import io.nm4j.spi.SendResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts delivered, failed (attempts), retried and dead-lettered notifications per channel (the
 * receiver's kind) and tenant. Tenants beyond {@link #MAX_TENANTS} are counted as {@code other}, so
 * a sender inventing namespaces cannot grow the table without bound.
 */
public final class DeliveryCounters implements DeliveryListener {
  /** Most distinct tenants counted apart. */
  public static final int MAX_TENANTS = 200;

  /** What is counted. */
  public enum Event {
    DELIVERED,
    FAILED,
    RETRIED,
    DEAD_LETTERED
  }

  /** One counted series. */
  public record Key(Event event, String channel, String tenant) {}

  private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();
  private final Map<String, Boolean> tenants = new ConcurrentHashMap<>();

  @Override
  public void onAttempt(Notification n, int attempt, SendResult result) {
    if (result instanceof SendResult.Failed f) {
      count(Event.FAILED, n);
      if (f.retryable()) {
        count(Event.RETRIED, n);
      }
    }
  }

  @Override
  public void onDelivered(Notification n, int attempts) {
    count(Event.DELIVERED, n);
  }

  @Override
  public void onDeadLetter(Notification n, int attempts, SendResult.Failed failure) {
    count(Event.DEAD_LETTERED, n);
  }

  private void count(Event event, Notification n) {
    String tenant = n.tenant() == null ? "" : n.tenant();
    if (!tenants.containsKey(tenant)) {
      if (tenants.size() < MAX_TENANTS) {
        tenants.putIfAbsent(tenant, Boolean.TRUE);
      } else {
        tenant = "other";
      }
    }
    counts
        .computeIfAbsent(new Key(event, n.receiver().kind(), tenant), k -> new LongAdder())
        .increment();
  }

  /** Every series with its count, in no particular order. */
  public List<Map.Entry<Key, Long>> snapshot() {
    return counts.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue().sum())).toList();
  }
}
