package io.nm4j.core;

import static io.nm4j.core.Fixtures.batch;
import static io.nm4j.core.Fixtures.global;
import static io.nm4j.core.Fixtures.inNamespace;
import static io.nm4j.core.Fixtures.receiver;
import static io.nm4j.core.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nm4j.core.PagerChannelProvider.PagerConfig;
import io.nm4j.core.PagerChannelProvider.PagerReceiver;
import io.nm4j.core.delivery.DeliveryOptions;
import io.nm4j.core.delivery.DeliveryOutcome;
import io.nm4j.core.journal.DiskFull;
import io.nm4j.core.journal.FileJournal;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.Channel;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalRecoveryTest {
  @TempDir Path dir;

  private final List<String> sent = new CopyOnWriteArrayList<>();

  private static final String CONFIG =
      receiver("PagerConfig", "d", "{type: default}", "{}")
          + global("ops")
          + tenant("shop", "shop");

  /** A channel that delivers to receivers {@code up} accepts and answers 503 to the others. */
  private Channel<PagerReceiver, PagerConfig> channel(Predicate<String> up) {
    return (SendRequest<PagerReceiver, PagerConfig> request) -> {
      String receiver = request.notification().receiver().name();
      if (!up.test(receiver)) {
        return SendResult.retryable(SendResult.Reason.REMOTE_ERROR, "HTTP 503");
      }
      sent.add(receiver + ":" + request.notification().alerts().size());
      return SendResult.delivered();
    };
  }

  private NotificationManager manager(Predicate<String> up) throws Exception {
    return NotificationManager.builder()
        .discoverChannels(false)
        .channel(new PagerChannelProvider("Pager", ctx -> channel(up)))
        .configSource(InMemoryConfigSource.of(Fixtures.yaml(CONFIG).objects()))
        .deliveryOptions(
            DeliveryOptions.builder()
                .drainTimeout(Duration.ZERO)
                .initialBackoff(Duration.ofMinutes(1))
                .maxBackoff(Duration.ofMinutes(1))
                .build())
        .journal(FileJournal.open(dir))
        .build();
  }

  @Test
  void receiverUndeliveredAtShutdownIsDeliveredAtTheNextStartAndTheDeliveredOneIsNotResent()
      throws Exception {
    try (NotificationManager nm = manager(r -> r.equals("ops"))) {
      Receipt receipt = nm.submit(batch(inNamespace("shop"), inNamespace("x")));
      assertThat(receipt.notifications()).hasSize(2);
      assertThat(receipt.outcomes().get(0).join().status())
          .isEqualTo(DeliveryOutcome.Status.DELIVERED);
      assertThat(nm.journal().unfinished()).isEqualTo(1);
    }
    assertThat(sent).containsExactly("ops:2");
    sent.clear();
    try (NotificationManager nm = manager(r -> true)) {
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> nm.journal().unfinished() == 0);
      assertThat(sent).containsExactly("shop:1");
    }
    try (NotificationManager nm = manager(r -> true)) {
      assertThat(nm.journal().pending()).isEmpty();
    }
    assertThat(sent).containsExactly("shop:1");
  }

  @Test
  void webhookBodyIsJournaledAsReceivedAndDeliveredAfterARestart() throws Exception {
    byte[] body =
        ("{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"nm4j\",\"groupKey\":\"g\","
                + "\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\","
                + "\"namespace\":\"shop\"},\"annotations\":{},\"startsAt\":\"2026-11-25T10:00:00Z\"}]}")
            .getBytes(StandardCharsets.UTF_8);
    try (NotificationManager nm = manager(r -> r.equals("ops"))) {
      Receipt receipt = nm.submitWebhook(body);
      assertThat(receipt.notifications()).hasSize(2);
      // ops (up) is delivered before the stop; shop (down) is left for the next start
      assertThat(receipt.outcomes().get(0).join().status())
          .isEqualTo(DeliveryOutcome.Status.DELIVERED);
    }
    // the next start finds the body itself, byte for byte
    try (FileJournal journal = FileJournal.open(dir)) {
      assertThat(journal.pending())
          .singleElement()
          .satisfies(p -> assertThat(p.batch()).isEqualTo(body));
    }
    sent.clear();
    try (NotificationManager nm = manager(r -> true)) {
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> nm.journal().unfinished() == 0);
      assertThat(sent).containsExactly("shop:1");
    }
  }

  @Test
  void invalidWebhookBodyIsRefusedNamingTheFieldAndNothingIsJournaled() throws Exception {
    byte[] body =
        "{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"a\":1}}]}"
            .getBytes(StandardCharsets.UTF_8);
    try (NotificationManager nm = manager(r -> true)) {
      assertThatThrownBy(() -> nm.submitWebhook(body))
          .isInstanceOf(InvalidPayloadException.class)
          .hasMessageContaining("alerts[0].labels.a");
      assertThat(nm.journal().pending()).isEmpty();
      assertThat(nm.intakeCounts().acceptedBatches()).isZero();
    }
    assertThat(sent).isEmpty();
  }

  @Test
  void recoveredBatchIsRememberedSoAlertmanagersResendIsADuplicate() throws Exception {
    AlertBatch plain = batch(inNamespace("shop"));
    AlertBatch b =
        new AlertBatch(
            "team",
            plain.status(),
            plain.alerts(),
            Map.of(),
            Map.of(),
            Map.of(),
            "http://am",
            "{}:{namespace=\"shop\"}",
            0);
    try (NotificationManager nm = manager(r -> false)) {
      nm.submit(b);
    }
    try (NotificationManager nm = manager(r -> true)) {
      assertThat(nm.submit(b).duplicate()).isTrue();
    }
  }

  @Test
  void journalThatCannotStoreTheBatchMakesSubmitRejectItAndNothingIsSent() throws Exception {
    FileJournal journal = FileJournal.open(dir);
    journal.close();
    try (NotificationManager nm =
        NotificationManager.builder()
            .discoverChannels(false)
            .channel(new PagerChannelProvider("Pager", ctx -> channel(r -> true)))
            .configSource(InMemoryConfigSource.of(Fixtures.yaml(CONFIG).objects()))
            .journal(journal)
            .build()) {
      assertThatThrownBy(() -> nm.submit(batch(inNamespace("shop"))))
          .isInstanceOf(RejectedException.class)
          .hasMessage("the journal cannot store the batch: journal closed (" + journal + ")");
      assertThat(nm.queued()).isZero();
    }
    assertThat(sent).isEmpty();
  }

  /**
   * A real ENOSPC: the journal's next segment is a link to {@code /dev/full}, whose every write
   * fails with "No space left on device", so the batch that makes the journal roll over to it
   * cannot be stored.
   */
  @Test
  void aFullDiskMakesSubmitRejectTheBatchCountedAndUnsentAndIntakeWorksWhenSpaceReturns()
      throws Exception {
    try (NotificationManager nm =
        NotificationManager.builder()
            .discoverChannels(false)
            .channel(new PagerChannelProvider("Pager", ctx -> channel(r -> true)))
            .configSource(InMemoryConfigSource.of(Fixtures.yaml(CONFIG).objects()))
            .journal(FileJournal.open(dir, 1024))
            .build()) {
      nm.submit(batch(inNamespace("shop"))).allOutcomes().join();
      // the batch is marked finished just after its outcomes complete
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> nm.journal().unfinished() == 0);
      sent.clear();
      Path next = DiskFull.linkNextSegmentToDevFull(dir);
      AlertBatch big = batch(Fixtures.alert("namespace", "shop", "detail", "x".repeat(2048)));

      assertThatThrownBy(() -> nm.submit(big))
          .isInstanceOf(RejectedException.class)
          .hasMessage(
              "the journal cannot store the batch: No space left on device (file journal in "
                  + dir
                  + ")");
      assertThat(nm.intakeCounts().rejectedJournal()).isEqualTo(1);
      assertThat(nm.intakeCounts().acceptedBatches()).isEqualTo(1);
      assertThat(nm.queued()).isZero();
      assertThat(nm.queuedBytes()).isZero();
      assertThat(nm.journal().unfinished()).isZero();
      assertThat(sent).isEmpty();

      // Alertmanager retries the same batch; the journal has moved off the failed segment.
      Receipt retried = nm.submit(big);
      assertThat(retried.duplicate()).isFalse();
      retried.allOutcomes().join();
      assertThat(sent).containsExactlyInAnyOrder("ops:1", "shop:1");
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> nm.journal().unfinished() == 0);
      assertThat(Files.exists(next, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }
    try (NotificationManager nm = manager(r -> true)) {
      assertThat(nm.journal().pending()).isEmpty();
    }
  }

  @Test
  void encodedBatchDecodesToAnEqualBatch() {
    AlertBatch b =
        new AlertBatch(
            "team",
            io.nm4j.spi.AlertStatus.FIRING,
            List.of(
                new io.nm4j.spi.Alert(
                    io.nm4j.spi.AlertStatus.RESOLVED,
                    Map.of("alertname", "Down", "namespace", "shop"),
                    Map.of("summary", "ünïcode"),
                    Instant.parse("2024-01-02T03:04:05.123Z"),
                    Instant.parse("2024-01-02T04:04:05Z"),
                    "http://prom/graph",
                    "abc123"),
                Fixtures.alert("alertname", "Up")),
            Map.of("alertname", "Down"),
            Map.of("namespace", "shop"),
            Map.of("runbook", "x"),
            "http://am",
            "{}:{alertname=\"Down\"}",
            3);
    assertThat(AlertmanagerWebhook.decode(AlertmanagerWebhook.encode(b))).isEqualTo(b);
    assertThat(Set.of(b)).hasSize(1);
  }
}
