package io.nm4j.core.internal.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task at an instant of the dispatcher's clock. Tests drive a manual one together with a
 * manual clock; production uses {@link #scheduled(Clock)}. Tasks must be short: they only hand work
 * back to the dispatcher.
 */
public interface Timer extends AutoCloseable {

  /** Runs {@code task} once at or after {@code at}. */
  Cancellable schedule(Instant at, Runnable task);

  /** Stops running tasks; pending ones are dropped. */
  @Override
  void close();

  /** A scheduled task that may be called off. */
  @FunctionalInterface
  interface Cancellable {
    /** Calls the task off; no effect if it already ran. */
    void cancel();
  }

  /**
   * A timer on one daemon thread that turns instants of {@code clock} into delays when the task is
   * scheduled.
   */
  static Timer scheduled(Clock clock) {
    ScheduledExecutorService ses =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "nm4j-delivery-timer");
              t.setDaemon(true);
              return t;
            });
    return new Timer() {
      @Override
      public Cancellable schedule(Instant at, Runnable task) {
        long nanos = Math.max(0, Duration.between(clock.instant(), at).toNanos());
        ScheduledFuture<?> f = ses.schedule(task, nanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
      }

      @Override
      public void close() {
        ses.shutdownNow();
      }

      @Override
      public String toString() {
        return "Timer.scheduled[" + clock + "]";
      }
    };
  }
}
