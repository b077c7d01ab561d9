package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookStreamReaderTest {
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  static Stream<String> fixtures() {
    return Stream.of(
        "firing-single.json",
        "grouped-multi-namespace.json",
        "grouped-one-namespace.json",
        "mixed-firing-resolved.json",
        "no-namespace.json",
        "raw-firing-single.json",
        "raw-special-chars.json",
        "resolved-single.json",
        "special-chars.json",
        "truncated.json");
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void everyCapturedPayloadIsReadWithoutATreeAndEqualsTheTreeReading(String name) {
    byte[] body = AlertmanagerWebhookTest.fixture(name);
    assertThat(WebhookStreamReader.read(JSON, body))
        .as(name)
        .isNotNull()
        .isEqualTo(AlertmanagerWebhook.decodeTree(body));
  }

  @Test
  void everyFuzzSeedTheStreamReadsEqualsTheTreeReading() throws IOException {
    Path seeds =
        Path.of("src/test/resources/io/nm4j/core/WebhookFuzzTestInputs")
            .resolve("anyBodyDecodesRoundTripsAndExplainsOrIsRefusedPrecisely");
    List<Path> files;
    try (Stream<Path> s = Files.list(seeds)) {
      files = s.toList();
    }
    assertThat(files).isNotEmpty();
    int streamed = 0;
    for (Path f : files) {
      byte[] body = Files.readAllBytes(f);
      AlertBatch batch = WebhookStreamReader.read(JSON, body);
      if (batch != null) {
        streamed++;
        assertThat(batch)
            .as(f.getFileName().toString())
            .isEqualTo(AlertmanagerWebhook.decodeTree(body));
      }
    }
    assertThat(streamed).as("seeds the stream reads").isPositive();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"alerts\":[],\"alerts\":[]}",
        "{\"alerts\":[],\"x\":{\"a\":1,\"a\":2}}",
        "{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"a\":\"1\",\"a\":\"2\"}}]}",
        "{\"alerts\":[]} {}",
        "{\"alerts\":[]} x",
        "{\"alerts\":[],\"truncatedAlerts\":1.0}",
        "{\"alerts\":[],\"truncatedAlerts\":4294967296}",
        "{\"alerts\":[],\"version\":\"3\"}",
        "{\"alerts\":[{\"status\":\"firing\",\"labels\":null}]}",
        "{\"alerts\":[{\"status\":\"firing\",\"labels\":{},\"endsAt\":\"2026-02-30T00:00:00Z\"}]}",
        "{\"alerts\":[null]}",
        "{\"alerts\":null}",
        "{\"alerts\":[],\"status\":\"burning\"}",
        "{\"alerts\":[],\"groupLabels\":{\"a\":null}}",
        "[]",
        "",
      })
  void whatTheStreamDoesNotAcceptTheTreeRefusesWithItsOwnMessage(String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    assertThat(WebhookStreamReader.read(JSON, body)).isNull();
    assertThatThrownBy(() -> AlertmanagerWebhook.decodeTree(body))
        .isInstanceOf(InvalidPayloadException.class);
  }

  @Test
  void nullsAndUnknownFieldsReadAsTheTreeReadsThem() {
    byte[] body =
        ("{\"receiver\":null,\"status\":null,\"alerts\":[{\"status\":\"resolved\",\"labels\":{},"
                + "\"annotations\":null,\"startsAt\":null,\"endsAt\":\"\",\"fingerprint\":null,"
                + "\"extra\":[{\"deep\":[1,2,{}]}]}],\"truncatedAlerts\":null,\"new\":{\"x\":true}}")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(WebhookStreamReader.read(JSON, body))
        .isNotNull()
        .isEqualTo(AlertmanagerWebhook.decodeTree(body));
  }

  @Test
  void labelsAndAnnotationsIterateInKeyOrderWhateverOrderTheBodyHasThem() {
    byte[] body =
        ("{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"Down\","
                + "\"namespace\":\"shop\",\"job\":\"api\"},\"annotations\":{\"summary\":\"s\","
                + "\"description\":\"d\"}}]}")
            .getBytes(StandardCharsets.UTF_8);

    for (AlertBatch batch :
        List.of(WebhookStreamReader.read(JSON, body), AlertmanagerWebhook.decodeTree(body))) {
      Alert alert = batch.alerts().get(0);
      assertThat(alert.labels()).isInstanceOf(SortedMap.class);
      assertThat(alert.labels().keySet()).containsExactly("alertname", "job", "namespace");
      assertThat(alert.annotations().keySet()).containsExactly("description", "summary");
      assertThat(alert.namespace()).isEqualTo("shop");
    }
  }
}
