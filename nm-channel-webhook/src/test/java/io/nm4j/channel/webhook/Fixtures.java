package io.nm4j.channel.webhook;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Reads the manifest and Alertmanager fixtures of the test resources. */
final class Fixtures {
  static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final YAMLMapper YAML = new YAMLMapper();

  private Fixtures() {}

  /** Every document of a YAML resource, as plain maps. */
  static List<Map<String, Object>> yamlDocuments(String resource) {
    try (InputStream in = open(resource)) {
      List<Map<String, Object>> docs = new ArrayList<>();
      var it = YAML.readerFor(new TypeReference<Map<String, Object>>() {}).readValues(in);
      while (it.hasNext()) {
        Map<String, Object> doc = (Map<String, Object>) it.next();
        if (doc != null) {
          docs.add(doc);
        }
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(Map<String, Object> doc) {
    return (Map<String, Object>) doc.get("spec");
  }

  @SuppressWarnings("unchecked")
  static String name(Map<String, Object> doc) {
    return (String) ((Map<String, Object>) doc.get("metadata")).get("name");
  }

  /** The last object of a file: the faulty one in {@code manifests/invalid/}. */
  static Map<String, Object> lastSpec(String resource) {
    List<Map<String, Object>> docs = yamlDocuments(resource);
    return spec(docs.get(docs.size() - 1));
  }

  static JsonNode json(String resource) {
    try (InputStream in = open(resource)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An Alertmanager webhook body as an {@link AlertBatch}. */
  static AlertBatch batch(JsonNode body) {
    List<Alert> alerts = new ArrayList<>();
    for (JsonNode a : body.get("alerts")) {
      String endsAt = a.get("endsAt").asText();
      alerts.add(
          new Alert(
              AlertStatus.fromWire(a.get("status").asText()),
              strings(a.get("labels")),
              strings(a.get("annotations")),
              Instant.parse(a.get("startsAt").asText()),
              endsAt.startsWith("0001-") ? null : Instant.parse(endsAt),
              a.get("generatorURL").asText(),
              a.get("fingerprint").asText()));
    }
    return new AlertBatch(
        body.get("receiver").asText(),
        AlertStatus.fromWire(body.get("status").asText()),
        alerts,
        strings(body.get("groupLabels")),
        strings(body.get("commonLabels")),
        strings(body.get("commonAnnotations")),
        body.get("externalURL").asText(),
        body.get("groupKey").asText(),
        body.get("truncatedAlerts").asInt());
  }

  private static Map<String, String> strings(JsonNode node) {
    return JSON.convertValue(node, new TypeReference<Map<String, String>>() {});
  }

  private static InputStream open(String resource) {
    return Objects.requireNonNull(
        Fixtures.class.getResourceAsStream("/" + resource), "missing test resource " + resource);
  }
}
