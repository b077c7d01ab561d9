package io.nm4j.core;

import io.nm4j.core.delivery.DeliveryOutcome;
import io.nm4j.spi.Notification;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What {@link NotificationManager#submit} accepted: the notifications enqueued (one per receiver),
 * a future per notification completed with its final outcome (never exceptionally), and the alerts
 * no receiver gets.
 *
 * @param duplicate the batch repeats one handled within the deduplication window (Alertmanager
 *     re-sent it after a timeout); nothing was enqueued
 * @param notifications one per receiver, in receiver order
 * @param outcomes one per notification, same order; empty when a {@link
 *     io.nm4j.core.journal.SharedQueue} holds the notifications, since the replica that owns each
 *     receiver delivers it, not necessarily this one
 * @param unrouted alerts of the batch that reach no receiver
 */
public record Receipt(
    boolean duplicate,
    List<Notification> notifications,
    List<CompletableFuture<DeliveryOutcome>> outcomes,
    List<Routing.Unrouted> unrouted) {

  public Receipt {
    notifications = List.copyOf(notifications);
    outcomes = List.copyOf(outcomes);
    unrouted = List.copyOf(unrouted);
    if (notifications.size() != outcomes.size() && !outcomes.isEmpty()) {
      throw new IllegalArgumentException("one outcome per notification, or none");
    }
  }

  /** Completes when every notification of the batch has its final outcome. */
  public CompletableFuture<List<DeliveryOutcome>> allOutcomes() {
    return CompletableFuture.allOf(outcomes.toArray(new CompletableFuture<?>[0]))
        .thenApply(v -> outcomes.stream().map(CompletableFuture::join).toList());
  }
}
