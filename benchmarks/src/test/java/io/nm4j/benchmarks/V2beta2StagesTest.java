package io.nm4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.Routing;
import io.nm4j.core.Snapshot;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.Problem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class V2beta2StagesTest {
  private static final ChannelRegistry CHANNELS = Fixtures.channels();

  @ParameterizedTest
  @EnumSource(SyntheticConfig.TenantMode.class)
  void theStagedConfigurationHasNoErrorsAndItsAlertsPassEveryStage(
      SyntheticConfig.TenantMode mode) {
    SyntheticConfig config = SyntheticConfig.generate(mode, Fixtures.CONFIG_SEED, CHANNELS);
    Snapshot s =
        Snapshot.build(V2beta2Stages.with(config), CHANNELS, SyntheticConfig.NAMESPACE, null);
    assertThat(s.problems()).filteredOn(p -> p.severity() == Problem.Severity.ERROR).isEmpty();
    int routed = 0;
    for (Alert a : config.alerts(Fixtures.ALERTS, Fixtures.ALERT_SEED)) {
      routed += s.route(AlertBatch.of(List.of(a))).routes().size();
    }
    assertThat(routed).isPositive();
    Routing viaRouter =
        s.route(
            AlertBatch.of(
                List.of(Alert.firing(Map.of("alertname", "KubePod3", "severity", "critical")))));
    assertThat(viaRouter.routers()).extracting(r -> r.router().name()).containsExactly("router-3");
    assertThat(viaRouter.routes())
        .extracting(r -> r.destination().receiver().toString())
        .contains("Receiver/routed-3[webhook]");
    Routing muted =
        s.route(AlertBatch.of(List.of(Alert.firing(Map.of("alertname", "Maintenance1")))));
    assertThat(muted.silenced()).extracting(x -> x.silence().name()).containsExactly("global-1");
  }
}
