package io.nm4j.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Scope;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class DeliveryHistoryTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private final DeliveryHistory history =
      new DeliveryHistory(100, Clock.fixed(NOW, ZoneOffset.UTC));

  static Notification notification(String id, String receiver, @Nullable String tenant) {
    String[] kn = receiver.split("/", 2);
    Alert alert = Alert.firing(Map.of("alertname", "Down"));
    return new Notification(
        id,
        new ObjectRef(kn[0], kn[1]),
        tenant == null ? Scope.GLOBAL : Scope.TENANT,
        tenant,
        new ObjectRef("EmailConfig", "default"),
        List.of(alert),
        AlertBatch.of(List.of(alert)));
  }

  @Test
  void recordsFailedAttemptsDeliveriesDeadLettersAndSuppressionsNewestFirst() {
    Notification a = notification("n1", "EmailReceiver/alice", "team-a");
    Notification b = notification("n2", "SlackReceiver/ops", null);
    history.onAttempt(a, 1, SendResult.retryable(Reason.REMOTE_ERROR, "HTTP 503"));
    history.onAttempt(a, 2, SendResult.delivered());
    history.onDelivered(a, 2);
    history.onAttempt(b, 1, SendResult.permanent(Reason.AUTH_REJECTED, "invalid_auth"));
    history.onDeadLetter(b, 1, SendResult.permanent(Reason.AUTH_REJECTED, "invalid_auth"));
    history.onSuppressed(b, "batch re-sent by Alertmanager");

    List<DeliveryRecord> all = history.query(DeliveryHistory.Query.all());

    assertThat(all)
        .extracting(DeliveryRecord::status)
        .containsExactly(
            DeliveryRecord.Status.SUPPRESSED,
            DeliveryRecord.Status.DEAD_LETTER,
            DeliveryRecord.Status.FAILED_ATTEMPT,
            DeliveryRecord.Status.DELIVERED,
            DeliveryRecord.Status.FAILED_ATTEMPT);
    assertThat(all.get(4))
        .isEqualTo(
            new DeliveryRecord(
                NOW,
                "n1",
                new ObjectRef("EmailReceiver", "alice"),
                "team-a",
                new ObjectRef("EmailConfig", "default"),
                DeliveryRecord.Status.FAILED_ATTEMPT,
                1,
                Reason.REMOTE_ERROR,
                true,
                "HTTP 503"));
    assertThat(all.get(3).attempt()).isEqualTo(2);
    assertThat(all.get(3).reason()).isNull();
    assertThat(all.get(1).reason()).isEqualTo(Reason.AUTH_REJECTED);
    assertThat(all.get(1).retryable()).isFalse();
    assertThat(all.get(0).detail()).isEqualTo("batch re-sent by Alertmanager");
  }

  @Test
  void queriesFilterByReceiverTenantStatusAndLimit() {
    for (int i = 0; i < 10; i++) {
      history.onDelivered(notification("a" + i, "EmailReceiver/alice", "team-a"), 1);
      history.onDeadLetter(
          notification("b" + i, "EmailReceiver/bob", "team-b"),
          3,
          SendResult.retryable(Reason.TIMEOUT, "slow"));
    }

    assertThat(
            history.query(
                DeliveryHistory.Query.all().receiver(new ObjectRef("EmailReceiver", "alice"))))
        .hasSize(10)
        .allMatch(r -> r.notificationId().startsWith("a"));
    assertThat(history.query(DeliveryHistory.Query.all().tenant("team-b")))
        .hasSize(10)
        .allMatch(r -> "team-b".equals(r.tenant()));
    assertThat(
            history.query(
                DeliveryHistory.Query.all().status(DeliveryRecord.Status.DEAD_LETTER).limit(3)))
        .extracting(DeliveryRecord::notificationId)
        .containsExactly("b9", "b8", "b7");
    assertThat(
            history.query(
                DeliveryHistory.Query.all()
                    .tenant("team-a")
                    .status(DeliveryRecord.Status.DEAD_LETTER)))
        .isEmpty();
  }

  @Test
  void theRingKeepsOnlyTheNewestRecords() {
    DeliveryHistory small = new DeliveryHistory(5, Clock.fixed(NOW, ZoneOffset.UTC));
    for (int i = 0; i < 12; i++) {
      small.onDelivered(notification("n" + i, "EmailReceiver/alice", "team-a"), 1);
    }

    assertThat(small.size()).isEqualTo(5);
    assertThat(small.latest(100))
        .extracting(DeliveryRecord::notificationId)
        .containsExactly("n11", "n10", "n9", "n8", "n7");
  }

  @Test
  void theDefaultHistoryKeepsTenThousandRecords() {
    assertThat(new DeliveryHistory().capacity()).isEqualTo(10_000);
  }

  @Test
  void aQueryNeedsAPositiveLimit() {
    assertThatThrownBy(() -> DeliveryHistory.Query.all().limit(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit: must be at least 1, was 0");
  }
}
