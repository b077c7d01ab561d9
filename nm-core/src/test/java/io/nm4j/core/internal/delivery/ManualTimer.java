package io.nm4j.core.internal.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A timer driven by the test: tasks run on the calling thread when the test advances the manual
 * clock past them, in time order.
 */
public final class ManualTimer implements Timer {
  private final ManualClock clock;
  private final List<Task> tasks = new ArrayList<>();
  private long seq;

  public ManualTimer(ManualClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Cancellable schedule(Instant at, Runnable task) {
    Task t = new Task(at, seq++, task);
    tasks.add(t);
    return () -> cancel(t);
  }

  private synchronized void cancel(Task t) {
    tasks.remove(t);
  }

  /** Tasks not yet run nor cancelled. */
  public synchronized int pending() {
    return tasks.size();
  }

  /** When the earliest pending task is due, or null. */
  public synchronized @Nullable Instant next() {
    return tasks.stream().min(ORDER).map(Task::at).orElse(null);
  }

  /** Moves the clock forward and runs every task due by then. */
  public void advance(Duration d) {
    Instant target = clock.instant().plus(d);
    runUntil(target);
  }

  /** Moves the clock to the earliest pending task and runs what is due; false if none pending. */
  public boolean advanceToNext() {
    Instant at = next();
    if (at == null) {
      return false;
    }
    runUntil(at.isAfter(clock.instant()) ? at : clock.instant());
    return true;
  }

  private void runUntil(Instant target) {
    while (true) {
      Task due;
      synchronized (this) {
        due = tasks.stream().filter(t -> !t.at.isAfter(target)).min(ORDER).orElse(null);
        if (due == null) {
          break;
        }
        tasks.remove(due);
      }
      clock.set(due.at);
      due.task.run();
    }
    clock.set(target);
  }

  @Override
  public void close() {}

  private static final Comparator<Task> ORDER =
      Comparator.comparing(Task::at).thenComparingLong(Task::seq);

  private record Task(Instant at, long seq, Runnable task) {}
}
