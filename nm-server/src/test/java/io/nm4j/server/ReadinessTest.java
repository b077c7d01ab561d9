package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nm4j.core.FileConfigSource;
import io.nm4j.core.NotificationManager;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /readyz} tells a configuration source that stopped following its store from one that has
 * nothing new: 503 once it has failed for longer than the bound, naming the source and its last
 * failure without the server's paths, and 200 again once it reads; {@code /healthz} stays 200 and
 * intake goes on with the last good configuration meanwhile.
 */
class ReadinessTest {
  private static final String BATCH =
      """
      {"version":"4","status":"firing","receiver":"nm4j","groupKey":"g","alerts":[
       {"status":"firing","labels":{"alertname":"A"},"startsAt":"2026-11-25T10:00:00Z"}]}
      """;

  @TempDir Path tmp;
  private final HttpClient client = HttpClient.newHttpClient();
  private final WebhookSink sink = new WebhookSink("/hook");
  private NotificationManager manager;
  private Nm4jServer server;

  private void start(Path config, Duration staleAfter) throws Exception {
    // a short resync, so that a directory put back is read again within the test's patience
    manager =
        NotificationManager.builder()
            .configSource(
                FileConfigSource.of(config, Duration.ofMillis(20), Duration.ofMillis(200)))
            .build();
    server =
        Nm4jServer.builder()
            .manager(manager)
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .readyStaleAfter(staleAfter)
            .build()
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    manager.close();
    sink.close();
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path));
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Puts a file where the configuration directory was, as a botched volume mount does. */
  private static Path replaceByAFile(Path config) throws Exception {
    Path away = Files.move(config, config.resolveSibling("config.away"));
    Files.writeString(config, "not a directory");
    return away;
  }

  @Test
  void aSourceFailingLongerThanTheBoundIs503UntilItReadsAgainWhileHealthzStays200()
      throws Exception {
    Path config = WebhookSink.globalReceiverConfig(tmp.resolve("config"), sink.url());
    start(config, Duration.ofSeconds(1));
    assertThat(call("GET", "/readyz", null).body()).isEqualTo("ready\n");

    Path away = replaceByAFile(config);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> call("GET", "/readyz", null).statusCode() == 503);
    String stale = call("GET", "/readyz", null).body();
    assertThat(stale)
        .startsWith("stale: configuration source FileConfigSource has had no complete view since ")
        .contains("more than 1s); last failure: directory config cannot be read")
        .doesNotContain(tmp.toString());
    assertThat(call("GET", "/healthz", null).statusCode()).isEqualTo(200);
    assertThat(call("POST", "/api/v2/alerts", BATCH).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> sink.accepted().size() == 1);

    Files.delete(config);
    Files.move(away, config);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> call("GET", "/readyz", null).statusCode() == 200);
    assertThat(call("GET", "/readyz", null).body()).isEqualTo("ready\n");
  }

  @Test
  void aSourceFailingForLessThanTheBoundIsStillReady() throws Exception {
    Path config = WebhookSink.globalReceiverConfig(tmp.resolve("config"), sink.url());
    start(config, Duration.ofHours(1));

    replaceByAFile(config);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> manager.configHealth().lastFailure() != null);

    assertThat(call("GET", "/readyz", null).statusCode()).isEqualTo(200);
  }
}
