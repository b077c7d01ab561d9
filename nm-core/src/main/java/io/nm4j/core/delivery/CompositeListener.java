package io.nm4j.core.delivery;

import io.nm4j.spi.DeliveryListener;
import io.nm4j.spi.Notification;
import io.nm4j.spi.SendResult;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans every event out to several listeners in order. A listener that throws is logged and skipped,
 * so it never keeps the others from seeing the event nor breaks the delivery.
 */
public final class CompositeListener implements DeliveryListener {
  private static final Logger log = LoggerFactory.getLogger(CompositeListener.class);

  private final List<DeliveryListener> listeners;

  private CompositeListener(List<DeliveryListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  public static CompositeListener of(DeliveryListener... listeners) {
    return new CompositeListener(List.of(listeners));
  }

  public static CompositeListener of(List<? extends DeliveryListener> listeners) {
    return new CompositeListener(List.copyOf(listeners));
  }

  /** The listeners, in the order they are called. */
  public List<DeliveryListener> listeners() {
    return listeners;
  }

  @Override
  public void onAttempt(Notification notification, int attempt, SendResult result) {
    for (DeliveryListener l : listeners) {
      try {
        l.onAttempt(notification, attempt, result);
      } catch (RuntimeException e) {
        failed(l, "onAttempt", notification, e);
      }
    }
  }

  @Override
  public void onDelivered(Notification notification, int attempts) {
    for (DeliveryListener l : listeners) {
      try {
        l.onDelivered(notification, attempts);
      } catch (RuntimeException e) {
        failed(l, "onDelivered", notification, e);
      }
    }
  }

  @Override
  public void onDeadLetter(Notification notification, int attempts, SendResult.Failed failure) {
    for (DeliveryListener l : listeners) {
      try {
        l.onDeadLetter(notification, attempts, failure);
      } catch (RuntimeException e) {
        failed(l, "onDeadLetter", notification, e);
      }
    }
  }

  @Override
  public void onSuppressed(Notification notification, String why) {
    for (DeliveryListener l : listeners) {
      try {
        l.onSuppressed(notification, why);
      } catch (RuntimeException e) {
        failed(l, "onSuppressed", notification, e);
      }
    }
  }

  private static void failed(
      DeliveryListener listener, String event, Notification notification, RuntimeException e) {
    log.warn(
        "delivery listener {} failed in {} for {} {}",
        listener.getClass().getName(),
        event,
        notification.receiver(),
        notification.id(),
        e);
  }

  @Override
  public String toString() {
    return "CompositeListener" + listeners;
  }
}
