package io.nm4j.k8s;

import static io.nm4j.k8s.RoutingFixtures.alertsIn;
import static io.nm4j.k8s.RoutingFixtures.receiversOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.nm4j.core.NotificationManager;
import io.nm4j.spi.Problem;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * notification-manager's cluster-scoped v2beta2 kinds, read from the cluster with informers: a
 * tenant's objects are told apart by the labels {@code type: tenant} and {@code user: NAME} as
 * KubeSphere writes them, and creating, changing or deleting one changes the routing. Each test has
 * a cluster of its own, as the objects have no namespace to keep tests apart.
 */
class ClusterScopedKindsTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final String NS = KubernetesConfigSource.DEFAULT_NAMESPACE;

  private MockCluster cluster;
  private NotificationManager manager;

  @BeforeEach
  void startClusterWithKubeSphereTenancy() {
    cluster = new MockCluster();
    cluster.apply("kubesphere/notificationmanager.yaml");
    cluster.apply("kubesphere/secrets.yaml");
    cluster.apply("kubesphere/rolebindings.yaml");
    cluster.createDefaultSlackConfigAndOpsReceiver();
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

  @AfterEach
  void stop() {
    if (manager != null) {
      manager.close();
    }
    cluster.close();
  }

  private static void eventually(ThrowingRunnable assertion) {
    await().atMost(PATIENCE).untilAsserted(assertion);
  }

  private List<String> errors() {
    return manager.snapshot().problems().stream()
        .filter(p -> p.severity() == Problem.Severity.ERROR)
        .map(Problem::toString)
        .toList();
  }

  @Test
  void clusterScopedReceiverAndConfigAreReadWithoutANamespace() {
    assertThat(errors()).isEmpty();
    assertThat(receiversOf(manager, alertsIn("shop"))).containsExactly("Receiver/ops[slack]");
    assertThat(receiversOf(manager, alertsIn((String) null)))
        .containsExactly("Receiver/ops[slack]");
  }

  @Test
  void tenantReceiverLabelledTypeTenantAndUserGetsAlertsOfTheNamespacesTheUserIsBoundIn() {
    cluster.createV2beta2(
        "Receiver",
        "alice-slack",
        Map.of("type", "tenant", "user", "alice"),
        Map.of("slack", Map.of("channels", List.of("#alice"))));

    eventually(
        () ->
            assertThat(receiversOf(manager, alertsIn("shop")))
                .containsExactlyInAnyOrder("Receiver/ops[slack]", "Receiver/alice-slack[slack]"));
    assertThat(receiversOf(manager, alertsIn("nobody-bound-here")))
        .containsExactly("Receiver/ops[slack]");
    assertThat(errors()).isEmpty();
  }

  @Test
  void silenceCreatedAndDeletedInTheClusterMutesAndUnmutesAlerts() {
    cluster.createV2beta2(
        "Silence",
        "quiet-crashloops",
        Map.of("type", "global"),
        Map.of("matcher", Map.of("matchLabels", Map.of("alertname", "PodCrashLooping"))));

    eventually(() -> assertThat(receiversOf(manager, alertsIn("shop"))).isEmpty());
    assertThat(receiversOf(manager, alertsIn((String) null)))
        .containsExactly("Receiver/ops[slack]");

    cluster.v2beta2("Silence").withName("quiet-crashloops").delete();

    eventually(
        () ->
            assertThat(receiversOf(manager, alertsIn("shop")))
                .containsExactly("Receiver/ops[slack]"));
  }

  @Test
  void routerAndChangedReceiverChangeTheRouting() {
    cluster.createV2beta2(
        "Receiver",
        "dba",
        Map.of("team", "dba"),
        Map.of("slack", Map.of("channels", List.of("#dba"))));
    cluster.createV2beta2(
        "Router",
        "shop-to-dba",
        Map.of(),
        Map.of(
            "alertSelector",
            Map.of("matchLabels", Map.of("namespace", "shop")),
            "receivers",
            Map.of("selector", Map.of("matchLabels", Map.of("team", "dba")))));

    eventually(
        () ->
            assertThat(receiversOf(manager, alertsIn("shop")))
                .containsExactlyInAnyOrder("Receiver/ops[slack]", "Receiver/dba[slack]"));
    assertThat(receiversOf(manager, alertsIn("payments"))).containsExactly("Receiver/ops[slack]");

    GenericKubernetesResource ops = cluster.v2beta2("Receiver").withName("ops").get();
    ops.setAdditionalProperty(
        "spec", Map.of("slack", Map.of("channels", List.of("#ops"), "enabled", false)));
    cluster.v2beta2("Receiver").resource(ops).update();

    eventually(
        () ->
            assertThat(receiversOf(manager, alertsIn("shop")))
                .containsExactly("Receiver/dba[slack]"));
  }

  @Test
  void aBrokenClusterScopedObjectIsReportedByNameAndTheRestStillRoutes() {
    cluster.createV2beta2(
        "Router", "broken", Map.of(), Map.of("alertSelector", Map.of(), "receivers", Map.of()));

    eventually(
        () ->
            assertThat(errors())
                .containsExactly(
                    "Router/broken: spec.receivers: names no receivers: set name, regexName,"
                        + " selector or channels"));
    assertThat(receiversOf(manager, alertsIn("shop"))).containsExactly("Receiver/ops[slack]");
  }
}
