package io.nm4j.benchmarks;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.Manifests;
import io.nm4j.core.Snapshot;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * <p>Run: {@code java -XX:+UseSerialGC -XX:MarkSweepDeadRatio=0 -Xmx1g -cp
 * benchmarks/target/benchmarks.jar io.nm4j.benchmarks.SnapshotHeap}; with {@code --tenants
 * 1000,10000,100000} (and {@code -Xmx3g}) it states the memory per tenant at each size instead. The
 * serial collector with no dead ratio compacts fully on {@code System.gc()}, which makes the
 * readings exact to a few kilobytes; it refuses to run without those flags. By default the serial
 * collector leaves dead objects in place, up to 5% of the old generation's capacity, to move fewer
 * objects, and counts them as used: the first size measured in a process read 1.1 KB per tenant
 * less than the same size measured again at 10,000 tenants, and 1,000 tenants measured first read
 * below zero.
 *
 * <p>The generated objects share their constant strings (kinds, API versions, label keys and
 * values), as objects built in code do. Objects a source parses hold their own copies, and those of
 * a manifest file name their document in their origin; {@code --parsed} measures the same
 * configuration written as manifests and read back with {@link Manifests#parse(String, String)},
 * one object per document, as a file source would hold it.
 */
public final class SnapshotHeap {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
  private static final double MB = 1024.0 * 1024.0;

  private SnapshotHeap() {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    List<String> options = new ArrayList<>(Arrays.asList(args));
    boolean parsed = options.remove("--parsed");
    boolean perTenant = options.size() == 2 && options.get(0).equals("--tenants");
    List<Integer> sizes = List.of();
    try {
      if (!perTenant && !options.isEmpty()) {
        throw new IllegalArgumentException("SnapshotHeap: unexpected " + options);
      }
      sizes = perTenant ? Fixtures.tenantSizes(options.get(1), "SnapshotHeap") : sizes;
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "; usage: SnapshotHeap [--parsed] [--tenants N,N,...]");
      System.exit(2);
    }
    if (!exactCollections()) {
      System.err.println(
          "SnapshotHeap: run with -XX:+UseSerialGC -XX:MarkSweepDeadRatio=0, so that a full"
              + " collection leaves no dead object counted as used");
      System.exit(2);
    }
    ChannelRegistry channels = Fixtures.channels();
    // A first build loads and initialises every class, so class metadata is not counted below;
    // objects read back from manifests first, so the reader's classes and table are not either.
    Fixtures.build(source(Fixtures.config("namespace", channels), parsed), channels);
    if (perTenant) {
      for (int tenants : sizes) {
        perTenant(out, channels, tenants, parsed);
      }
      return;
    }
    for (SyntheticConfig.TenantMode mode : SyntheticConfig.TenantMode.values()) {
      long empty = usedAfterGc();
      ConfigSet config = source(Fixtures.config(mode.tenantKey(), channels), parsed);
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
  private static void perTenant(
      PrintStream out, ChannelRegistry channels, int tenants, boolean parsed) {
    long empty = usedAfterGc();
    ConfigSet config =
        source(
            SyntheticConfig.generate(
                SyntheticConfig.TenantMode.NAMESPACE,
                Fixtures.CONFIG_SEED,
                channels,
                tenants,
                tenants * 5),
            parsed);
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

  /**
   * The generated objects, or with {@code parsed} each written as a manifest and read back: the
   * generator's copies are dropped before the caller measures.
   */
  static ConfigSet source(SyntheticConfig generated, boolean parsed) {
    if (!parsed) {
      return generated.configSet();
    }
    List<ConfigObject> objects = new ArrayList<>(generated.configSet().objects().size());
    for (ConfigObject o : generated.configSet().objects()) {
      ConfigSet read = Manifests.parse(Manifests.toYaml(o), "tenants.yaml");
      if (!read.problems().isEmpty()) {
        throw new IllegalStateException(o.ref() + " does not read back: " + read.problems());
      }
      objects.addAll(read.objects());
    }
    return new ConfigSet(objects, List.of());
  }

  private static boolean exactCollections() {
    HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    return vm.getVMOption("UseSerialGC").getValue().equals("true")
        && vm.getVMOption("MarkSweepDeadRatio").getValue().equals("0");
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
