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
import io.nm4j.core.journal.SharedQueue;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.SendResult;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
 * With a {@link SharedQueue} instead of a journal it appends one record per receiver to the queue
 * and enqueues nothing: the replica that owns the receiver delivers it ({@link QueuedDelivery}).
 */
public final class Intake {
  private static final Logger log = LoggerFactory.getLogger(Intake.class);

  private final Supplier<Snapshot> currentSnapshot;
  private final BiFunction<Destination, Notification, Delivery> deliveryOf;
  private final Dispatcher dispatcher;
  private final Journal journal;
  private final @Nullable SharedQueue sharedQueue;
  private final BatchDeduplicator deduplicator;
  private final Clock clock;
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
   * @param sharedQueue where accepted batches go instead, for the replica owning each receiver to
   *     deliver; {@code null} to deliver here
   * @param deduplicator remembers batches accepted within the deduplication window
   * @param clock dates each batch received: the time it is deduplicated and routed at
   * @param maxQueuedTotal most notifications queued at once
   * @param maxQueuedBytes most bytes of accepted batches not yet delivered
   */
  public Intake(
      Supplier<Snapshot> currentSnapshot,
      BiFunction<Destination, Notification, Delivery> deliveryOf,
      Dispatcher dispatcher,
      Journal journal,
      @Nullable SharedQueue sharedQueue,
      BatchDeduplicator deduplicator,
      Clock clock,
      int maxQueuedTotal,
      long maxQueuedBytes) {
    this.currentSnapshot = currentSnapshot;
    this.deliveryOf = deliveryOf;
    this.dispatcher = dispatcher;
    this.journal = journal;
    this.sharedQueue = sharedQueue;
    this.deduplicator = deduplicator;
    this.clock = clock;
    this.maxQueuedTotal = maxQueuedTotal;
    this.maxQueuedBytes = maxQueuedBytes;
  }

