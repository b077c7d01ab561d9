package io.nm4j.core.delivery;

import io.nm4j.spi.DeliveryListener;
import io.nm4j.spi.Notification;
import io.nm4j.spi.SendResult;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts delivered, failed (attempts), retried (attempts after the first) and dead-lettered
 * notifications per channel (the receiver's kind) and tenant. Tenants beyond {@link #MAX_TENANTS}
 * are counted as {@value #OTHER_TENANT}, so a sender inventing namespaces cannot grow the table
 * without bound. Global receivers' notifications have the tenant {@code ""}.
 */
public final class DeliveryCounters implements DeliveryListener {
  private static final Logger log = LoggerFactory.getLogger(DeliveryCounters.class);

  /** Most distinct tenants counted apart. */
  public static final int MAX_TENANTS = 200;

  /** The tenant every tenant beyond {@link #MAX_TENANTS} is counted as. */
  // a leading underscore: no Kubernetes namespace can have this name, so no tenant is mistaken for
  // it
  public static final String OTHER_TENANT = "_other";

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
  private final List<Consumer<Key>> seriesListeners = new CopyOnWriteArrayList<>();

  @Override
  public void onAttempt(Notification n, int attempt, SendResult result) {
    // A retry is counted when it happens: a retryable failure on the last allowed attempt (or
    // past the notification's age limit) is never retried, so counting failures would overstate.
    if (attempt > 1) {
      count(Event.RETRIED, n);
    }
    if (result instanceof SendResult.Failed) {
      count(Event.FAILED, n);
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
      // the table only grows, so once full no lock is needed to know the answer
      tenant = tenants.size() < MAX_TENANTS ? admit(tenant) : OTHER_TENANT;
    }
    Key key = new Key(event, n.receiver().kind(), tenant);
    LongAdder adder = counts.get(key);
    if (adder == null) {
      LongAdder fresh = new LongAdder();
      adder = counts.putIfAbsent(key, fresh);
      if (adder == null) {
        // counted before it is announced, so a meter made for it never reads 0 for this event
        fresh.increment();
        announce(key);
        return;
      }
    }
    adder.increment();
  }

  /**
   * The tenant to count a first-seen tenant as: itself while there is room, else {@value
   * #OTHER_TENANT}. Serialised so that concurrent newcomers cannot overshoot the cap.
   */
  private synchronized String admit(String tenant) {
    if (tenants.containsKey(tenant)) {
      return tenant;
    }
    if (tenants.size() < MAX_TENANTS) {
      tenants.put(tenant, Boolean.TRUE);
      return tenant;
    }
    return OTHER_TENANT;
  }

  private void announce(Key key) {
    for (Consumer<Key> l : seriesListeners) {
      try {
        l.accept(key);
      } catch (RuntimeException e) {
        log.warn("series listener failed for {}", key, e);
      }
    }
  }

  /**
   * Calls {@code listener} with every series counted so far and then with each new series when it
   * is first counted (on the delivering thread, so it must be quick), e.g. to register a meter per
   * series as it appears. A series may be told more than once; it is never left out.
   */
  public void onNewSeries(Consumer<Key> listener) {
    Objects.requireNonNull(listener, "listener");
    // subscribe first: a series appearing meanwhile is told twice rather than not at all
    seriesListeners.add(listener);
    for (Key key : counts.keySet()) {
      listener.accept(key);
    }
  }

  /** The count of one series; 0 for a series not counted yet. */
  public long count(Key key) {
    LongAdder adder = counts.get(key);
    return adder == null ? 0 : adder.sum();
  }

  /** Every series with its count, in no particular order. */
  public List<Map.Entry<Key, Long>> snapshot() {
    return counts.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue().sum())).toList();
  }
}
