package io.nm4j.core;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Decodes Alertmanager webhook (version 4) bodies. Unknown fields are ignored at every level, so
 * newer Alertmanager versions keep working; a malformed body or a missing or mistyped required
 * field is an {@link InvalidPayloadException} naming the field.
 */
public final class AlertmanagerWebhook {
  /** Go's zero time, which Alertmanager sends as {@code endsAt} of firing alerts. */
  private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              com.fasterxml.jackson.core.JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(32)
                          .maxStringLength(1 << 20)
                          .maxNumberLength(64)
                          .build())
                  .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /** The first block of an encoded batch's bytes: a one-alert batch fits, a larger one grows. */
  private static final int ENCODE_FIRST_BLOCK = 1024;

  private AlertmanagerWebhook() {}

  /**
   * Decodes one webhook body.
   *
   * @throws InvalidPayloadException naming what is wrong and where
   */
  public static AlertBatch decode(byte[] body) {
    AlertBatch batch = WebhookStreamReader.read(MAPPER.getFactory(), body);
    return batch != null ? batch : decodeTree(body);
  }

  /**
   * Decodes through a JSON tree: the reference reading, which names what is wrong and where. The
   * streaming reader that {@link #decode} tries first gives up on anything it does not accept, and
   * then this one decodes or reports the body.
   */
  static AlertBatch decodeTree(byte[] body) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidPayloadException("malformed JSON: " + brief(e, body), e);
    } catch (IOException e) {
      throw new InvalidPayloadException("unreadable body: " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode()) {
      throw new InvalidPayloadException("empty body: expected an Alertmanager webhook object");
    }
    return decode(root);
  }

  /**
   * The parser's message with the line and column. A broken read limit (an overlong number or
   * string, too deep nesting) carries no location, so the body is read again token by token to find
   * where it breaks.
   */
  private static String brief(JsonProcessingException e, byte[] body) {
    if (e.getLocation() != null) {
      return Manifests.brief(e);
    }
    JsonLocation where = null;
    try (JsonParser parser = MAPPER.createParser(body)) {
      try {
        for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
          if (t == JsonToken.VALUE_STRING || t == JsonToken.FIELD_NAME) {
            parser.getText();
          } else if (t.isNumeric()) {
            parser.getNumberValue();
          }
        }
      } catch (IOException again) {
        where = parser.currentLocation();
      }
    } catch (IOException ignored) {
      // the first failure's message stands on its own
    }
    String msg = Manifests.brief(e);
    return where == null
        ? msg
        : msg + " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")";
  }

  /** Decodes an already parsed webhook body. */
  private static AlertBatch decode(JsonNode root) {
    if (!root.isObject()) {
      throw new InvalidPayloadException(
          "expected an Alertmanager webhook object, was " + describe(root));
    }
    String version = optionalString(root, "version", "version");
    if (version != null && !version.equals("4")) {
      throw new InvalidPayloadException(
          "version: only webhook version \"4\" is supported, was \"" + version + "\"");
    }
    JsonNode alertsNode = root.get("alerts");
    if (alertsNode == null || alertsNode.isNull()) {
      throw new InvalidPayloadException("alerts: is required");
    }
    if (!alertsNode.isArray()) {
      throw new InvalidPayloadException("alerts: must be an array, was " + describe(alertsNode));
    }
    List<Alert> alerts = new ArrayList<>(alertsNode.size());
    for (int i = 0; i < alertsNode.size(); i++) {
      alerts.add(alert(alertsNode.get(i), "alerts[" + i + "]"));
    }
    String statusText = optionalString(root, "status", "status");
    AlertStatus status = statusText == null ? statusOf(alerts) : status(statusText, "status");
    JsonNode truncated = root.get("truncatedAlerts");
    int truncatedAlerts = 0;
    if (truncated != null && !truncated.isNull()) {
      if (!truncated.canConvertToInt() || !truncated.isIntegralNumber() || truncated.asInt() < 0) {
        throw new InvalidPayloadException(
            "truncatedAlerts: must be a non-negative integer, was " + describe(truncated));
      }
      truncatedAlerts = truncated.asInt();
    }
    return new AlertBatch(
        orEmpty(optionalString(root, "receiver", "receiver")),
        status,
        alerts,
        stringMap(root.get("groupLabels"), "groupLabels"),
        stringMap(root.get("commonLabels"), "commonLabels"),
        stringMap(root.get("commonAnnotations"), "commonAnnotations"),
        orEmpty(optionalString(root, "externalURL", "externalURL")),
        orEmpty(optionalString(root, "groupKey", "groupKey")),
        truncatedAlerts);
  }

  /**
   * Encodes a batch as a webhook (version 4) body that {@link #decode(byte[])} reads back equal;
   * used to journal accepted batches. Written field by field rather than through a tree of nodes:
   * intake encodes every batch it accepts on the submitting thread, and the tree cost as much again
   * as the writing.
   */
  public static byte[] encode(AlertBatch batch) {
    ByteArrayBuilder bytes = new ByteArrayBuilder(ENCODE_FIRST_BLOCK);
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(bytes)) {
      g.writeStartObject();
      g.writeStringField("version", "4");
      g.writeStringField("receiver", batch.receiver());
      g.writeStringField("status", batch.status().wireName());
      g.writeArrayFieldStart("alerts");
      for (Alert a : batch.alerts()) {
        g.writeStartObject();
        g.writeStringField("status", a.status().wireName());
        writeMap(g, "labels", a.labels());
        writeMap(g, "annotations", a.annotations());
        if (a.startsAt() != null) {
          g.writeStringField("startsAt", a.startsAt().toString());
        }
        if (a.endsAt() != null) {
          g.writeStringField("endsAt", a.endsAt().toString());
        }
        g.writeStringField("generatorURL", a.generatorURL());
        g.writeStringField("fingerprint", a.fingerprint());
        g.writeEndObject();
      }
      g.writeEndArray();
      writeMap(g, "groupLabels", batch.groupLabels());
      writeMap(g, "commonLabels", batch.commonLabels());
      writeMap(g, "commonAnnotations", batch.commonAnnotations());
      g.writeStringField("externalURL", batch.externalURL());
      g.writeStringField("groupKey", batch.groupKey());
      g.writeNumberField("truncatedAlerts", batch.truncatedAlerts());
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a batch", e);
    }
    return bytes.toByteArray();
  }

  private static void writeMap(JsonGenerator g, String field, Map<String, String> map)
      throws IOException {
    g.writeObjectFieldStart(field);
    for (Map.Entry<String, String> e : map.entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  private static Alert alert(JsonNode node, String path) {
    if (!node.isObject()) {
      throw new InvalidPayloadException(path + ": must be an object, was " + describe(node));
    }
    String statusText = optionalString(node, "status", path + ".status");
    if (statusText == null) {
      throw new InvalidPayloadException(path + ".status: is required (firing or resolved)");
    }
    JsonNode labels = node.get("labels");
    if (labels == null || labels.isNull()) {
      throw new InvalidPayloadException(path + ".labels: is required");
    }
    return new Alert(
        status(statusText, path + ".status"),
        stringMap(labels, path + ".labels"),
        stringMap(node.get("annotations"), path + ".annotations"),
        time(node, "startsAt", path),
        time(node, "endsAt", path),
        orEmpty(optionalString(node, "generatorURL", path + ".generatorURL")),
        orEmpty(optionalString(node, "fingerprint", path + ".fingerprint")));
  }

  /** The status of a batch that names none: firing while any of its alerts fires. */
  static AlertStatus statusOf(List<Alert> alerts) {
    return alerts.stream().anyMatch(a -> a.status() == AlertStatus.FIRING)
        ? AlertStatus.FIRING
        : AlertStatus.RESOLVED;
  }

  private static AlertStatus status(String text, String path) {
    try {
      return AlertStatus.fromWire(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidPayloadException(path + ": " + e.getMessage(), e);
    }
  }

  private static @Nullable Instant time(JsonNode parent, String field, String path) {
    String text = optionalString(parent, field, path + "." + field);
    try {
      return time(text);
    } catch (DateTimeParseException e) {
      throw new InvalidPayloadException(
          path + "." + field + ": must be an RFC 3339 time, was " + quote(text), e);
    }
  }

  /**
   * A time field's value: null when absent, empty or Go's zero time.
   *
   * @throws DateTimeParseException when it is not an RFC 3339 time
   */
  static @Nullable Instant time(@Nullable String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    if (text.equals("0001-01-01T00:00:00Z")) {
      return null;
    }
    Instant fast = parseUtc(text);
    if (fast != null) {
      return fast.equals(GO_ZERO_TIME) ? null : fast;
    }
    Instant t = OffsetDateTime.parse(text).toInstant();
    return t.equals(GO_ZERO_TIME) ? null : t;
  }

  /**
   * Alertmanager's own layout, {@code YYYY-MM-DDTHH:MM:SS[.fraction]Z}, parsed by hand: it comes
   * twice per alert and {@code OffsetDateTime.parse} dominated decoding. Anything else (offsets,
   * odd values) returns {@code null} and takes the general parser, which also reports errors.
   */
  static @Nullable Instant parseUtc(String s) {
    int n = s.length();
    if (n < 20
        || n > 30
        || s.charAt(n - 1) != 'Z'
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    int nanos = 0;
    if (n > 20) {
      if (s.charAt(19) != '.' || n - 1 - 20 > 9 || n - 1 - 20 < 1) {
        return null;
      }
      int fraction = digits(s, 20, n - 1);
      if (fraction < 0) {
        return null;
      }
      nanos = fraction;
      for (int i = n - 1 - 20; i < 9; i++) {
        nanos *= 10;
      }
    } else if (s.charAt(19) != 'Z') {
      return null;
    }
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return null;
    }
    try {
      return java.time.LocalDateTime.of(year, month, day, hour, minute, second, nanos)
          .toInstant(java.time.ZoneOffset.UTC);
    } catch (java.time.DateTimeException e) {
      return null; // e.g. February 30: the general parser reports it
    }
  }

  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static Map<String, String> stringMap(@Nullable JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new InvalidPayloadException(path + ": must be an object, was " + describe(node));
    }
    // in the order received, as the streaming reader keeps it
    Map<String, String> out = new LinkedHashMap<>(Math.max(4, node.size() * 2));
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      JsonNode v = e.getValue();
      if (!v.isTextual()) {
        throw new InvalidPayloadException(
            path + "." + e.getKey() + ": must be a string, was " + describe(v));
      }
      out.put(e.getKey(), v.textValue());
    }
    return out;
  }

  private static @Nullable String optionalString(JsonNode parent, String field, String path) {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new InvalidPayloadException(path + ": must be a string, was " + describe(v));
    }
    return v.textValue();
  }

  private static String orEmpty(@Nullable String s) {
    return s == null ? "" : s;
  }

  private static String quote(String s) {
    return "\"" + (s.length() > 60 ? s.substring(0, 60) + "..." : s) + "\"";
  }

  private static String describe(JsonNode n) {
    return switch (n.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case STRING -> "a string";
      case NULL -> "null";
      default -> n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
