package io.nm4j.core.internal.delivery;

import io.nm4j.core.delivery.DeliveryOptions;
import io.nm4j.core.delivery.DeliveryOutcome;
import io.nm4j.spi.DeliveryListener;
import io.nm4j.spi.Notification;
import io.nm4j.spi.SendResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
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
 * <p>Each receiver sends its notifications in order, one at a time: a notification waiting for its
 * retry or for a rate-limit permit holds back the receiver's later ones (so a resolved alert never
 * overtakes its firing one, and a failing endpoint is not hammered), but never a worker and never
 * another receiver. One lock guards the queues; it is never held while sending or while calling
 * listeners.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final AtomicInteger POOLS = new AtomicInteger();

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
  private final Map<String, ReceiverQueue> receivers = new HashMap<>();
  private final Map<String, TenantQueue> tenants = new HashMap<>();
  private final ArrayDeque<TenantQueue> ring = new ArrayDeque<>();
  private final SlidingWindowLimiter limiter = new SlidingWindowLimiter();
  private int queued;
  private int ready;
  private int running;
  private int sending;
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
    lock.lock();
    try {
      if (closing) {
        return null;
      }
      if (limited && queued + n > options.maxQueuedTotal()) {
        return null;
      }
      Map<String, Integer> perReceiver = new HashMap<>();
      for (Delivery d : deliveries) {
        perReceiver.merge(d.queueKey(), 1, Integer::sum);
      }
      for (Map.Entry<String, Integer> e : perReceiver.entrySet()) {
        ReceiverQueue r = receivers.get(e.getKey());
        int have = r == null ? 0 : r.jobs.size();
        if (limited && have + e.getValue() > options.maxQueuedPerReceiver()) {
          return null;
        }
      }
      List<CompletableFuture<DeliveryOutcome>> futures = new ArrayList<>(n);
      for (Delivery d : deliveries) {
        ReceiverQueue r = receivers.computeIfAbsent(d.queueKey(), k -> newReceiver(k, d));
        Job job = new Job(d, r, now, expires);
        r.jobs.addLast(job);
        queued++;
        if (r.state == State.IDLE) {
          makeReady(r);
        }
        futures.add(job.future);
      }
      startWorkers();
      return List.copyOf(futures);
    } finally {
      lock.unlock();
    }
  }

  /** Notifications queued, in flight or waiting for a retry, over all receivers. */
  public int queued() {
    lock.lock();
    try {
      return queued;
    } finally {
      lock.unlock();
    }
  }

  /** Notifications queued, in flight or waiting for a retry for one receiver. */
  public int queued(String queueKey) {
    lock.lock();
    try {
      ReceiverQueue r = receivers.get(queueKey);
      return r == null ? 0 : r.jobs.size();
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
    for (ReceiverQueue r : List.copyOf(receivers.values())) {
      if (r.wake != null) {
        r.wake.cancel();
        r.wake = null;
      }
      Job inFlight = r.state == State.SENDING ? r.jobs.pollFirst() : null;
      for (Job job; (job = r.jobs.pollFirst()) != null; ) {
        queued--;
        after.add(deadLetter(job, shutdown(job), now, null));
      }
      if (inFlight != null) {
        r.jobs.addFirst(inFlight);
      } else {
        r.state = State.IDLE;
        removeReceiver(r);
      }
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

  private ReceiverQueue newReceiver(String key, Delivery first) {
    TenantQueue t = tenants.computeIfAbsent(first.tenantKey(), TenantQueue::new);
    t.receivers++;
    return new ReceiverQueue(key, t);
  }

  private void removeReceiver(ReceiverQueue r) {
    if (receivers.remove(r.key, r)) {
      TenantQueue t = r.tenant;
      if (--t.receivers == 0 && !t.inRing) {
        tenants.remove(t.key, t);
      }
    }
  }

  private void makeReady(ReceiverQueue r) {
    r.state = State.READY;
    TenantQueue t = r.tenant;
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
      lock.lock();
      try {
        job = pickNext(clock.instant(), after);
        if (job == null) {
          running--;
          changed.signalAll();
        } else {
          job.sender = Thread.currentThread();
        }
      } finally {
        lock.unlock();
      }
      runAll(after);
      if (job == null) {
        return;
      }
      send(job);
    }
  }

  /** Round-robin across tenants with ready work, then across the tenant's ready receivers. */
  private @Nullable Job pickNext(Instant now, List<Runnable> after) {
    while (!ring.isEmpty()) {
      TenantQueue t = ring.pollFirst();
      t.inRing = false;
      ReceiverQueue r = t.ready.pollFirst();
      ready--;
      if (!t.ready.isEmpty()) {
        t.inRing = true;
        ring.addLast(t);
      } else if (t.receivers == 0) {
        tenants.remove(t.key, t);
      }
      Job job = claimHead(r, now, after);
      if (job != null) {
        return job;
      }
    }
    return null;
  }

  private @Nullable Job claimHead(ReceiverQueue r, Instant now, List<Runnable> after) {
    while (true) {
      Job job = r.jobs.peekFirst();
      if (job == null) {
        r.state = State.IDLE;
        removeReceiver(r);
        return null;
      }
      if (!now.isBefore(job.expiresAt)) {
        r.jobs.pollFirst();
        queued--;
        after.add(deadLetter(job, expired(job), now, null));
        continue;
      }
      if (now.isBefore(job.notBefore)) {
        park(r, job.notBefore);
        return null;
      }
      Delivery d = job.delivery;
      if (d.rateKey() != null && d.rate() != null) {
        Instant free = limiter.tryAcquire(d.rateKey(), d.rate(), now);
        if (free != null) {
          park(r, free);
          return null;
        }
      }
      r.state = State.SENDING;
      sending++;
      return job;
    }
  }

  private void park(ReceiverQueue r, Instant until) {
    r.state = State.WAITING;
    r.wake = timer.schedule(until, () -> wake(r));
  }

  private void wake(ReceiverQueue r) {
    lock.lock();
    try {
      if (r.state != State.WAITING || abandoned) {
        return;
      }
      r.wake = null;
      makeReady(r);
      startWorkers();
    } finally {
      lock.unlock();
    }
  }

  private void send(Job job) {
    int attempt = job.attempts + 1;
    Instant deadline = clock.instant().plus(options.sendTimeout());
    Timer.Cancellable watchdog = timer.schedule(deadline, () -> interruptIfSending(job, attempt));
    SendResult result;
    Throwable thrown = null;
    try {
      result = Objects.requireNonNull(job.delivery.attempt().send(deadline), "SendResult");
    } catch (Throwable t) {
      // An attempt must not throw; a bug there still ends as a recorded failure, never lost.
      thrown = t;
      result =
          SendResult.permanent(
              SendResult.Reason.INTERNAL, "the send failed unexpectedly: " + t.toString());
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
      result =
          SendResult.retryable(
              SendResult.Reason.TIMEOUT,
              "no result within the send timeout of " + options.sendTimeout());
      thrown = null;
    }
    Notification n = job.delivery.notification();
    SendResult seen = result;
    safely("onAttempt", n, () -> listener.onAttempt(n, attempt, seen));
    settle(job, attempt, result, end, thrown);
  }

  private void settle(Job job, int attempt, SendResult result, Instant end, @Nullable Throwable t) {
    List<Runnable> after = new ArrayList<>(2);
    lock.lock();
    try {
      job.attempts = attempt;
      sending--;
      ReceiverQueue r = job.receiver;
      boolean done = true;
      if (result instanceof SendResult.Delivered) {
        after.add(delivered(job, end));
      } else {
        SendResult.Failed f = (SendResult.Failed) result;
        job.lastFailure = f;
        if (!f.retryable() || attempt >= options.maxAttempts()) {
          after.add(deadLetter(job, f, end, t));
        } else if (abandoned) {
          after.add(deadLetter(job, shutdown(job), end, null));
        } else {
          Instant next = end.plus(backoff(attempt, f.retryAfter()));
          if (!next.isBefore(job.expiresAt)) {
            after.add(deadLetter(job, expired(job), end, null));
          } else {
            done = false;
            job.notBefore = next;
            park(r, next);
            after.add(() -> logRetry(job, attempt, f, next));
          }
        }
      }
      if (done) {
        r.jobs.pollFirst();
        queued--;
        if (r.jobs.isEmpty()) {
          r.state = State.IDLE;
          removeReceiver(r);
        } else {
          makeReady(r);
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
      if (thrown != null) {
        log.warn(msg, n.receiver(), n.id(), attempts, failure.reason(), failure.detail(), thrown);
      } else {
        log.warn(msg, n.receiver(), n.id(), attempts, failure.reason(), failure.detail());
      }
      safely("onDeadLetter", n, () -> listener.onDeadLetter(n, attempts, failure));
      job.future.complete(
          new DeliveryOutcome(n, DeliveryOutcome.Status.DEAD_LETTER, attempts, failure, time));
    };
  }

  private static void logRetry(Job job, int attempt, SendResult.Failed f, Instant next) {
    Notification n = job.delivery.notification();
    log.info(
        "{}: attempt {} of notification {} failed: {}: {}",
        n.receiver(),
        attempt,
        n.id(),
        f.reason(),
        f.detail());
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

  private enum State {
    /** No notification queued. */
    IDLE,
    /** In its tenant's ready list. */
    READY,
    /** Its head notification is being sent. */
    SENDING,
    /** Its head notification waits for a retry or a rate-limit permit. */
    WAITING
  }

  private static final class TenantQueue {
    final String key;
    final ArrayDeque<ReceiverQueue> ready = new ArrayDeque<>();
    boolean inRing;
    int receivers;

    TenantQueue(String key) {
      this.key = key;
    }
  }

  private static final class ReceiverQueue {
    final String key;
    final TenantQueue tenant;
    final ArrayDeque<Job> jobs = new ArrayDeque<>();
    State state = State.IDLE;
    Timer.@Nullable Cancellable wake;

    ReceiverQueue(String key, TenantQueue tenant) {
      this.key = key;
      this.tenant = tenant;
    }
  }

  private static final class Job {
    final Delivery delivery;
    final ReceiverQueue receiver;
    final Instant expiresAt;
    final CompletableFuture<DeliveryOutcome> future = new CompletableFuture<>();
    Instant notBefore;
    int attempts;
    SendResult.@Nullable Failed lastFailure;
    @Nullable Thread sender;

    Job(Delivery delivery, ReceiverQueue receiver, Instant enqueued, Instant expiresAt) {
      this.delivery = delivery;
      this.receiver = receiver;
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
