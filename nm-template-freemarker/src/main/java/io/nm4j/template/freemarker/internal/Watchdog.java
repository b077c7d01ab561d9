package io.nm4j.template.freemarker.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Interrupts a render that runs past its time. FreeMarker checks the thread's interrupt flag in
 * every loop and macro call of a template prepared for it, so an endless {@code #list} that writes
 * nothing stops too. One daemon thread serves every render.
 */
public final class Watchdog {
  private static final ScheduledThreadPoolExecutor TIMER = timer();

  private Watchdog() {}

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "nm4j-template-watchdog");
              t.setDaemon(true);
              return t;
            });
    // A render ends long before its watch would fire: its task leaves the queue at once.
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  /** Starts watching the current thread for {@code limit}. */
  public static Watch watch(Duration limit) {
    Watch watch = new Watch(Thread.currentThread());
    watch.future = TIMER.schedule(watch::fire, limit.toNanos(), TimeUnit.NANOSECONDS);
    return watch;
  }

  /** One render's watch; {@link #stop()} it in a {@code finally}. */
  public static final class Watch {
    private final Thread thread;
    private boolean done;
    private boolean fired;
    private @Nullable ScheduledFuture<?> future;

    private Watch(Thread thread) {
      this.thread = thread;
    }

    private synchronized void fire() {
      if (!done) {
        fired = true;
        thread.interrupt();
      }
    }

    /** Whether the render ran out of time. */
    public synchronized boolean fired() {
      return fired;
    }

    /**
     * Ends the watch; clears the interrupt it caused, so the sending thread goes on as if nothing
     * happened (an interrupt from anyone else stays).
     */
    public void stop() {
      boolean clear;
      synchronized (this) {
        done = true;
        clear = fired;
      }
      ScheduledFuture<?> scheduled = future;
      if (scheduled != null) {
        scheduled.cancel(false);
      }
      if (clear) {
        Thread.interrupted();
      }
    }
  }
}
