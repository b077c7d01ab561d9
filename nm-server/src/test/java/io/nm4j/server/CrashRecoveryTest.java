package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the real server as a child process, kills it with SIGKILL while the receivers answer 503,
 * restarts it on the same data directory with the receivers healthy, and checks that every alert
 * that was answered 200 reached each of its receivers.
 */
class CrashRecoveryTest {
  private static final Logger LOG = LoggerFactory.getLogger(CrashRecoveryTest.class);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "crash-test-t0ken-9f3a";
  private static final int BATCHES = 200;
  private static final int ALERTS_PER_BATCH = 10;
  private static final int KILL_AFTER_ACKS = 80;
  @TempDir Path tmp;

  private MockWebServer endpoint;
  private volatile boolean healthy;
  private final AtomicInteger unauthorized = new AtomicInteger();
  private final Map<String, Map<String, Integer>> received = new ConcurrentHashMap<>();
  private final List<Process> children = new ArrayList<>();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void startEndpoint() throws IOException {
    endpoint = new MockWebServer();
    endpoint.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            if (!("Bearer " + TOKEN).equals(request.getHeaders().get("Authorization"))) {
              unauthorized.incrementAndGet();
              return new MockResponse.Builder().code(401).build();
            }
            if (!healthy) {
              return new MockResponse.Builder().code(503).body("unavailable").build();
            }
            try {
              JsonNode body = JSON.readTree(request.getBody().utf8());
              Map<String, Integer> seen =
                  received.computeIfAbsent(
                      request.getUrl().encodedPath(), k -> new ConcurrentHashMap<>());
              for (JsonNode alert : body.get("alerts")) {
                seen.merge(alert.get("labels").get("id").asText(), 1, Integer::sum);
              }
            } catch (IOException e) {
              return new MockResponse.Builder().code(400).build();
            }
            return new MockResponse.Builder().code(200).body("{}").build();
          }
        });
    endpoint.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stop() throws IOException {
    for (Process p : children) {
      p.destroyForcibly();
    }
    endpoint.close();
  }

  @Test
  void everyAcknowledgedAlertReachesEachReceiverAfterASigkillAndRestart() throws Exception {
    runCrashAndRestart(false);
  }

  @Test
  void tornJournalTailIsTruncatedAndReportedAndEveryAcknowledgedAlertStillArrives()
      throws Exception {
    runCrashAndRestart(true);
  }

  private void runCrashAndRestart(boolean tearTail) throws Exception {
    Path config = writeConfig();
    Path data = tmp.resolve("data");
    Set<Integer> acked = ConcurrentHashMap.newKeySet();

    Path log1 = tmp.resolve("run1.log");
    Process first = start(config, data, log1);
    int port1 = port(log1);
    AtomicInteger next = new AtomicInteger();
    List<Thread> posters = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread poster =
          new Thread(
              () -> {
                for (int i; (i = next.getAndIncrement()) < BATCHES; ) {
                  if (post(port1, i)) {
                    acked.add(i);
                  } else {
                    return; // the server is gone; this batch was never acknowledged
                  }
                }
              });
      posters.add(poster);
      poster.start();
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= KILL_AFTER_ACKS);
    first.destroyForcibly(); // SIGKILL: no shutdown hook, no drain
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    for (Thread poster : posters) {
      poster.join();
    }
    int ackedBeforeCrash = acked.size();
    assertThat(ackedBeforeCrash).isBetween(KILL_AFTER_ACKS, BATCHES - 1);
    assertThat(received).isEmpty();

    String tornSegment = null;
    if (tearTail) {
      Path segment = newestSegment(data.resolve("journal"));
      tornSegment = segment.getFileName().toString();
      Files.write(segment, new byte[] {0, 0, 0x40, 0, 1, 2, 3, 4, 5}, StandardOpenOption.APPEND);
    }

    healthy = true;
    Path log2 = tmp.resolve("run2.log");
    Process second = start(config, data, log2);
    int port2 = port(log2);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> posts = new ArrayList<>();
      for (int i = 0; i < BATCHES; i++) {
        int batch = i;
        if (!acked.contains(batch)) {
          posts.add(pool.submit(() -> post(port2, batch) && acked.add(batch)));
        }
      }
      for (Future<?> f : posts) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(acked).hasSize(BATCHES);
    Set<String> expected = alertIds(acked);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                received.getOrDefault("/a", Map.of()).keySet().containsAll(expected)
                    && received.getOrDefault("/b", Map.of()).keySet().containsAll(expected));
    int duplicates = 0;
    for (Map<String, Integer> seen : received.values()) {
      for (int count : seen.values()) {
        duplicates += count - 1;
      }
    }
    // At least once: duplicates are allowed; they are reported, not hidden.
    LOG.info(
        "crash test{}: {} batches acknowledged before SIGKILL, {} duplicate deliveries",
        tearTail ? " (torn tail)" : "",
        ackedBeforeCrash,
        duplicates);
    assertThat(unauthorized).hasValue(0);

    second.destroy(); // SIGTERM: graceful stop
    assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String logs = Files.readString(log1) + Files.readString(log2);
    if (tearTail) {
      assertThat(Files.readString(log2))
          .contains(tornSegment + ": torn or corrupt record at byte")
          .contains("9 bytes dropped");
    }
    assertThat(logs).contains("recovered").doesNotContain(TOKEN).doesNotContain(base64(TOKEN));
  }

  private static Set<String> alertIds(Set<Integer> batches) {
    Set<String> ids = ConcurrentHashMap.newKeySet();
    for (int b : batches) {
      for (int a = 0; a < ALERTS_PER_BATCH; a++) {
        ids.add(alertId(b, a));
      }
    }
    return ids;
  }

  private static String alertId(int batch, int alert) {
    return NumberedBatches.alertId(batch, alert);
  }

  private boolean post(int port, int batch) {
    return NumberedBatches.post(
        client, port, NumberedBatches.body(batch, ALERTS_PER_BATCH, "CrashTest"));
  }

  private Process start(Path config, Path data, Path log) throws IOException {
    return ServerProcess.start(children, config, data, log);
  }

  private static int port(Path log) {
    return ServerProcess.port(log);
  }

  private static Path newestSegment(Path journal) throws IOException {
    try (Stream<Path> files = Files.list(journal)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith("journal-"))
          .sorted()
          .reduce((a, b) -> b)
          .orElseThrow();
    }
  }

  private static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private Path writeConfig() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    String url = "http://127.0.0.1:" + endpoint.getPort();
    StringBuilder yaml = new StringBuilder();
    yaml.append(
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: hook-secret, namespace: kubesphere-monitoring-system}
        type: Opaque
        data: {token: %s}
        """
            .formatted(base64(TOKEN)));
    for (String name : List.of("a", "b")) {
      yaml.append(
          """
          ---
          apiVersion: notification.kubesphere.io/v1alpha1
          kind: WebhookConfig
          metadata: {name: hook-%1$s, namespace: kubesphere-monitoring-system, labels: {purpose: %1$s}}
          spec:
            url: %2$s/%1$s
            httpConfig:
              bearerToken: {name: hook-secret, key: token}
          ---
          apiVersion: notification.kubesphere.io/v1alpha1
          kind: WebhookReceiver
          metadata: {name: ops-%1$s, namespace: kubesphere-monitoring-system, labels: {type: global}}
          spec:
            webhookConfigSelector:
              matchLabels: {purpose: %1$s}
          """
              .formatted(name, url));
    }
    Files.writeString(dir.resolve("crash.yaml"), yaml);
    return dir;
  }
}
