package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nm4j.core.FileConfigSource;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.Receipt;
import io.nm4j.core.delivery.DeliveryOptions;
import io.nm4j.core.delivery.DeliveryOutcome;
import io.nm4j.core.journal.FileJournal;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.SendResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping with a receiver that never answers (bounded drain, nothing lost), and what stopping
 * leaves behind: no thread and no socket of the manager or the server.
 */
class ShutdownAndLeaksTest {
  @TempDir Path tmp;

  private final WebhookSink healthy = new WebhookSink("/hook");
  private SilentReceiver silent;

  @AfterEach
  void stop() throws IOException {
    healthy.close();
    if (silent != null) {
      silent.close();
    }
  }

  private Path config(String url) throws IOException {
    return WebhookSink.globalReceiverConfig(tmp.resolve("config"), url);
  }

  private NotificationManager manager(Path config, DeliveryOptions options) throws IOException {
    return NotificationManager.builder()
        .configSource(FileConfigSource.of(config))
        .journal(FileJournal.open(tmp.resolve("data/journal")))
        .deliveryOptions(options)
        .build();
  }

  private static AlertBatch batch(String id) {
    return AlertBatch.of(List.of(Alert.firing(Map.of("alertname", "Stuck", "id", id))));
  }

  @Test
  void closeReturnsWithinTheDrainBoundWhileAReceiverNeverAnswersAndTheNextStartResends()
      throws Exception {
    silent = new SilentReceiver();
    Path config = config(silent.url("/hook"));
    DeliveryOptions options =
        DeliveryOptions.builder()
            .drainTimeout(Duration.ofSeconds(1))
            .sendTimeout(Duration.ofSeconds(2))
            .build();
    NotificationManager first = manager(config, options);
    Receipt receipt = first.submit(batch("stuck-1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> silent.connections() >= 1);

    CompletableFuture<Void> closed = CompletableFuture.runAsync(first::close);
    // drain (1 s) plus the send in flight (at most 2 s); the bound is generous, not a benchmark
    await().atMost(Duration.ofSeconds(20)).until(closed::isDone);
    closed.join();
    DeliveryOutcome outcome = receipt.outcomes().get(0).join();
    assertThat(outcome.status()).isEqualTo(DeliveryOutcome.Status.DEAD_LETTER);
    assertThat(outcome.lastFailure().reason()).isEqualTo(SendResult.Reason.SHUTDOWN);
    assertThat(healthy.requests()).isEmpty();

    config(healthy.url());
    try (NotificationManager second = manager(config, options)) {
      assertThat(second.journal().pending()).hasSize(1);
      await().atMost(Duration.ofSeconds(20)).until(() -> healthy.accepted().size() == 1);
      assertThat(healthy.acceptedAlerts())
          .extracting(a -> a.path("labels").path("id").asText())
          .containsExactly("stuck-1");
      await().atMost(Duration.ofSeconds(10)).until(() -> second.journal().unfinished() == 0);
    }
  }

  @Test
  void closingTheServerAndTheManagerLeavesNoThreadOrSocketOfTheirs() throws Exception {
    Set<Long> before = nm4jThreads().keySet();
    long socketsBefore = openSockets();
    Path config = config(healthy.url());
    NotificationManager manager = manager(config, DeliveryOptions.defaults());
    Nm4jServer server =
        Nm4jServer.builder()
            .manager(manager)
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .build()
            .start();

    assertThat(post(server, "leak-1")).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> healthy.accepted().size() == 1);
    // the listener and the pooled connection to the receiver (both ends are in this process)
    assertThat(openSockets()).isGreaterThan(socketsBefore);
    assertThat(nm4jThreads().values())
        .anyMatch(n -> n.startsWith("nm4j-journal"))
        .anyMatch(n -> n.startsWith("nm4j-config-watch"))
        .anyMatch(n -> n.startsWith("nm4j-intake-"));

    server.close();
    manager.close();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Map<Long, String> left = nm4jThreads();
              left.keySet().removeAll(before);
              assertThat(left).as("nm4j threads still alive").isEmpty();
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(openSockets()).isLessThanOrEqualTo(socketsBefore));
  }

  private static int post(Nm4jServer server, String id) throws IOException {
    String body =
        """
        {"version":"4","status":"firing","receiver":"nm4j","groupKey":"{}:{id=\\"%1$s\\"}",
         "alerts":[{"status":"firing","labels":{"alertname":"Leak","id":"%1$s"},
                    "startsAt":"2024-05-01T10:00:00Z"}]}
        """
            .formatted(id);
    HttpURLConnection c =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + server.address().getPort() + "/api/v2/alerts")
                .toURL()
                .openConnection();
    // no keep-alive: the client's own connection must not count as the server's
    c.setRequestProperty("Connection", "close");
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    try (OutputStream out = c.getOutputStream()) {
      out.write(body.getBytes(StandardCharsets.UTF_8));
    }
    int status = c.getResponseCode();
    try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
      if (in != null) {
        in.readAllBytes();
      }
    }
    c.disconnect();
    return status;
  }

  /** Live threads named {@code nm4j-*}, by id. */
  private static Map<Long, String> nm4jThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("nm4j-"))
        .collect(Collectors.toMap(Thread::getId, Thread::getName));
  }

  /** Open file descriptors of this process that are sockets. */
  private static long openSockets() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(
              fd -> {
                try {
                  return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException e) {
                  return false; // closed while listing
                }
              })
          .count();
    }
  }
}
