package io.nm4j.examples;

import io.nm4j.core.FileConfigSource;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.Receipt;
import io.nm4j.core.delivery.DeliveryOutcome;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How an alert processor embeds nm4j, without the server: build a manager on a configuration,
 * submit batches built in code, and observe each delivery's outcome.
 *
 * <p>Run it with {@code java -cp
 * nm-server/target/nm4j.jar:examples/target/examples-0.1.0-SNAPSHOT.jar
 * io.nm4j.examples.EmbeddedExample examples/config}; with the example configuration the
 * notifications go to a local webhook sink that {@code nm4j serve} hosts, so without a running
 * server they end as dead letters after their retries, which the example prints too.
 */
public final class EmbeddedExample {
  private EmbeddedExample() {}

  public static void main(String[] args) {
    Path config = Path.of(args.length > 0 ? args[0] : "examples/config");
    try (NotificationManager nm =
        NotificationManager.builder().configSource(FileConfigSource.of(config)).build()) {
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
        System.out.println(
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
