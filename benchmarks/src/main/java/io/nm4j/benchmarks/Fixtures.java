package io.nm4j.benchmarks;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.Snapshot;
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
    return Snapshot.build(config.configSet(), channels, SyntheticConfig.NAMESPACE, null);
  }
}
