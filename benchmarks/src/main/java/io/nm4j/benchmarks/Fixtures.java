package io.nm4j.benchmarks;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.Snapshot;
import io.nm4j.spi.ConfigSet;
import java.util.ArrayList;
import java.util.List;

/** What every benchmark builds the same way: the registry, the seeds, the snapshot. */
final class Fixtures {
  /** Seed of the configuration; fixed so every run measures the same objects. */
  static final long CONFIG_SEED = 20_260_105L;

  /** Seed of the alerts routed. */
  static final long ALERT_SEED = 42L;

  /** Alerts routed round-robin; a power of two so the cursor wraps with a mask. */
  static final int ALERTS = 1024;

  private Fixtures() {}

  /** The channels found on the classpath, as a host discovering them would have. */
  static ChannelRegistry channels() {
    return ChannelRegistry.discover(Fixtures.class.getClassLoader(), List.of());
  }

  static SyntheticConfig config(String tenantMode, ChannelRegistry channels) {
    return SyntheticConfig.generate(
        SyntheticConfig.TenantMode.of(tenantMode), CONFIG_SEED, channels);
  }

  static Snapshot build(SyntheticConfig config, ChannelRegistry channels) {
    return build(config.configSet(), channels);
  }

  static Snapshot build(ConfigSet set, ChannelRegistry channels) {
    return Snapshot.build(set, channels, SyntheticConfig.NAMESPACE, null);
  }

  /**
   * The tenant counts of a harness's command line, comma-separated.
   *
   * @param tool the harness, which the message names
   * @throws IllegalArgumentException naming the first that is not a number of at least 1
   */
  static List<Integer> tenantSizes(String list, String tool) {
    List<Integer> sizes = new ArrayList<>();
    for (String size : list.split(",")) {
      int tenants;
      try {
        tenants = Integer.parseInt(size.strip());
      } catch (NumberFormatException e) {
        tenants = 0;
      }
      if (tenants < 1) {
        throw new IllegalArgumentException(
            tool + ": tenants: expected a number of at least 1, was \"" + size + "\"");
      }
      sizes.add(tenants);
    }
    return sizes;
  }
}
