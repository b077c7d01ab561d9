package io.nm4j.core.internal.intake;

import io.nm4j.core.AlertmanagerWebhook;
import io.nm4j.core.delivery.DeliveryOutcome;
import io.nm4j.core.internal.delivery.Dispatcher;
import io.nm4j.core.journal.Journal;
import io.nm4j.spi.AlertBatch;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes over at start what an earlier run accepted and did not finish: each unfinished batch of the
 * journal is routed on the current snapshot and its notifications not yet final are enqueued again,
 * tracked as intake tracks a new batch.
 */
public final class Recovery {
  private static final Logger log = LoggerFactory.getLogger(Recovery.class);

  private Recovery() {}

  /** Enqueues the journal's unfinished batches again through {@code intake}. */
  public static void recover(Intake intake, Journal journal, Dispatcher dispatcher) {
    List<Journal.Pending> pending = journal.pending();
    if (pending.isEmpty()) {
      return;
    }
    int notifications = 0;
    for (Journal.Pending p : pending) {
      AlertBatch batch;
      try {
        batch = AlertmanagerWebhook.decode(p.batch());
        intake.counters().recovered();
      } catch (RuntimeException e) {
        log.error("journal batch {} is unreadable and cannot be re-delivered", p.id(), e);
        journal.finished(p.id());
        continue;
      }
      intake.deduplicator().firstSeen(batch);
      byte[] encoded = p.batch();
      intake.holdRecovered(encoded.length);
      Intake.Plan plan = intake.plan(batch, intake.currentSnapshot().route(batch), p.completed());
      List<CompletableFuture<DeliveryOutcome>> outcomes =
          dispatcher.enqueueRecovered(plan.deliveries());
      if (outcomes == null) {
        return;
      }
      intake.track(p.id(), encoded.length, plan.receivers(), outcomes);
      notifications += outcomes.size();
    }
    log.info(
        "recovered {} unfinished batch(es) from the {}: {} notification(s) enqueued again",
        pending.size(),
        journal,
        notifications);
  }
}
