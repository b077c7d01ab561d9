package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Floods the real server (a child process with a 256 MiB heap that exits on OutOfMemoryError) with
 * 100,000 alerts for a receiver that never answers: intake turns to 503 once the queues are full,
 * the process survives, and every acknowledged alert arrives after a restart.
 */
class FloodTest {
  private static final Logger LOG = LoggerFactory.getLogger(FloodTest.class);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BATCHES = 2_000;
  private static final int ALERTS_PER_BATCH = 50;
  private static final String TOKEN = "flood-test-t0ken-c41e";
  @TempDir Path tmp;

  private final List<Process> children = new ArrayList<>();
  private final List<Socket> held = new CopyOnWriteArrayList<>();
  private final Set<String> received = ConcurrentHashMap.newKeySet();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stop() throws IOException {
    for (Process p : children) {
      p.destroyForcibly();
    }
    for (Socket s : held) {
      s.close();
    }
  }

  @Test
  void floodForADeadReceiverTurnsIntakeTo503WithinTheHeapCapAndLosesNothingAcknowledged()
      throws Exception {
    Path config = Files.createDirectories(tmp.resolve("config"));
    Path data = tmp.resolve("data");
    Path log1 = tmp.resolve("run1.log");
    Set<Integer> acked = ConcurrentHashMap.newKeySet();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger other = new AtomicInteger();

    try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(blackHole.accept()); // accepted, never read, never answered
                  }
                } catch (IOException closed) {
                  // the test is over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      writeConfig(config, "http://127.0.0.1:" + blackHole.getLocalPort() + "/hook");

      Process first = start(config, data, log1);
      int port = port(log1);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> posts = new ArrayList<>();
        for (int i = 0; i < BATCHES; i++) {
          int batch = i;
          posts.add(
              pool.submit(
                  () -> {
                    int status = post(port, batch);
                    if (status == 200) {
                      acked.add(batch);
                    } else if (status == 503) {
                      refused.incrementAndGet();
                    } else {
                      other.incrementAndGet();
                    }
                  }));
        }
        for (Future<?> f : posts) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
      assertThat(other).hasValue(0);
      assertThat(refused.get()).isPositive();
      assertThat(acked.size()).isPositive().isEqualTo(BATCHES - refused.get());
      assertThat(first.isAlive()).as("survived the flood within -Xmx256m").isTrue();
      assertThat(get(port, "/healthz")).isEqualTo(200);
      LOG.info(
          "flood test: {} of {} batches acknowledged, {} refused with 503",
          acked.size(),
          BATCHES,
          refused.get());
      first.destroyForcibly();
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(log1)).doesNotContain("OutOfMemoryError");
    }

    try (MockWebServer endpoint = new MockWebServer()) {
      endpoint.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              if (!("Bearer " + TOKEN).equals(request.getHeaders().get("Authorization"))) {
                return new MockResponse.Builder().code(401).build();
              }
              try {
                for (JsonNode a : JSON.readTree(request.getBody().utf8()).get("alerts")) {
                  received.add(a.get("labels").get("id").asText());
                }
              } catch (IOException e) {
                return new MockResponse.Builder().code(400).build();
              }
              return new MockResponse.Builder().code(200).build();
            }
          });
      endpoint.start(InetAddress.getLoopbackAddress(), 0);
      writeConfig(config, "http://127.0.0.1:" + endpoint.getPort() + "/hook");
      Path log2 = tmp.resolve("run2.log");
      start(config, data, log2);
      Set<String> expected = ConcurrentHashMap.newKeySet();
      for (int b : acked) {
        for (int a = 0; a < ALERTS_PER_BATCH; a++) {
          expected.add(alertId(b, a));
        }
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> received.containsAll(expected));
      assertThat(expected).hasSize(acked.size() * ALERTS_PER_BATCH);
      assertThat(Files.readString(log1) + Files.readString(log2)).doesNotContain(TOKEN);
    }
  }

  private static String alertId(int batch, int alert) {
    return "b" + batch + "-a" + alert;
  }

  private int post(int port, int batch) {
    ObjectNode body = JSON.createObjectNode();
    body.put("version", "4");
    body.put("status", "firing");
    body.put("groupKey", "{}:{batch=\"" + batch + "\"}");
    ArrayNode alerts = body.putArray("alerts");
    for (int a = 0; a < ALERTS_PER_BATCH; a++) {
      ObjectNode alert = alerts.addObject();
      alert.put("status", "firing");
      alert
          .putObject("labels")
          .put("alertname", "Flood")
          .put("id", alertId(batch, a))
          .put("instance", "node-" + a + ".example.com:9100");
      alert.putObject("annotations").put("summary", "flood alert " + a + " of batch " + batch);
      alert.put("fingerprint", alertId(batch, a));
    }
    try {
      return client
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v2/alerts"))
                  .timeout(Duration.ofSeconds(30))
                  .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private int get(int port, String path) throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private Process start(Path config, Path data, Path log) throws IOException {
    return ServerProcess.start(children, config, data, log, "-XX:+ExitOnOutOfMemoryError");
  }

  private static int port(Path log) {
    return ServerProcess.port(log);
  }

  private static void writeConfig(Path dir, String url) throws IOException {
    Files.writeString(
        dir.resolve("flood.yaml"),
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: hook-secret, namespace: kubesphere-monitoring-system}
        type: Opaque
        stringData: {token: %s}
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: WebhookConfig
        metadata: {name: hook, namespace: kubesphere-monitoring-system, labels: {type: default}}
        spec:
          url: "%s"
          httpConfig:
            bearerToken: {name: hook-secret, key: token}
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: WebhookReceiver
        metadata: {name: ops, namespace: kubesphere-monitoring-system, labels: {type: global}}
        spec: {}
        """
            .formatted(TOKEN, url));
  }
}
