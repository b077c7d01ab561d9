package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.kafka.KafkaBroker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Two real server processes behind a client that fails over from one to the other, as Alertmanager
 * does behind a Service; one is killed with SIGKILL during load. Every batch either acknowledged
 * must reach each receiver: with the file journal once the killed replica restarts on its own data
 * directory, with Kafka once the other replica takes its partitions over.
 */
class ReplicaFailoverTest {
  private static final Logger log = LoggerFactory.getLogger(ReplicaFailoverTest.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BATCHES = 80;
  private static final int ALERTS_PER_BATCH = 5;
  private static final int KILL_AFTER_ACKS = 25;
  private static final List<String> RECEIVERS = List.of("a", "b");

  /**
   * The replicas start several JVMs on a machine that builds at the same time: C1 only and one GC
   * thread start them sooner; what they send is the same.
   */
  private static final List<String> QUICK_START =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  @TempDir Path tmp;

  private MockWebServer endpoint;
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
            // a slow endpoint, so the killed replica has notifications it has not sent yet
            return new MockResponse.Builder()
                .code(200)
                .headersDelay(40, TimeUnit.MILLISECONDS)
                .body("{}")
                .build();
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
  void withTheFileJournalEveryAcknowledgedBatchArrivesOnceTheKilledReplicaRestarts()
      throws Exception {
    Path config = writeConfig();
    List<String> oneAtATime = List.of("--max-in-flight", "1");
    Process first = start(config, "a", oneAtATime);
    Process second = start(config, "b", oneAtATime);
    int[] ports = {port("a"), port("b")};

    Set<Integer> acked = postKillingTheFirst(ports, first);

    start(config, "a-restarted", "a", oneAtATime);
    assertAllDelivered(acked);
    assertThat(Files.readString(log("a-restarted"))).contains("recovered");
    second.destroy();
    assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void withKafkaEveryAcknowledgedBatchArrivesOnceTheOtherReplicaTakesOver() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start()) {
      Path config = writeConfig();
      List<String> kafka =
          List.of(
              "--kafka-bootstrap",
              broker.bootstrapServers(),
              "--kafka-partitions",
              "4",
              // the killed replica's open transaction is aborted after 3 x this, at least 10 s
              "--kafka-append-timeout",
              "2s",
              "--kafka-property",
              "session.timeout.ms=6000,heartbeat.interval.ms=500");
      Process first = start(config, "a", withReplica(kafka, "a"));
      Process second = start(config, "b", withReplica(kafka, "b"));
      int[] ports = {port("a"), port("b")};
      awaitReady(ports[0]);
      awaitReady(ports[1]);

      Set<Integer> acked = postKillingTheFirst(ports, first);

      // nothing restarts: the surviving replica delivers the killed one's share
      assertAllDelivered(acked);
      second.destroy();
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static List<String> withReplica(List<String> options, String replica) {
    List<String> all = new ArrayList<>(options);
    all.addAll(List.of("--kafka-replica", replica, "--max-in-flight", "1"));
    return all;
  }

  /**
   * Posts every batch with four clients that each try the first replica, then the second; kills the
   * first once {@link #KILL_AFTER_ACKS} batches are acknowledged.
   *
   * @return the batches acknowledged: all of them, since the second replica is up throughout
   */
  private Set<Integer> postKillingTheFirst(int[] ports, Process first) throws Exception {
    Set<Integer> acked = ConcurrentHashMap.newKeySet();
    AtomicInteger next = new AtomicInteger();
    List<Thread> posters = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread poster =
          new Thread(
              () -> {
                for (int i; (i = next.getAndIncrement()) < BATCHES; ) {
                  for (int attempt = 0; attempt < 20 && !acked.contains(i); attempt++) {
                    if (post(ports[0], i) || post(ports[1], i)) {
                      acked.add(i);
                    }
                  }
                }
              });
      posters.add(poster);
      poster.start();
    }
    await().atMost(Duration.ofSeconds(120)).until(() -> acked.size() >= KILL_AFTER_ACKS);
    first.destroyForcibly(); // SIGKILL: no shutdown hook, no drain
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    for (Thread poster : posters) {
      poster.join();
    }
    assertThat(acked).hasSize(BATCHES);
    return acked;
  }

  private void assertAllDelivered(Set<Integer> acked) {
    Set<String> expected = ConcurrentHashMap.newKeySet();
    for (int b : acked) {
      for (int a = 0; a < ALERTS_PER_BATCH; a++) {
        expected.add(alertId(b, a));
      }
    }
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              for (String receiver : RECEIVERS) {
                assertThat(received.getOrDefault("/" + receiver, Map.of()).keySet())
                    .containsAll(expected);
              }
            });
    int duplicates = 0;
    for (Map<String, Integer> seen : received.values()) {
      for (int count : seen.values()) {
        duplicates += count - 1;
      }
    }
    // At least once: duplicates are allowed; they are reported, not hidden.
    log.info("replica failover: {} duplicate deliveries", duplicates);
  }

  private void awaitReady(int port) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              try {
                return client
                        .send(
                            HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/readyz"))
                                .build(),
                            HttpResponse.BodyHandlers.ofString())
                        .statusCode()
                    == 200;
              } catch (IOException e) {
                return false;
              }
            });
  }

  private static String alertId(int batch, int alert) {
    return NumberedBatches.alertId(batch, alert);
  }

  private boolean post(int port, int batch) {
    return NumberedBatches.post(
        client, port, NumberedBatches.body(batch, ALERTS_PER_BATCH, "FailoverTest"));
  }

  private Process start(Path config, String replica, List<String> options) throws IOException {
    return start(config, replica, replica, options);
  }

  /** Starts a replica logging to {@code log-name.txt} on the data directory {@code data-dir}. */
  private Process start(Path config, String name, String dir, List<String> options)
      throws IOException {
    return ServerProcess.start(
        children, config, tmp.resolve("data-" + dir), log(name), QUICK_START, options);
  }

  private Path log(String name) {
    return tmp.resolve("log-" + name + ".txt");
  }

  private int port(String name) {
    return ServerProcess.port(log(name));
  }

  private Path writeConfig() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    String url = "http://127.0.0.1:" + endpoint.getPort();
    StringBuilder yaml = new StringBuilder();
    for (String name : RECEIVERS) {
      yaml.append(
          """
          ---
          apiVersion: notification.kubesphere.io/v1alpha1
          kind: WebhookConfig
          metadata: {name: hook-%1$s, namespace: kubesphere-monitoring-system, labels: {purpose: %1$s}}
          spec:
            url: %2$s/%1$s
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
    Files.writeString(dir.resolve("failover.yaml"), yaml);
    return dir;
  }
}
