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
  void theDefaultHistoryKeepsTenThousandRecordsAndEightMebibytes() {
    assertThat(new DeliveryHistory().capacity()).isEqualTo(10_000);
    assertThat(new DeliveryHistory().maxBytes()).isEqualTo(8L * 1024 * 1024);
    assertThat(DeliveryOptions.defaults().historyBytes()).isEqualTo(8L * 1024 * 1024);
  }

  @Test
  void theByteCapEvictsTheOldestRecordsAndCountsThem() {
    DeliveryHistory capped =
        new DeliveryHistory(1_000, DeliveryHistory.MIN_BYTES, Clock.fixed(NOW, ZoneOffset.UTC));
    String detail = "HTTP 503 " + "x".repeat(900);
    for (int i = 0; i < 40; i++) {
      capped.onAttempt(
          notification("n" + i, "WebhookReceiver/ops", "team-a"),
          1,
          SendResult.retryable(Reason.REMOTE_ERROR, detail));
    }

    long each = DeliveryHistory.estimatedBytes(capped.latest(1).get(0));
    int fits = (int) (DeliveryHistory.MIN_BYTES / each);
    assertThat(fits).isBetween(2, 39);
    assertThat(capped.size()).isEqualTo(fits);
    assertThat(capped.bytes()).isEqualTo(fits * each).isLessThanOrEqualTo(capped.maxBytes());
    assertThat(capped.evictions()).isEqualTo(40 - fits);
    assertThat(capped.latest(1_000))
        .extracting(DeliveryRecord::notificationId)
        .first()
        .isEqualTo("n39");
    assertThat(capped.latest(1_000))
        .extracting(DeliveryRecord::notificationId)
        .last()
        .isEqualTo("n" + (40 - fits));
  }

  @Test
  void theCountCapAlsoCountsEvictions() {
    DeliveryHistory small = new DeliveryHistory(3, Clock.fixed(NOW, ZoneOffset.UTC));
    for (int i = 0; i < 10; i++) {
      small.onDelivered(notification("n" + i, "EmailReceiver/alice", "team-a"), 1);
    }

    assertThat(small.evictions()).isEqualTo(7);
    assertThat(small.bytes()).isEqualTo(3 * DeliveryHistory.estimatedBytes(small.latest(1).get(0)));
  }

  @Test
  void aHugeDetailIsCutToOneKibibyteAndMarked() {
    String huge = "<html>" + "error page ".repeat(100_000) + "</html>";
    Notification n = notification("n1", "WebhookReceiver/ops", null);
    history.onAttempt(n, 1, SendResult.retryable(Reason.REMOTE_ERROR, huge));
    history.onDeadLetter(n, 1, SendResult.permanent(Reason.REJECTED, huge));
    history.onSuppressed(n, huge);

    assertThat(history.latest(3))
        .allSatisfy(
            r -> {
              assertThat(r.detail()).hasSize(DeliveryHistory.MAX_DETAIL_CHARS).endsWith("…");
              assertThat(huge).startsWith(r.detail().substring(0, r.detail().length() - 1));
            });
    assertThat(history.bytes()).isLessThan(3 * 3_000L);
  }

  @Test
  void aShortDetailIsKeptWhole() {
    String exact = "y".repeat(DeliveryHistory.MAX_DETAIL_CHARS);
    history.onAttempt(
        notification("n1", "WebhookReceiver/ops", null),
        1,
        SendResult.retryable(Reason.REMOTE_ERROR, exact));

    assertThat(history.latest(1).get(0).detail()).isEqualTo(exact);
  }

  @Test
  void cuttingADetailNeverSplitsASurrogatePair() {
    String emoji = "\uD83D\uDD25"; // one code point, two chars
    String detail = "a".repeat(DeliveryHistory.MAX_DETAIL_CHARS - 2) + emoji + "tail";
    history.onAttempt(
        notification("n1", "WebhookReceiver/ops", null),
        1,
        SendResult.retryable(Reason.REMOTE_ERROR, detail));

    String kept = history.latest(1).get(0).detail();
    assertThat(kept).endsWith("a…").doesNotContain("\uD83D");
  }

  @Test
  void aByteCapBelowTheMinimumIsRejectedNamingTheField() {
    assertThatThrownBy(() -> new DeliveryHistory(10, 100, Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBytes: must be at least 16384, was 100");
    assertThatThrownBy(() -> DeliveryOptions.builder().historyBytes(100).build())
        .hasMessage("historyBytes: must be at least 16384, was 100");
  }

  @Test
  void aQueryNeedsAPositiveLimit() {
    assertThatThrownBy(() -> DeliveryHistory.Query.all().limit(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit: must be at least 1, was 0");
  }
}