  /**
   * Accepts a batch, as {@link io.nm4j.core.NotificationManager#submit} documents, waiting until
   * the journal holds it.
   *
   * @param wireForm the batch's webhook body when the caller has it (it decodes to {@code batch}),
   *     journaled as is; null to encode the batch
   * @throws RejectedException when the batch is refused; nothing was enqueued, except when the
   *     journal wrote the batch and then could not make it durable: its notifications go on
   * @throws IllegalStateException when interrupted while the journal stores the batch, which may
   *     then still be accepted
   */
  public Receipt submit(AlertBatch batch, byte @Nullable [] wireForm) {
    CompletableFuture<Receipt> accepted = submitAsync(batch, wireForm);
    try {
      return accepted.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("accepting a batch failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      // Not a refusal: the batch is journaled or refused without this thread, so it may still be
      // delivered, and a caller that took this for "nothing enqueued" could send it twice.
      throw new IllegalStateException(
          "interrupted while the journal stores the batch; it may still be accepted", e);
    }
  }

  /**
   * Accepts a batch without waiting for the journal: routes and plans it on this thread, refuses it
   * at once when the queues or the byte limit cannot take it, enqueues its notifications as soon as
   * the journal has written the batch ({@link Journal#append(byte[],
   * java.util.function.LongConsumer)}, on the journal's thread), and completes once the batch is
   * durable, so no thread waits through the {@code fsync}, every batch waiting for it shares one,
   * and delivery does not wait for it.
   *
   * @param wireForm the batch's webhook body when the caller has it (it decodes to {@code batch}),
   *     journaled as is; null to encode the batch
   * @return completes with the receipt once the batch is durable and enqueued, or exceptionally
   *     with a {@link RejectedException} when it is refused; nothing was enqueued then, unless the
   *     journal wrote the batch and then failed to make it durable: its notifications are on their
   *     way, and a retry the sender makes may send them again (at least once)
   */
  public CompletableFuture<Receipt> submitAsync(AlertBatch batch, byte @Nullable [] wireForm) {
    try {
      return accept(batch, wireForm);
    } catch (RejectedException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private CompletableFuture<Receipt> accept(AlertBatch batch, byte @Nullable [] wireForm) {
    // One read of the time per batch: routing evaluates silences at it too.
    Instant receivedAt = clock.instant();
    CompletableFuture<Void> outcome = new CompletableFuture<>();
    CompletableFuture<Void> first = deduplicator.firstArrival(batch, receivedAt, outcome);
    if (first != null) {
      log.debug("batch {} already received within the deduplication window", batch.groupKey());
      return first.handle(
          (stored, failure) -> {
            if (failure != null) {
              throw new RejectedException(
                  "the first arrival of this batch was not accepted; send it again");
            }
            return new Receipt(true, List.of(), List.of(), List.of());
          });
    }
    CompletableFuture<Receipt> accepted;
    try {
      accepted = acceptFirst(batch, wireForm, receivedAt);
    } catch (RuntimeException e) {
      outcome.completeExceptionally(e);
      throw e;
    }
    return accepted.whenComplete(
        (receipt, failure) -> {
          if (failure != null) {
            outcome.completeExceptionally(failure);
          } else {
            outcome.complete(null);
          }
        });
  }

  private CompletableFuture<Receipt> acceptFirst(
      AlertBatch batch, byte @Nullable [] wireForm, Instant receivedAt) {
    Routing routing;
    try {
      routing = currentSnapshot.get().route(batch, receivedAt);
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
      return CompletableFuture.completedFuture(
          new Receipt(false, List.of(), List.of(), routing.unrouted()));
    }
    if (sharedQueue != null) {
      return appendShared(batch, wireForm, routing, plan, sharedQueue);
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
    EnqueuedWhenWritten enqueued = new EnqueuedWhenWritten(plan.deliveries);
    // A durable journal names where it writes, so an operator sees which disk to look at.
    return stored(
            batch, journal.append(encoded, enqueued::enqueue), journal.durable() ? journal : null)
        .whenComplete(
            (journalId, failure) -> {
              if (failure != null) {
                notStored(enqueued.outcomes, encoded.length);
              }
            })
        .thenApply(journalId -> durable(batch, routing, plan, enqueued, journalId, encoded.length));
  }

  /**
   * A batch's notifications, enqueued once the journal has written the batch: on the journal's
   * thread, before its {@code fsync}, so that delivery does not wait for the disk.
   */
  private final class EnqueuedWhenWritten {
    private final List<Delivery> deliveries;
    // Set on the journal's thread before it completes the append, which the stages reading it
    // follow; volatile all the same, as a journal may call back on another thread than it
    // completes.
    private volatile @Nullable List<CompletableFuture<DeliveryOutcome>> outcomes;

    EnqueuedWhenWritten(List<Delivery> deliveries) {
      this.deliveries = deliveries;
    }

    void enqueue(long journalId) {
      outcomes = dispatcher.tryEnqueue(deliveries);
    }
  }

  /**
   * Tracks a durable batch whose notifications are enqueued, or refuses it when the queues filled
   * up before the journal wrote it.
   */
  private Receipt durable(
      AlertBatch batch,
      Routing routing,
      Plan plan,
      EnqueuedWhenWritten enqueued,
      long journalId,
      int encodedLength) {
    List<CompletableFuture<DeliveryOutcome>> outcomes = enqueued.outcomes;
    if (outcomes == null) {
      queuedBytes.addAndGet(-encodedLength);
      journal.finished(journalId);
      deduplicator.forget(batch);
      counters.rejectedQueueFull();
      throw rejected(plan);
    }
    track(journalId, encodedLength, plan.receivers, outcomes);
    counters.accepted(batch.alerts().size(), routing.unrouted().size());
    return new Receipt(false, plan.notifications, outcomes, routing.unrouted());
  }

  /**
   * A batch the journal did not store releases its bytes: at once when nothing of it was enqueued;
   * otherwise (written, then not made durable) once its notifications, which go on, are final. No
   * outcome record is written for it: the journal holds no batch to record them against.
   */
  private void notStored(
      @Nullable List<CompletableFuture<DeliveryOutcome>> outcomes, int encodedLength) {
    if (outcomes == null) {
      queuedBytes.addAndGet(-encodedLength);
      return;
    }
    CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
        .whenComplete((all, failure) -> queuedBytes.addAndGet(-encodedLength));
  }

  /**
   * Appends the batch's records to the shared queue; the receipt completes once they are durable
   * there. The local queue limits do not apply: the owners of the receivers take records as they
   * have room.
   */
  private CompletableFuture<Receipt> appendShared(
      AlertBatch batch, byte @Nullable [] wireForm, Routing routing, Plan plan, SharedQueue queue) {
    byte[] encoded = wireForm != null ? wireForm : AlertmanagerWebhook.encode(batch);
    return stored(batch, queue.append(encoded, plan.receiverNames()), queue)
        .thenApply(
            stored -> {
              counters.accepted(batch.alerts().size(), routing.unrouted().size());
              return new Receipt(false, plan.notifications, List.of(), routing.unrouted());
            });
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

  /**
   * What a journal's or queue's write becomes: its result once stored; when it cannot store the
   * batch, a refusal (counted as a journal refusal) and the batch forgotten by the deduplicator, so
   * the sender's retry is accepted.
   *
   * @param store named in the refusal when not null
   */
  private <T> CompletableFuture<T> stored(
      AlertBatch batch, CompletableFuture<T> write, @Nullable Object store) {
    return write.handle(
        (result, failure) -> {
          if (failure == null) {
            return result;
          }
          deduplicator.forget(batch);
          counters.rejectedJournal();
          Throwable cause =
              failure instanceof CompletionException && failure.getCause() != null
                  ? failure.getCause()
                  : failure;
          throw new RejectedException(
              "the journal cannot store the batch: "
                  + cause.getMessage()
                  + (store != null ? " (" + store + ")" : ""));
        });
  }

  /**
   * What one batch becomes: a notification per receiver, the dispatcher's unit of work for each,
   * and each one's receiver, all in receiver order. The receivers are kept as references: the
   * journal's name of one ({@code Kind/name}) is made only where the journal is written, so a batch
   * routed to hundreds of receivers builds no strings on the submitting thread.
   */
  record Plan(
      List<Notification> notifications, List<Delivery> deliveries, List<ObjectRef> receivers) {

    /** Each receiver as the journal and the shared queue name it, {@code Kind/name}. */
    List<String> receiverNames() {
      List<String> names = new ArrayList<>(receivers.size());
      for (ObjectRef receiver : receivers) {
        names.add(receiver.toString());
      }
      return names;
    }
  }

  /**
   * One notification per route, leaving out receivers in {@code skip} (as the journal names them,
   * {@code Kind/name}).
   */
  Plan plan(AlertBatch batch, Routing routing, Set<String> skip) {
    List<Notification> notifications = new ArrayList<>(routing.routes().size());
    List<Delivery> deliveries = new ArrayList<>(routing.routes().size());
    List<ObjectRef> receivers = new ArrayList<>(routing.routes().size());
    for (Routing.Route route : routing.routes()) {
      Destination d = route.destination();
      ObjectRef receiver = d.receiver();
      // Only a recovered batch skips receivers; a name is made for nobody else.
      if (!skip.isEmpty() && skip.contains(receiver.toString())) {
        continue;
      }
      Notification n =
          new Notification(
              idPrefix + "-" + ids.incrementAndGet(),
              receiver,
              d.scope(),
              d.tenant(),
              d.config(),
              alertsOf(batch, route.alerts()),
              batch);
      notifications.add(n);
      deliveries.add(deliveryOf.apply(d, n));
      receivers.add(receiver);
    }
    return new Plan(notifications, deliveries, receivers);
  }

  /**
   * The alerts of {@code batch} at {@code indexes}, as the immutable list a notification keeps
   * without copying it again: most routes of a batch over many namespaces hold one alert.
   */
  private static List<Alert> alertsOf(AlertBatch batch, List<Integer> indexes) {
    List<Alert> all = batch.alerts();
    if (indexes.size() == 1) {
      return List.of(all.get(indexes.get(0)));
    }
    Alert[] alerts = new Alert[indexes.size()];
    for (int i = 0; i < alerts.length; i++) {
      alerts[i] = all.get(indexes.get(i));
    }
    return List.of(alerts);
  }

  /**
   * Records each final outcome in the journal, and the batch as finished once all are final. A
   * notification dead-lettered because of shutdown is not final: it stays in the journal for the
   * next start.
   */
  void track(
      long journalId,
      long bytes,
      List<ObjectRef> receivers,
      List<CompletableFuture<DeliveryOutcome>> outcomes) {
    if (outcomes.isEmpty()) {
      queuedBytes.addAndGet(-bytes);
      journal.finished(journalId);
      return;
    }
    AtomicInteger left = new AtomicInteger(outcomes.size());
    AtomicBoolean held = new AtomicBoolean();
    for (int i = 0; i < outcomes.size(); i++) {
      ObjectRef receiver = receivers.get(i);
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

  static boolean isShutdown(DeliveryOutcome o) {
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
