package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlertmanagerWebhookTest {

  static byte[] fixture(String name) {
    try (InputStream in =
        AlertmanagerWebhookTest.class.getResourceAsStream("/alertmanager/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static AlertBatch decode(String json) {
    return AlertmanagerWebhook.decode(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void decodesTheRawBytesAlertmanagerSent() {
    AlertBatch b = AlertmanagerWebhook.decode(fixture("raw-firing-single.json"));
    assertThat(b.receiver()).isEqualTo("nm4j");
    assertThat(b.status()).isEqualTo(AlertStatus.FIRING);
    assertThat(b.externalURL()).isEqualTo("http://127.0.0.1:19093");
    assertThat(b.groupKey()).contains("alertname=");
    Alert a = b.alerts().get(0);
    assertThat(a.fingerprint()).isEqualTo("223a4476294eb248");
    assertThat(a.namespace()).isEqualTo("demo");
    assertThat(a.endsAt()).as("Go zero time means no end").isNull();
    assertThat(a.startsAt()).isNotNull();
    assertThat(a.generatorURL()).doesNotContain("\\u0026");
  }

  @Test
  void decodesEscapesChineseEmojiAndControlCharacters() {
    AlertBatch raw = AlertmanagerWebhook.decode(fixture("raw-special-chars.json"));
    AlertBatch pretty = AlertmanagerWebhook.decode(fixture("special-chars.json"));
    assertThat(raw).isEqualTo(pretty);
    String all =
        raw.alerts().get(0).annotations().values().toString() + raw.alerts().get(0).labels();
    assertThat(all).contains("<", ">", "&");
  }

  @Test
  void decodesResolvedAlertsWithTheirRealEnd() {
    AlertBatch b = AlertmanagerWebhook.decode(fixture("resolved-single.json"));
    assertThat(b.status()).isEqualTo(AlertStatus.RESOLVED);
    assertThat(b.alerts().get(0).endsAt()).isAfter(Instant.parse("2020-01-01T00:00:00Z"));
  }

  @Test
  void keepsTruncatedCountAndMixedStatuses() {
    assertThat(AlertmanagerWebhook.decode(fixture("truncated.json")).truncatedAlerts())
        .isEqualTo(3);
    AlertBatch mixed = AlertmanagerWebhook.decode(fixture("mixed-firing-resolved.json"));
    assertThat(mixed.alerts())
        .extracting(Alert::status)
        .containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED, AlertStatus.FIRING);
  }

  @Test
  void ignoresUnknownFieldsAtEveryLevel() {
    AlertBatch b =
        decode(
            "{\"version\":\"4\",\"future\":{\"x\":[1]},\"alerts\":[{\"status\":\"firing\",\"labels\":{\"a\":\"b\"},\"new\":1}]}");
    assertThat(b.alerts())
        .singleElement()
        .satisfies(a -> assertThat(a.labels()).containsEntry("a", "b"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"alerts\": [ | malformed JSON",
        "[] | expected an Alertmanager webhook object, was an array",
        "{} | alerts: is required",
        "{\"alerts\": {} } | alerts: must be an array, was an object",
        "{\"alerts\": [1]} | alerts[0]: must be an object, was a number",
        "{\"alerts\": [{\"labels\":{}}]} | alerts[0].status: is required",
        "{\"alerts\": [{\"status\":\"burning\",\"labels\":{}}]} | alerts[0].status: must be \"firing\" or \"resolved\", was \"burning\"",
        "{\"alerts\": [{\"status\":\"firing\"}]} | alerts[0].labels: is required",
        "{\"alerts\": [{\"status\":\"firing\",\"labels\":{\"severity\":3}}]} | alerts[0].labels.severity: must be a string, was a number",
        "{\"alerts\": [{\"status\":\"firing\",\"labels\":{},\"startsAt\":\"yesterday\"}]} | alerts[0].startsAt: must be an RFC 3339 time, was \"yesterday\"",
        "{\"version\":\"3\",\"alerts\":[]} | version: only webhook version \"4\" is supported",
        "{\"alerts\":[],\"alerts\":[]} | malformed JSON: Duplicate field 'alerts'",
        "{\"alerts\":[],\"truncatedAlerts\":-1} | truncatedAlerts: must be a non-negative integer",
      })
  void malformedPayloadsAreRejectedNamingTheField(String body, String message) {
    assertThatThrownBy(() -> decode(body))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void deeplyNestedOrInvalidUtf8InputIsRejectedCleanly() {
    String deep = "{\"alerts\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
    assertThatThrownBy(() -> decode(deep))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessageContaining("nesting depth");
    byte[] badUtf8 = {'{', '"', 'a', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
    assertThatThrownBy(() -> AlertmanagerWebhook.decode(badUtf8))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessageContaining("UTF-8");
    assertThatThrownBy(() -> AlertmanagerWebhook.decode(new byte[0]))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessageContaining("empty body");
  }

  @Test
  void goZeroTimeWithAFractionIsNoEndAndSurvivesEncoding() {
    AlertBatch b =
        decode(
            "{\"alerts\":[{\"status\":\"firing\",\"labels\":{},"
                + "\"endsAt\":\"0001-01-01T00:00:00.000Z\"}]}");
    assertThat(b.alerts().get(0).endsAt()).isNull();
    assertThat(AlertmanagerWebhook.decode(AlertmanagerWebhook.encode(b))).isEqualTo(b);
  }

  @Test
  void aBrokenReadLimitIsRefusedWithItsLineAndColumn() {
    String longNumber = "{\n \"alerts\": [],\n \"truncatedAlerts\": " + "4".repeat(95) + "}";
    assertThatThrownBy(() -> decode(longNumber))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessageStartingWith("malformed JSON: Number value length (95)")
        .hasMessageEndingWith("(line 3, column 116)");
    String deep = "{\"alerts\":" + "[".repeat(40) + "]".repeat(40) + "}";
    assertThatThrownBy(() -> decode(deep))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessageContaining("nesting depth")
        .hasMessageContaining("(line 1, column ");
  }

  @ParameterizedTest
  @CsvSource({
    "2026-11-24T15:55:41.088266204Z",
    "2026-11-24T15:55:41Z",
    "2026-11-24T15:55:41.1Z",
    "2024-02-29T23:59:59.000000001Z",
    "2026-11-24T17:55:41.5+02:00",
  })
  void handParsedTimesEqualTheJdkParser(String text) {
    Instant expected = java.time.OffsetDateTime.parse(text).toInstant();
    AlertBatch b =
        decode(
            "{\"alerts\":[{\"status\":\"firing\",\"labels\":{},\"startsAt\":\"" + text + "\"}]}");
    assertThat(b.alerts().get(0).startsAt()).isEqualTo(expected);
  }

  @Test
  void impossibleDatesAreStillRejectedNamingTheField() {
    assertThatThrownBy(
            () ->
                decode(
                    "{\"alerts\":[{\"status\":\"firing\",\"labels\":{},\"endsAt\":\"2026-02-30T00:00:00Z\"}]}"))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessageStartingWith("alerts[0].endsAt: must be an RFC 3339 time");
  }

  @Test
  void anEncodedBatchKeepsTheJournalsByteFormat() {
    // Journals written by earlier versions hold these bytes, and the byte limit counts them: the
    // encoding keeps the field order, escapes, absent endsAt and numbers exactly.
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", "Disk \"full\"");
    labels.put("namespace", "team-\u00e9");
    Alert firing =
        new Alert(
            AlertStatus.FIRING,
            labels,
            Map.of("summary", "line\nbreak"),
            Instant.parse("2026-01-05T10:00:00.123456789Z"),
            null,
            "http://prom/graph?g0=1&x=<y>",
            "fp-1");
    Alert resolved =
        new Alert(
            AlertStatus.RESOLVED,
            Map.of("alertname", "Up"),
            Map.of(),
            Instant.parse("2026-01-05T09:00:00Z"),
            Instant.parse("2026-01-05T09:30:00Z"),
            "",
            "");
    AlertBatch batch =
        new AlertBatch(
            "nm4j",
            AlertStatus.FIRING,
            List.of(firing, resolved),
            Map.of("alertname", "Disk \"full\""),
            Map.of(),
            Map.of("runbook", "\u2603"),
            "http://am:9093",
            "{}:{alertname=\"x\"}",
            2);

    byte[] encoded = AlertmanagerWebhook.encode(batch);

    assertThat(new String(encoded, StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"version\":\"4\",\"receiver\":\"nm4j\",\"status\":\"firing\",\"alerts\":["
                + "{\"status\":\"firing\",\"labels\":{\"alertname\":\"Disk \\\"full\\\"\","
                + "\"namespace\":\"team-\u00e9\"},\"annotations\":{\"summary\":\"line\\nbreak\"},"
                + "\"startsAt\":\"2026-01-05T10:00:00.123456789Z\","
                + "\"generatorURL\":\"http://prom/graph?g0=1&x=<y>\",\"fingerprint\":\"fp-1\"},"
                + "{\"status\":\"resolved\",\"labels\":{\"alertname\":\"Up\"},\"annotations\":{},"
                + "\"startsAt\":\"2026-01-05T09:00:00Z\",\"endsAt\":\"2026-01-05T09:30:00Z\","
                + "\"generatorURL\":\"\",\"fingerprint\":\"\"}],"
                + "\"groupLabels\":{\"alertname\":\"Disk \\\"full\\\"\"},\"commonLabels\":{},"
                + "\"commonAnnotations\":{\"runbook\":\"\u2603\"},\"externalURL\":\"http://am:9093\","
                + "\"groupKey\":\"{}:{alertname=\\\"x\\\"}\",\"truncatedAlerts\":2}");
    assertThat(AlertmanagerWebhook.decode(encoded)).isEqualTo(batch);
  }
}
