package io.nm4j.core.internal.intake;

import io.nm4j.core.AlertmanagerWebhook;
import io.nm4j.core.Routing;
import io.nm4j.core.delivery.DeliveryOutcome;
import io.nm4j.core.internal.delivery.Delivery;
import io.nm4j.core.internal.delivery.Dispatcher;
import io.nm4j.core.journal.SharedQueue;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.LogText;
import io.nm4j.spi.SendResult;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the records of a {@link SharedQueue} this replica owns. As {@link Recovery} does for a
 * journal's batch, it routes the record's batch on the current snapshot: the receivers were fixed
 * at intake, while the alerts a receiver gets, its config and its secrets are those of now. A
 * receiver the batch no longer reaches is final at once: nothing is sent to it.
 */
public final class QueuedDelivery implements SharedQueue.Deliveries {
  private static final Logger log = LoggerFactory.getLogger(QueuedDelivery.class);

  private final Intake intake;
  private final Dispatcher dispatcher;
  private final int maxQueuedTotal;

  public QueuedDelivery(Intake intake, Dispatcher dispatcher, int maxQueuedTotal) {
    this.intake = intake;
    this.dispatcher = dispatcher;
    this.maxQueuedTotal = maxQueuedTotal;
  }

  @Override
  public CompletableFuture<Boolean> deliver(byte[] batch, String receiver, BooleanSupplier owned) {
    AlertBatch decoded;
    try {
      decoded = AlertmanagerWebhook.decode(batch);
    } catch (RuntimeException e) {
      log.error("a queued batch for {} is unreadable and cannot be delivered", receiver, e);
      return CompletableFuture.completedFuture(true);
    }
    Routing routing = intake.currentSnapshot().route(decoded);
    List<Routing.Route> routes =
        routing.routes().stream()
            .filter(r -> r.destination().receiver().toString().equals(receiver))
            .toList();
    if (routes.isEmpty()) {
      log.info(
          "{}: a queued batch ({}) no longer reaches this receiver; nothing sent",
          LogText.escape(receiver),
          LogText.escape(decoded.groupKey()));
      return CompletableFuture.completedFuture(true);
    }
    Intake.Plan plan = intake.plan(decoded, new Routing(routes, List.of(), List.of()), Set.of());
    // beyond the queue limits, as recovered batches: the record was accepted once already
    List<CompletableFuture<DeliveryOutcome>> outcomes =
        dispatcher.enqueueRecovered(
            plan.deliveries().stream().map(d -> whileOwned(d, owned)).toList());
    if (outcomes == null) {
      return CompletableFuture.completedFuture(false);
    }
    return CompletableFuture.allOf(outcomes.toArray(new CompletableFuture<?>[0]))
        .thenApply(v -> outcomes.stream().noneMatch(o -> Intake.isShutdown(o.join())));
  }

  /**
   * Sends only while this replica owns the record; after a rebalance the attempt ends as a {@code
   * SHUTDOWN} dead letter, which is not final: the record stays with its new owner.
   */
  private static Delivery whileOwned(Delivery d, BooleanSupplier owned) {
    return new Delivery(
        d.notification(),
        d.tenantKey(),
        d.rateKey(),
        d.rate(),
        (deadline, progress) ->
            owned.getAsBoolean()
                ? d.attempt().send(deadline, progress)
                : SendResult.permanent(
                    SendResult.Reason.SHUTDOWN, "handed over to another replica"));
  }

  @Override
  public int room() {
    return Math.max(0, maxQueuedTotal - dispatcher.queued());
  }
}
