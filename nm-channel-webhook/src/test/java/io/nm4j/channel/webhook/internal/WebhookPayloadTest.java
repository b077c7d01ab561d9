package io.nm4j.channel.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.Notification;
import io.nm4j.spi.Scope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookPayloadTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Notification notification(List<Alert> alerts) {
    return RenderedAlertsTest.notification("r", Scope.GLOBAL, alerts);
  }

  private static List<Alert> alerts(int count, int summaryChars) {
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      alerts.add(
          new Alert(
              AlertStatus.FIRING,
              Map.of("alertname", "Down", "id", Integer.toString(i)),
              Map.of("summary", "ü".repeat(summaryChars)),
              Instant.parse("2026-12-01T10:00:00Z"),
              null,
              "",
              "fp-" + i));
    }
    return alerts;
  }

  @Test
  void bodiesMuchLargerThanTheBatchBeforeAreWrittenWhole() throws Exception {
    WebhookPayload.render(notification(alerts(100, 1)));

    // alerts of 40 KB each after alerts of a few hundred bytes, and a receiver name larger than
    // the room the body's own fields are given
    String receiver = "r".repeat(5000);
    byte[] body =
        WebhookPayload.render(
            RenderedAlertsTest.notification(receiver, Scope.GLOBAL, alerts(3, 20_000)));

    JsonNode json = JSON.readTree(body);
    assertThat(json.get("alerts")).hasSize(3);
    assertThat(json.get("alerts").get(2).get("annotations").get("summary").asText())
        .isEqualTo("ü".repeat(20_000));
    assertThat(json.get("receiver").asText()).isEqualTo(receiver);
    assertThat(json.get("truncatedAlerts").asInt()).isZero();
  }

  @Test
  void renderedAlertsAreExactlyTheirObjects() throws Exception {
    RawJson[] rendered = WebhookPayload.renderAlerts(alerts(5, 3));

    for (int i = 0; i < rendered.length; i++) {
      JsonNode alert = JSON.readTree(rendered[i].getValue());
      assertThat(alert.get("fingerprint").asText()).isEqualTo("fp-" + i);
      assertThat(rendered[i].length()).isEqualTo(rendered[i].asUnquotedUTF8().length);
    }
  }

  @Test
  void commonPairsAreThoseEveryAlertHasWithTheSameValue() {
    Alert a = alertWith(Map.of("alertname", "Down", "namespace", "shop", "id", "1", "team", "x"));
    Alert b = alertWith(Map.of("alertname", "Down", "namespace", "shop", "id", "2"));
    Alert c = alertWith(Map.of("alertname", "Down", "namespace", "shop", "id", "3", "team", "x"));

    assertThat(WebhookPayload.common(List.of(a, b, c), Alert::labels))
        .isEqualTo(Map.of("alertname", "Down", "namespace", "shop"));
    assertThat(WebhookPayload.common(List.of(a, c), Alert::labels))
        .isEqualTo(Map.of("alertname", "Down", "namespace", "shop", "team", "x"));
    assertThat(WebhookPayload.common(List.of(a), Alert::labels)).isEqualTo(a.labels());
    assertThat(WebhookPayload.common(List.of(), Alert::labels)).isEmpty();
    assertThat(
            WebhookPayload.common(
                List.of(alertWith(Map.of("id", "1")), alertWith(Map.of("id", "2")), a),
                Alert::labels))
        .isEmpty();
  }

  private static Alert alertWith(Map<String, String> labels) {
    return new Alert(
        AlertStatus.FIRING, labels, Map.of(), Instant.parse("2026-12-01T10:00:00Z"), null, "", "");
  }

  private static Map<String, String> inReverseOrder(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = pairs.length - 2; i >= 0; i -= 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  @Test
  void aBodyWritesEveryMapInKeyOrderWhateverOrderItsAlertsWereBuiltIn() {
    List<Alert> alerts = new ArrayList<>();
    for (String id : List.of("1", "2")) {
      alerts.add(
          new Alert(
              AlertStatus.FIRING,
              inReverseOrder("alertname", "Down", "id", id, "namespace", "shop"),
              inReverseOrder("runbook", "http://rb", "summary", "s" + id),
              Instant.parse("2026-12-01T10:00:00Z"),
              null,
              "",
              "fp-" + id));
    }

    String body = new String(WebhookPayload.render(notification(alerts)), StandardCharsets.UTF_8);

    String alert =
        "{\"status\":\"firing\",\"labels\":{\"alertname\":\"Down\",\"id\":\"%s\","
            + "\"namespace\":\"shop\"},\"annotations\":{\"runbook\":\"http://rb\","
            + "\"summary\":\"s%1$s\"},\"startsAt\":\"2026-12-01T10:00:00Z\","
            + "\"endsAt\":\"0001-01-01T00:00:00Z\",\"generatorURL\":\"\",\"fingerprint\":\"fp-%1$s\"}";
    assertThat(body)
        .isEqualTo(
            "{\"receiver\":\"r\",\"status\":\"firing\",\"alerts\":["
                + alert.formatted("1")
                + ","
                + alert.formatted("2")
                + "],\"groupLabels\":{\"namespace\":\"shop\"},"
                + "\"commonLabels\":{\"alertname\":\"Down\",\"namespace\":\"shop\"},"
                + "\"commonAnnotations\":{\"runbook\":\"http://rb\"},"
                + "\"externalURL\":\"http://am\",\"version\":\"4\","
                + "\"groupKey\":\"{}:{namespace=\\\"shop\\\"}\",\"truncatedAlerts\":0}");
  }

  @Test
  void alertsWithNothingInCommonHaveEmptyCommonMaps() throws Exception {
    List<Alert> alerts =
        List.of(
            alertWith(Map.of("id", "1")),
            new Alert(
                AlertStatus.RESOLVED,
                Map.of("id", "2"),
                Map.of("summary", "x"),
                null,
                null,
                "",
                ""));

    JsonNode body = JSON.readTree(WebhookPayload.render(notification(alerts)));

    assertThat(body.get("commonLabels").size()).isZero();
    assertThat(body.get("commonAnnotations").size()).isZero();
    assertThat(body.get("status").asText()).isEqualTo("firing");
  }

  @Test
  void aBodyIsExactlyItsBytes() throws Exception {
    byte[] body = WebhookPayload.render(notification(alerts(10, 2)));

    assertThat(body[0]).isEqualTo((byte) '{');
    assertThat(body[body.length - 1]).isEqualTo((byte) '}');
    assertThat(JSON.readTree(body).get("alerts")).hasSize(10);
  }
}
