package io.nm4j.core.internal.delivery;

import io.nm4j.core.delivery.DeliveryOptions;
import io.nm4j.core.delivery.DeliveryOutcome;
import io.nm4j.spi.DeliveryListener;
import io.nm4j.spi.LogText;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.RatePermits;
import io.nm4j.spi.SendProgress;
import io.nm4j.spi.SendResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers notifications: bounded per-receiver queues, picked round-robin across tenants and then
 * across a tenant's receivers, sent on a bounded pool of workers with retries, rate limits and send
 * timeouts; what cannot be delivered ends as a dead letter, never silently.
 *
 * <p>A receiver's notifications form one lane per Alertmanager group (the batch's {@code groupKey};
 * batches without one share a lane). A lane sends one notification at a time, in order: a
 * notification in progress (being sent, or waiting for its retry) holds back the later ones of its
 * lane, so a resolved alert never overtakes its firing one. Up to {@link
 * DeliveryOptions#maxInFlightPerReceiver()} lanes of one receiver are in progress at once, each
 * taking the place of one; notifications start in arrival order, skipping those whose lane is busy.
 * A notification waiting for its retry keeps its place: when group A fails retryably, the receiver
 * goes on with the other groups in the places left, and if they fail too the receiver has at most
 * that many notifications retrying, each on its own backoff, and never more than that many attempts
 * in flight, so a failing endpoint is not hammered. With one place per receiver this is strictly
 * one at a time in arrival order. A notification waiting for a rate-limit permit parks the whole
 * receiver until the permit frees up (a receiver's notifications share their config's limit).
 * Waiting holds no worker and never holds back another receiver. One lock guards the queues; it is
 * never held while sending or while calling listeners.
 *
 * <p>A failed attempt's {@link SendResult.Failed#progress() progress} (the parts the channel did
 * deliver) is added to what the notification's earlier attempts reported and handed to its next
 * attempt, so a retry sends only the rest. It is kept in memory only, up to {@link
 * #MAX_PROGRESS_KEYS} keys over all notifications.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final AtomicInteger POOLS = new AtomicInteger();

  /**
   * The most progress keys kept over all notifications waiting for a retry: up to a few dozen MiB
   * however many fail part-way at once. Beyond it a retry resends what is not kept, which at-least-
   * once delivery allows.
   */
  static final int MAX_PROGRESS_KEYS = 1 << 18;

  private final DeliveryOptions options;
  private final Clock clock;
  private final Timer timer;
  private final boolean ownsTimer;
  private final DeliveryListener listener;
  private final ThreadPoolExecutor pool;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // All below guarded by lock.
  private final RandomGenerator random;
  private final Map<ReceiverKey, ReceiverQueue> receivers = new HashMap<>();
  private final Map<TenantKey, TenantQueue> tenants = new HashMap<>();
  private final ArrayDeque<TenantQueue> ring = new ArrayDeque<>();
  private final RatePermits limiter = new RatePermits();
  private long sequence;
  // Written under the lock, read without it by queued(): intake asks before every batch, and a
  // volatile read answers as the lock would, without making the submitting thread queue for it.
  private volatile int queued;
  private int ready;
  private int running;
  private int sending;
  private int progressKeys;
  private boolean closing;
  private boolean abandoned;
  private boolean closed;

  private Dispatcher(Builder b) {
    this.options = b.options;
    this.clock = b.clock;
    this.ownsTimer = b.timer == null;
    this.timer = b.timer != null ? b.timer : Timer.scheduled(b.clock);
    this.listener = b.listener;
    this.random = b.random != null ? b.random : new SplittableRandom();
    int id = POOLS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            options.workers(),
            options.workers(),
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              // FlatCostCpu finds the delivery threads by this prefix, the timer's too.
              Thread t = new Thread(r, "nm4j-delivery-" + id + "-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    // an idle dispatcher holds no threads
    pool.allowCoreThreadTimeOut(true);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Enqueues all deliveries or none.
   *
   * @return one future per delivery, in order, completed with its outcome (never exceptionally);
   *     {@code null} when the queues cannot take the whole list or the dispatcher is closing, and
   *     then nothing was enqueued (the server answers 503 and Alertmanager retries)
   */
  public @Nullable List<CompletableFuture<DeliveryOutcome>> tryEnqueue(List<Delivery> deliveries) {
    return enqueue(deliveries, true);
  }

  /**
   * Enqueues deliveries recovered from the journal, beyond the queue limits: they were accepted
   * once already, and refusing them now would lose them.
   *
   * @return as {@link #tryEnqueue}; {@code null} only when the dispatcher is closing
   */
  public @Nullable List<CompletableFuture<DeliveryOutcome>> enqueueRecovered(
      List<Delivery> deliveries) {
    return enqueue(deliveries, false);
  }

  private @Nullable List<CompletableFuture<DeliveryOutcome>> enqueue(
      List<Delivery> deliveries, boolean limited) {
    int n = deliveries.size();
    if (n == 0) {
      return List.of();
    }
    Instant now = clock.instant();
    Instant expires = now.plus(options.maxAge());
    if (limited && queued + n > options.maxQueuedTotal()) {
      // refused without hashing the keys below; checked again under the lock
      return null;
    }
    // The keys are hashed before the lock is taken: with many tenants a receiver's reference and
    // names are mostly in no cache (JFR at 100,000 tenants: this hash was the largest single item),
    // and a miss taken under the lock holds up every worker waiting for it. A tenant's key is made
    // for every delivery, not only for a receiver without a queue, so that no tenant name is read
    // under the lock either; with few tenants, where queues are found more often, the names are
    // in the caches anyway.
    ReceiverKey[] receiverKeys = new ReceiverKey[n];
    TenantKey[] tenantKeys = new TenantKey[n];
    for (int i = 0; i < n; i++) {
      Delivery d = deliveries.get(i);
      receiverKeys[i] = ReceiverKey.of(d.receiver());
      tenantKeys[i] = TenantKey.of(d.tenantKey());
    }
    lock.lock();
    try {
      if (closing) {
        return null;
      }
      if (limited && queued + n > options.maxQueuedTotal()) {
        return null;
      }
      // Each receiver's queue looked up (or made) once for the batch: the room check and the
      // enqueueing below share it. The queue is made by a constructor reference, not a lambda
      // holding the delivery, so a new key allocates only the queue; a queue without its tenant
      // yet is one made here.
      ReceiverQueue[] queues = new ReceiverQueue[n];
      for (int i = 0; i < n; i++) {
        ReceiverQueue r = receivers.computeIfAbsent(receiverKeys[i], ReceiverQueue::new);
        if (r.tenant == null) {
          r.tenant = tenantQueue(tenantKeys[i]);
        }
        queues[i] = r;
      }
      if (limited && !eachReceiverHasRoom(queues)) {
        // Refused: the queues made for it go again, as if the batch had never been offered. A
        // queue holding nothing is one made here: a receiver's queue goes when it empties.
        for (ReceiverQueue r : queues) {
          if (r.count == 0) {
            removeReceiver(r);
          }
        }
        return null;
      }
      List<CompletableFuture<DeliveryOutcome>> futures = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Delivery d = deliveries.get(i);
        ReceiverQueue r = queues[i];
        Lane lane = r.lane(d.notification().batch().groupKey());
        Job job = new Job(d, r, lane, sequence++, now, expires);
        lane.queued.addLast(job);
        if (lane.current == null && lane.queued.size() == 1) {
          r.addStartable(job);
        }
        r.count++;
        refresh(r);
        futures.add(job.future);
      }
      queued += n;
      startWorkers();
      return List.copyOf(futures);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether every receiver can take its share of a batch within its queue limit.
   *
   * @param queues the queue of each delivery of the batch, a queue once per delivery it takes
   */
  private boolean eachReceiverHasRoom(ReceiverQueue[] queues) {
    boolean room = true;
    for (ReceiverQueue r : queues) {
      r.offered++;
      if (r.count + r.offered > options.maxQueuedPerReceiver()) {
        room = false;
      }
    }
    for (ReceiverQueue r : queues) {
      r.offered = 0;
    }
    return room;
  }

  /** Notifications queued, in flight or waiting for a retry, over all receivers. */
  public int queued() {
    return queued;
  }

  /** Notifications queued, in flight or waiting for a retry for one receiver. */
  public int queued(ObjectRef receiver) {
    lock.lock();
    try {
      ReceiverQueue r = receivers.get(ReceiverKey.of(receiver));
      return r == null ? 0 : r.count;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether no worker runs: every notification left waits for the timer (a retry, a rate-limit
   * permit). Lets tests advance a manual clock only once the dispatcher has settled.
   */
  public boolean isIdle() {
    lock.lock();
    try {
      return running == 0;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether every running worker is sending: none is still looking for work, so what is not in
   * flight now waits for a send to finish, a free place or the timer. Lets tests check a bound.
   */
  boolean isSettled() {
    lock.lock();
    try {
      return running == sending;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops accepting, waits up to {@link DeliveryOptions#drainTimeout()} (on the dispatcher's clock
   * and timer) for the queues to empty, then turns what is left into dead letters with reason
   * {@link SendResult.Reason#SHUTDOWN}. A send in flight at that point is left to finish (its
   * result is final, no retry), waiting at most the send timeout for it.
   */
  @Override
  public void close() {
    List<Runnable> after = new ArrayList<>();
    boolean interrupted = false;
    Timer.@Nullable Cancellable drainTimer = null;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      closing = true;
      if (queued > 0 && !options.drainTimeout().isZero()) {
        drainTimer = timer.schedule(clock.instant().plus(options.drainTimeout()), this::abandon);
      }
      while (queued > 0 && !abandoned && !options.drainTimeout().isZero()) {
        try {
          changed.await();
        } catch (InterruptedException e) {
          interrupted = true;
          break;
        }
      }
      if (queued > 0 && !abandoned) {
        after.addAll(abandonLocked());
      }
      // Real time, not the clock: a safety net for a send that ignores its deadline and interrupt.
      long nanos = options.sendTimeout().toNanos();
      while (sending > 0 && nanos > 0 && !interrupted) {
        try {
          nanos = changed.awaitNanos(nanos);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      lock.unlock();
    }
    runAll(after);
    if (drainTimer != null) {
      drainTimer.cancel();
    }
    pool.shutdown();
    if (ownsTimer) {
      timer.close();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void abandon() {
    List<Runnable> after;
    lock.lock();
    try {
      after = abandonLocked();
    } finally {
      lock.unlock();
    }
    runAll(after);
  }

  private List<Runnable> abandonLocked() {
    List<Runnable> after = new ArrayList<>();
    if (abandoned) {
      return after;
    }
    abandoned = true;
    Instant now = clock.instant();
    List<Job> left = new ArrayList<>();
    for (ReceiverQueue r : List.copyOf(receivers.values())) {
      if (r.wake != null) {
        r.wake.cancel();
        r.wake = null;
      }
      r.inReady = false;
      int before = left.size();
      r.due = null;
      r.clearStartable();
      for (Lane lane : r.allLanes()) {
        Job current = lane.current;
        // a send in flight finishes on its own; its result is final
        if (current != null && current.state != JobState.SENDING) {
          if (current.wake != null) {
            current.wake.cancel();
            current.wake = null;
          }
          lane.current = null;
          r.inProgress--;
          left.add(current);
        }
        left.addAll(lane.queued);
        lane.queued.clear();
        if (lane.current == null) {
          r.removeLane(lane);
        }
      }
      r.count -= left.size() - before;
      if (r.count == 0) {
        removeReceiver(r);
      }
    }
    left.sort(Comparator.comparingLong(j -> j.seq));
    for (Job job : left) {
      queued--;
      forgetProgress(job);
      after.add(deadLetter(job, shutdown(job), now, null));
    }
    for (TenantQueue t : tenants.values()) {
      t.ready.clear();
      t.inRing = false;
    }
    ring.clear();
    ready = 0;
    changed.signalAll();
    return after;
  }

  /** The queue of a tenant, made if it has none, counting one more receiver of it. */
  private TenantQueue tenantQueue(TenantKey key) {
    TenantQueue t = tenants.computeIfAbsent(key, TenantQueue::new);
    t.receivers++;
    return t;
  }

  private void removeReceiver(ReceiverQueue r) {
    if (receivers.remove(r.key, r)) {
      TenantQueue t = tenantOf(r);
      if (--t.receivers == 0 && !t.inRing) {
        tenants.remove(t.key, t);
      }
    }
  }

  private static TenantQueue tenantOf(ReceiverQueue r) {
    return Objects.requireNonNull(r.tenant, "tenant");
  }

  /** Puts the receiver in its tenant's ready list if a worker could claim from it now. */
  private void refresh(ReceiverQueue r) {
    if (!r.inReady && !abandoned && claimable(r)) {
      makeReady(r);
    }
  }

  private boolean claimable(ReceiverQueue r) {
    return r.wake == null
        && (r.due != null
            || (r.inProgress < options.maxInFlightPerReceiver() && r.firstStartable() != null));
  }

  private void makeReady(ReceiverQueue r) {
    r.inReady = true;
    TenantQueue t = tenantOf(r);
    t.ready.addLast(r);
    ready++;
    if (!t.inRing) {
      t.inRing = true;
      ring.addLast(t);
    }
  }

  private void startWorkers() {
    // A worker not sending is about to pick; start more only for ready receivers nobody will pick.
    while (running < options.workers() && ready > running - sending) {
      running++;
      try {
        pool.execute(this::work);
      } catch (RejectedExecutionException e) {
        running--;
        return;
      }
    }
  }

  private void work() {
    List<Runnable> after = new ArrayList<>();
    while (true) {
      Job job;
      SendProgress progress = SendProgress.NONE;
      lock.lock();
      try {
        job = pickNext(clock.instant(), after);
        if (job == null) {
          running--;
          changed.signalAll();
        } else {
          job.sender = Thread.currentThread();
          // Read with the claim, not under the lock again: nothing changes a sending job's
          // progress until its attempt settles.
          progress = job.progress;
          // the receiver may have more to send in parallel, and this worker is busy now
          startWorkers();
        }
      } finally {
        lock.unlock();
      }
      runAll(after);
      if (job == null) {
        return;
      }
      send(job, progress);
    }
  }

  /**
   * Round-robin across tenants with ready work, then across the tenant's ready receivers; a
   * receiver with more to claim goes back to the end of its tenant's list.
   */
  private @Nullable Job pickNext(Instant now, List<Runnable> after) {
    while (!ring.isEmpty()) {
      TenantQueue t = ring.pollFirst();
      t.inRing = false;
      ReceiverQueue r = t.ready.pollFirst();
      r.inReady = false;
      ready--;
      Job job = claim(r, now, after);
      if (r.count == 0) {
        removeReceiver(r);
      } else {
        refresh(r);
      }
      if (!t.ready.isEmpty()) {
        if (!t.inRing) {
          t.inRing = true;
          ring.addLast(t);
        }
      } else if (t.receivers == 0) {
        tenants.remove(t.key, t);
      }
      if (job != null) {
        return job;
      }
    }
    return null;
  }

  /** Takes the head of the receiver's due retries, dropping the list when that was the last. */
  private static void pollDue(ReceiverQueue r) {
    ArrayDeque<Job> due = Objects.requireNonNull(r.due, "due");
    due.pollFirst();
    if (due.isEmpty()) {
      r.due = null;
    }
  }

  /**
   * The receiver's next attempt: a retry that is due first, else the earliest queued notification
   * whose lane is free, if the receiver has a place left. Dead-letters what expired on the way.
   */
  private @Nullable Job claim(ReceiverQueue r, Instant now, List<Runnable> after) {
    while (r.wake == null) {
      Job job = r.due == null ? null : r.due.peekFirst();
      boolean retry = job != null;
      if (job == null) {
        Lane first = r.firstStartable();
        if (first == null || r.inProgress >= options.maxInFlightPerReceiver()) {
          return null;
        }
        job = first.queued.peekFirst();
      }
      if (!now.isBefore(job.expiresAt)) {
        if (retry) {
          pollDue(r);
        }
        retire(job);
        after.add(deadLetter(job, expired(job), now, null));
        continue;
      }
      if (retry && now.isBefore(job.notBefore)) {
        // the timer ran early: wait again
        pollDue(r);
        waitFor(job, job.notBefore);
        continue;
      }
      Delivery d = job.delivery;
      if (d.rateKey() != null && d.rate() != null) {
        Instant free = limiter.tryAcquire(d.rateKey(), d.rate(), 1, now);
        if (free != null) {
          r.wake = timer.schedule(free, () -> wake(r));
          return null;
        }
      }
      if (retry) {
        pollDue(r);
      } else {
        Lane lane = job.lane;
        r.removeStartable(job);
        lane.queued.pollFirst();
        lane.current = job;
        r.inProgress++;
      }
      job.state = JobState.SENDING;
      sending++;
      return job;
    }
    return null;
  }

  /**
   * Takes a final job out of its lane (it is the lane's current one or its head) and frees its
   * place; the lane's next one becomes startable.
   */
  private void retire(Job job) {
    ReceiverQueue r = job.receiver;
    Lane lane = job.lane;
    if (lane.current == job) {
      lane.current = null;
      r.inProgress--;
    } else {
      r.removeStartable(job);
      lane.queued.pollFirst();
    }
    if (lane.current == null) {
      Job head = lane.queued.peekFirst();
      if (head != null) {
        r.addStartable(head);
      } else {
        r.removeLane(lane);
      }
    }
    r.count--;
    queued--;
    forgetProgress(job);
  }

  /**
   * Adds what a failed attempt delivered to the job's progress, as far as the budget allows; what
   * does not fit keeps the progress it had.
   */
  private void keepProgress(Job job, SendProgress delivered) {
    SendProgress sum = job.progress.union(delivered);
    int grows = sum.size() - job.progress.size();
    if (grows == 0) {
      return;
    }
    if (progressKeys + grows > MAX_PROGRESS_KEYS) {
      log.debug(
          "{}: progress of notification {} not kept, over the limit of {} keys; a retry may resend"
              + " parts",
          job.delivery.notification().receiver(),
          job.delivery.notification().id(),
          MAX_PROGRESS_KEYS);
      return;
    }
    progressKeys += grows;
    job.progress = sum;
  }

  private void forgetProgress(Job job) {
    progressKeys -= job.progress.size();
    job.progress = SendProgress.NONE;
  }

  /** Progress keys kept now, over all notifications. */
  int progressKeys() {
    lock.lock();
    try {
      return progressKeys;
    } finally {
      lock.unlock();
    }
  }

  /** Holds the in-progress job until {@code until}; it keeps its lane and its place. */
  private void waitFor(Job job, Instant until) {
    job.state = JobState.WAITING;
    job.wake = timer.schedule(until, () -> wake(job));
  }

  private void wake(Job job) {
    lock.lock();
    try {
      if (job.state != JobState.WAITING || abandoned) {
        return;
      }
      job.wake = null;
      job.state = JobState.DUE;
      ReceiverQueue r = job.receiver;
      if (r.due == null) {
        r.due = new ArrayDeque<>(1);
      }
      r.due.addLast(job);
      refresh(r);
      startWorkers();
    } finally {
      lock.unlock();
    }
  }

  /** A rate-limit permit may be free again. */
  private void wake(ReceiverQueue r) {
    lock.lock();
    try {
      if (r.wake == null || abandoned) {
        return;
      }
      r.wake = null;
      refresh(r);
      startWorkers();
    } finally {
      lock.unlock();
    }
  }

  /**
   * @param progress what the job's earlier attempts delivered, as read when it was claimed
   */
  private void send(Job job, SendProgress progress) {
    int attempt = job.attempts + 1;
    Instant deadline = clock.instant().plus(options.sendTimeout());
    Timer.Cancellable watchdog = timer.schedule(deadline, () -> interruptIfSending(job, attempt));
    SendResult result;
    Throwable thrown = null;
    try {
      result =
          Objects.requireNonNull(job.delivery.attempt().send(deadline, progress), "SendResult");
    } catch (Throwable t) {
      // An attempt must not throw; a bug there still ends as a recorded failure, never lost. Only
      // the type is reported: a message may hold anything, a secret included.
      thrown = t;
      result =
          SendResult.permanent(
              SendResult.Reason.INTERNAL,
              "the send failed unexpectedly (" + t.getClass().getName() + ")");
    }
    lock.lock();
    try {
      job.sender = null;
    } finally {
      lock.unlock();
    }
    // An interrupt the watchdog sent must not leak into this worker's next send.
    Thread.interrupted();
    watchdog.cancel();
    Instant end = clock.instant();
    if (!end.isBefore(deadline)) {
      // A late result counts as a timeout; what a late failure says it delivered arrived anyway.
      result =
          SendResult.retryable(
                  SendResult.Reason.TIMEOUT,
                  "no result within the send timeout of " + options.sendTimeout())
              .withProgress(
                  result instanceof SendResult.Failed late ? late.progress() : SendProgress.NONE);
      thrown = null;
    }
    Notification n = job.delivery.notification();
    SendResult seen = result;
    if (!awaitsPermit(result)) {
      safely("onAttempt", n, () -> listener.onAttempt(n, attempt, seen));
    }
    settle(job, attempt, result, end, thrown);
  }

  private void settle(Job job, int attempt, SendResult result, Instant end, @Nullable Throwable t) {
    List<Runnable> after = new ArrayList<>(2);
    lock.lock();
    try {
      // Waiting for an endpoint's permit sent nothing more: it costs the notification no attempt.
      job.attempts = awaitsPermit(result) ? attempt - 1 : attempt;
      sending--;
      ReceiverQueue r = job.receiver;
      boolean done = true;
      if (result instanceof SendResult.Delivered) {
        after.add(delivered(job, end));
      } else {
        SendResult.Failed f = (SendResult.Failed) result;
        job.lastFailure = f;
        boolean awaiting = awaitsPermit(f);
        if (!awaiting && (!f.retryable() || attempt >= options.maxAttempts())) {
          after.add(deadLetter(job, f, end, t));
        } else if (abandoned) {
          after.add(deadLetter(job, shutdown(job), end, null));
        } else {
          Instant next = end.plus(awaiting ? f.retryAfter() : backoff(attempt, f.retryAfter()));
          if (!next.isBefore(job.expiresAt)) {
            after.add(deadLetter(job, expired(job), end, null));
          } else {
            done = false;
            keepProgress(job, f.progress());
            job.notBefore = next;
            waitFor(job, next);
            if (awaiting) {
              after.add(() -> logPermitWait(job, next));
            } else {
              after.add(() -> logRetry(job, attempt, f, next));
            }
          }
        }
      }
      if (done) {
        retire(job);
        if (r.count == 0) {
          removeReceiver(r);
        } else {
          refresh(r);
        }
        if (queued == 0 || sending == 0) {
          changed.signalAll();
        }
      }
      // this worker picks one next; another may be needed for the receiver just made ready
      startWorkers();
    } finally {
      lock.unlock();
    }
    runAll(after);
  }

  private void interruptIfSending(Job job, int attempt) {
    lock.lock();
    try {
      Thread sender = job.sender;
      if (sender != null && job.attempts + 1 == attempt) {
        sender.interrupt();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Full jitter, uniform in [0, min(maxBackoff, initialBackoff * 2^(attempt-1))], so clients that
   * failed together do not retry together; never sooner than the remote asked.
   */
  private Duration backoff(int attempt, @Nullable Duration retryAfter) {
    long initial = options.initialBackoff().toNanos();
    long max = options.maxBackoff().toNanos();
    int shift = attempt - 1;
    long cap =
        shift >= Long.numberOfLeadingZeros(initial) - 1 ? max : Math.min(max, initial << shift);
    long jitter = Math.min(cap, (long) (random.nextDouble() * (cap + 1.0)));
    Duration delay = Duration.ofNanos(jitter);
    return retryAfter != null && retryAfter.compareTo(delay) > 0 ? retryAfter : delay;
  }

  private SendResult.Failed expired(Job job) {
    return SendResult.permanent(
        SendResult.Reason.EXPIRED,
        "not delivered within the max age of "
            + options.maxAge()
            + " after "
            + job.attempts
            + " attempt(s)"
            + last(job));
  }

  private static SendResult.Failed shutdown(Job job) {
    return SendResult.permanent(
        SendResult.Reason.SHUTDOWN,
        "shut down before delivery, after " + job.attempts + " attempt(s)" + last(job));
  }

  private static String last(Job job) {
    SendResult.Failed f = job.lastFailure;
    return f == null ? "" : "; last failure: " + f.reason() + ": " + f.detail();
  }

  private Runnable delivered(Job job, Instant time) {
    Notification n = job.delivery.notification();
    int attempts = job.attempts;
    SendResult.Failed lastFailure = job.lastFailure;
    return () -> {
      log.debug("{}: delivered {} after {} attempt(s)", n.receiver(), n.id(), attempts);
      safely("onDelivered", n, () -> listener.onDelivered(n, attempts));
      job.future.complete(
          new DeliveryOutcome(n, DeliveryOutcome.Status.DELIVERED, attempts, lastFailure, time));
    };
  }

  private Runnable deadLetter(
      Job job, SendResult.Failed failure, Instant time, @Nullable Throwable thrown) {
    Notification n = job.delivery.notification();
    int attempts = job.attempts;
    return () -> {
      String msg = "{}: notification {} is a dead letter after {} attempt(s): {}: {}";
      String detail = LogText.escape(failure.detail());
      if (thrown != null) {
        log.warn(msg, n.receiver(), n.id(), attempts, failure.reason(), detail, thrown);
      } else {
        log.warn(msg, n.receiver(), n.id(), attempts, failure.reason(), detail);
      }
      safely("onDeadLetter", n, () -> listener.onDeadLetter(n, attempts, failure));
      job.future.complete(
          new DeliveryOutcome(n, DeliveryOutcome.Status.DEAD_LETTER, attempts, failure, time));
    };
  }

  /**
   * A channel's report that nothing more was sent because an endpoint has no permit free before
   * {@code retryAfter}: the send is due again then, and was no attempt.
   */
  private static boolean awaitsPermit(SendResult result) {
    return result instanceof SendResult.Failed f
        && f.reason() == SendResult.Reason.AWAITING_PERMIT
        && f.retryable()
        && f.retryAfter() != null;
  }

  private static void logPermitWait(Job job, Instant next) {
    Notification n = job.delivery.notification();
    log.debug(
        "{}: notification {} waits for an endpoint's rate limit until {}",
        n.receiver(),
        n.id(),
        next);
  }

  private static void logRetry(Job job, int attempt, SendResult.Failed f, Instant next) {
    Notification n = job.delivery.notification();
    log.info(
        "{}: attempt {} of notification {} failed: {}: {}",
        n.receiver(),
        attempt,
        n.id(),
        f.reason(),
        LogText.escape(f.detail()));
    log.debug("{}: retrying notification {} at {}", n.receiver(), n.id(), next);
  }

  private void safely(String event, Notification n, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("delivery listener failed in {} for {} {}", event, n.receiver(), n.id(), e);
    }
  }

  private static void runAll(List<Runnable> actions) {
    for (Runnable a : actions) {
      a.run();
    }
    actions.clear();
  }

  @Override
  public String toString() {
    return "Dispatcher[workers=" + options.workers() + "]";
  }

  private enum JobState {
    /** In its lane, not started. */
    QUEUED,
    /** Its attempt is in flight. */
    SENDING,
    /** Waits for its retry on the timer. */
    WAITING,
    /** Its retry is due: in the receiver's due list. */
    DUE
  }

  /**
   * A receiver's key in {@link #receivers}: its reference with the reference's hash, taken once
   * when the queue is looked up, so that dropping the queue when it empties reads neither the
   * reference nor its name again (with many tenants no cache holds them by then). Equal for equal
   * references, so a queue is found again by the receiver of a later snapshot, and ordered as they
   * are, so receivers whose names collide share a bin that the map keeps as a tree. Two records
   * rather than one generic key: the map orders a tree bin's keys only when their class C
   * implements {@code Comparable<C>}, which a {@code Key<T>} implementing {@code
   * Comparable<Key<T>>} does not.
   */
  private record ReceiverKey(ObjectRef ref, int hash) implements Comparable<ReceiverKey> {
    static ReceiverKey of(ObjectRef ref) {
      return new ReceiverKey(ref, ref.hashCode());
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ReceiverKey k && k.hash == hash && k.ref.equals(ref);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public int compareTo(ReceiverKey o) {
      return ref.compareTo(o.ref);
    }
  }

  /** A tenant's key in {@link #tenants}, its hash kept for the same reason as a receiver's. */
  private record TenantKey(String name, int hash) implements Comparable<TenantKey> {
    static TenantKey of(String name) {
      return new TenantKey(name, name.hashCode());
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof TenantKey k && k.hash == hash && k.name.equals(name);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public int compareTo(TenantKey o) {
      return name.compareTo(o.name);
    }
  }

  // The queues of a receiver, its lanes and its tenant exist while it has notifications, so with
  // many tenants nearly every notification makes them anew, under the lock. They start at the size
  // one notification needs (a default ArrayDeque holds 16 slots; a receiver's one lane is a field,
  // not a map) and grow when a receiver has more.
  private static final class TenantQueue {
    final TenantKey key;
    final ArrayDeque<ReceiverQueue> ready = new ArrayDeque<>(4);
    boolean inRing;
    int receivers;

    TenantQueue(TenantKey key) {
      this.key = key;
    }
  }

  private static final class ReceiverQueue {
    final ReceiverKey key;

    /** Set by {@code enqueue} right after the queue is made, under the same lock. */
    @Nullable TenantQueue tenant;

    /**
     * The receiver's only lane while it has one, which is nearly always: most receivers live for
     * one notification, so neither the map of lanes nor the order of startable ones is made for
     * them. {@code null} when the receiver has none, or more than one and {@link #lanes} holds
     * them.
     */
    @Nullable Lane soleLane;

    /**
     * Lanes with a notification queued or in progress, by group key, once the receiver has had a
     * second lane at once; {@code null} before.
     */
    @Nullable Map<String, Lane> lanes;

    /**
     * Lanes with none in progress and some queued, by their head's arrival sequence, made with
     * {@link #lanes}. Before it, the sole lane is startable when it has none in progress and some
     * queued.
     */
    @Nullable TreeMap<Long, Lane> startable;

    /**
     * In-progress notifications whose retry is due, in the order they became due; {@code null} when
     * none is, which is nearly always: most queues live for one notification that never retries, so
     * none is made for them.
     */
    @Nullable ArrayDeque<Job> due;

    /** Notifications queued or in progress. */
    int count;

    /** Notifications of the batch being offered, while its room is checked; 0 otherwise. */
    int offered;

    /** Lanes with a notification in progress: the places taken. */
    int inProgress;

    boolean inReady;

    /** Set while waiting for a rate-limit permit: nothing of this receiver starts until then. */
    Timer.@Nullable Cancellable wake;

    ReceiverQueue(ReceiverKey key) {
      this.key = key;
    }

    /** The lane of a group, made if the receiver has none for it. */
    Lane lane(String groupKey) {
      Map<String, Lane> byGroup = lanes;
      if (byGroup != null) {
        return byGroup.computeIfAbsent(groupKey, Lane::new);
      }
      Lane sole = soleLane;
      if (sole == null) {
        Lane first = new Lane(groupKey);
        soleLane = first;
        return first;
      }
      if (sole.key.equals(groupKey)) {
        return sole;
      }
      // A second lane at once: from now on the lanes and their order are kept in maps.
      byGroup = new HashMap<>(4);
      byGroup.put(sole.key, sole);
      TreeMap<Long, Lane> order = new TreeMap<>();
      Job head = sole.queued.peekFirst();
      if (sole.current == null && head != null) {
        order.put(head.seq, sole);
      }
      lanes = byGroup;
      startable = order;
      soleLane = null;
      Lane added = new Lane(groupKey);
      byGroup.put(groupKey, added);
      return added;
    }

    /** Drops a lane with nothing queued or in progress. */
    void removeLane(Lane lane) {
      if (soleLane == lane) {
        soleLane = null;
      } else if (lanes != null) {
        lanes.remove(lane.key, lane);
      }
    }

    /** Every lane, a copy. */
    List<Lane> allLanes() {
      Lane sole = soleLane;
      if (sole != null) {
        return List.of(sole);
      }
      return lanes == null ? List.of() : List.copyOf(lanes.values());
    }

    /** The job at the head of a lane with none in progress: the lane can start it. */
    void addStartable(Job head) {
      if (startable != null) {
        startable.put(head.seq, head.lane);
      }
    }

    /** The job at the head of a startable lane started or ended: the lane is startable no more. */
    void removeStartable(Job head) {
      if (startable != null) {
        startable.remove(head.seq);
      }
    }

    /** The startable lane whose head arrived first; {@code null} when none is startable. */
    @Nullable Lane firstStartable() {
      TreeMap<Long, Lane> order = startable;
      if (order != null) {
        return order.isEmpty() ? null : order.firstEntry().getValue();
      }
      Lane sole = soleLane;
      return sole != null && sole.current == null && !sole.queued.isEmpty() ? sole : null;
    }

    /** No lane is startable: what they queued is gone. */
    void clearStartable() {
      if (startable != null) {
        startable.clear();
      }
    }
  }

  /** One Alertmanager group's notifications for one receiver, sent one after another. */
  private static final class Lane {
    final String key;
    final ArrayDeque<Job> queued = new ArrayDeque<>(2);
    @Nullable Job current;

    Lane(String key) {
      this.key = key;
    }
  }

  private static final class Job {
    final Delivery delivery;
    final ReceiverQueue receiver;
    final Lane lane;
    final long seq;
    final Instant expiresAt;
    final CompletableFuture<DeliveryOutcome> future = new CompletableFuture<>();
    Instant notBefore;
    int attempts;
    SendResult.@Nullable Failed lastFailure;

    /** What earlier attempts delivered, for the next one; guarded by the dispatcher's lock. */
    SendProgress progress = SendProgress.NONE;

    @Nullable Thread sender;
    JobState state = JobState.QUEUED;
    Timer.@Nullable Cancellable wake;

    Job(
        Delivery delivery,
        ReceiverQueue receiver,
        Lane lane,
        long seq,
        Instant enqueued,
        Instant expiresAt) {
      this.delivery = delivery;
      this.receiver = receiver;
      this.lane = lane;
      this.seq = seq;
      this.notBefore = enqueued;
      this.expiresAt = expiresAt;
    }
  }

  /** Builds a {@link Dispatcher}; only the options are usually set. */
  public static final class Builder {
    private DeliveryOptions options = DeliveryOptions.defaults();
    private Clock clock = Clock.systemUTC();
    private @Nullable Timer timer;
    private DeliveryListener listener = new DeliveryListener() {};
    private @Nullable RandomGenerator random;

    private Builder() {}

    public Builder options(DeliveryOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** The clock of every time decision (backoff, max age, timeouts, rate windows). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The timer of retries, rate-limit waits, send deadlines and the drain; by default one thread
     * on the clock, closed with the dispatcher. A timer given here is not closed by it.
     */
    public Builder timer(Timer timer) {
      this.timer = Objects.requireNonNull(timer, "timer");
      return this;
    }

    /** Sees every attempt and outcome; use a {@code CompositeListener} for several. */
    public Builder listener(DeliveryListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** The source of backoff jitter; seed one in tests. */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    public Dispatcher build() {
      return new Dispatcher(this);
    }
  }
}
