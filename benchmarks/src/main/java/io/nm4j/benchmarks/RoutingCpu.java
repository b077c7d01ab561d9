package io.nm4j.benchmarks;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.Snapshot;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.ConfigSet;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;

/**
 * The CPU time of routing 64-alert batches ({@code RoutingBenchmark.routeAlertBatch}'s batches) on
 * this thread, on a snapshot a full build made, on one a tenant receiver added in place made (whose
 * receivers' slots and ranks differ, so routing sorts by rank) and on one a global receiver added
 * in place made; and what reading every namespace's receivers ({@link Snapshot#destinationsFor})
 * costs on a snapshot just after a global receiver was added in place (the first read of each
 * namespace merges the global receivers into its tenants') and then again. Thread CPU time, like
 * {@link SnapshotChangeCpu}, for a machine that cannot be kept idle; run against an older jar (as a
 * source file on its class path) it gives the "before" of the same measurement.
 *
 * <p>Run: {@code java -Xmx2g -cp benchmarks/target/benchmarks.jar io.nm4j.benchmarks.RoutingCpu
 * [namespace|user]}.
 */
public final class RoutingCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final int BATCH_SIZE = 64;
  private static final int ROUNDS = 5;
  private static final int BATCHES_PER_ROUND = 20_000;

  /** Written with each routing's size, so the routing is not optimized away. */
  private static volatile int consumed;

  private RoutingCpu() {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    String mode = args.length > 0 ? args[0] : "namespace";
    ChannelRegistry channels = Fixtures.channels();
    SyntheticConfig config = Fixtures.config(mode, channels);
    Alert[] alerts = config.alerts(Fixtures.ALERTS, Fixtures.ALERT_SEED);
    AlertBatch[] batches = new AlertBatch[Fixtures.ALERTS];
    for (int i = 0; i < batches.length; i++) {
      Alert[] batch = new Alert[BATCH_SIZE];
      for (int j = 0; j < BATCH_SIZE; j++) {
        batch[j] = alerts[(i + j * 17) & (Fixtures.ALERTS - 1)];
      }
      batches[i] = AlertBatch.of(List.of(batch));
    }
    out.printf(
        Locale.ROOT,
        "%s, load average %.1f%n",
        mode,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    for (boolean staged : List.of(false, true)) {
      ConfigSet set = staged ? V2beta2Stages.with(config) : config.configSet();
      Snapshot built = Snapshot.build(set, channels, SyntheticConfig.NAMESPACE, null);
      Snapshot changed = built.next(SnapshotChangeBenchmark.changed(set, "tenantReceiverAdded"));
      ConfigSet globalAdded = SnapshotChangeBenchmark.changed(set, "globalReceiverAdded");
      String stages = staged ? "v2beta2" : "none";
      out.printf(
          Locale.ROOT,
          "  %-8s full build     %8.1f ns CPU per alert%n",
          stages,
          perAlert(built, batches));
      out.printf(
          Locale.ROOT,
          "  %-8s after a change %8.1f ns CPU per alert%n",
          stages,
          perAlert(changed, batches));
      out.printf(
          Locale.ROOT,
          "  %-8s after a global %8.1f ns CPU per alert%n",
          stages,
          perAlert(built.next(globalAdded), batches));
      double[] reads = namespaceReads(built, globalAdded, config.namespaces());
      out.printf(
          Locale.ROOT,
          "  %-8s every namespace read after a global change: first %.1f ns, then %.1f ns CPU"
              + " per namespace (%d namespaces)%n",
          stages,
          reads[0],
          reads[1],
          config.namespaces().size());
    }
  }

  /**
   * The least CPU time per namespace, over the rounds, of reading each namespace's receivers on a
   * snapshot {@code globalAdded} just made from {@code built} (a new one each round, so each round
   * reads every namespace for the first time since its global receivers changed), and of reading
   * them all again on it.
   */
  private static double[] namespaceReads(
      Snapshot built, ConfigSet globalAdded, List<String> namespaces) {
    double first = Double.MAX_VALUE;
    double again = Double.MAX_VALUE;
    int sink = 0;
    for (int round = 0; round < ROUNDS * 4; round++) {
      Snapshot next = built.next(globalAdded);
      long start = THREADS.getCurrentThreadCpuTime();
      for (String ns : namespaces) {
        sink += next.destinationsFor(ns).size();
      }
      long mid = THREADS.getCurrentThreadCpuTime();
      for (String ns : namespaces) {
        sink += next.destinationsFor(ns).size();
      }
      long end = THREADS.getCurrentThreadCpuTime();
      first = Math.min(first, (double) (mid - start) / namespaces.size());
      again = Math.min(again, (double) (end - mid) / namespaces.size());
    }
    consumed = sink;
    return new double[] {first, again};
  }

  /** The least CPU time per alert over the rounds (the first ones warm up). */
  private static double perAlert(Snapshot snapshot, AlertBatch[] batches) {
    double best = Double.MAX_VALUE;
    int sink = 0;
    for (int round = 0; round < ROUNDS; round++) {
      long start = THREADS.getCurrentThreadCpuTime();
      for (int i = 0; i < BATCHES_PER_ROUND; i++) {
        sink += snapshot.route(batches[i & (batches.length - 1)]).routes().size();
      }
      long spent = THREADS.getCurrentThreadCpuTime() - start;
      best = Math.min(best, (double) spent / BATCHES_PER_ROUND / BATCH_SIZE);
    }
    consumed = sink;
    return best;
  }
}
