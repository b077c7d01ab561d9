package io.nm4j.core.internal.snapshot;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Numbered items of a build's step shared between the building thread and one helper thread, so
 * that a large build uses a second core: the build goes through the items in order, the helper
 * starts in the middle, and each item is done once, by whichever thread claims it first.
 *
 * <p>The helper claims the items from {@code from} on in order and keeps each one's result; the
 * build {@link #take}s the result of an item the helper claimed (waiting while the helper is on it)
 * and claims the item itself otherwise, so a helper that never gets a core costs the build one
 * atomic update per item. What the helper does must not touch what the build is writing: it reads
 * what was built before {@link #start} and writes into its own collectors, which its results carry.
 *
 * <p>A helper that fails on an item, in any way, gives that item up and stops: the build does it
 * and every later one itself, and meets the failure where one thread would have met it.
 *
 * @param <R> the result of one item
 */
public final class SplitWork<R> {
  /** The fewest objects of a set worth a second thread: one costs less than a hundred objects. */
  public static final int FROM_OBJECTS = 4_096;

  /** A slot of an item the helper gave up on (it failed); the build does that item itself. */
  private static final Object ABANDONED = new Object();

  private static final SplitWork<?> NONE = new SplitWork<>(0, 0);

  private final int items;
  private final int from;
  private final AtomicInteger next;
  private final AtomicReferenceArray<Object> slots;
  private @Nullable Thread helper;

  private SplitWork(int items, int from) {
    this.items = items;
    this.from = from;
    this.next = new AtomicInteger(from);
    this.slots = new AtomicReferenceArray<>(items - from);
  }

  /** No helper: the build does every item itself. */
  @SuppressWarnings("unchecked")
  public static <R> SplitWork<R> none() {
    return (SplitWork<R>) NONE;
  }

  /**
   * Starts a helper doing {@code work} on the items from {@code from} to {@code items - 1} when the
   * machine has a second core; otherwise, or when no thread can be had, the build does them all.
   *
   * @param work what the helper does for one item, on the helper thread; a {@code null} result
   *     leaves the item to the build
   */
  public static <R> SplitWork<R> start(String name, int items, int from, IntFunction<R> work) {
    if (from >= items || Runtime.getRuntime().availableProcessors() < 2) {
      return none();
    }
    SplitWork<R> split = new SplitWork<>(items, from);
    Thread helper = new Thread(() -> split.help(work), name);
    helper.setDaemon(true);
    try {
      helper.start();
    } catch (OutOfMemoryError | RuntimeException e) {
      return none(); // no thread to be had: the build does the items on its own, as a small one
    }
    split.helper = helper;
    return split;
  }

  /**
   * The helper's result of item {@code index}, waiting for it while the helper is on it; {@code
   * null} when the build is to do the item itself (it claims it now, or the helper gave it up).
   */
  @SuppressWarnings("unchecked")
  public @Nullable R take(int index) {
    if (index < from || slots.length() == 0) {
      return null;
    }
    int claimed = next.get();
    while (claimed <= index) {
      // Past the helper: claim this item (those skipped between were the build's already).
      if (next.compareAndSet(claimed, index + 1)) {
        return null;
      }
      claimed = next.get();
    }
    Object done;
    int spins = 0;
    while ((done = slots.get(index - from)) == null) {
      // One item takes microseconds: spin, and let the helper run when cores are few.
      if (++spins % 64 == 0) {
        Thread running = helper;
        if (running != null && !running.isAlive() && slots.get(index - from) == null) {
          return null; // the helper died on this item: the build does it and meets the failure
        }
        Thread.yield();
      } else {
        Thread.onSpinWait();
      }
    }
    return done == ABANDONED ? null : (R) done;
  }

  /**
   * Ends the helper once the build has taken every item: nothing is left to do, and no thread of a
   * build outlives it.
   */
  public void finish() {
    Thread running = helper;
    if (running == null) {
      return;
    }
    next.set(items);
    try {
      running.join();
    } catch (InterruptedException e) {
      // It stops after the item it is on; the build goes on and keeps the interrupt.
      Thread.currentThread().interrupt();
    }
  }

  private void help(IntFunction<R> work) {
    int index;
    while ((index = next.getAndIncrement()) < items) {
      Object done;
      try {
        done = work.apply(index);
      } catch (Throwable e) {
        // The build does this item itself and meets the failure where it would have anyway. Any
        // throwable, a checked one a plugin throws undeclared included: a slot left empty would
        // keep the build waiting for it.
        slots.set(index - from, ABANDONED);
        return;
      }
      slots.set(index - from, done == null ? ABANDONED : done);
    }
  }
}
