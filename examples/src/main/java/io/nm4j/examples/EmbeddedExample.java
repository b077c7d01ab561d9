package io.nm4j.examples;

import io.nm4j.core.InMemoryConfigSource;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.Receipt;
import io.nm4j.core.delivery.DeliveryOutcome;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.ConfigObject;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How an alert processor embeds nm4j, without the server: its configuration built in code (as a
 * host that keeps receivers in its own database would), a batch built in code, and each delivery's
 * outcome.
 *
 * <p>Run it with {@code java -cp
 * nm-server/target/nm4j.jar:examples/target/examples-0.1.0-SNAPSHOT.jar
 * io.nm4j.examples.EmbeddedExample [URL]}. Every alert goes to a webhook at {@code URL}, by default
 * the demo sink that {@code nm4j serve --config examples/config} hosts; without anything listening
 * there the notification ends as a dead letter after its retries, which the example prints too.
 */
public final class EmbeddedExample {
  /** The demo webhook receiver of {@code nm4j serve}. */
  static final String DEFAULT_URL = "http://127.0.0.1:19093/sink";

  private EmbeddedExample() {}

  public static void main(String[] args) {
    run(args.length > 0 ? args[0] : DEFAULT_URL, System.out);
  }

  /**
   * The configuration: a global receiver that gets every alert as Alertmanager webhook JSON,
   * through the default {@code WebhookConfig}, which posts to {@code url} with a bearer token from
   * a secret. No namespace is given, so every object is in the manager's.
   */
  static List<ConfigObject> configuration(String url) {
    return List.of(
        ConfigObject.secret("sink-token").data("token", "example-sink-token").build(),
        ConfigObject.of("WebhookConfig", "default-webhook")
            .label("type", "default")
            .spec(
                Map.of(
                    "url",
                    url,
                    "httpConfig",
                    Map.of("bearerToken", Map.of("name", "sink-token", "key", "token"))))
            .build(),
        ConfigObject.of("WebhookReceiver", "global-webhook").label("type", "global").build());
  }

  /** Delivers one alert through a manager on {@link #configuration}, printing each outcome. */
  static void run(String url, PrintStream out) {
    try (NotificationManager nm =
        NotificationManager.builder()
            .configSource(InMemoryConfigSource.of(configuration(url)))
            .build()) {
      Alert alert =
          new Alert(
              AlertStatus.FIRING,
              Map.of("alertname", "DiskFull", "namespace", "shop", "severity", "critical"),
              Map.of("summary", "disk /data is 97% full"),
              Instant.now(),
              null,
              "",
              "");
      Receipt receipt = nm.submit(AlertBatch.of(List.of(alert))); // returns once enqueued
      for (DeliveryOutcome outcome : receipt.allOutcomes().join()) {
        out.println(
            outcome.notification().receiver()
                + ": "
                + outcome.status()
                + (outcome.lastFailure() == null
                    ? ""
                    : " (" + outcome.lastFailure().detail() + ")"));
      }
    }
  }
}
