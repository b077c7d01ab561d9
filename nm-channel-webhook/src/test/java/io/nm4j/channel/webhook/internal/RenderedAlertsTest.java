package io.nm4j.channel.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RenderedAlertsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<Alert> rendered = new ArrayList<>();
  private final List<List<Alert>> commonComputedFor = new ArrayList<>();
  private final RenderedAlerts alerts =
      new RenderedAlerts(
          list -> {
            synchronized (rendered) {
              rendered.addAll(list);
            }
            return WebhookPayload.renderAlerts(list);
          },
          list -> {
            synchronized (commonComputedFor) {
              commonComputedFor.add(list);
            }
            return WebhookPayload.renderCommon(list);
          });

  private static Alert alert(String id) {
    return new Alert(
        AlertStatus.FIRING,
        Map.of("alertname", "Down", "namespace", "shop", "id", id),
        Map.of("summary", "\"quoted\" <b>ü</b>"),
        Instant.parse("2026-12-01T10:00:00.120Z"),
        null,
        "http://prometheus/graph",
        "fp-" + id);
  }

  /** A notification of {@code alerts} in namespace {@code shop}, its batch holding just them. */
  static Notification notification(String receiver, Scope scope, List<Alert> alerts) {
    AlertBatch batch =
        new AlertBatch(
            "nm4j",
            AlertStatus.FIRING,
            alerts,
            Map.of("namespace", "shop"),
            Map.of(),
            Map.of(),
            "http://am",
            "{}:{namespace=\"shop\"}",
            0);
    return new Notification(
        "n-" + receiver,
        new ObjectRef("WebhookReceiver", receiver),
        scope,
        scope == Scope.TENANT ? "shop" : null,
        null,
        alerts,
        batch);
  }

  private static AlertBatch batchOf(List<Alert> alerts) {
    return notification("any", Scope.GLOBAL, alerts).batch();
  }

  @Test
  void anAlertIsRenderedOnceForEveryNotificationOfItsBatch() {
    Alert first = alert("1");
    Alert second = alert("2");
    AlertBatch batch = batchOf(List.of(first, second));

    RawJson[] global = alerts.of(batch, List.of(first, second));
    RawJson[] tenant = alerts.of(batch, List.of(second));

    assertThat(tenant[0]).isSameAs(global[1]);
    assertThat(rendered).containsExactly(first, second);
    assertThat(global[0].getValue())
        .isEqualTo(WebhookPayload.renderAlerts(List.of(first))[0].getValue())
        .startsWith("{\"status\":\"firing\"")
        .endsWith("\"fingerprint\":\"fp-1\"}");
  }

  @Test
  void theCommonPairsOfAWholeBatchAreComputedOnceForEveryNotificationCarryingIt() {
    Alert first = alert("1");
    Alert second = alert("2");
    AlertBatch batch = batchOf(List.of(first, second));

    RenderedAlerts.CommonPairs global = alerts.commonOf(batch, List.of(first, second));
    RenderedAlerts.CommonPairs tenant = alerts.commonOf(batch, new ArrayList<>(batch.alerts()));

    assertThat(tenant).isSameAs(global);
    assertThat(commonComputedFor).containsExactly(List.of(first, second));
    assertThat(global.labels().getValue())
        .isEqualTo("{\"alertname\":\"Down\",\"namespace\":\"shop\"}");
    assertThat(global.annotations().getValue())
        .isEqualTo("{\"summary\":\"\\\"quoted\\\" <b>ü</b>\"}");
  }

  @Test
  void theCommonPairsOfPartOfABatchAreComputedForEachNotification() {
    Alert first = alert("1");
    Alert second = alert("2");
    AlertBatch batch = batchOf(List.of(first, second));

    RenderedAlerts.CommonPairs once = alerts.commonOf(batch, List.of(second));
    RenderedAlerts.CommonPairs again = alerts.commonOf(batch, List.of(second));

    assertThat(commonComputedFor).containsExactly(List.of(second), List.of(second));
    assertThat(again.labels().getValue())
        .isEqualTo(once.labels().getValue())
        .isEqualTo("{\"alertname\":\"Down\",\"id\":\"2\",\"namespace\":\"shop\"}");
  }

  @Test
  void alertsThatAreNotTheirBatchsOwnInItsOrderAreRenderedEachTime() {
    Alert first = alert("1");
    Alert second = alert("2");
    AlertBatch batch = batchOf(List.of(first, second));
    Alert equalButAnother = alert("1");

    alerts.of(batch, List.of(second, first));
    alerts.of(batch, List.of(equalButAnother));

    assertThat(rendered).containsExactly(second, first, equalButAnother);
    assertThat(alerts.batches()).isZero();
  }

  @Test
  void keptRenderingsGoWithTheirBatch() {
    renderOnce();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              System.gc();
              return alerts.batches() == 0;
            });
  }

  private void renderOnce() {
    List<Alert> two = List.of(alert("1"), alert("2"));
    alerts.of(batchOf(two), two);
    assertThat(alerts.batches()).isEqualTo(1);
  }

  @Test
  void theGlobalAndTheTenantReceiverPostTheSameAlertsUnderTheirOwnNames() throws Exception {
    List<Alert> shared = List.of(alert("1"), alert("2"));

    JsonNode global =
        JSON.readTree(WebhookPayload.render(notification("ops", Scope.GLOBAL, shared)));
    JsonNode tenant =
        JSON.readTree(WebhookPayload.render(notification("shop-hook", Scope.TENANT, shared)));

    assertThat(global.path("receiver").asText()).isEqualTo("ops");
    assertThat(tenant.path("receiver").asText()).isEqualTo("shop-hook");
    assertThat(tenant.path("alerts")).isEqualTo(global.path("alerts"));
    JsonNode first = global.path("alerts").get(0);
    assertThat(JSON.writeValueAsString(first))
        .isEqualTo(
            "{\"status\":\"firing\",\"labels\":{\"alertname\":\"Down\",\"id\":\"1\",\"namespace\":"
                + "\"shop\"},\"annotations\":{\"summary\":\"\\\"quoted\\\" <b>ü</b>\"},"
                + "\"startsAt\":\"2026-12-01T10:00:00.12Z\",\"endsAt\":\"0001-01-01T00:00:00Z\","
                + "\"generatorURL\":\"http://prometheus/graph\",\"fingerprint\":\"fp-1\"}");
  }
}
