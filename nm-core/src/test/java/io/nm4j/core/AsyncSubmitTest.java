package io.nm4j.core;

import static io.nm4j.core.Fixtures.batch;
import static io.nm4j.core.Fixtures.config;
import static io.nm4j.core.Fixtures.global;
import static io.nm4j.core.Fixtures.inNamespace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.nm4j.core.PagerChannelProvider.PagerConfig;
import io.nm4j.core.PagerChannelProvider.PagerReceiver;
import io.nm4j.core.delivery.DeliveryOptions;
import io.nm4j.core.delivery.DeliveryOutcome;
import io.nm4j.core.journal.Journal;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

class AsyncSubmitTest {
  private final List<String> sent = new CopyOnWriteArrayList<>();
  private final HeldJournal journal = new HeldJournal();

  /**
   * A journal whose writes complete when the test says so; by default, as a journal that does not
   * tell a write from its {@code fsync}, it reports a batch written when it is durable.
   */
  private static class HeldJournal implements Journal {
    final List<CompletableFuture<Long>> writes = new CopyOnWriteArrayList<>();
    final List<Long> finished = new CopyOnWriteArrayList<>();
    final List<Long> completed = new CopyOnWriteArrayList<>();
    final List<ObjectRef> completedReceivers = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Long> append(byte[] batch) {
      CompletableFuture<Long> write = new CompletableFuture<>();
      writes.add(write);
      return write;
    }

    @Override
    public void completed(long id, ObjectRef receiver) {
      completed.add(id);
      completedReceivers.add(receiver);
    }

    @Override
    public void finished(long id) {
      finished.add(id);
    }

    @Override
    public List<Pending> pending() {
      return List.of();
    }

    @Override
    public List<String> repairs() {
      return List.of();
    }

    @Override
    public long unfinished() {
      return writes.size() - finished.size();
    }

    @Override
    public boolean durable() {
      return true;
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
      return "held journal";
    }
  }

  /** A held journal that reports each batch written when the test says so, before it is durable. */
  private static final class WrittenBeforeDurableJournal extends HeldJournal {
    final List<LongConsumer> written = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Long> append(byte[] batch, LongConsumer written) {
      this.written.add(written);
      return append(batch);
    }
  }

  private final class RecordingChannel implements Channel<PagerReceiver, PagerConfig> {
    @Override
    public SendResult send(SendRequest<PagerReceiver, PagerConfig> request) {
      sent.add(request.notification().receiver().name());
      return SendResult.delivered();
    }
  }

  private NotificationManager manager() {
    return manager(journal);
  }

  private NotificationManager manager(Journal journal) {
    return NotificationManager.builder()
        .discoverChannels(false)
        .channel(new PagerChannelProvider("Pager", ctx -> new RecordingChannel()))
        .channelOption("pager.apiUrl", "http://127.0.0.1:1/")
        .configSource(
            InMemoryConfigSource.of(
                Fixtures.yaml(global("ops") + config("d", "{type: default}")).objects()))
        .journal(journal)
        .deliveryOptions(DeliveryOptions.defaults())
        .build();
  }

  private static byte[] webhook(String groupKey) {
    AlertBatch b = batch(inNamespace("x"));
    return AlertmanagerWebhook.encode(
        new AlertBatch(
            "am", b.status(), b.alerts(), Map.of(), Map.of(), Map.of(), "", groupKey, 0));
  }

  @Test
  void aWebhookBatchIsEnqueuedOnlyOnceTheJournalHasIt() throws Exception {
    try (NotificationManager nm = manager()) {
      CompletableFuture<Receipt> accepted = nm.submitWebhookAsync(webhook("{}:{a=\"1\"}"));

      assertThat(journal.writes).hasSize(1);
      assertThat(accepted).isNotDone();
      assertThat(nm.queued()).isZero();
      assertThat(nm.intakeCounts().acceptedBatches()).isZero();

      journal.writes.get(0).complete(7L);

      Receipt receipt = accepted.get();
      assertThat(receipt.notifications())
          .extracting(n -> n.receiver().name())
          .containsExactly("ops");
      assertThat(receipt.allOutcomes().join())
          .extracting(DeliveryOutcome::status)
          .containsExactly(DeliveryOutcome.Status.DELIVERED);
      assertThat(sent).containsExactly("ops");
      await().until(() -> journal.finished.contains(7L));
    }
  }

  @Test
  void aBatchIsSentOnceTheJournalHasWrittenItAndAnsweredAndRecordedOnlyOnceItIsDurable()
      throws Exception {
    WrittenBeforeDurableJournal held = new WrittenBeforeDurableJournal();
    try (NotificationManager nm = manager(held)) {
      CompletableFuture<Receipt> accepted = nm.submitWebhookAsync(webhook("{}:{a=\"5\"}"));
      assertThat(sent).isEmpty();

      held.written.get(0).accept(7L);

      await().until(() -> sent.contains("ops"));
      await().until(() -> nm.queued() == 0);
      assertThat(accepted).isNotDone();
      assertThat(nm.intakeCounts().acceptedBatches()).isZero();
      // the outcome is final, but the batch is not durable yet: nothing to record it against
      assertThat(held.completed).isEmpty();
      assertThat(held.finished).isEmpty();

      held.writes.get(0).complete(7L);

      Receipt receipt = accepted.get();
      assertThat(receipt.allOutcomes().join())
          .extracting(DeliveryOutcome::status)
          .containsExactly(DeliveryOutcome.Status.DELIVERED);
      assertThat(nm.intakeCounts().acceptedBatches()).isEqualTo(1);
      await().until(() -> held.finished.contains(7L));
      assertThat(held.completed).containsExactly(7L);
      assertThat(held.completedReceivers).containsExactly(new ObjectRef("PagerReceiver", "ops"));
      assertThat(sent).containsExactly("ops");
    }
  }

