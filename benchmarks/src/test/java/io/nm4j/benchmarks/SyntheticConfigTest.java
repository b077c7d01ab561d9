package io.nm4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.Destination;
import io.nm4j.core.Routing;
import io.nm4j.core.Snapshot;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.Problem;
import io.nm4j.spi.Scope;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The benchmarks measure a valid configuration that routes as intended. */
class SyntheticConfigTest {
  private static final ChannelRegistry CHANNELS = Fixtures.channels();
  private static final Map<SyntheticConfig.TenantMode, SyntheticConfig> CONFIGS =
      new EnumMap<>(SyntheticConfig.TenantMode.class);
  private static final Map<SyntheticConfig.TenantMode, Snapshot> SNAPSHOTS =
      new EnumMap<>(SyntheticConfig.TenantMode.class);

  private static SyntheticConfig config(SyntheticConfig.TenantMode mode) {
    return CONFIGS.computeIfAbsent(mode, m -> Fixtures.config(m.tenantKey(), CHANNELS));
  }

  private static Snapshot snapshot(SyntheticConfig.TenantMode mode) {
    return SNAPSHOTS.computeIfAbsent(mode, m -> Fixtures.build(config(m), CHANNELS));
  }

  @ParameterizedTest
  @EnumSource(SyntheticConfig.TenantMode.class)
  void generatedConfigurationHasNoProblems(SyntheticConfig.TenantMode mode) {
    List<Problem> errors =
        snapshot(mode).problems().stream()
            .filter(p -> p.severity() == Problem.Severity.ERROR)
            .toList();
    assertThat(errors).isEmpty();
    // No notice either, but those naming the notification-manager options the settings carry and
    // nm4j ignores: every selector matched exactly the config it was written for.
    assertThat(snapshot(mode).problems())
        .allSatisfy(
            p ->
                assertThat(p.toString())
                    .contains("spec.receivers.options.")
                    .endsWith("nm4j does not use this option; ignored"));
  }

  @ParameterizedTest
  @EnumSource(SyntheticConfig.TenantMode.class)
  void everyGeneratedReceiverIsRoutableAndTenThousandTenantsHaveOne(
      SyntheticConfig.TenantMode mode) {
    SyntheticConfig config = config(mode);
    List<Destination> destinations = snapshot(mode).destinations();

    assertThat(destinations).hasSize(SyntheticConfig.DEFAULT_RECEIVERS);
    assertThat(destinations.stream().filter(d -> d.scope() == Scope.GLOBAL))
        .hasSize(SyntheticConfig.GLOBAL_RECEIVERS);
    assertThat(destinations.stream().map(Destination::tenant).filter(Objects::nonNull).distinct())
        .hasSize(SyntheticConfig.DEFAULT_TENANTS);
    assertThat(destinations.stream().map(d -> d.receiver().kind()).distinct())
        .containsExactlyInAnyOrderElementsOf(config.receiverKinds());
    assertThat(destinations).allSatisfy(d -> assertThat(d.config()).isNotNull());
    assertThat(config.namespaces()).hasSize(10_000);
  }

  @ParameterizedTest
  @EnumSource(SyntheticConfig.TenantMode.class)
  void receiversUseEveryFormOfConfigSelector(SyntheticConfig.TenantMode mode) {
    Set<String> kindsOfReceivers = Set.copyOf(config(mode).receiverKinds());
    Set<String> forms = new java.util.TreeSet<>();
    for (ConfigObject o : config(mode).configSet().objects()) {
      if (!kindsOfReceivers.contains(o.kind())) {
        continue;
      }
      String field = CHANNELS.forReceiverKind(o.kind()).selectorField();
      if (!(o.spec().get(field) instanceof Map<?, ?> selector)) {
        forms.add("none");
      } else if (selector.containsKey("matchLabels")) {
        forms.add("matchLabels");
      } else {
        List<?> expressions = (List<?>) selector.get("matchExpressions");
        forms.add(String.valueOf(((Map<?, ?>) expressions.get(0)).get("operator")));
      }
    }
    assertThat(forms).containsExactlyInAnyOrder("none", "matchLabels", "In", "Exists");
  }

  @ParameterizedTest
  @EnumSource(SyntheticConfig.TenantMode.class)
  void tenantReceiversResolveToTheirTenantsConfigOrTheDefault(SyntheticConfig.TenantMode mode) {
    int own = 0;
    for (Destination d : snapshot(mode).destinations()) {
      String config = Objects.requireNonNull(d.config()).name();
      if (d.scope() == Scope.GLOBAL) {
        assertThat(config).matches("(default|platform)-[a-z]+");
      } else if (!config.startsWith("default-")) {
        assertThat(config).startsWith(d.tenant() + "-");
        own++;
      }
    }
    assertThat(config(mode).tenantConfigCount()).isGreaterThan(1_000);
    assertThat(own).isGreaterThan(1_000);
  }

