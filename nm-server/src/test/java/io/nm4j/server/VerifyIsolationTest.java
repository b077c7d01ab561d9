package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nm4j.core.InMemoryConfigSource;
import io.nm4j.core.Manifests;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.admin.AdminService;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /verify} sends to an endpoint that never answers: the sends run on their own bounded
 * executor, so intake and the rest of the admin API keep answering, and a verify beyond the bound
 * is refused with 429 at once instead of waiting.
 */
class VerifyIsolationTest {
  private static final String PREFIX = "/kapis/notification.kubesphere.io/v2alpha1/";
  private static final String ALERT =
      "{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"nm4j\",\"groupKey\":\"g\","
          + "\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\"},"
          + "\"startsAt\":\"2026-11-25T10:00:00Z\"}]}";

  private final HttpClient client = HttpClient.newHttpClient();
  private SilentReceiver silent;
  private NotificationManager manager;
  private AdminService admin;
  private Nm4jServer server;

  @BeforeEach
  void start() throws Exception {
    silent = new SilentReceiver();
    InMemoryConfigSource source = new InMemoryConfigSource();
    manager = NotificationManager.builder().configSource(source).build();
    admin = AdminService.builder().store(source).manager(manager).build();
    source.putAll(
        Manifests.parse(
                """
                apiVersion: notification.kubesphere.io/v1alpha1
                kind: WebhookConfig
                metadata: {name: stuck, labels: {type: default}}
                spec: {url: "%s"}
                """
                    .formatted(silent.url("/hook")),
                "test")
            .objects());
    server =
        Nm4jServer.builder()
            .manager(manager)
            .admin(admin)
            .adminThreads(2)
            .verifyConcurrency(4)
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .adminListen(new InetSocketAddress("127.0.0.1", 0))
            .build()
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    admin.close();
    manager.close();
    silent.close();
  }

  private HttpRequest.Builder request(InetSocketAddress to, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + to.getPort() + path));
  }

  @Test
  void eightHungVerifyCallsNeitherStopIntakeNorTheAdminApiAndThoseBeyondTheBoundGet429()
      throws Exception {
    String verify =
        "{\"receiver\":{\"apiVersion\":\"notification.kubesphere.io/v1alpha1\","
            + "\"kind\":\"WebhookReceiver\",\"metadata\":{\"name\":\"try\",\"labels\":"
            + "{\"type\":\"global\"}},\"spec\":{}},"
            + "\"config\":{\"kind\":\"WebhookConfig\",\"name\":\"stuck\"}}";
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(
          client.sendAsync(
              request(server.adminAddress(), PREFIX + "verify")
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(verify))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }

    // four sends hang at the receiver; the other four were refused without waiting
    await().atMost(Duration.ofSeconds(20)).until(() -> silent.connections() >= 4);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> calls.stream().filter(CompletableFuture::isDone).count() == 4);
    for (CompletableFuture<HttpResponse<String>> c : calls) {
      if (c.isDone()) {
        assertThat(c.join().statusCode()).isEqualTo(429);
        assertThat(c.join().headers().firstValue("Retry-After")).hasValue("5");
        assertThat(c.join().body()).contains("TooManyRequests");
      }
    }
    assertThat(silent.connections()).isEqualTo(4);

    HttpResponse<String> health =
        client.send(
            request(server.address(), "/healthz").timeout(Duration.ofSeconds(2)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    HttpResponse<String> alert =
        client.send(
            request(server.address(), "/api/v2/alerts")
                .timeout(Duration.ofSeconds(2))
                .POST(HttpRequest.BodyPublishers.ofString(ALERT))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(alert.statusCode()).isEqualTo(200);
    // two admin request threads, four hung verifies: the admin API still answers
    HttpResponse<String> list =
        client.send(
            request(server.adminAddress(), PREFIX + "webhookconfigs")
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).contains("\"name\":\"stuck\"");
  }
}