  @Test
  void aBatchWrittenButNotMadeDurableIsRefusedItsNotificationGoesOnAndNothingIsRecordedForIt()
      throws Exception {
    WrittenBeforeDurableJournal held = new WrittenBeforeDurableJournal();
    try (NotificationManager nm = manager(held)) {
      byte[] body = webhook("{}:{a=\"6\"}");
      CompletableFuture<Receipt> refused = nm.submitWebhookAsync(body);
      held.written.get(0).accept(7L);

      held.writes.get(0).completeExceptionally(new IOException("fsync failed"));

      assertThatThrownBy(refused::get)
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(RejectedException.class)
          .hasMessage("the journal cannot store the batch: fsync failed (held journal)");
      assertThat(nm.intakeCounts().rejectedJournal()).isEqualTo(1);
      // at least once: what was written goes out, and its bytes are held until it is final
      await().until(() -> sent.contains("ops"));
      await().until(() -> nm.queuedBytes() == 0);
      assertThat(held.completed).isEmpty();
      assertThat(held.finished).isEmpty();

      CompletableFuture<Receipt> retry = nm.submitWebhookAsync(body);
      held.written.get(1).accept(8L);
      held.writes.get(1).complete(8L);
      assertThat(retry.get().duplicate()).isFalse();
      retry.get().allOutcomes().join();
      assertThat(sent).containsExactly("ops", "ops");
      await().until(() -> held.finished.contains(8L));
    }
  }

  @Test
  void aBatchTheJournalCannotStoreIsRefusedNothingIsSentAndItsRetryIsAccepted() throws Exception {
    try (NotificationManager nm = manager()) {
      byte[] body = webhook("{}:{a=\"2\"}");
      CompletableFuture<Receipt> refused = nm.submitWebhookAsync(body);

      journal.writes.get(0).completeExceptionally(new IOException("disk full"));

      assertThatThrownBy(refused::get)
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(RejectedException.class)
          .hasMessage("the journal cannot store the batch: disk full (held journal)");
      assertThat(nm.intakeCounts().rejectedJournal()).isEqualTo(1);
      assertThat(nm.queued()).isZero();
      assertThat(nm.queuedBytes()).isZero();

      CompletableFuture<Receipt> retry = nm.submitWebhookAsync(body);
      journal.writes.get(1).complete(8L);
      assertThat(retry.get().duplicate()).isFalse();
      retry.get().allOutcomes().join();
      assertThat(sent).containsExactly("ops");
    }
  }

  @Test
  void aResendWhileTheFirstIsBeingStoredIsAnsweredWithWhatTheFirstBecomes() throws Exception {
    try (NotificationManager nm = manager()) {
      byte[] body = webhook("{}:{a=\"3\"}");
      CompletableFuture<Receipt> first = nm.submitWebhookAsync(body);
      CompletableFuture<Receipt> resend = nm.submitWebhookAsync(body);

      assertThat(journal.writes).hasSize(1);
      assertThat(resend).isNotDone();
      journal.writes.get(0).completeExceptionally(new IOException("disk full"));

      // Answered "accepted" before the first was stored, the re-send would have been lost.
      assertThatThrownBy(resend::get)
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(RejectedException.class)
          .hasMessage("the first arrival of this batch was not accepted; send it again");
      assertThatThrownBy(first::get).cause().isInstanceOf(RejectedException.class);

      CompletableFuture<Receipt> retry = nm.submitWebhookAsync(body);
      CompletableFuture<Receipt> resendOfRetry = nm.submitWebhookAsync(body);
      assertThat(resendOfRetry).isNotDone();
      journal.writes.get(1).complete(9L);
      assertThat(retry.get().duplicate()).isFalse();
      assertThat(resendOfRetry.get().duplicate()).isTrue();
      retry.get().allOutcomes().join();
      assertThat(sent).containsExactly("ops");
    }
  }

  @Test
  void theBlockingSubmitThrowsTheJournalsRefusal() {
    try (NotificationManager nm = manager()) {
      CompletableFuture<Receipt> waiting =
          CompletableFuture.supplyAsync(() -> nm.submit(batch(inNamespace("x"))));
      await().until(() -> journal.writes.size() == 1);
      journal.writes.get(0).completeExceptionally(new IOException("disk full"));

      assertThatThrownBy(waiting::join)
          .cause()
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("disk full");
      assertThat(sent).isEmpty();
    }
  }
}
