package io.nm4j.benchmarks;

import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The CPU time per alert of {@link FlatCostBenchmark}'s operation at 1,000, 10,000 and 100,000
 * tenants: the process's CPU time (every thread: the submitting thread, the delivery workers, the
 * collector and the compiler) over rounds of operations, divided by the alerts submitted. On a
 * machine shared with other work the benchmark's wall time per alert is mostly how long its threads
 * wait for a core; the CPU they use grows far less with the load (only through caches and
 * frequency), so this says whether the cost of an alert stays flat when the machine cannot be kept
 * idle. Each round's wall time, the submitting thread's CPU, the time the compiler and the
 * collector took and the bytes allocated per alert are printed beside it.
 *
 * <p>The sizes run one after the other in one process, and the compiler's threads count in the
 * process's CPU: a fixed number of warm-up rounds left the first size's first measured rounds
 * paying for compilation (four to seven times the steady figure on a busy machine, where the
 * compiler gets less of a core), while the sizes after it found the code compiled. Each size
 * therefore warms up until {@value #QUIET_ROUNDS} rounds in a row pass in which the compiler was
 * busy for less than {@value #QUIET_COMPILATION_PERCENT}% of the round's wall time (one such round
 * was not enough: the compiler took up larger methods again after it).
 *
 * <p>Run: {@code java -Xms3g -Xmx3g -cp benchmarks/target/benchmarks.jar
 * io.nm4j.benchmarks.FlatCostCpu [tenants,...]}.
 */
public final class FlatCostCpu {
  private static final com.sun.management.OperatingSystemMXBean PROCESS =
      ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);
  private static final com.sun.management.ThreadMXBean THREADS =
      ManagementFactory.getPlatformMXBean(com.sun.management.ThreadMXBean.class);
  private static final CompilationMXBean COMPILER = ManagementFactory.getCompilationMXBean();
  private static final int MIN_WARMUP_ROUNDS = 10;
  private static final int MAX_WARMUP_ROUNDS = 200;
  private static final int QUIET_COMPILATION_PERCENT = 1;
  private static final int QUIET_ROUNDS = 3;
  private static final int MEASURED_ROUNDS = 10;
  private static final int OPERATIONS_PER_ROUND = 200;

  private FlatCostCpu() {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    int[] sizes =
        args.length > 0
            ? Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray()
            : new int[] {1_000, 10_000, 100_000};
    for (int tenants : sizes) {
      FlatCostBenchmark benchmark = new FlatCostBenchmark();
      benchmark.tenants = tenants;
      benchmark.setUp();
      try {
        measure(out, tenants, benchmark);
      } finally {
        benchmark.tearDown();
      }
    }
  }

  private static void measure(PrintStream out, int tenants, FlatCostBenchmark benchmark) {
    out.printf(
        Locale.ROOT,
        "%,d tenants, load average %.1f%n",
        tenants,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    int warmup = 0;
    int quiet = 0;
    while (warmup < MAX_WARMUP_ROUNDS && (warmup < MIN_WARMUP_ROUNDS || quiet < QUIET_ROUNDS)) {
      Round round = round(benchmark);
      warmup++;
      quiet =
          round.compilerMillis * 100 < round.wallMillis() * QUIET_COMPILATION_PERCENT
              ? quiet + 1
              : 0;
    }
    out.printf(
        Locale.ROOT,
        "  %d warm-up rounds%s%n",
        warmup,
        quiet < QUIET_ROUNDS ? " (the compiler was still busy in the last ones)" : "");
    List<Round> rounds = new ArrayList<>();
    for (int i = 0; i < MEASURED_ROUNDS; i++) {
      Round round = round(benchmark);
      rounds.add(round);
      out.printf(
          Locale.ROOT,
          "  round %2d: %6.1f us CPU per alert (submitting thread %5.1f), %6.1f us wall,"
              + " %,7.0f bytes per alert; compiler %4d ms, collector %4d ms%n",
          i + 1,
          round.cpuMicros(),
          round.submitterMicros(),
          round.wallMicros(),
          round.bytesPerAlert(),
          round.compilerMillis,
          round.collectorMillis);
    }
    out.printf(
        Locale.ROOT,
        "  CPU per alert: median %.1f us, min %.1f, max %.1f; bytes per alert: median %,.0f;"
            + " load average %.1f%n",
        median(rounds.stream().mapToDouble(Round::cpuMicros).toArray()),
        rounds.stream().mapToDouble(Round::cpuMicros).min().orElseThrow(),
        rounds.stream().mapToDouble(Round::cpuMicros).max().orElseThrow(),
        median(rounds.stream().mapToDouble(Round::bytesPerAlert).toArray()),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  }

  /** What one round of operations took, in nanoseconds, milliseconds and bytes. */
  private record Round(
      long cpuNanos,
      long submitterNanos,
      long wallNanos,
      long allocatedBytes,
      long compilerMillis,
      long collectorMillis) {
    private static final double ALERTS = (double) OPERATIONS_PER_ROUND * FlatCostBenchmark.BATCH;

    double cpuMicros() {
      return cpuNanos / ALERTS / 1_000.0;
    }

    double submitterMicros() {
      return submitterNanos / ALERTS / 1_000.0;
    }

    double wallMicros() {
      return wallNanos / ALERTS / 1_000.0;
    }

    double wallMillis() {
      return wallNanos / 1_000_000.0;
    }

    double bytesPerAlert() {
      return allocatedBytes / ALERTS;
    }
  }

  private static Round round(FlatCostBenchmark benchmark) {
    long cpu0 = PROCESS.getProcessCpuTime();
    long submitter0 = THREADS.getCurrentThreadCpuTime();
    long allocated0 = allocatedBytes();
    long compiler0 = COMPILER.getTotalCompilationTime();
    long collector0 = collectorMillis();
    long wall0 = System.nanoTime();
    for (int i = 0; i < OPERATIONS_PER_ROUND; i++) {
      benchmark.routeAndDispatch();
    }
    long wall = System.nanoTime() - wall0;
    return new Round(
        PROCESS.getProcessCpuTime() - cpu0,
        THREADS.getCurrentThreadCpuTime() - submitter0,
        wall,
        allocatedBytes() - allocated0,
        COMPILER.getTotalCompilationTime() - compiler0,
        collectorMillis() - collector0);
  }

  /**
   * Bytes allocated so far by the live threads: the submitting thread and the delivery workers,
   * which live as long as the manager.
   */
  private static long allocatedBytes() {
    long total = 0;
    for (long bytes : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
      total += Math.max(0, bytes);
    }
    return total;
  }

  private static long collectorMillis() {
    long total = 0;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, collector.getCollectionTime());
    }
    return total;
  }
}
