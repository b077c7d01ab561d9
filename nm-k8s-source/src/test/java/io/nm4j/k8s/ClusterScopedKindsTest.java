package io.nm4j.k8s;

import static io.nm4j.k8s.RoutingFixtures.alertsIn;
import static io.nm4j.k8s.RoutingFixtures.receiversOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.nm4j.core.NotificationManager;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.Problem;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
    create(
        "Config",
        "default-slack",
        Map.of("type", "default"),
        Map.of(
            "slack",
            Map.of(
                "slackTokenSecret",
                Map.of(
                    "valueFrom",
                    Map.of(
                        "secretKeyRef",
                        Map.of(
                            "namespace", NS, "name", "default-slack-secret", "key", "token"))))));
    create(
        "Receiver",
        "ops",
        Map.of("type", "global"),
        Map.of("slack", Map.of("channels", List.of("#ops"))));
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

  private MixedOperation<
          GenericKubernetesResource,
          io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      v2beta2(String kind) {
    return cluster.client.genericKubernetesResources(
        new ResourceDefinitionContext.Builder()
            .withGroup("notification.kubesphere.io")
            .withVersion("v2beta2")
            .withKind(kind)
            .withPlural(kind.toLowerCase(Locale.ROOT) + "s")
            .withNamespaced(false)
            .build());
  }

  private void create(
      String kind, String name, Map<String, String> labels, Map<String, Object> spec) {
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("apiVersion", ConfigObject.API_VERSION_V2BETA2);
    manifest.put("kind", kind);
    manifest.put("metadata", Map.of("name", name, "labels", labels));
    manifest.put("spec", spec);
    GenericKubernetesResource resource =
        cluster
            .client
            .getKubernetesSerialization()
            .convertValue(manifest, GenericKubernetesResource.class);
    v2beta2(kind).resource(resource).create();
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
    create(
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
    create(
        "Silence",
        "quiet-crashloops",
        Map.of("type", "global"),
        Map.of("matcher", Map.of("matchLabels", Map.of("alertname", "PodCrashLooping"))));

    eventually(() -> assertThat(receiversOf(manager, alertsIn("shop"))).isEmpty());
    assertThat(receiversOf(manager, alertsIn((String) null)))
        .containsExactly("Receiver/ops[slack]");

    v2beta2("Silence").withName("quiet-crashloops").delete();

    eventually(
        () ->
            assertThat(receiversOf(manager, alertsIn("shop")))
                .containsExactly("Receiver/ops[slack]"));
  }

  @Test
  void routerAndChangedReceiverChangeTheRouting() {
    create(
        "Receiver",
        "dba",
        Map.of("team", "dba"),
        Map.of("slack", Map.of("channels", List.of("#dba"))));
    create(
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

    GenericKubernetesResource ops = v2beta2("Receiver").withName("ops").get();
    ops.setAdditionalProperty(
        "spec", Map.of("slack", Map.of("channels", List.of("#ops"), "enabled", false)));
    v2beta2("Receiver").resource(ops).update();

    eventually(
        () ->
            assertThat(receiversOf(manager, alertsIn("shop")))
                .containsExactly("Receiver/dba[slack]"));
  }

  @Test
  void aBrokenClusterScopedObjectIsReportedByNameAndTheRestStillRoutes() {
    create("Router", "broken", Map.of(), Map.of("alertSelector", Map.of(), "receivers", Map.of()));

    eventually(
        () ->
            assertThat(errors())
                .containsExactly(
                    "Router/broken: spec.receivers: names no receivers: set name, regexName,"
                        + " selector or channels"));
    assertThat(receiversOf(manager, alertsIn("shop"))).containsExactly("Receiver/ops[slack]");
  }
}
