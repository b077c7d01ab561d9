package io.nm4j.benchmarks;

import java.io.PrintStream;
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
 * idle. Each round's wall time is printed beside it.
 *
 * <p>Run: {@code java -Xms3g -Xmx3g -cp benchmarks/target/benchmarks.jar
 * io.nm4j.benchmarks.FlatCostCpu [tenants,...]}.
 */
public final class FlatCostCpu {
  private static final com.sun.management.OperatingSystemMXBean PROCESS =
      ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);
  private static final int WARMUP_ROUNDS = 10;
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
    for (int i = 0; i < WARMUP_ROUNDS; i++) {
      round(benchmark);
    }
    List<Double> cpu = new ArrayList<>();
    for (int i = 0; i < MEASURED_ROUNDS; i++) {
      double[] round = round(benchmark);
      cpu.add(round[0]);
      out.printf(
          Locale.ROOT,
          "  round %2d: %6.1f us CPU per alert, %6.1f us wall%n",
          i + 1,
          round[0],
          round[1]);
    }
    List<Double> sorted = cpu.stream().sorted().toList();
    out.printf(
        Locale.ROOT,
        "  CPU per alert: median %.1f us, min %.1f, max %.1f; load average %.1f%n",
        (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2,
        sorted.get(0),
        sorted.get(sorted.size() - 1),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /** CPU and wall microseconds per alert over one round. */
  private static double[] round(FlatCostBenchmark benchmark) {
    long cpu0 = PROCESS.getProcessCpuTime();
    long wall0 = System.nanoTime();
    for (int i = 0; i < OPERATIONS_PER_ROUND; i++) {
      benchmark.routeAndDispatch();
    }
    double alerts = (double) OPERATIONS_PER_ROUND * FlatCostBenchmark.BATCH;
    return new double[] {
      (PROCESS.getProcessCpuTime() - cpu0) / alerts / 1_000.0,
      (System.nanoTime() - wall0) / alerts / 1_000.0
    };
  }
}
