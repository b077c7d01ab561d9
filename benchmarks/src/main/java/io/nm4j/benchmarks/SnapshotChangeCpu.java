package io.nm4j.benchmarks;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.Snapshot;
import io.nm4j.spi.ConfigSet;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The CPU time of a snapshot build on this thread, full and after one change of each kind of {@link
 * SnapshotChangeBenchmark}, on the same configuration. On a machine shared with other work JMH's
 * wall-clock figures grow with the load; the thread's CPU time grows far less (only through caches
 * and frequency), so this states what a build costs when the machine cannot be kept idle.
 *
 * <p>Run: {@code java -Xmx2g -cp benchmarks/target/benchmarks.jar
 * io.nm4j.benchmarks.SnapshotChangeCpu [namespace|user] [--full-only]}; {@code --full-only} skips
 * the changes, so it also measures a build that has no {@code Snapshot.next}. Beside each figure is
 * the process's CPU time over the same builds: a cold build parses part of the set on a second
 * thread, and its garbage is collected on others. Each change is measured told with the set (as the
 * Kubernetes and in-memory sources tell it) and then with the set given whole, which the snapshot
 * compares with the set before.
 */
public final class SnapshotChangeCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean PROCESS =
      ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);
  private static final int WARMUP = 5;
  private static final int MEASURED = 10;
  private static final double FAST_MS = 20;
  private static final int FAST_RUNS = 500;

  private SnapshotChangeCpu() {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    String mode = args.length > 0 ? args[0] : "namespace";
    boolean fullOnly = args.length > 1 && args[1].equals("--full-only");
    ChannelRegistry channels = Fixtures.channels();
    ConfigSet set = V2beta2Stages.with(Fixtures.config(mode, channels));
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    out.printf(Locale.ROOT, "%s, load average %.1f%n", mode, os.getSystemLoadAverage());
    report(out, "full build", () -> Snapshot.build(set, channels, SyntheticConfig.NAMESPACE, null));
    if (fullOnly) {
      return;
    }
    Snapshot before = Snapshot.build(set, channels, SyntheticConfig.NAMESPACE, null);
    for (String change : SnapshotChangeBenchmark.CHANGES) {
      ConfigSet told = SnapshotChangeBenchmark.changed(set, change);
      report(out, change, () -> before.next(told));
      ConfigSet compared = SnapshotChangeBenchmark.compared(set, change);
      report(out, "  (set compared)", () -> before.next(compared));
    }
    out.printf(Locale.ROOT, "load average %.1f%n", os.getSystemLoadAverage());
  }

  private static void report(PrintStream out, String what, Supplier<Snapshot> build) {
    CpuMillis ms = cpuMillis(build, WARMUP, MEASURED);
    if (ms.thread() < FAST_MS) {
      // A change applied in place takes microseconds: ten runs neither warm it up nor time it.
      ms = cpuMillis(build, FAST_RUNS, FAST_RUNS);
    }
    out.printf(
        Locale.ROOT,
        "  %-20s %8.2f ms CPU (process, every thread with GC and JIT: %.2f ms)%n",
        what,
        ms.thread(),
        ms.process());
  }

  /** Per build: this thread's CPU time, and the whole process's (a helper thread, GC, JIT). */
  private record CpuMillis(double thread, double process) {}

  private static CpuMillis cpuMillis(Supplier<Snapshot> build, int warmup, int measured) {
    for (int i = 0; i < warmup; i++) {
      build.get();
    }
    long processStart = PROCESS.getProcessCpuTime();
    long start = THREADS.getCurrentThreadCpuTime();
    for (int i = 0; i < measured; i++) {
      build.get();
    }
    long thread = THREADS.getCurrentThreadCpuTime() - start;
    long process = PROCESS.getProcessCpuTime() - processStart;
    return new CpuMillis(thread / 1e6 / measured, process / 1e6 / measured);
  }
}
