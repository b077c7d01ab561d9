package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The server as a child process under the failures operators meet: a full disk under the journal,
 * SIGTERM while a receiver hangs, and a data directory that cannot be used.
 */
class ServerReliabilityTest {
  private static final Pattern SEGMENT = Pattern.compile("journal-(\\d{16})\\.log");

  @TempDir Path tmp;

  private final List<Process> children = new ArrayList<>();
  private final WebhookSink healthy = new WebhookSink("/hook");
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stop() throws IOException {
    for (Process p : children) {
      p.destroyForcibly();
    }
    healthy.close();
  }

  private Path config(String url) throws IOException {
    return WebhookSink.globalReceiverConfig(tmp.resolve("config"), url);
  }

  private HttpResponse<String> post(int port, String id, int padding) throws Exception {
    String body =
        """
        {"version":"4","status":"firing","receiver":"nm4j","groupKey":"{}:{id=\\"%1$s\\"}",
         "alerts":[{"status":"firing","labels":{"alertname":"Disk","id":"%1$s"},
                    "annotations":{"padding":"%2$s"},"startsAt":"2024-05-01T10:00:00Z"}]}
        """
            .formatted(id, "x".repeat(padding));
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v2/alerts"))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private List<String> deliveredIds() {
    return healthy.acceptedAlerts().stream()
        .map(a -> a.path("labels").path("id").asText())
        .toList();
  }

  /**
   * A real ENOSPC: the journal's next segment is linked to {@code /dev/full} (every write fails
   * with "No space left on device"), and a batch too big for the current segment makes the journal
   * roll over onto it.
   */
  @Test
  void aFullDiskAnswers503WithoutItsDetailAndIntakeResumesOnceTheJournalCanWrite()
      throws Exception {
    Path config = config(healthy.url());
    Path data = tmp.resolve("data");
    Path log = tmp.resolve("server.log");
    ServerProcess.start(
        children, config, data, log, List.of(), List.of("--journal-segment-bytes", "1024"));
    int port = ServerProcess.port(log);
    assertThat(post(port, "before", 0).statusCode()).isEqualTo(200);
    Path full = linkNextSegmentToDevFull(data.resolve("journal"));

    HttpResponse<String> refused = post(port, "on-full-disk", 2048);

    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
    // the sender needs no credentials: what failed and where is for the operator's log and metric
    assertThat(refused.body())
        .contains("the batch cannot be stored now; retry later")
        .doesNotContain("No space left on device")
        .doesNotContain(data.toString());
    assertThat(metrics(port)).contains("nm4j_intake_rejected_total{reason=\"journal\"} 1.0");

    // Alertmanager retries the batch; the journal has moved off the failed segment
    HttpResponse<String> retried = post(port, "on-full-disk", 2048);
    assertThat(retried.statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> deliveredIds().containsAll(List.of("before", "on-full-disk")));
    assertThat(deliveredIds()).doesNotHaveDuplicates();
    assertThat(Files.exists(full, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.readString(log))
        .contains("journal write failed in " + data.resolve("journal"))
        .contains("No space left on device");
  }

  @Test
  void sigtermAnswers503WhileDrainingStopsWithinTheBoundAndTheNextStartResends() throws Exception {
    Path data = tmp.resolve("data");
    Path log1 = tmp.resolve("run1.log");
    try (SilentReceiver silent = new SilentReceiver()) {
      Path config = config(silent.url("/hook"));
      Process first =
          ServerProcess.start(
              children,
              config,
              data,
              log1,
              List.of(),
              List.of("--drain-timeout", "2s", "--send-timeout", "3s"));
      int port = ServerProcess.port(log1);
      assertThat(post(port, "stuck", 0).statusCode()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(20)).until(() -> silent.connections() >= 1);

      first.destroy(); // SIGTERM
      // intake refuses while the server drains (a post racing the signal may still be taken)
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                HttpResponse<String> r = post(port, "late", 0);
                return r.statusCode() == 503 && r.body().contains("shutting down");
              });
      // drain (2 s) plus the send in flight (at most 3 s): generous, not a benchmark
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(healthy.requests()).isEmpty();

    Path config = config(healthy.url());
    Path log2 = tmp.resolve("run2.log");
    ServerProcess.start(children, config, data, log2);
    ServerProcess.port(log2);
    await().atMost(Duration.ofSeconds(30)).until(() -> deliveredIds().contains("stuck"));
    assertThat(Files.readString(log2)).contains("recovered");
  }

  @Test
  void aDataDirThatIsAFileStopsTheServerAtStartNamingTheFlagAndThePath() throws Exception {
    Path config = config(healthy.url());
    Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");

    Cli.Result r =
        Cli.run(
            "serve",
            "--config",
            config.toString(),
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            file.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .containsExactly(
            "nm4j serve: --data-dir "
                + file
                + ": not a directory (a file of that name is in the way)");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--drain-timeout | soon | --drain-timeout: must be a duration such as 500ms, 10s, 2m or"
            + " PT10S, was \"soon\"",
        "--drain-timeout | -5s | --drain-timeout: must not be negative, was -5s",
        "--send-timeout | 0s | --send-timeout: must be positive",
        "--history-bytes | 100 | --history-bytes: must be at least 16384, was 100",
        "--history-size | -4294967295 | --history-size: must be 1..2147483647, was -4294967295",
        "--history-size | 0 | --history-size: must be 1..2147483647, was 0",
        "--max-in-flight | 0 | --max-in-flight: must be 1..64, was 0",
        "--max-in-flight | 65 | --max-in-flight: must be 1..64, was 65"
      })
  void badReliabilityFlagsAreUsageErrorsNamingTheFlag(String flag, String value, String message)
      throws Exception {
    Path config = config(healthy.url());
    Path data = tmp.resolve("data");

    Cli.Result r =
        Cli.run("serve", "--config", config.toString(), "--data-dir", data.toString(), flag, value);

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains(message);
  }

  private String metrics(int port) throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static Path linkNextSegmentToDevFull(Path journal) throws IOException {
    long newest = 0;
    try (Stream<Path> files = Files.list(journal)) {
      for (Path p : files.toList()) {
        Matcher m = SEGMENT.matcher(p.getFileName().toString());
        if (m.matches()) {
          newest = Math.max(newest, Long.parseLong(m.group(1)));
        }
      }
    }
    return Files.createSymbolicLink(
        journal.resolve(String.format("journal-%016d.log", newest + 1)), Path.of("/dev/full"));
  }
}
