package io.nm4j.core.internal.delivery;

import java.time.Clock;
import java.time.Instant;

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
    return new ScheduledTimer(clock);
  }
}
