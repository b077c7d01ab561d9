package io.nm4j.core.internal.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** {@link Timer#scheduled}: a timer on one daemon thread. */
final class ScheduledTimer implements Timer {
  private final Clock clock;
  private final ScheduledThreadPoolExecutor executor;

  ScheduledTimer(Clock clock) {
    this.clock = clock;
    this.executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              // FlatCostCpu finds the delivery threads by this prefix, the workers' too.
              Thread t = new Thread(r, "nm4j-delivery-timer");
              t.setDaemon(true);
              return t;
            });
    // Every send has a watchdog due at its timeout and called off when the send ends, long before.
    // Left in the queue until then, the called-off tasks of a busy dispatcher piled up by the
    // million (a send timeout's worth of sends): a hundred MB that every young collection copied,
    // and a larger heap to sift on each schedule.
    executor.setRemoveOnCancelPolicy(true);
  }

  @Override
  public Cancellable schedule(Instant at, Runnable task) {
    long nanos = Math.max(0, Duration.between(clock.instant(), at).toNanos());
    ScheduledFuture<?> f = executor.schedule(task, nanos, TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  /** Tasks scheduled and neither run nor called off. */
  int pending() {
    return executor.getQueue().size();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "Timer.scheduled[" + clock + "]";
  }
}
