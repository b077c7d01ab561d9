package io.nm4j.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Alertmanager webhook payloads captured from a real Alertmanager, for channel tests of what a
 * message shows: {@code grouped-multi-namespace} (five alerts, runbook links), {@code
 * mixed-firing-resolved}, {@code special-chars} (markup, quotes, line breaks, emoji, Chinese) and
 * {@code truncated} (three alerts left out).
 */
public final class CapturedAlerts {
  private static final JsonMapper JSON = new JsonMapper();

  private CapturedAlerts() {}

  /** The captured batch {@code name}. */
  public static AlertBatch batch(String name) {
    String path = "/io/nm4j/test/alertmanager/" + name + ".json";
    try (InputStream in = CapturedAlerts.class.getResourceAsStream(path)) {
      Objects.requireNonNull(in, "no captured payload " + name);
      JsonNode root = JSON.readTree(in);
      List<Alert> alerts = new ArrayList<>();
      for (JsonNode a : root.path("alerts")) {
        alerts.add(
            new Alert(
                AlertStatus.valueOf(a.path("status").asText().toUpperCase(java.util.Locale.ROOT)),
                strings(a.path("labels")),
                strings(a.path("annotations")),
                time(a.path("startsAt").asText("")),
                time(a.path("endsAt").asText("")),
                a.path("generatorURL").asText(""),
                a.path("fingerprint").asText("")));
      }
      return new AlertBatch(
          root.path("receiver").asText(""),
          root.path("status").asText().equals("firing") ? AlertStatus.FIRING : AlertStatus.RESOLVED,
          alerts,
          strings(root.path("groupLabels")),
          strings(root.path("commonLabels")),
          strings(root.path("commonAnnotations")),
          root.path("externalURL").asText(""),
          root.path("groupKey").asText(""),
          root.path("truncatedAlerts").asInt(0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The captured batch {@code name} as the notification of a global receiver {@code receiver}. */
  public static Notification notification(String name, ObjectRef receiver) {
    AlertBatch batch = batch(name);
    return new Notification("n-" + name, receiver, Scope.GLOBAL, null, null, batch.alerts(), batch);
  }

  /**
   * A notification of a global receiver {@code receiver} with {@code alerts} of one's own, for a
   * test that needs alerts the captured payloads do not hold.
   */
  public static Notification notification(ObjectRef receiver, List<Alert> alerts) {
    return new Notification(
        "n-own", receiver, Scope.GLOBAL, null, null, alerts, AlertBatch.of(alerts));
  }

  /** Every label and annotation value of the batch's alerts: what a message must show. */
  public static List<String> shownValues(AlertBatch batch) {
    List<String> out = new ArrayList<>();
    for (Alert a : batch.alerts()) {
      out.addAll(a.labels().values());
      out.addAll(a.annotations().values());
    }
    return out;
  }

  private static Map<String, String> strings(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static @Nullable Instant time(String text) {
    if (text.isEmpty() || text.startsWith("0001-")) {
      return null;
    }
    return Instant.parse(text);
  }
}
