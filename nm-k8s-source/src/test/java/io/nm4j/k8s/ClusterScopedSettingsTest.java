package io.nm4j.k8s;

import static io.nm4j.k8s.RoutingFixtures.alertsIn;
import static io.nm4j.k8s.RoutingFixtures.receiversOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.Settings;
import io.nm4j.spi.Problem;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * notification-manager's v2beta2 {@code NotificationManager}, cluster-scoped as KubeSphere installs
 * its CRD, read by the source with an informer and feeding the same settings as the namespaced
 * v1alpha1 object.
 */
class ClusterScopedSettingsTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final String NS = KubernetesConfigSource.DEFAULT_NAMESPACE;

  private MockCluster cluster;
  private NotificationManager manager;

  @BeforeEach
  void startClusterWithKubeSpheresSettingsCrd() {
    cluster = new MockCluster();
    // One CRD per plural in a cluster: KubeSphere's serves v2beta2, cluster-scoped.
    CustomResourceDefinition namespaced =
        cluster
            .client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName("notificationmanagers.notification.kubesphere.io")
            .get();
    cluster.client.resource(namespaced).delete();
    CustomResourceDefinition kubesphere =
        MockCluster.crds().stream()
            .filter(c -> c.getSpec().getNames().getKind().equals("NotificationManager"))
            .findFirst()
            .orElseThrow();
    kubesphere.getSpec().setScope("Cluster");
    kubesphere.getSpec().getVersions().get(0).setName("v2beta2");
    cluster.client.apiextensions().v1().customResourceDefinitions().resource(kubesphere).create();

    cluster.apply("kubesphere/secrets.yaml");
    cluster.apply("kubesphere/rolebindings.yaml");
    cluster.createDefaultSlackConfigAndOpsReceiver();
    cluster.createV2beta2(
        "Receiver",
        "alice-slack",
        Map.of("type", "tenant", "user", "alice"),
        Map.of("slack", Map.of("channels", List.of("#alice"))));
  }

  @AfterEach
  void stop() {
    if (manager != null) {
      manager.close();
    }
    cluster.close();
  }

  private void startManager() {
    manager =
        NotificationManager.builder()
            .namespace(NS)
            .configSource(
                KubernetesConfigSource.builder()
                    .config(cluster.client.getConfiguration())
                    .debounce(Duration.ofMillis(20))
                    .syncTimeout(PATIENCE)
                    .build())
            .build();
  }

  private void createSettings(String name, String routePolicy) {
    cluster.createV2beta2(
        "NotificationManager",
        name,
        Map.of(),
        Map.of(
            "routePolicy",
            routePolicy,
            "receivers",
            Map.of(
                "tenantKey",
                "user",
                "globalReceiverSelector",
                Map.of("matchLabels", Map.of("type", "global")),
                "tenantReceiverSelector",
                Map.of("matchLabels", Map.of("type", "tenant"))),
            "defaultConfigSelector",
            Map.of("matchLabels", Map.of("type", "default"))));
  }

  private List<String> errors() {
    return manager.snapshot().problems().stream()
        .filter(p -> p.severity() == Problem.Severity.ERROR)
        .map(Problem::toString)
        .toList();
  }

  @Test
  void clusterScopedSettingsMakeUsersTheTenantsOfTheNamespacesTheyAreBoundIn() {
    createSettings("notification-manager", "All");

    startManager();

    assertThat(errors()).isEmpty();
    assertThat(manager.snapshot().settings().tenantKey()).isEqualTo("user");
    assertThat(receiversOf(manager, alertsIn("shop")))
        .containsExactlyInAnyOrder("Receiver/ops[slack]", "Receiver/alice-slack[slack]");
    assertThat(receiversOf(manager, alertsIn("nobody-bound-here")))
        .containsExactly("Receiver/ops[slack]");
  }

  @Test
  void withoutASettingsObjectTheDefaultsApply() {
    startManager();

    assertThat(manager.snapshot().settings().tenantKey()).isEqualTo(Settings.DEFAULTS.tenantKey());
    assertThat(receiversOf(manager, alertsIn("shop"))).containsExactly("Receiver/ops[slack]");
  }

  @Test
  void aChangedClusterScopedSettingsObjectChangesTheTenancy() {
    createSettings("notification-manager", "All");
    startManager();

    GenericKubernetesResource settings =
        cluster.v2beta2("NotificationManager").withName("notification-manager").get();
    @SuppressWarnings("unchecked")
    Map<String, Object> spec =
        new LinkedHashMap<>((Map<String, Object>) settings.getAdditionalProperties().get("spec"));
    spec.put("receivers", Map.of("tenantKey", "namespace"));
    settings.setAdditionalProperty("spec", spec);
    cluster.v2beta2("NotificationManager").resource(settings).update();

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> assertThat(manager.snapshot().settings().tenantKey()).isEqualTo("namespace"));
    assertThat(receiversOf(manager, alertsIn("shop"))).containsExactly("Receiver/ops[slack]");
  }

  @Test
  void aSecondClusterScopedSettingsObjectIsReportedAndTheFirstByNameIsUsed() {
    createSettings("a-settings", "All");
    createSettings("b-settings", "RouterOnly");

    startManager();

    assertThat(errors())
        .containsExactly(
            "NotificationManager/b-settings: metadata.name: a second NotificationManager;"
                + " NotificationManager/a-settings is used, this one is ignored");
    assertThat(manager.snapshot().settings().routePolicy()).isEqualTo(Settings.RoutePolicy.ALL);
  }
}
