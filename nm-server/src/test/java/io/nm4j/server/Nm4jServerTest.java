package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.nm4j.core.InMemoryConfigSource;
import io.nm4j.core.Manifests;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.admin.AdminService;
import io.nm4j.core.delivery.DeliveryOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Nm4jServerTest {
  private static final String FIRING =
      "{\"version\":\"4\",\"receiver\":\"nm4j\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\","
          + "\"labels\":{\"alertname\":\"A\",\"namespace\":\"shop\"},\"annotations\":{},"
          + "\"startsAt\":\"2026-11-25T10:00:00Z\",\"endsAt\":\"0001-01-01T00:00:00Z\",\"fingerprint\":\"f1\"}],"
          + "\"groupLabels\":{},\"commonLabels\":{},\"commonAnnotations\":{},\"externalURL\":\"\",\"groupKey\":\"%s\"}";

  private final HttpClient client = HttpClient.newHttpClient();
  private NotificationManager manager;
  private Nm4jServer server;
  private InMemoryConfigSource source;

  @BeforeEach
  void start() throws IOException {
    start(DeliveryOptions.defaults(), Nm4jServer.DEFAULT_MAX_BODY_BYTES);
  }

  private void start(DeliveryOptions options, int maxBody) throws IOException {
    // The global webhook receiver delivers to the server's own demo sink.
    source = new InMemoryConfigSource();
    manager = NotificationManager.builder().configSource(source).deliveryOptions(options).build();
    server =
        Nm4jServer.builder()
            .manager(manager)
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .maxBodyBytes(maxBody)
            .build()
            .start();
    String yaml =
        """
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: WebhookConfig
        metadata: {name: sink, labels: {type: default}}
        spec: {url: "http://127.0.0.1:%d/sink"}
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: WebhookReceiver
        metadata: {name: ops, labels: {type: global}}
        spec: {}
        """
            .formatted(server.address().getPort());
    source.putAll(Manifests.parse(yaml, "test").objects());
  }

  @AfterEach
  void stop() {
    server.close();
    manager.close();
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
  }

  @Test
  void anAdminPortInUseFailsTheStartAndReleasesTheMainPort() throws Exception {
    AdminService admin = AdminService.builder().store(source).manager(manager).build();
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int mainPort;
      try (java.net.ServerSocket probe =
          new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        mainPort = probe.getLocalPort();
      }
      InetSocketAddress main = new InetSocketAddress("127.0.0.1", mainPort);

      assertThatThrownBy(
              () ->
                  Nm4jServer.builder()
                      .manager(manager)
                      .listen(main)
                      .admin(admin)
                      .adminListen(new InetSocketAddress("127.0.0.1", taken.getLocalPort()))
                      .build()
                      .start())
          .isInstanceOf(IOException.class)
          .hasRootCauseInstanceOf(java.net.BindException.class);
      // the main socket was bound before the admin one failed, and is closed again
      try (java.net.ServerSocket again =
          new java.net.ServerSocket(mainPort, 1, java.net.InetAddress.getLoopbackAddress())) {
        assertThat(again.getLocalPort()).isEqualTo(mainPort);
      }
    }
  }

  @Test
  void metricsCountIntakeAndDeliveriesPerChannelAndTenantInPrometheusText() throws Exception {
    assertThat(post("/api/v2/alerts", FIRING.formatted("m1")).statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get("/metrics").body().contains("event=\"delivered\""));
    HttpResponse<String> m = get("/metrics");
    assertThat(m.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(m.body())
        .contains("nm4j_intake_batches_total 1.0\n")
        .contains("nm4j_intake_alerts_total{outcome=\"accepted\"} 1.0\n")
        .contains("nm4j_intake_alerts_total{outcome=\"routed\"} 1.0\n")
        .contains("nm4j_intake_alerts_total{outcome=\"unrouted\"} 0.0\n")
        .contains("nm4j_intake_rejected_total{reason=\"queue_full\"} 0.0\n")
        .contains("nm4j_intake_recovered_total 0.0\n")
        .contains("# TYPE nm4j_queue_depth gauge\n")
        .contains("# TYPE nm4j_queue_bytes gauge\n")
        .contains("nm4j_journal_lag ")
        .contains(
            "nm4j_notifications_total{channel=\"WebhookReceiver\",event=\"delivered\",tenant=\"\"} 1.0\n")
        .contains("jvm_memory_used_bytes{")
        .contains("jvm_threads_live_threads ")
        .contains("process_cpu_usage ")
        .contains("process_uptime_seconds ");
  }

  @Test
  void acceptedBatchIsAnswered200AndDeliveredToTheReceiver() throws Exception {
    HttpResponse<String> r = post("/api/v2/alerts", FIRING.formatted("g1"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"status\":\"accepted\",\"notifications\":1,\"unrouted\":0}");
    await().atMost(Duration.ofSeconds(20)).until(() -> server.sinkAlerts() == 1);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                get("/api/v2/deliveries?receiver=WebhookReceiver/ops&status=delivered")
                    .body()
                    .contains("DELIVERED"));
    assertThat(get("/sink").body()).isEqualTo("{\"requests\":1,\"alerts\":1}");
  }

  @Test
  void aResentBatchIsAcceptedButNotDeliveredTwice() throws Exception {
    assertThat(post("/api/v2/alerts", FIRING.formatted("g2")).statusCode()).isEqualTo(200);
    HttpResponse<String> again = post("/api/v2/alerts", FIRING.formatted("g2"));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).contains("\"status\":\"duplicate\"");
    await().atMost(Duration.ofSeconds(20)).until(() -> server.sinkAlerts() == 1);
  }

  @Test
  void malformedBodiesGet400NamingTheField() throws Exception {
    HttpResponse<String> r =
        post("/api/v2/alerts", "{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"a\":1}}]}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .isEqualTo("{\"error\":\"alerts[0].labels.a: must be a string, was a number\"}");
    assertThat(post("/api/v2/alerts", "{not json").statusCode()).isEqualTo(400);
  }

  @Test
  void bodiesAboveTheLimitGet413() throws Exception {
    server.close();
    manager.close();
    start(DeliveryOptions.defaults(), 100);
    HttpResponse<String> r = post("/api/v2/alerts", FIRING.formatted("g3"));
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).isEqualTo("{\"error\":\"body larger than 100 bytes\"}");
  }

  @Test
  void fullQueuesAndShutdownAnswer503SoAlertmanagerRetries() throws Exception {
    server.close();
    manager.close();
    start(DeliveryOptions.builder().maxQueuedTotal(1).build(), Nm4jServer.DEFAULT_MAX_BODY_BYTES);
    // A second global receiver: every batch now needs two queue places, and there is one.
    source.putAll(
        Manifests.parse(
                "apiVersion: notification.kubesphere.io/v1alpha1\nkind: WebhookReceiver\n"
                    + "metadata: {name: ops2, labels: {type: global}}\nspec: {}\n",
                "test")
            .objects());
    HttpResponse<String> full = post("/api/v2/alerts", FIRING.formatted("g4"));
    assertThat(full.statusCode()).isEqualTo(503);
    assertThat(full.body()).contains("2 notifications not accepted");
    assertThat(manager.queued()).isZero();
    server.stopIntake();
    HttpResponse<String> r = post("/api/v2/alerts", FIRING.formatted("g5"));
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).contains("5");
    assertThat(get("/readyz").statusCode()).isEqualTo(503);
  }

  @Test
  void explainReturnsTheRoutingAndSendsNothing() throws Exception {
    HttpResponse<String> r = post("/api/v2/explain", FIRING.formatted("g6"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains(
            "\"receiver\":\"WebhookReceiver/ops\"",
            "\"config\":\"WebhookConfig/sink\"",
            "\"alerts\":[0]");
    assertThat(get("/api/v2/deliveries").body()).isEqualTo("[]");
    assertThat(server.sinkAlerts()).isZero();
  }

  @Test
  void healthWrongMethodsAndUnknownPaths() throws Exception {
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    assertThat(get("/readyz").body()).isEqualTo("ready\n");
    HttpResponse<String> wrong = get("/api/v2/alerts");
    assertThat(wrong.statusCode()).isEqualTo(405);
    assertThat(wrong.headers().firstValue("Allow")).contains("POST");
    assertThat(get("/nope").statusCode()).isEqualTo(404);
    assertThat(get("/api/v2/deliveries?receiver=ops").statusCode()).isEqualTo(400);
    assertThat(get("/api/v2/deliveries?status=bogus").statusCode()).isEqualTo(400);
  }
}
