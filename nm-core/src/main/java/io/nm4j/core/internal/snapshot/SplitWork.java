package io.nm4j.core.internal.snapshot;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Numbered items of a build's step shared between the building thread and one helper thread, so
 * that a large build uses a second core: the build goes through the items in order, the helper
 * claims items ahead of it, and each item is done once, by whichever thread claims it first.
 *
 * <p>The helper either starts at a given item and goes up ({@link #start}), for a step whose items
 * must be done in order on each thread, or starts at the last item and goes down ({@link
 * #startFromTheEnd}), so that the two threads meet wherever their work makes them meet and finish
 * together however the cost is spread. It stops at the first item the build claimed. The build
 * {@link #take}s the result of an item the helper claimed (waiting while the helper is on it) and
 * claims the item itself otherwise, so a helper that never gets a core costs the build one atomic
 * update per item. What the helper does must not touch what the build is writing: it reads what was
 * built before it started and writes into its own collectors, which its results carry, or into
 * places of a shared array that only its items own (the receivers' resolutions in the build's memo,
 * by their positions). The build reads those after {@link #take} has given it the item's result, or
 * after {@link #finish}: both follow the helper's writes (a volatile read of the item, a join); an
 * item the helper gave up is marked so (a volatile write) before the build does it again, so the
 * build's writes come last.
 *
 * <p>A helper that fails on an item, in any way, gives that item up and stops: the build does it
 * and every item after it itself, and meets the failure where one thread would have met it.
 *
 * <p>At most {@link #HELPERS} helpers run at once in the process, whatever the number of builds and
 * validations at the same time: a step that finds none free is done on the building thread alone,
 * as a small one. A helper is a daemon thread that ends when the build has taken every item (the
 * build waits for it in {@link #finish}), so none outlives its build.
 *
 * @param <R> the result of one item
 */
public final class SplitWork<R> {
  /** The fewest objects of a set worth a second thread: one costs less than a hundred objects. */
  public static final int FROM_OBJECTS = 4_096;

  /**
   * How many helpers may run at once in the process: one per core beyond the first, at most four,
   * since builds that find every core busy gain nothing from another thread.
   */
  public static final int HELPERS =
      Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() - 1));

  private static final Semaphore FREE_HELPERS = new Semaphore(HELPERS);

  /** A slot the build claimed: it does that item itself. */
  private static final Object BUILD = new Object();

  /** A slot the helper claimed and is working on. */
  private static final Object WORKING = new Object();

  /** A slot the helper gave up on (it failed, or left the item to the build). */
  private static final Object ABANDONED = new Object();

  private static final SplitWork<?> NONE = new SplitWork<>(0);

  /** About a millisecond of spinning, after which the build waits for an item asleep. */
  private static final int SPINS_BEFORE_SLEEPING = 4_096;

  private static final long SLEEP_NANOS = 50_000;

  private final AtomicReferenceArray<Object> slots;
  private volatile boolean finished;
  private @Nullable Thread helper;

  private SplitWork(int items) {
    this.slots = new AtomicReferenceArray<>(items);
  }

  /** No helper: the build does every item itself. */
  @SuppressWarnings("unchecked")
  public static <R> SplitWork<R> none() {
    return (SplitWork<R>) NONE;
  }

  /**
   * Starts a helper doing {@code work} on the items from {@code from} up, when the machine has a
   * second core and a helper is free; otherwise, or when no thread can be had, the build does them
   * all.
   *
   * @param work what the helper does for one item, on the helper thread; a {@code null} result
   *     leaves the item to the build
   */
  public static <R> SplitWork<R> start(String name, int items, int from, IntFunction<R> work) {
    return start(name, items, from, 1, work);
  }

  /** As {@link #start}, the helper going from the last item down until it meets the build. */
  public static <R> SplitWork<R> startFromTheEnd(String name, int items, IntFunction<R> work) {
    return start(name, items, items - 1, -1, work);
  }

  private static <R> SplitWork<R> start(
      String name, int items, int first, int step, IntFunction<R> work) {
    if (first < 0
        || first >= items
        || Runtime.getRuntime().availableProcessors() < 2
        || !FREE_HELPERS.tryAcquire()) {
      return none();
    }
    try {
      SplitWork<R> split = new SplitWork<>(items);
      Thread helper =
          new Thread(
              () -> {
                try {
                  split.help(first, step, work);
                } finally {
                  FREE_HELPERS.release();
                }
              },
              name);
      helper.setDaemon(true);
      helper.start();
      split.helper = helper;
      return split;
    } catch (OutOfMemoryError | RuntimeException e) {
      // No thread to be had: the build does the items on its own, as a small one, and the place
      // stays free for the next build.
      FREE_HELPERS.release();
      return none();
    }
  }

  /**
   * The helper's result of item {@code index}, waiting for it while the helper is on it; {@code
   * null} when the build is to do the item itself (it claims it now, or the helper gave it up).
   */
  @SuppressWarnings("unchecked")
  public @Nullable R take(int index) {
    if (slots.length() == 0 || slots.compareAndSet(index, null, BUILD)) {
      return null;
    }
    Object done;
    int spins = 0;
    while ((done = slots.get(index)) == WORKING) {
      // Most items take microseconds: spin, and let the helper run when cores are few. An item
      // that takes milliseconds (a sort, a run of receivers) is waited for asleep, so the build
      // does not take the core its helper needs.
      if (++spins % 64 == 0) {
        Thread running = helper;
        if (running != null && !running.isAlive() && slots.get(index) == WORKING) {
          return null; // the helper died on this item: the build does it and meets the failure
        }
        if (spins < SPINS_BEFORE_SLEEPING) {
          Thread.yield();
        } else {
          LockSupport.parkNanos(SLEEP_NANOS);
        }
      } else {
        Thread.onSpinWait();
      }
    }
    return done == ABANDONED ? null : (R) done;
  }

  /**
   * Ends the helper once the build has taken every item it needs: nothing is left to do, and no
   * thread of a build outlives it (nor holds a helper's place another build could use).
   */
  public void finish() {
    Thread running = helper;
    if (running == null) {
      return;
    }
    finished = true;
    boolean interrupted = false;
    while (running.isAlive()) {
      try {
        running.join(); // it stops after the item it is on
      } catch (InterruptedException e) {
        interrupted = true; // kept for the build's caller once the helper ended
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void help(int first, int step, IntFunction<R> work) {
    for (int index = first;
        index >= 0
            && index < slots.length()
            && !finished
            && slots.compareAndSet(index, null, WORKING);
        index += step) {
      Object done;
      try {
        done = work.apply(index);
      } catch (Throwable e) {
        // The build does this item itself and meets the failure where it would have anyway. Any
        // throwable, a checked one a plugin throws undeclared included: a slot left claimed would
        // keep the build waiting for it.
        slots.set(index, ABANDONED);
        return;
      }
      slots.set(index, done == null ? ABANDONED : done);
    }
  }
}