  @ParameterizedTest
  @EnumSource(SyntheticConfig.TenantMode.class)
  void namespaceRoutesToGlobalReceiversAndItsTenantsReceiversOnly(SyntheticConfig.TenantMode mode) {
    SyntheticConfig config = config(mode);
    Snapshot snapshot = snapshot(mode);
    Map<String, Integer> receiversPerTenant = new HashMap<>();
    for (ConfigObject o : config.configSet().objects()) {
      String tenant = o.metadata().labels().get(mode.tenantKey());
      if (config.receiverKinds().contains(o.kind()) && tenant != null) {
        receiversPerTenant.merge(tenant, 1, Integer::sum);
      }
    }
    List<String> sample = new ArrayList<>(config.namespaces().subList(0, 200));
    sample.add(config.namespaces().get(config.namespaces().size() - 1));
    int sharedUsers = 0;
    for (String ns : sample) {
      List<String> tenants = config.tenantsByNamespace().get(ns);
      sharedUsers += tenants.size() > 1 ? 1 : 0;
      int expected =
          SyntheticConfig.GLOBAL_RECEIVERS
              + tenants.stream().mapToInt(t -> receiversPerTenant.getOrDefault(t, 0)).sum();
      List<Destination> found = snapshot.destinationsFor(ns);

      assertThat(found).as(ns).hasSize(expected);
      assertThat(found)
          .as(ns)
          .allSatisfy(d -> assertThat(d.tenant() == null || tenants.contains(d.tenant())).isTrue());
    }
    if (mode == SyntheticConfig.TenantMode.NAMESPACE) {
      assertThat(sample)
          .allSatisfy(ns -> assertThat(config.tenantsByNamespace().get(ns)).containsExactly(ns));
    } else {
      assertThat(sharedUsers).as("namespaces binding several users").isGreaterThan(20);
    }
  }

  @ParameterizedTest
  @EnumSource(SyntheticConfig.TenantMode.class)
  void alertsWithoutNamespaceOrOfUnownedNamespacesReachTheGlobalReceiversOnly(
      SyntheticConfig.TenantMode mode) {
    Alert[] alerts = config(mode).alerts(Fixtures.ALERTS, Fixtures.ALERT_SEED);
    Map<String, List<Alert>> byKind =
        java.util.Arrays.stream(alerts)
            .collect(
                Collectors.groupingBy(
                    a ->
                        a.namespace() == null
                            ? "none"
                            : a.namespace().startsWith("unowned-") ? "unowned" : "known"));
    assertThat(byKind.get("none")).hasSizeBetween(50, 160);
    assertThat(byKind.get("unowned")).hasSizeBetween(50, 160);
    for (Alert a : byKind.get("none")) {
      assertThat(snapshot(mode).destinationsFor(a.namespace()))
          .hasSize(SyntheticConfig.GLOBAL_RECEIVERS)
          .allSatisfy(d -> assertThat(d.scope()).isEqualTo(Scope.GLOBAL));
    }
    for (Alert a : byKind.get("unowned")) {
      assertThat(snapshot(mode).destinationsFor(a.namespace()))
          .hasSize(SyntheticConfig.GLOBAL_RECEIVERS)
          .allSatisfy(d -> assertThat(d.scope()).isEqualTo(Scope.GLOBAL));
    }
  }

  @ParameterizedTest
  @EnumSource(SyntheticConfig.TenantMode.class)
  void oneAlertBatchRoutesOneRoutePerDestinationOfItsNamespace(SyntheticConfig.TenantMode mode) {
    Snapshot snapshot = snapshot(mode);
    Alert[] alerts = config(mode).alerts(64, 7L);
    for (Alert alert : alerts) {
      Routing routing = snapshot.route(AlertBatch.of(List.of(alert)));

      assertThat(routing.unrouted()).isEmpty();
      assertThat(routing.routes())
          .extracting(Routing.Route::destination)
          .containsExactlyElementsOf(snapshot.destinationsFor(alert.namespace()));
      assertThat(routing.routes()).allSatisfy(r -> assertThat(r.alerts()).containsExactly(0));
    }
  }

  @Test
  void sameSeedGeneratesTheSameObjects() {
    SyntheticConfig a =
        SyntheticConfig.generate(SyntheticConfig.TenantMode.USER, 5L, CHANNELS, 50, 200);
    SyntheticConfig b =
        SyntheticConfig.generate(SyntheticConfig.TenantMode.USER, 5L, CHANNELS, 50, 200);
    SyntheticConfig c =
        SyntheticConfig.generate(SyntheticConfig.TenantMode.USER, 6L, CHANNELS, 50, 200);

    assertThat(a.configSet()).isEqualTo(b.configSet());
    assertThat(a.configSet()).isNotEqualTo(c.configSet());
    assertThat(a.alerts(16, 1L)).containsExactly(b.alerts(16, 1L));
  }
}
