package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nm4j.core.FileConfigSource;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.delivery.DeliveryHistory;
import io.nm4j.core.delivery.DeliveryOptions;
import io.nm4j.core.delivery.DeliveryRecord;
import io.nm4j.spi.DeliveryListener;
import io.nm4j.spi.EgressPolicy;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Problem;
import io.nm4j.spi.SendResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus Alertmanager posts to the nm4j server, which delivers over the webhook channel
 * to local receivers: one global, one per tenant (tenant-a, tenant-b), and one for tenant-c's
 * config, which no receiver uses. Alertmanager groups by {@code alertname} only, so one of its
 * requests mixes tenants and nm4j has to split it by each alert's namespace.
 */
class AlertmanagerEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);
  private static final String GO_ZERO_TIME = "0001-01-01T00:00:00Z";

  @TempDir Path work;

  private final RecordingListener listener = new RecordingListener();
  private final List<AutoCloseable> running = new ArrayList<>();
  private WebhookSink global;
  private WebhookSink tenantA;
  private WebhookSink tenantB;
  private WebhookSink tenantC;
  private NotificationManager manager;
  private AlertmanagerProcess alertmanager;

  @BeforeEach
  void start() throws IOException {
    // First, so that a missing Alertmanager fails the test at once with the install hint.
    Path binary = AlertmanagerProcess.findBinary();

    global = started(new WebhookSink("/hooks/global"));
    tenantA = started(new WebhookSink("/hooks/tenant-a"));
    tenantB = started(new WebhookSink("/hooks/tenant-b"));
    tenantC = started(new WebhookSink("/hooks/tenant-c"));

    Path configDir = Files.createDirectories(work.resolve("config"));
    Files.writeString(
        configDir.resolve("config.yaml"),
        resource("/e2e/config.yaml")
            .replace("${GLOBAL_SINK}", global.url())
            .replace("${TENANT_A_SINK}", tenantA.url())
            .replace("${TENANT_B_SINK}", tenantB.url())
            .replace("${TENANT_C_SINK}", tenantC.url()),
        StandardCharsets.UTF_8);
    manager =
        started(
            NotificationManager.builder()
                .configSource(FileConfigSource.of(configDir))
                // the tenants' sinks listen on loopback, which tenants may not reach by default
                .tenantEgress(EgressPolicy.builder().allow("127.0.0.0/8").build())
                .deliveryOptions(
                    DeliveryOptions.builder()
                        .initialBackoff(Duration.ofMillis(50))
                        .maxBackoff(Duration.ofMillis(500))
                        .sendTimeout(Duration.ofSeconds(10))
                        .drainTimeout(Duration.ofSeconds(2))
                        .build())
                .deadLetterFile(work.resolve("dead-letters.jsonl"))
                .listener(listener)
                .build());
    assertThat(manager.problems())
        .as("configuration problems")
        .noneMatch(p -> p.severity() == Problem.Severity.ERROR);
    assertThat(manager.snapshot().destinations()).hasSize(3);

    Nm4jServer server =
        started(
            Nm4jServer.builder()
                .manager(manager)
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .intakeThreads(4)
                .build()
                .start());
    alertmanager =
        started(
            AlertmanagerProcess.start(
                binary,
                work.resolve("alertmanager"),
                "http://127.0.0.1:" + server.address().getPort() + "/api/v2/alerts",
                "['alertname']"));
  }

  private <T extends AutoCloseable> T started(T resource) {
    running.add(resource);
    return resource;
  }

  /** Stops Alertmanager first (so it sends nothing more), then the server, manager and sinks. */
  @AfterEach
  void stop() throws Exception {
    Exception first = null;
    for (int i = running.size() - 1; i >= 0; i--) {
      try {
        running.get(i).close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Test
  void everyAlertReachesExactlyTheReceiversOfItsTenantOnceInAlertmanagersWebhookShape() {
    ArrayNode alerts = input("grouped-multi-namespace.json", "no-namespace.json");

    alertmanager.post(alerts.toString());

    // HighErrorRate (tenant-a, -b, -c) goes to global, tenant-a and tenant-b; NodeDown to global.
    awaitAllFinished(4);
    assertRoutedBySemantics(labelsOf(alerts));
    assertThat(global.requests()).hasSize(2);
    assertThat(tenantA.requests()).hasSize(1);
    assertThat(tenantB.requests()).hasSize(1);
    assertThat(listener.deadLettered).isEmpty();
  }

  @Test
  void tenantSinksFailingEveryOtherRequestStillGetEveryAlertOnceAndNothingIsDeadLettered()
      throws IOException {
    tenantA.failEveryOtherRequest();
    tenantB.failEveryOtherRequest();
    ArrayNode alerts = input("grouped-multi-namespace.json", "no-namespace.json");

    alertmanager.post(alerts.toString());

    awaitAllFinished(4);
    assertRoutedBySemantics(labelsOf(alerts));
    // Each tenant notification: the first attempt got 503, the retry 200.
    assertThat(tenantA.requests())
        .extracting(WebhookSink.Request::status)
        .containsExactly(503, 200);
    assertThat(tenantB.requests())
        .extracting(WebhookSink.Request::status)
        .containsExactly(503, 200);
    assertThat(listener.failedAttempts)
        .extracting(FailedAttempt::receiver)
        .containsExactlyInAnyOrder(receiver("tenant-a-webhook"), receiver("tenant-b-webhook"));
    assertThat(listener.failedAttempts)
        .allSatisfy(
            f -> {
              assertThat(f.failure().reason()).isEqualTo(SendResult.Reason.REMOTE_ERROR);
              assertThat(f.failure().retryable()).isTrue();
            });

    assertThat(listener.accepted).hasSize(4);
    assertThat(listener.deadLettered).isEmpty();
    assertThat(listener.delivered).doesNotHaveDuplicates();
    assertThat(listener.delivered.size() + listener.deadLettered.size())
        .isEqualTo(listener.accepted.size());

    DeliveryHistory history = manager.history();
    assertThat(history.query(statusQuery(DeliveryRecord.Status.DELIVERED))).hasSize(4);
    assertThat(history.query(statusQuery(DeliveryRecord.Status.DEAD_LETTER))).isEmpty();
    assertThat(history.query(statusQuery(DeliveryRecord.Status.FAILED_ATTEMPT)))
        .extracting(DeliveryRecord::reason)
        .containsExactly(SendResult.Reason.REMOTE_ERROR, SendResult.Reason.REMOTE_ERROR);
    Path deadLetters = work.resolve("dead-letters.jsonl");
    if (Files.exists(deadLetters)) {
      assertThat(Files.size(deadLetters)).as("dead-letter file size").isZero();
    }
  }

  @Test
  void resolvedAlertReachesTheSameReceiversWithResolvedStatusAfterItsFiringNotification() {
    // Three tenant-a alerts with distinct names: three groups, each to global and tenant-a.
    ArrayNode firing = input("grouped-one-namespace.json");
    ObjectNode resolving = ((ObjectNode) firing.get(0)).deepCopy();
    Map<String, String> resolvedLabels = labels(resolving.get("labels"));

    alertmanager.post(firing.toString());
    awaitAllFinished(6);
    JsonNode firingAlert = onlyAlertWith(tenantA.acceptedAlerts(), resolvedLabels);
    Instant startsAt = Instant.parse(firingAlert.get("startsAt").asText());

    // "now minus a second", but after startsAt so that Alertmanager merges it into the firing
    // alert.
    Instant endsAt = Instant.now().minusSeconds(1);
    if (!endsAt.isAfter(startsAt)) {
      endsAt = startsAt.plusMillis(100);
    }
    resolving.put("endsAt", endsAt.toString());
    alertmanager.post(JSON.createArrayNode().add(resolving).toString());

    awaitAllFinished(8);
    for (WebhookSink sink : List.of(global, tenantA)) {
      List<JsonNode> resolved =
          sink.accepted().stream()
              .filter(b -> b.get("status").asText().equals("resolved"))
              .toList();
      assertThat(resolved).as("resolved notifications at %s", sink).hasSize(1);
      JsonNode body = resolved.get(0);
      assertThat(body.get("version").asText()).isEqualTo("4");
      assertThat(body.get("alerts")).hasSize(1);
      JsonNode alert = body.get("alerts").get(0);
      assertThat(alert.get("status").asText()).isEqualTo("resolved");
      assertThat(labels(alert.get("labels"))).isEqualTo(resolvedLabels);
      assertThat(alert.get("fingerprint").asText())
          .isEqualTo(firingAlert.get("fingerprint").asText());
      assertThat(Instant.parse(alert.get("startsAt").asText())).isEqualTo(startsAt);
      assertThat(Instant.parse(alert.get("endsAt").asText())).isEqualTo(endsAt);
      // The firing notifications came first: one per group.
      assertThat(sink.accepted()).hasSize(4);
      assertThat(sink.accepted().subList(0, 3))
          .allSatisfy(b -> assertThat(b.get("status").asText()).isEqualTo("firing"));
    }
    assertThat(tenantB.requests()).isEmpty();
    assertThat(tenantC.requests()).isEmpty();
    assertThat(listener.deadLettered).isEmpty();
  }

  /**
   * As {@code docs/ROUTING.md} says: the global receiver gets every alert; a tenant receiver the
   * alerts of its namespace; tenant-c (no receiver) and alerts without namespace no tenant
   * receiver; each alert once per receiver, in Alertmanager's webhook shape.
   */
  private void assertRoutedBySemantics(List<Map<String, String>> posted) {
    List<Map<String, String>> ofA = inNamespace(posted, "tenant-a");
    List<Map<String, String>> ofB = inNamespace(posted, "tenant-b");
    assertThat(ofA).hasSize(2);
    assertThat(ofB).hasSize(2);
    assertThat(inNamespace(posted, "tenant-c")).isNotEmpty();
    assertThat(posted).anyMatch(l -> !l.containsKey("namespace"));

    assertThat(receivedLabels(global)).containsExactlyInAnyOrderElementsOf(posted);
    assertThat(receivedLabels(tenantA)).containsExactlyInAnyOrderElementsOf(ofA);
    assertThat(receivedLabels(tenantB)).containsExactlyInAnyOrderElementsOf(ofB);
    assertThat(tenantC.requests()).isEmpty();

    assertWebhookShape(global, "global-webhook", null);
    assertWebhookShape(tenantA, "tenant-a-webhook", "tenant-a");
    assertWebhookShape(tenantB, "tenant-b-webhook", "tenant-b");

    // Same alert, same fingerprint, whichever receiver got it.
    Map<Map<String, String>, String> globalFingerprints = fingerprints(global);
    assertThat(globalFingerprints.values()).doesNotHaveDuplicates();
    assertThat(globalFingerprints).containsAllEntriesOf(fingerprints(tenantA));
    assertThat(globalFingerprints).containsAllEntriesOf(fingerprints(tenantB));
  }

  private void assertWebhookShape(WebhookSink sink, String receiver, @Nullable String tenant) {
    assertThat(sink.requests()).extracting(WebhookSink.Request::path).containsOnly(sink.path());
    assertThat(sink.accepted())
        .isNotEmpty()
        .allSatisfy(
            body -> {
              assertThat(body.get("version").asText()).isEqualTo("4");
              assertThat(body.get("receiver").asText()).isEqualTo(receiver);
              assertThat(body.get("status").asText()).isEqualTo("firing");
              assertThat(body.get("externalURL").asText()).startsWith("http://127.0.0.1:");
              assertThat(body.get("groupKey").asText()).startsWith("{}:");
              assertThat(body.get("truncatedAlerts").asInt()).isZero();
              assertThat(body.get("groupLabels").get("alertname").asText())
                  .isEqualTo(body.get("commonLabels").get("alertname").asText());
              assertThat(body.get("commonAnnotations").isObject()).isTrue();
              if (tenant != null) {
                assertThat(body.get("commonLabels").get("namespace").asText()).isEqualTo(tenant);
              }
              assertThat(body.get("alerts"))
                  .isNotEmpty()
                  .allSatisfy(
                      a -> {
                        assertThat(a.get("status").asText()).isEqualTo("firing");
                        assertThat(a.get("labels").isObject()).isTrue();
                        assertThat(a.get("annotations").get("summary").asText()).isNotBlank();
                        assertThat(Instant.parse(a.get("startsAt").asText()))
                            .isBefore(Instant.now());
                        assertThat(a.get("endsAt").asText()).isEqualTo(GO_ZERO_TIME);
                        assertThat(a.get("generatorURL").asText()).startsWith("http://prometheus");
                        assertThat(a.get("fingerprint").asText()).matches("[0-9a-f]{16}");
                        if (tenant != null) {
                          assertThat(a.get("labels").get("namespace").asText()).isEqualTo(tenant);
                        }
                      });
            });
  }

  /** Waits until nm4j has finished {@code notifications} notifications and has nothing queued. */
  private void awaitAllFinished(int notifications) {
    await("nm4j finished " + notifications + " notifications")
        .atMost(DELIVERY_TIMEOUT)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              assertThat(listener.delivered.size() + listener.deadLettered.size())
                  .as(
                      "finished notifications; sinks: %s %s %s %s; Alertmanager log:%n%s",
                      global, tenantA, tenantB, tenantC, alertmanager.logTail())
                  .isGreaterThanOrEqualTo(notifications);
              assertThat(manager.queued()).isZero();
            });
    assertThat(listener.accepted).as("accepted notifications").hasSize(notifications);
  }

  private static DeliveryHistory.Query statusQuery(DeliveryRecord.Status status) {
    return DeliveryHistory.Query.all().status(status);
  }

  private static ObjectRef receiver(String name) {
    return new ObjectRef("WebhookReceiver", name);
  }

  private static List<Map<String, String>> receivedLabels(WebhookSink sink) {
    return sink.acceptedAlerts().stream().map(a -> labels(a.get("labels"))).toList();
  }

  private static Map<Map<String, String>, String> fingerprints(WebhookSink sink) {
    Map<Map<String, String>, String> out = new HashMap<>();
    for (JsonNode a : sink.acceptedAlerts()) {
      out.put(labels(a.get("labels")), a.get("fingerprint").asText());
    }
    return out;
  }

  private static JsonNode onlyAlertWith(List<JsonNode> alerts, Map<String, String> labels) {
    List<JsonNode> matching =
        alerts.stream().filter(a -> labels(a.get("labels")).equals(labels)).toList();
    assertThat(matching).as("alerts labelled %s", labels).hasSize(1);
    return matching.get(0);
  }

  private static List<Map<String, String>> inNamespace(
      List<Map<String, String>> alerts, String namespace) {
    return alerts.stream().filter(l -> namespace.equals(l.get("namespace"))).toList();
  }

  private static List<Map<String, String>> labelsOf(ArrayNode alerts) {
    List<Map<String, String>> out = new ArrayList<>();
    alerts.forEach(a -> out.add(labels(a.get("labels"))));
    return out;
  }

  private static Map<String, String> labels(JsonNode object) {
    Map<String, String> out = new TreeMap<>();
    object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  /** The alerts of the given {@code alerts-input} files, concatenated into one POST body. */
  private static ArrayNode input(String... files) {
    ArrayNode all = JSON.createArrayNode();
    for (String file : files) {
      try {
        JSON.readTree(resource("/alertmanager/input/" + file)).forEach(all::add);
      } catch (IOException e) {
        throw new UncheckedIOException(file, e);
      }
    }
    return all;
  }

  private static String resource(String name) {
    try (InputStream in = AlertmanagerEndToEndTest.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(name, e);
    }
  }

  /** A failed attempt as the listener saw it. */
  record FailedAttempt(ObjectRef receiver, SendResult.Failed failure) {}

  /** Records every notification id nm4j worked on and how each ended. */
  private static final class RecordingListener implements DeliveryListener {
    final Set<String> accepted = ConcurrentHashMap.newKeySet();
    final List<String> delivered = new CopyOnWriteArrayList<>();
    final List<String> deadLettered = new CopyOnWriteArrayList<>();
    final List<FailedAttempt> failedAttempts = new CopyOnWriteArrayList<>();

    @Override
    public void onAttempt(Notification notification, int attempt, SendResult result) {
      accepted.add(notification.id());
      if (result instanceof SendResult.Failed f) {
        failedAttempts.add(new FailedAttempt(notification.receiver(), f));
      }
    }

    @Override
    public void onDelivered(Notification notification, int attempts) {
      accepted.add(notification.id());
      delivered.add(notification.id());
    }

    @Override
    public void onDeadLetter(Notification notification, int attempts, SendResult.Failed failure) {
      accepted.add(notification.id());
      deadLettered.add(notification.id());
    }

    @Override
    public void onSuppressed(Notification notification, String why) {
      accepted.add(notification.id());
    }
  }
}
