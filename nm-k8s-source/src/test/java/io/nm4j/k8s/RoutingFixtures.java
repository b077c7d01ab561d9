package io.nm4j.k8s;

import io.nm4j.core.AlertmanagerWebhook;
import io.nm4j.core.Destination;
import io.nm4j.core.Explain;
import io.nm4j.core.NotificationManager;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Alert batches and explain readers shared by the routing tests. */
final class RoutingFixtures {

  /** Webhook bodies captured from a real Alertmanager. */
  static final List<String> ALERTMANAGER_PAYLOADS =
      List.of(
          "firing-single.json",
          "resolved-single.json",
          "grouped-multi-namespace.json",
          "grouped-one-namespace.json",
          "mixed-firing-resolved.json",
          "no-namespace.json",
          "special-chars.json",
          "truncated.json");

  private RoutingFixtures() {}

  /** A captured Alertmanager webhook body, decoded as the server decodes it. */
  static AlertBatch payload(String name) {
    try (InputStream in = RoutingFixtures.class.getResourceAsStream("/alertmanager/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource alertmanager/" + name);
      }
      return AlertmanagerWebhook.decode(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One firing alert per namespace given, in order; {@code null} for an alert without one. */
  static AlertBatch alertsIn(@Nullable String... namespaces) {
    List<Alert> alerts = new ArrayList<>();
    for (String namespace : namespaces) {
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("alertname", namespace == null ? "NodeDown" : "PodCrashLooping");
      if (namespace != null) {
        labels.put("namespace", namespace);
      }
      alerts.add(Alert.firing(labels));
    }
    return AlertBatch.of(alerts);
  }

  /** The receivers ({@code Kind/name}) a batch's notifications go to. */
  static List<String> receiversOf(NotificationManager manager, AlertBatch batch) {
    List<String> receivers = new ArrayList<>();
    for (Explain.PlannedNotification n : manager.explain(batch).notifications()) {
      receivers.add(n.receiver().toString());
    }
    return receivers;
  }

  /** The config ({@code Kind/name}, or {@code null}) a receiver is routed with. */
  static @Nullable String configOf(NotificationManager manager, String receiver) {
    Destination destination =
        manager.snapshot().destinations().stream()
            .filter(d -> d.receiver().toString().equals(receiver))
            .findFirst()
            .orElseThrow(() -> new AssertionError(receiver + " is not a destination"));
    return destination.config() == null ? null : destination.config().toString();
  }

  /** Every destination's receiver, {@code Kind/name}. */
  static List<String> destinations(NotificationManager manager) {
    return manager.snapshot().destinations().stream().map(d -> d.receiver().toString()).toList();
  }
}
