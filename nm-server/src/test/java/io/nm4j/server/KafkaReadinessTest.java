package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nm4j.kafka.KafkaBroker;
import io.nm4j.server.internal.ServeCommand;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code --kafka-bootstrap}, {@code /readyz} follows the brokers over a real socket: 503 while
 * the only broker is down (no batch needed to notice), 200 again once it is back, and intake
 * accepts then.
 */
class KafkaReadinessTest {
  @TempDir Path tmp;
  private final HttpClient client = HttpClient.newHttpClient();

  @Test
  void readyzAnswers503WhileTheBrokerIsDownAnd200OnceItIsBack() throws Exception {
    String topic = "readiness-" + UUID.randomUUID();
    try (KafkaBroker broker = KafkaBroker.start();
        ServeCommand.Running running =
            InProcessServe.start(
                InProcessServe.options(
                    Files.createDirectories(tmp.resolve("config")),
                    tmp.resolve("data"),
                    "--kafka-bootstrap",
                    broker.bootstrapServers(),
                    "--kafka-topic",
                    topic,
                    "--kafka-group",
                    topic,
                    "--kafka-partitions",
                    "2",
                    "--kafka-append-timeout",
                    "5s"))) {
      int port = running.server().address().getPort();
      await().atMost(Duration.ofSeconds(60)).until(() -> get(port, "/readyz").statusCode() == 200);

      broker.stopBroker();
      try {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> get(port, "/readyz").statusCode() == 503);
        assertThat(get(port, "/readyz").body())
            .contains("the shared queue cannot be used now")
            .doesNotContain(broker.bootstrapServers());
        assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
      } finally {
        broker.startBroker();
      }

      await().atMost(Duration.ofSeconds(60)).until(() -> get(port, "/readyz").statusCode() == 200);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> NumberedBatches.post(client, port, NumberedBatches.body(1, 1, "Ready")));
    }
  }

  private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
