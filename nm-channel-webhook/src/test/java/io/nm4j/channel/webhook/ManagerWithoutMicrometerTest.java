package io.nm4j.channel.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nm4j.core.InMemoryConfigSource;
import io.nm4j.core.Manifests;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.Receipt;
import io.nm4j.core.delivery.DeliveryCounters;
import io.nm4j.core.delivery.DeliveryOutcome;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is an optional dependency of nm-core, so it is absent here: the manager must build,
 * route and deliver without it.
 */
class ManagerWithoutMicrometerTest {
  @Test
  void managerBuildsRoutesSubmitsAndDeliversWithoutMicrometerOnTheClasspath() throws Exception {
    assertThatThrownBy(() -> Class.forName("io.micrometer.core.instrument.MeterRegistry"))
        .isInstanceOf(ClassNotFoundException.class);

    try (MockWebServer server = new MockWebServer()) {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
      server.enqueue(new MockResponse.Builder().code(200).build());
      String yaml =
          """
          apiVersion: notification.kubesphere.io/v1alpha1
          kind: WebhookConfig
          metadata: {name: hook, namespace: kubesphere-monitoring-system, labels: {type: default}}
          spec: {url: "%s"}
          ---
          apiVersion: notification.kubesphere.io/v1alpha1
          kind: WebhookReceiver
          metadata: {name: ops, namespace: kubesphere-monitoring-system, labels: {type: global}}
          spec: {}
          """
              .formatted(server.url("/alerts"));
      AlertBatch batch =
          AlertBatch.of(List.of(Alert.firing(Map.of("alertname", "DiskFull", "namespace", "a"))));

      try (NotificationManager nm =
          NotificationManager.builder()
              .configSource(InMemoryConfigSource.of(Manifests.parse(yaml, "test").objects()))
              .build()) {
        assertThat(nm.problems()).isEmpty();
        assertThat(nm.route(batch).routes())
            .extracting(r -> r.destination().receiver().toString())
            .containsExactly("WebhookReceiver/ops");

        Receipt receipt = nm.submit(batch);
        assertThat(receipt.allOutcomes().join())
            .extracting(DeliveryOutcome::status)
            .containsExactly(DeliveryOutcome.Status.DELIVERED);

        RecordedRequest request = server.takeRequest();
        assertThat(request.getTarget()).isEqualTo("/alerts");
        JsonNode body = Fixtures.JSON.readTree(request.getBody().string(StandardCharsets.UTF_8));
        assertThat(body.get("alerts").get(0).get("labels").get("alertname").asText())
            .isEqualTo("DiskFull");
        DeliveryCounters.Key delivered =
            new DeliveryCounters.Key(DeliveryCounters.Event.DELIVERED, "WebhookReceiver", "");
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> nm.deliveryCounters().count(delivered) == 1);
      }
    }
  }
}
