package io.nm4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmbeddedExampleTest {
  private final MockWebServer sink = new MockWebServer();

  @BeforeEach
  void start() throws Exception {
    sink.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    sink.close();
  }

  @Test
  void theConfigurationBuiltInCodeDeliversTheAlertToTheWebhookWithTheSecretsToken()
      throws Exception {
    sink.enqueue(new MockResponse.Builder().code(200).build());
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    EmbeddedExample.run(
        sink.url("/sink").toString(), new PrintStream(printed, true, StandardCharsets.UTF_8));

    RecordedRequest r = sink.takeRequest(10, TimeUnit.SECONDS);
    assertThat(r.getTarget()).isEqualTo("/sink");
    assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer example-sink-token");
    assertThat(r.getBody().string(StandardCharsets.UTF_8))
        .contains("\"alertname\":\"DiskFull\"")
        .contains("\"receiver\":\"global-webhook\"");
    assertThat(printed.toString(StandardCharsets.UTF_8).lines())
        .containsExactly("WebhookReceiver/global-webhook: DELIVERED");
  }
}
