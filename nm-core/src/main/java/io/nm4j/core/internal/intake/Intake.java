package io.nm4j.core.internal.intake;

import io.nm4j.core.AlertmanagerWebhook;
import io.nm4j.core.Destination;
import io.nm4j.core.IntakeCounts;
import io.nm4j.core.Receipt;
import io.nm4j.core.RejectedException;
import io.nm4j.core.Routing;
import io.nm4j.core.Snapshot;
import io.nm4j.core.delivery.DeliveryOutcome;
import io.nm4j.core.internal.delivery.BatchDeduplicator;
import io.nm4j.core.internal.delivery.Delivery;
import io.nm4j.core.internal.delivery.Dispatcher;
import io.nm4j.core.journal.Journal;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.Notification;
import io.nm4j.spi.SendResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts batches for delivery: routes each on the current snapshot, plans one notification per
 * receiver, refuses what the queues or the byte limit cannot take, journals the batch, enqueues the
 * notifications and tracks them until all are final, then marks the batch finished in the journal.
 */
public final class Intake {
  private static final Logger log = LoggerFactory.getLogger(Intake.class);

  private final Supplier<Snapshot> currentSnapshot;
  private final BiFunction<Destination, Notification, Delivery> deliveryOf;
  private final Dispatcher dispatcher;
  private final Journal journal;
  private final BatchDeduplicator deduplicator;
  private final int maxQueuedTotal;
  private final long maxQueuedBytes;
  private final IntakeCounters counters = new IntakeCounters();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final String idPrefix = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
  private final AtomicLong ids = new AtomicLong();

  /**
   * @param currentSnapshot the snapshot batches are routed on
   * @param deliveryOf the dispatcher's unit of work for a notification to a destination
   * @param dispatcher where notifications are enqueued
   * @param journal where accepted batches are kept until delivered
   * @param deduplicator remembers batches accepted within the deduplication window
   * @param maxQueuedTotal most notifications queued at once
   * @param maxQueuedBytes most bytes of accepted batches not yet delivered
   */
  public Intake(
      Supplier<Snapshot> currentSnapshot,
      BiFunction<Destination, Notification, Delivery> deliveryOf,
      Dispatcher dispatcher,
      Journal journal,
      BatchDeduplicator deduplicator,
      int maxQueuedTotal,
      long maxQueuedBytes) {
    this.currentSnapshot = currentSnapshot;
    this.deliveryOf = deliveryOf;
    this.dispatcher = dispatcher;
    this.journal = journal;
    this.deduplicator = deduplicator;
    this.maxQueuedTotal = maxQueuedTotal;
    this.maxQueuedBytes = maxQueuedBytes;
  }

  /**
   * Accepts a batch, as {@link io.nm4j.core.NotificationManager#submit} documents.
   *
   * @param wireForm the batch's webhook body when the caller has it (it decodes to {@code batch}),
   *     journaled as is; null to encode the batch
   */
  public Receipt submit(AlertBatch batch, byte @Nullable [] wireForm) {
    if (!deduplicator.firstSeen(batch)) {
      log.debug("batch {} already accepted within the deduplication window", batch.groupKey());
      return new Receipt(true, List.of(), List.of(), List.of());
    }
    Routing routing;
    try {
      routing = currentSnapshot.get().route(batch);
    } catch (RuntimeException e) {
      deduplicator.forget(batch);
      throw e;
    }
    if (!routing.unrouted().isEmpty()) {
      log.info(
          "{} of {} alerts reach no receiver (first: alert {}: {})",
          routing.unrouted().size(),
          batch.alerts().size(),
          routing.unrouted().get(0).alert(),
          routing.unrouted().get(0).reason());
    }
    Plan plan = plan(batch, routing, Set.of());
    if (plan.deliveries.isEmpty()) {
      counters.accepted(batch.alerts().size(), routing.unrouted().size());
      return new Receipt(false, List.of(), List.of(), routing.unrouted());
    }
    if (dispatcher.queued() + plan.deliveries.size() > maxQueuedTotal) {
      // refused before paying for a journal write
      deduplicator.forget(batch);
      counters.rejectedQueueFull();
      throw rejected(plan);
    }
    byte[] encoded = wireForm != null ? wireForm : AlertmanagerWebhook.encode(batch);
    if (queuedBytes.addAndGet(encoded.length) > maxQueuedBytes) {
      queuedBytes.addAndGet(-encoded.length);
      deduplicator.forget(batch);
      counters.rejectedBytes();
      throw new RejectedException(
          "accepted batches not yet delivered hold more than "
              + maxQueuedBytes
              + " bytes; batch of "
              + encoded.length
              + " bytes not accepted");
    }
    long journalId;
    try {
      journalId = journal(batch, encoded);
    } catch (RejectedException e) {
      queuedBytes.addAndGet(-encoded.length);
      counters.rejectedJournal();
      throw e;
    }
    List<CompletableFuture<DeliveryOutcome>> outcomes = dispatcher.tryEnqueue(plan.deliveries);
    if (outcomes == null) {
      queuedBytes.addAndGet(-encoded.length);
      journal.finished(journalId);
      deduplicator.forget(batch);
      counters.rejectedQueueFull();
      throw rejected(plan);
    }
    track(journalId, encoded.length, plan.receivers, outcomes);
    counters.accepted(batch.alerts().size(), routing.unrouted().size());
    return new Receipt(false, plan.notifications, outcomes, routing.unrouted());
  }

