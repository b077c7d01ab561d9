package io.nm4j.k8s.internal;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs an action on a thread of its own, at most once per {@code delay} however many times it is
 * {@link #fire() fired}: the first fire schedules a run after the delay, and fires until that run
 * starts join it. A fire during a run schedules the next one, so no change is ever missed.
 */
public final class CoalescingTrigger implements AutoCloseable {

  private final ScheduledExecutorService executor;
  private final Runnable action;
  private final long delayNanos;
  private final AtomicBoolean pending = new AtomicBoolean();

  public CoalescingTrigger(String threadName, Duration delay, Runnable action) {
    ScheduledThreadPoolExecutor ex =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    ex.setRemoveOnCancelPolicy(true);
    this.executor = ex;
    this.action = action;
    this.delayNanos = delay.toNanos();
  }

  /** Asks for a run; returns at once. */
  public void fire() {
    if (pending.compareAndSet(false, true)) {
      try {
        executor.schedule(this::run, delayNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException closed) {
        pending.set(false);
      }
    }
  }

  private void run() {
    // Cleared before the action so that a change seen while it runs schedules another run.
    pending.set(false);
    action.run();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
