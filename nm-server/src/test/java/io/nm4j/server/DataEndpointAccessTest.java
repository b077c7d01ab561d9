package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.core.InMemoryConfigSource;
import io.nm4j.core.Manifests;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.admin.AdminService;
import io.nm4j.core.admin.TokenFileAuthenticator;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may read the server's data: with authenticators configured, {@code /api/v2/deliveries} and
 * {@code /api/v2/explain} need a caller; an admin sees everything, a tenant (namespace tenancy:
 * alice holds {@code ns:shop}) only its own receivers; {@code /metrics} is open unless {@code
 * metricsAuth}; health endpoints are always open.
 */
class DataEndpointAccessTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN = "admin-token-1";
  private static final String ALICE = "alice-token-1";
  private static final String BATCH =
      """
      {"version":"4","status":"firing","receiver":"nm4j","groupKey":"g1","alerts":[
       {"status":"firing","labels":{"alertname":"ShopDown","namespace":"shop"},"startsAt":"2026-11-25T10:00:00Z"},
       {"status":"firing","labels":{"alertname":"PayDown","namespace":"payments"},"startsAt":"2026-11-25T10:00:00Z"}]}
      """;

  @TempDir Path etc;
  private final HttpClient client = HttpClient.newHttpClient();
  private final WebhookSink sink = new WebhookSink("/hook");
  private NotificationManager manager;
  private AdminService admin;
  private Nm4jServer server;

  @BeforeEach
  void start() throws Exception {
    Path tokens = etc.resolve("tokens.csv");
    Files.writeString(tokens, ADMIN + ",root,nm-admins\n" + ALICE + ",alice,ns:shop\n");
    InMemoryConfigSource source = new InMemoryConfigSource();
    manager = NotificationManager.builder().configSource(source).build();
    admin = AdminService.builder().store(source).manager(manager).build();
    server =
        Nm4jServer.builder()
            .manager(manager)
            .admin(admin)
            .authenticators(List.of(TokenFileAuthenticator.of(tokens)))
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .adminListen(new InetSocketAddress("127.0.0.1", 0))
            .build()
            .start();
    source.putAll(Manifests.parse(config(sink.url()), "test").objects());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> manager.snapshot().destinations().size() == 3);
  }

  private static String config(String url) {
    StringBuilder yaml = new StringBuilder();
    yaml.append(
        """
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: WebhookConfig
        metadata: {name: hook, labels: {type: default}}
        spec: {url: "%s"}
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: WebhookReceiver
        metadata: {name: ops, labels: {type: global}}
        spec: {}
        """
            .formatted(url));
    for (String ns : List.of("shop", "payments")) {
      yaml.append(
          """
          ---
          apiVersion: notification.kubesphere.io/v1alpha1
          kind: WebhookReceiver
          metadata: {name: %1$s-hook, labels: {type: tenant, namespace: %1$s}}
          spec: {}
          """
              .formatted(ns));
    }
    return yaml.toString();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    admin.close();
    manager.close();
    sink.close();
  }

  private HttpResponse<String> call(String method, String path, String token, String body)
      throws Exception {
    return client.send(
        Requests.to(server.address().getPort(), method, path, token, null, body),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> field(HttpResponse<String> r, String name) throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode n : JSON.readTree(r.body())) {
      out.add(n.path(name).asText());
    }
    return out;
  }

  private void deliverBatch() throws Exception {
    assertThat(call("POST", "/api/v2/alerts", null, BATCH).statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                manager.history().query(io.nm4j.core.delivery.DeliveryHistory.Query.all()).stream()
                        .filter(r -> r.status().name().equals("DELIVERED"))
                        .count()
                    == 3);
  }

  @Test
  void deliveriesNeedACallerAndATenantSeesOnlyTheHistoryOfItsOwnReceivers() throws Exception {
    deliverBatch();

    assertThat(call("GET", "/api/v2/deliveries", null, null).statusCode()).isEqualTo(401);
    HttpResponse<String> wrong = call("GET", "/api/v2/deliveries", "not-a-token", null);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");

    HttpResponse<String> all = call("GET", "/api/v2/deliveries?status=delivered", ADMIN, null);
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(field(all, "receiver"))
        .containsExactlyInAnyOrder(
            "WebhookReceiver/ops", "WebhookReceiver/shop-hook", "WebhookReceiver/payments-hook");

    HttpResponse<String> mine = call("GET", "/api/v2/deliveries", ALICE, null);
    assertThat(mine.statusCode()).isEqualTo(200);
    assertThat(field(mine, "receiver")).containsOnly("WebhookReceiver/shop-hook").isNotEmpty();
    assertThat(field(mine, "tenant")).containsOnly("shop");
    assertThat(
            field(
                call(
                    "GET",
                    "/api/v2/deliveries?receiver=WebhookReceiver/payments-hook",
                    ALICE,
                    null),
                "receiver"))
        .isEmpty();
    assertThat(call("GET", "/api/v2/deliveries?tenant=payments", ALICE, null).statusCode())
        .isEqualTo(403);
  }

  @Test
  void explainNeedsACallerAndATenantSeesOnlyItsOwnReceiversNotifications() throws Exception {
    assertThat(call("POST", "/api/v2/explain", null, BATCH).statusCode()).isEqualTo(401);

    JsonNode everything = JSON.readTree(call("POST", "/api/v2/explain", ADMIN, BATCH).body());
    assertThat(everything.get("notifications")).hasSize(3);

    HttpResponse<String> r = call("POST", "/api/v2/explain", ALICE, BATCH);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode mine = JSON.readTree(r.body());
    assertThat(mine.get("notifications")).hasSize(1);
    assertThat(mine.at("/notifications/0/receiver").asText())
        .isEqualTo("WebhookReceiver/shop-hook");
    assertThat(mine.at("/notifications/0/alerts/0").asInt()).isZero();
    assertThat(mine.get("unrouted")).isEmpty();
    assertThat(r.body()).doesNotContain("payments").doesNotContain("WebhookReceiver/ops");
    assertThat(manager.intakeCounts().acceptedBatches()).isZero();
  }

  @Test
  void metricsAreOpenByDefaultAndHealthIsAlwaysOpen() throws Exception {
    assertThat(call("GET", "/metrics", null, null).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/readyz", null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void withMetricsAuthOnlyAnAdminReadsMetrics() throws Exception {
    server.close();
    Path tokens = etc.resolve("tokens.csv");
    server =
        Nm4jServer.builder()
            .manager(manager)
            .authenticators(List.of(TokenFileAuthenticator.of(tokens)))
            .metricsAuth(true)
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .build()
            .start();

    assertThat(call("GET", "/metrics", null, null).statusCode()).isEqualTo(401);
    assertThat(call("GET", "/metrics", ALICE, null).statusCode()).isEqualTo(403);
    HttpResponse<String> r = call("GET", "/metrics", ADMIN, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("nm4j_intake_batches_total");
    assertThat(call("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void withAnIntakeTokenFileAlertsNeedOneOfItsTokensAndTheFileIsReloadedAndFailsClosed()
      throws Exception {
    server.close();
    Path intakeTokens = Files.writeString(etc.resolve("intake-tokens"), "# alertmanager\nam-1\n");
    server =
        Nm4jServer.builder()
            .manager(manager)
            .intakeTokenFile(intakeTokens)
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .build()
            .start();

    assertThat(call("POST", "/api/v2/alerts", null, BATCH).statusCode()).isEqualTo(401);
    assertThat(call("POST", "/api/v2/alerts", "am-2", BATCH).statusCode()).isEqualTo(401);
    assertThat(call("POST", "/api/v2/alerts", "am-1", BATCH).statusCode()).isEqualTo(200);

    // rotated: the new token works at once, the old one no more (size changes, so no mtime race)
    Files.writeString(intakeTokens, "am-2-rotated\n");
    assertThat(call("POST", "/api/v2/alerts", "am-2-rotated", BATCH).statusCode()).isEqualTo(200);
    assertThat(call("POST", "/api/v2/alerts", "am-1", BATCH).statusCode()).isEqualTo(401);

    Files.writeString(intakeTokens, "# no token left\n");
    assertThat(call("POST", "/api/v2/alerts", "am-2-rotated", BATCH).statusCode()).isEqualTo(401);
    Files.delete(intakeTokens);
    assertThat(call("POST", "/api/v2/alerts", "am-2-rotated", BATCH).statusCode()).isEqualTo(401);
    assertThat(call("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
  }
}