  /** Counts of what intake accepted and refused since start. */
  public IntakeCounts counts() {
    return counters.counts();
  }

  /** Bytes of accepted batches whose notifications are not all final. */
  public long queuedBytes() {
    return queuedBytes.get();
  }

  private static RejectedException rejected(Plan plan) {
    return new RejectedException(
        "delivery queues are full or shutting down; "
            + plan.deliveries.size()
            + " notifications not accepted");
  }

  /** Appends the batch to the journal and waits until it is durable. */
  private long journal(AlertBatch batch, byte[] encoded) {
    try {
      return journal.append(encoded).get();
    } catch (ExecutionException e) {
      deduplicator.forget(batch);
      Throwable cause = e.getCause() == null ? e : e.getCause();
      // A durable journal names where it writes, so an operator sees which disk to look at.
      throw new RejectedException(
          "the journal cannot store the batch: "
              + cause.getMessage()
              + (journal.durable() ? " (" + journal + ")" : ""));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      deduplicator.forget(batch);
      throw new RejectedException("interrupted while journaling the batch");
    }
  }

  /**
   * What one batch becomes: a notification per receiver, the dispatcher's unit of work for each,
   * and each one's receiver as the journal names it, all in receiver order.
   */
  record Plan(
      List<Notification> notifications, List<Delivery> deliveries, List<String> receivers) {}

  /** One notification per route, leaving out receivers in {@code skip}. */
  Plan plan(AlertBatch batch, Routing routing, Set<String> skip) {
    List<Notification> notifications = new ArrayList<>(routing.routes().size());
    List<Delivery> deliveries = new ArrayList<>(routing.routes().size());
    List<String> receivers = new ArrayList<>(routing.routes().size());
    for (Routing.Route route : routing.routes()) {
      Destination d = route.destination();
      String receiver = d.receiver().toString();
      if (skip.contains(receiver)) {
        continue;
      }
      List<Alert> alerts = new ArrayList<>(route.alerts().size());
      route.alerts().forEach(i -> alerts.add(batch.alerts().get(i)));
      Notification n =
          new Notification(
              idPrefix + "-" + ids.incrementAndGet(),
              d.receiver(),
              d.scope(),
              d.tenant(),
              d.config(),
              alerts,
              batch);
      notifications.add(n);
      deliveries.add(deliveryOf.apply(d, n));
      receivers.add(receiver);
    }
    return new Plan(notifications, deliveries, receivers);
  }

  /**
   * Records each final outcome in the journal, and the batch as finished once all are final. A
   * notification dead-lettered because of shutdown is not final: it stays in the journal for the
   * next start.
   */
  void track(
      long journalId,
      long bytes,
      List<String> receivers,
      List<CompletableFuture<DeliveryOutcome>> outcomes) {
    if (outcomes.isEmpty()) {
      queuedBytes.addAndGet(-bytes);
      journal.finished(journalId);
      return;
    }
    AtomicInteger left = new AtomicInteger(outcomes.size());
    AtomicBoolean held = new AtomicBoolean();
    for (int i = 0; i < outcomes.size(); i++) {
      String receiver = receivers.get(i);
      outcomes
          .get(i)
          .thenAccept(
              o -> {
                if (isShutdown(o)) {
                  held.set(true);
                } else {
                  journal.completed(journalId, receiver);
                }
                if (left.decrementAndGet() == 0) {
                  queuedBytes.addAndGet(-bytes);
                  if (!held.get()) {
                    journal.finished(journalId);
                  }
                }
              });
    }
  }

  private static boolean isShutdown(DeliveryOutcome o) {
    return o.status() == DeliveryOutcome.Status.DEAD_LETTER
        && o.lastFailure() != null
        && o.lastFailure().reason() == SendResult.Reason.SHUTDOWN;
  }

  /** Holds {@code bytes} of a recovered batch against the byte limit until it is tracked. */
  void holdRecovered(long bytes) {
    queuedBytes.addAndGet(bytes);
  }

  IntakeCounters counters() {
    return counters;
  }

  BatchDeduplicator deduplicator() {
    return deduplicator;
  }

  Snapshot currentSnapshot() {
    return currentSnapshot.get();
  }
}
