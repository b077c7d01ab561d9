package io.nm4j.core.internal.delivery;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.DeliveryListener;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Scope;
import io.nm4j.spi.SendResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** Notifications, deliveries and a recording listener for the dispatcher's tests. */
final class Deliveries {
  private static final AtomicInteger IDS = new AtomicInteger();

  private Deliveries() {}

  /** A notification for {@code receiver} ("Kind/name") of {@code tenant} (null: global). */
  static Notification notification(String receiver, @Nullable String tenant) {
    String[] kn = receiver.split("/", 2);
    String id = "n-" + IDS.incrementAndGet();
    Alert alert =
        new Alert(
            AlertStatus.FIRING,
            Map.of("alertname", "KubePodCrashLooping", "namespace", "ns-" + id),
            Map.of(),
            Instant.parse("2026-01-01T00:00:00Z"),
            null,
            "",
            "fp-" + id);
    return new Notification(
        id,
        new ObjectRef(kn[0], kn[1]),
        tenant == null ? Scope.GLOBAL : Scope.TENANT,
        tenant,
        new ObjectRef(kn[0].replace("Receiver", "Config"), "default"),
        List.of(alert),
        AlertBatch.of(List.of(alert)));
  }

  /**
   * A notification of Alertmanager group {@code groupKey} for {@code receiver} ("Kind/name") of
   * {@code tenant} (null: global), its alert firing or resolved.
   */
  static Notification notification(
      String receiver, @Nullable String tenant, String groupKey, AlertStatus status) {
    Notification n = notification(receiver, tenant);
    Alert a = n.alerts().get(0);
    Alert alert =
        new Alert(
            status,
            a.labels(),
            a.annotations(),
            a.startsAt(),
            status == AlertStatus.RESOLVED ? Instant.parse("2026-01-01T00:05:00Z") : null,
            a.generatorURL(),
            a.fingerprint());
    AlertBatch batch =
        new AlertBatch(
            "nm4j", status, List.of(alert), Map.of(), Map.of(), Map.of(), "", groupKey, 0);
    return new Notification(
        n.id(), n.receiver(), n.scope(), n.tenant(), n.config(), List.of(alert), batch);
  }

  /** A firing notification of Alertmanager group {@code groupKey}. */
  static Delivery delivery(
      String receiver, @Nullable String tenant, String groupKey, Delivery.Attempt attempt) {
    return delivery(receiver, tenant, groupKey, AlertStatus.FIRING, attempt);
  }

  static Delivery delivery(
      String receiver,
      @Nullable String tenant,
      String groupKey,
      AlertStatus status,
      Delivery.Attempt attempt) {
    return Delivery.of(
        notification(receiver, tenant, groupKey, status), tenant == null ? "" : tenant, attempt);
  }

  static Delivery delivery(String receiver, @Nullable String tenant, Delivery.Attempt attempt) {
    return Delivery.of(notification(receiver, tenant), tenant == null ? "" : tenant, attempt);
  }

  static Delivery.Attempt ok() {
    return (deadline, progress) -> SendResult.delivered();
  }

  /** Records every event, in order, as text. */
  static final class Recorder implements DeliveryListener {
    final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<SendResult> attempts = new ConcurrentLinkedQueue<>();
    final AtomicInteger delivered = new AtomicInteger();
    final AtomicInteger deadLetters = new AtomicInteger();

    @Override
    public void onAttempt(Notification n, int attempt, SendResult result) {
      attempts.add(result);
      events.add("attempt " + n.id() + " #" + attempt + " " + describe(result));
    }

    @Override
    public void onDelivered(Notification n, int attempts) {
      delivered.incrementAndGet();
      events.add("delivered " + n.id() + " after " + attempts);
    }

    @Override
    public void onDeadLetter(Notification n, int attempts, SendResult.Failed failure) {
      deadLetters.incrementAndGet();
      events.add("dead " + n.id() + " after " + attempts + " " + failure.reason());
    }

    private static String describe(SendResult r) {
      return r instanceof SendResult.Failed f ? f.reason().name() : "DELIVERED";
    }
  }
}
