package io.nm4j.benchmarks;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.Snapshot;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.Locale;

/**
 * Measures the heap a snapshot of the benchmark configuration retains, in both tenant modes.
 *
 * <p>Method: with the configuration set already generated and held, force full collections until
 * the used heap stops shrinking, read it from {@link MemoryMXBean}, build the snapshot, collect
 * again and read it again; the difference is what the snapshot adds on top of its source objects
 * (which a config source holds anyway). The source set itself is measured the same way. JMH's
 * {@code -prof gc} reports allocation, not what stays reachable, so it cannot answer this.
 *
 * <p>Run: {@code java -XX:+UseSerialGC -Xmx1g -cp benchmarks/target/benchmarks.jar
 * io.nm4j.benchmarks.SnapshotHeap}; with {@code --tenants 1000,10000,100000} (and {@code -Xmx3g})
 * it states the memory per tenant at each size instead. The serial collector compacts fully on
 * {@code System.gc()}, which makes the readings exact to a few kilobytes.
 */
public final class SnapshotHeap {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
  private static final double MB = 1024.0 * 1024.0;

  private SnapshotHeap() {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    ChannelRegistry channels = Fixtures.channels();
    // A first build loads and initialises every class, so class metadata is not counted below.
    Fixtures.build(Fixtures.config("namespace", channels), channels);
    if (args.length == 2 && args[0].equals("--tenants")) {
      for (String t : args[1].split(",")) {
        perTenant(out, channels, Integer.parseInt(t.trim()));
      }
      return;
    }
    for (SyntheticConfig.TenantMode mode : SyntheticConfig.TenantMode.values()) {
      long empty = usedAfterGc();
      SyntheticConfig config = Fixtures.config(mode.tenantKey(), channels);
      long withSource = usedAfterGc();
      Snapshot snapshot = Fixtures.build(config, channels);
      long withSnapshot = usedAfterGc();
      out.printf(
          Locale.ROOT,
          "%-9s %s: source objects %.1f MB, snapshot retains %.1f MB more (total %.1f MB)%n",
          mode.tenantKey(),
          snapshot,
          (withSource - empty) / MB,
          (withSnapshot - withSource) / MB,
          (withSnapshot - empty) / MB);
      Reference.reachabilityFence(config);
      Reference.reachabilityFence(snapshot);
    }
  }

  /**
   * Memory per tenant: the source objects and the snapshot of {@code tenants} tenants (namespace
   * mode, five receivers each, as {@link FlatCostBenchmark} routes on), divided by the tenants.
   */
  private static void perTenant(PrintStream out, ChannelRegistry channels, int tenants) {
    long empty = usedAfterGc();
    SyntheticConfig config =
        SyntheticConfig.generate(
            SyntheticConfig.TenantMode.NAMESPACE,
            Fixtures.CONFIG_SEED,
            channels,
            tenants,
            tenants * 5);
    long withSource = usedAfterGc();
    Snapshot snapshot = Fixtures.build(config, channels);
    long withSnapshot = usedAfterGc();
    out.printf(
        Locale.ROOT,
        "%,7d tenants: source objects %.1f MB, snapshot %.1f MB more; per tenant %.1f KB source +"
            + " %.1f KB snapshot = %.1f KB%n",
        tenants,
        (withSource - empty) / MB,
        (withSnapshot - withSource) / MB,
        (withSource - empty) / 1024.0 / tenants,
        (withSnapshot - withSource) / 1024.0 / tenants,
        (withSnapshot - empty) / 1024.0 / tenants);
    Reference.reachabilityFence(config);
    Reference.reachabilityFence(snapshot);
  }

  /** The used heap once collections stop freeing anything (at most ten of them). */
  private static long usedAfterGc() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      MEMORY.gc();
      long now = MEMORY.getHeapMemoryUsage().getUsed();
      if (now >= used) {
        return now;
      }
      used = now;
    }
    return used;
  }
}
