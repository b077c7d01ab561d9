package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nm4j.core.InMemoryConfigSource;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.admin.TokenFileAuthenticator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One access line per request with method, path, status, bytes, duration, caller and remote
 * address; never the query, a token or a body; and text from the request cannot forge a line.
 */
class AccessLogTest {
  private static final String TOKEN = "admin-token-very-secret";

  @TempDir Path etc;
  private final HttpClient client = HttpClient.newHttpClient();
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream original;
  private NotificationManager manager;
  private Nm4jServer server;

  @BeforeEach
  void start() throws Exception {
    Path tokens = Files.writeString(etc.resolve("tokens.csv"), TOKEN + ",root,nm-admins\n");
    manager = NotificationManager.builder().configSource(new InMemoryConfigSource()).build();
    server =
        Nm4jServer.builder()
            .manager(manager)
            .authenticators(List.of(TokenFileAuthenticator.of(tokens)))
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .build()
            .start();
    original = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() {
    System.setErr(original);
    server.close();
    manager.close();
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.address().getPort() + pathAndQuery));
  }

  private List<String> accessLines() {
    return captured
        .toString(StandardCharsets.UTF_8)
        .lines()
        .filter(l -> l.contains("io.nm4j.server.access"))
        .toList();
  }

  @Test
  void eachRequestIsOneLineWithCallerAndWithoutQueryOrToken() throws Exception {
    send(
        request("/api/v2/deliveries?tenant=q-secret-value&limit=5")
            .header("Authorization", "Bearer " + TOKEN)
            .GET());
    send(request("/api/v2/deliveries").GET());

    await().atMost(Duration.ofSeconds(10)).until(() -> accessLines().size() == 2);
    List<String> lines = accessLines();
    assertThat(lines.get(0))
        .containsPattern(
            "GET /api/v2/deliveries 200 \\d+B \\d+ms caller=root remote=127\\.0\\.0\\.1:\\d+$");
    assertThat(lines.get(1))
        .containsPattern(
            "GET /api/v2/deliveries 401 \\d+B \\d+ms caller=- remote=127\\.0\\.0\\.1:");
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .doesNotContain("q-secret-value")
        .doesNotContain(TOKEN);
  }

  @Test
  void textFromARequestCannotForgeALogLine() throws Exception {
    String body =
        "{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"x\\naudit user=admin verb=delete\","
            + "\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\\u001b[31mred\"}}]}";

    assertThat(send(request("/sink").POST(HttpRequest.BodyPublishers.ofString(body))).statusCode())
        .isEqualTo(200);

    await().atMost(Duration.ofSeconds(10)).until(() -> accessLines().size() == 1);
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("x\\naudit user=admin verb=delete").contains("A\\u001b[31mred");
    assertThat(log.lines()).noneMatch(l -> l.startsWith("audit"));
    assertThat(log).doesNotContain("\u001b");
  }
}
