package io.nm4j.benchmarks.load;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets the JIT settle before a timed run: a wait until its compilers have finished nothing for a
 * while. What ran just before makes methods hot: the previous run or warm-up round on the running
 * server that direct and Alertmanager runs reuse, and the start-up (YAML, templates) of the nm4j
 * server a latency run starts of its own. Their compilations, hundreds of milliseconds on a
 * compiler thread, would otherwise run on the two cores during the timed run, which a server that
 * runs does not pay per batch. Both Alertmanager paths wait alike. No collection is forced: after
 * one the heap shrinks, and the path that allocates more would pay for growing it again.
 */
final class Quiet {
  private static final long STILL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  private static final long AT_MOST_NANOS = TimeUnit.SECONDS.toNanos(15);
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private Quiet() {}

  /** Waits until no compilation completed for 0.5 s, or 15 s at most. */
  static void await() {
    if (!jitTimed()) {
      return;
    }
    long start = System.nanoTime();
    long compiled = compiledMillis();
    long stillSince = start;
    while (System.nanoTime() - stillSince < STILL_NANOS
        && System.nanoTime() - start < AT_MOST_NANOS) {
      LockSupport.parkNanos(POLL_NANOS);
      long now = compiledMillis();
      if (now != compiled) {
        compiled = now;
        stillSince = System.nanoTime();
      }
    }
  }

  /** Whether this JVM measures the JIT's compile time. */
  static boolean jitTimed() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported();
  }

  /** Total JIT compile time so far in ms (all compiler threads), or 0 if the JVM cannot tell. */
  static long compiledMillis() {
    return jitTimed() ? ManagementFactory.getCompilationMXBean().getTotalCompilationTime() : 0;
  }
}
