package io.nm4j.benchmarks.load;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets the JIT settle before a timed run: a wait until its compilers have finished nothing, and the
 * JVM has been nearly idle, for a while. What ran just before makes methods hot: the previous run
 * or warm-up round on the running server that direct and Alertmanager runs reuse, and the start-up
 * (YAML, templates) of the nm4j server a latency run starts of its own. Their compilations,
 * hundreds of milliseconds on a compiler thread, would otherwise run on the two cores during the
 * timed run, which a server that runs does not pay per batch. Both Alertmanager paths wait alike.
 * No collection is forced: after one the heap shrinks, and the path that allocates more would pay
 * for growing it again.
 *
 * <p>A compilation in progress completes nothing, so no completion alone let a long one through: on
 * a busy machine a C2 compilation of the sink's exchange took 2.4 s and had begun 2.2 s before the
 * run through nm4j it was then counted in. The JVM's CPU time shows it while it runs: between runs
 * nothing else in the JVM works.
 */
final class Quiet {
  private static final long STILL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  private static final long AT_MOST_NANOS = TimeUnit.SECONDS.toNanos(15);
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /**
   * The share of one core the JVM may use while still: its timers and samplers use far less, a
   * compiler thread far more, even on a busy machine where it gets a fifth of a core.
   */
  private static final double STILL_CPU_SHARE = 0.05;

  private Quiet() {}

  /**
   * Waits until for 0.5 s no compilation completed and the JVM used at most 5% of one core, or 15 s
   * at most; returns how long it waited, in ms.
   */
  static long await() {
    long start = System.nanoTime();
    if (!jitTimed()) {
      return 0;
    }
    long compiled = compiledMillis();
    long cpu = processCpuNanos();
    long stillSince = start;
    long stillCpu = cpu;
    while (System.nanoTime() - start < AT_MOST_NANOS) {
      LockSupport.parkNanos(POLL_NANOS);
      long now = System.nanoTime();
      long compiledNow = compiledMillis();
      long cpuNow = processCpuNanos();
      if (compiledNow != compiled || !idle(cpuNow - stillCpu, now - stillSince)) {
        compiled = compiledNow;
        stillSince = now;
        stillCpu = cpuNow;
      } else if (now - stillSince >= STILL_NANOS) {
        break;
      }
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  /** Whether {@code cpuNanos} of the JVM's CPU time over {@code wallNanos} is idle enough. */
  static boolean idle(long cpuNanos, long wallNanos) {
    return cpuNanos <= wallNanos * STILL_CPU_SHARE;
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

  /** CPU time of this JVM so far (all threads, GC included), or 0 if the JVM cannot tell. */
  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return Math.max(0, os.getProcessCpuTime());
    }
    return 0;
  }
}
