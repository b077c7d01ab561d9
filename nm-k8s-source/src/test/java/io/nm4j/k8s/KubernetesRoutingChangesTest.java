package io.nm4j.k8s;

import static io.nm4j.k8s.RoutingFixtures.alertsIn;
import static io.nm4j.k8s.RoutingFixtures.configOf;
import static io.nm4j.k8s.RoutingFixtures.destinations;
import static io.nm4j.k8s.RoutingFixtures.receiversOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.nm4j.core.Destination;
import io.nm4j.core.NotificationManager;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.Notification;
import io.nm4j.spi.Problem;
import io.nm4j.spi.SendResult;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Changes made in the cluster reach the core's routing through the source's informers. One mock
 * cluster serves the class; each test keeps its objects in a namespace of its own.
 */
class KubernetesRoutingChangesTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  private static MockCluster cluster;
  private final List<NotificationManager> managers = new ArrayList<>();
  private String namespace;

  @BeforeAll
  static void startCluster() {
    cluster = new MockCluster();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @AfterEach
  void closeManagers() {
    managers.forEach(NotificationManager::close);
  }

  /** Puts fixture files in a fresh namespace and starts a manager on a source watching it. */
  private NotificationManager managerOn(String... files) {
    return managerOn(builder -> {}, files);
  }

  private NotificationManager managerOn(
      Consumer<NotificationManager.Builder> options, String... files) {
    namespace = "routing-" + NAMESPACES.incrementAndGet();
    for (String file : files) {
      cluster.applyIn(file, namespace);
    }
    NotificationManager.Builder builder = NotificationManager.builder();
    options.accept(builder);
    NotificationManager manager =
        builder
            .namespace(namespace)
            .configSource(
                KubernetesConfigSource.builder()
                    .config(cluster.client.getConfiguration())
                    .namespace(namespace)
                    .debounce(Duration.ofMillis(20))
                    .syncTimeout(PATIENCE)
                    .build())
            .build();
    managers.add(manager);
    return manager;
  }

  private Resource<GenericKubernetesResource> object(String kind, String name) {
    return cluster.notification(kind).inNamespace(namespace).withName(name);
  }

  private static void eventually(ThrowingRunnable assertion) {
    await().atMost(PATIENCE).untilAsserted(assertion);
  }

  @Test
  void receiverCreatedInTheClusterStartsGettingItsTenantsAlerts() {
    NotificationManager manager = managerOn("secrets.yaml", "slack.yaml");
    assertThat(receiversOf(manager, alertsIn("shop"))).doesNotContain("SlackReceiver/shop-slack");
    List<Destination> before = manager.snapshot().destinations();

    cluster.create(
        Map.of(
            "apiVersion",
            ConfigObject.API_VERSION,
            "kind",
            "SlackReceiver",
            "metadata",
            Map.of(
                "name",
                "shop-slack",
                "namespace",
                namespace,
                "labels",
                Map.of("type", "tenant", "namespace", "shop")),
            "spec",
            Map.of("channel", "#shop-alerts")));

    eventually(
        () ->
            assertThat(receiversOf(manager, alertsIn("shop")))
                .containsExactly("SlackReceiver/global-slack", "SlackReceiver/shop-slack"));
    assertThat(configOf(manager, "SlackReceiver/shop-slack"))
        .isEqualTo("SlackConfig/default-slack");
    assertThat(receiversOf(manager, alertsIn("payments")))
        .doesNotContain("SlackReceiver/shop-slack");
    // The informers' change took the incremental path: receivers it does not touch are reused.
    for (Destination d : before) {
      assertThat(manager.snapshot().destinations()).anySatisfy(now -> assertThat(now).isSameAs(d));
    }
  }

  @Test
  void deletedReceiverIsGoneFromTheDestinationsAndGetsNoMoreAlerts() {
    NotificationManager manager = managerOn("secrets.yaml", "email.yaml");
    assertThat(destinations(manager)).contains("EmailReceiver/shop-email");
    assertThat(receiversOf(manager, alertsIn("shop"))).contains("EmailReceiver/shop-email");

    object("EmailReceiver", "shop-email").delete();

    eventually(() -> assertThat(destinations(manager)).doesNotContain("EmailReceiver/shop-email"));
    assertThat(receiversOf(manager, alertsIn("shop")))
        .containsExactly("EmailReceiver/global-email");
  }

  @Test
  @SuppressWarnings("unchecked")
  void selectorEditMovesTheReceiverToAnotherConfig() {
    NotificationManager manager = managerOn("secrets.yaml", "email.yaml");
    assertThat(configOf(manager, "EmailReceiver/shop-email")).isEqualTo("EmailConfig/shop-smtp");

    GenericKubernetesResource receiver = object("EmailReceiver", "shop-email").get();
    Map<String, Object> spec = (Map<String, Object>) receiver.getAdditionalProperties().get("spec");
    spec.put("emailConfigSelector", Map.of("matchLabels", Map.of("type", "default")));
    cluster.notification("EmailReceiver").inNamespace(namespace).resource(receiver).update();

    eventually(
        () ->
            assertThat(configOf(manager, "EmailReceiver/shop-email"))
                .isEqualTo("EmailConfig/default-email"));
    // Chosen by the new selector, not as the fallback of a selector that matched nothing.
    assertThat(manager.problems()).noneMatch(p -> p.object().equals("EmailReceiver/shop-email"));
  }

  @Test
  void unbindingAUserFromANamespaceStopsTheirReceiversGettingItsAlerts() {
    NotificationManager manager =
        managerOn(
            "kubesphere/secrets.yaml",
            "kubesphere/notificationmanager.yaml",
            "kubesphere/receivers-and-configs.yaml",
            "kubesphere/rolebindings.yaml");
    List<String> bobs =
        List.of(
            "EmailReceiver/bob-email", "SlackReceiver/bob-slack", "WebhookReceiver/bob-webhook");
    assertThat(receiversOf(manager, alertsIn("payments"))).containsAll(bobs);

    // payments-admin binds bob alone in payments; carol takes his place.
    Resource<RoleBinding> binding =
        cluster.client.rbac().roleBindings().inNamespace("payments").withName("payments-admin");
    RoleBinding edited = binding.get();
    edited.setSubjects(
        List.of(
            new SubjectBuilder()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("User")
                .withName("carol")
                .build()));
    cluster.client.rbac().roleBindings().inNamespace("payments").resource(edited).update();

    eventually(
        () ->
            assertThat(receiversOf(manager, alertsIn("payments")))
                .doesNotContainAnyElementsOf(bobs));
    // Only the global receivers remain: carol has none of her own.
    assertThat(manager.snapshot().destinationsFor("payments"))
        .extracting(Destination::tenant)
        .containsOnlyNulls();
    // bob is still bound in shop, so his receivers still get shop's alerts.
    assertThat(receiversOf(manager, alertsIn("shop"))).containsAll(bobs);
  }

  @Test
  void badObjectIsReportedByKindNameAndFieldWhileTheRestStillRoutes() {
    NotificationManager manager = managerOn("secrets.yaml", "email.yaml", "slack.yaml");
    List<String> shopBefore = receiversOf(manager, alertsIn("shop"));
    List<String> paymentsBefore = receiversOf(manager, alertsIn("payments"));

    cluster.applyIn("invalid/email-config-bad-port.yaml", namespace);

    eventually(
        () ->
            assertThat(manager.problems())
                .filteredOn(p -> p.object().equals("EmailConfig/bad-port"))
                .singleElement()
                .satisfies(
                    p -> {
                      assertThat(p.field()).isEqualTo("spec.smartHost.port");
                      assertThat(p.severity()).isEqualTo(Problem.Severity.ERROR);
                      assertThat(p.toString())
                          .startsWith("EmailConfig/bad-port: spec.smartHost.port: ")
                          .contains("smtp");
                    }));
    assertThat(receiversOf(manager, alertsIn("shop"))).isEqualTo(shopBefore).isNotEmpty();
    assertThat(receiversOf(manager, alertsIn("payments"))).isEqualTo(paymentsBefore).isNotEmpty();
    // The bad config carries shop's tenant labels, yet shop's receiver keeps its own config.
    assertThat(configOf(manager, "EmailReceiver/shop-email")).isEqualTo("EmailConfig/shop-smtp");
  }

  @Test
  void rotatedSecretIsTheValueTheNextSendResolves() throws Exception {
    try (MockWebServer slackApi = new MockWebServer()) {
      slackApi.start(InetAddress.getByName("127.0.0.1"), 0);
      NotificationManager manager =
          managerOn(
              b -> b.channelOption("slack.apiUrl", slackApi.url("/api/").toString()),
              "secrets.yaml",
              "slack.yaml");
      assertThat(slackTokenOf(manager, slackApi, "SlackReceiver/global-slack"))
          .isEqualTo("xoxb-0000-fixture");

      Secret secret =
          cluster.client.secrets().inNamespace(namespace).withName("default-slack-secret").get();
      secret
          .getData()
          .put(
              "token",
              Base64.getEncoder().encodeToString("xoxb-rotated".getBytes(StandardCharsets.UTF_8)));
      cluster.client.secrets().inNamespace(namespace).resource(secret).update();

      eventually(
          () ->
              assertThat(slackTokenOf(manager, slackApi, "SlackReceiver/global-slack"))
                  .isEqualTo("xoxb-rotated"));
      // Other secrets are untouched.
      assertThat(slackTokenOf(manager, slackApi, "SlackReceiver/payments-slack"))
          .isEqualTo("xoxb-1111-payments");
    }
  }

  /**
   * The token a send to {@code receiver} uses now: the bearer token of a test send through the
   * manager's channels, with the secrets of its current snapshot.
   */
  private static String slackTokenOf(
      NotificationManager manager, MockWebServer slackApi, String receiver)
      throws InterruptedException {
    Destination destination =
        manager.snapshot().destinations().stream()
            .filter(d -> d.receiver().toString().equals(receiver))
            .findFirst()
            .orElseThrow();
    // A successful chat.postMessage reply, shaped as Slack's method reference shows it.
    slackApi.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "application/json; charset=utf-8")
            .body("{\"ok\":true,\"channel\":\"C123ABC456\",\"ts\":\"1503435956.000247\"}")
            .build());
    Alert alert = Alert.firing(Map.of("alertname", "TokenCheck"));
    Notification notification =
        new Notification(
            "token-check",
            destination.receiver(),
            destination.scope(),
            destination.tenant(),
            destination.config(),
            List.of(alert),
            AlertBatch.of(List.of(alert)));
    SendResult result = manager.sendNow(destination, notification, manager.snapshot(), PATIENCE);
    assertThat(result).as("test send to %s", receiver).isInstanceOf(SendResult.Delivered.class);
    RecordedRequest request = slackApi.takeRequest();
    String authorization = request.getHeaders().get("Authorization");
    assertThat(authorization).startsWith("Bearer ");
    return authorization.substring("Bearer ".length());
  }
}
