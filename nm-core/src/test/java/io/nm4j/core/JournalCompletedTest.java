package io.nm4j.core;

import static io.nm4j.core.Fixtures.batch;
import static io.nm4j.core.Fixtures.global;
import static io.nm4j.core.Fixtures.inNamespace;
import static io.nm4j.core.Fixtures.receiver;
import static io.nm4j.core.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.core.delivery.DeliveryOutcome;
import io.nm4j.core.journal.InMemoryJournal;
import io.nm4j.core.journal.Journal;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.SendResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class JournalCompletedTest {
  private static final String CONFIG =
      receiver("PagerConfig", "d", "{type: default}", "{}")
          + global("ops")
          + tenant("shop", "shop");

  /** Keeps batches in memory and records the receiver of each final outcome. */
  private static class RecordingJournal implements Journal {
    final InMemoryJournal batches = new InMemoryJournal();
    final List<ObjectRef> receivers = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<Long> append(byte[] batch) {
      return batches.append(batch);
    }

    @Override
    public void completed(long id, ObjectRef receiver) {
      receivers.add(receiver);
    }

    @Override
    public void finished(long id) {
      batches.finished(id);
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
      return batches.unfinished();
    }

    @Override
    public boolean durable() {
      return false;
    }

    @Override
    public void close() {
      batches.close();
    }
  }

  private static NotificationManager manager(Journal journal) throws Exception {
    return NotificationManager.builder()
        .discoverChannels(false)
        .channel(new PagerChannelProvider("Pager", ctx -> request -> SendResult.delivered()))
        .configSource(InMemoryConfigSource.of(Fixtures.yaml(CONFIG).objects()))
        .journal(journal)
        .build();
  }

  private static void deliverToShopAndOps(Journal journal) throws Exception {
    try (NotificationManager nm = manager(journal)) {
      Receipt receipt = nm.submit(batch(inNamespace("shop")));
      assertThat(receipt.notifications()).hasSize(2);
      for (var outcome : receipt.outcomes()) {
        assertThat(outcome.join().status()).isEqualTo(DeliveryOutcome.Status.DELIVERED);
      }
      org.awaitility.Awaitility.await().until(() -> journal.unfinished() == 0);
    }
  }

  @Test
  void eachFinalOutcomeReachesTheJournalAsItsReceiversReference() throws Exception {
    RecordingJournal journal = new RecordingJournal();
    deliverToShopAndOps(journal);
    assertThat(journal.receivers)
        .containsExactlyInAnyOrder(
            new ObjectRef("PagerReceiver", "ops"), new ObjectRef("PagerReceiver", "shop"));
  }
}
