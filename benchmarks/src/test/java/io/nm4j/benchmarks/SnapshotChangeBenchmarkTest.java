package io.nm4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.Snapshot;
import io.nm4j.spi.ConfigSet;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each change the benchmark measures is one the snapshot applies in place on the synthetic
 * configuration: the snapshot after it shares the problems list of the one before (a build makes a
 * new one), so the figures measure the path they name, not a build.
 */
class SnapshotChangeBenchmarkTest {
  private static final ChannelRegistry CHANNELS = Fixtures.channels();

  /** Router and Silence changes read those objects again, problems included: a new list. */
  private static final List<String> RESTAGED = List.of("routerChanged", "silenceAdded");

  @ParameterizedTest
  @EnumSource(SyntheticConfig.TenantMode.class)
  void everyMeasuredChangeOfReceiversConfigsSecretsOrRoleBindingsIsAppliedInPlace(
      SyntheticConfig.TenantMode mode) {
    ConfigSet set =
        V2beta2Stages.with(SyntheticConfig.generate(mode, Fixtures.CONFIG_SEED, CHANNELS));
    Snapshot before = Snapshot.build(set, CHANNELS, SyntheticConfig.NAMESPACE, null);
    for (String change : SnapshotChangeBenchmark.CHANGES) {
      if (RESTAGED.contains(change)) {
        continue;
      }
      Snapshot told = before.next(SnapshotChangeBenchmark.changed(set, change));
      Snapshot compared = before.next(SnapshotChangeBenchmark.compared(set, change));

      assertThat(told.problems()).as("%s, told", change).isSameAs(before.problems());
      assertThat(compared.problems()).as("%s, compared", change).isSameAs(before.problems());
    }
  }
}
