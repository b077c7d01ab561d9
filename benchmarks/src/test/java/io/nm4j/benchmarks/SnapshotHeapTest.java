package io.nm4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotHeapTest {
  private static final ChannelRegistry CHANNELS = Fixtures.channels();

  @Test
  void theParsedSourceHoldsEveryGeneratedObjectAsAManifestReadsBackWithNamesOfItsOwn() {
    SyntheticConfig generated = twentyTenants();
    List<ConfigObject> written = generated.configSet().objects();

    ConfigSet parsed = SnapshotHeap.source(generated, true);

    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.objects()).hasSameSizeAs(written);
    for (int i = 0; i < written.size(); i++) {
      ConfigObject before = written.get(i);
      ConfigObject after = parsed.objects().get(i);
      assertThat(after.ref()).isEqualTo(before.ref());
      assertThat(after.apiVersion()).isEqualTo(before.apiVersion());
      assertThat(after.metadata()).isEqualTo(before.metadata());
      assertThat(after.body()).isEqualTo(before.body());
      assertThat(after.origin()).isEqualTo("tenants.yaml (document 1)");
      assertThat(after.metadata().name()).isNotSameAs(before.metadata().name());
    }
  }

  @Test
  void withoutParsingTheSourceIsTheGeneratedSet() {
    SyntheticConfig generated = twentyTenants();
    assertThat(SnapshotHeap.source(generated, false)).isSameAs(generated.configSet());
  }

  private static SyntheticConfig twentyTenants() {
    return SyntheticConfig.generate(
        SyntheticConfig.TenantMode.NAMESPACE, Fixtures.CONFIG_SEED, CHANNELS, 20, 100);
  }
}
