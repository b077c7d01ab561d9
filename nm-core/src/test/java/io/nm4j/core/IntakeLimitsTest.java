package io.nm4j.core;

import static io.nm4j.core.Fixtures.batch;
import static io.nm4j.core.Fixtures.global;
import static io.nm4j.core.Fixtures.inNamespace;
import static io.nm4j.core.Fixtures.receiver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.nm4j.core.PagerChannelProvider.PagerConfig;
import io.nm4j.core.PagerChannelProvider.PagerReceiver;
import io.nm4j.core.delivery.DeliveryOptions;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.Channel;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IntakeLimitsTest {
  private final CountDownLatch release = new CountDownLatch(1);

  private NotificationManager manager(DeliveryOptions options) {
    Channel<PagerReceiver, PagerConfig> stalled =
        (SendRequest<PagerReceiver, PagerConfig> request) -> {
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return SendResult.delivered();
        };
    return NotificationManager.builder()
        .discoverChannels(false)
        .channel(new PagerChannelProvider("Pager", ctx -> stalled))
        .configSource(
            InMemoryConfigSource.of(
                Fixtures.yaml(receiver("PagerConfig", "d", "{type: default}", "{}") + global("ops"))
                    .objects()))
        .deliveryOptions(options)
        .build();
  }

  @Test
  void batchesBeyondTheByteCapAreRefusedAndCountedUntilDeliveryFreesTheBytes() {
    AlertBatch first = batch(inNamespace("a"));
    long size = AlertmanagerWebhook.encode(first).length;
    DeliveryOptions options = DeliveryOptions.builder().maxQueuedBytes(size + 10).build();
    try (NotificationManager nm = manager(options)) {
      Receipt accepted = nm.submit(first);
      assertThat(nm.queuedBytes()).isEqualTo(size);
      assertThatThrownBy(() -> nm.submit(batch(inNamespace("b"))))
          .isInstanceOf(RejectedException.class)
          .hasMessageStartingWith(
              "accepted batches not yet delivered hold more than " + (size + 10) + " bytes");
      assertThat(nm.intakeCounts().rejectedBytes()).isEqualTo(1);
      assertThat(nm.intakeCounts().acceptedBatches()).isEqualTo(1);
      release.countDown();
      accepted.allOutcomes().join();
      await().atMost(Duration.ofSeconds(10)).until(() -> nm.queuedBytes() == 0);
      nm.submit(batch(inNamespace("b"))).allOutcomes().join();
      assertThat(nm.intakeCounts().acceptedBatches()).isEqualTo(2);
    }
  }

  @Test
  void batchesBeyondTheReceiverQueueAreRefusedAndCounted() {
    DeliveryOptions options = DeliveryOptions.builder().maxQueuedPerReceiver(2).build();
    try (NotificationManager nm = manager(options)) {
      nm.submit(batch(inNamespace("a")));
      nm.submit(batch(inNamespace("b")));
      assertThatThrownBy(() -> nm.submit(batch(inNamespace("c"))))
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("delivery queues are full");
      assertThat(nm.intakeCounts().rejectedQueueFull()).isEqualTo(1);
      assertThat(nm.journal().unfinished()).isEqualTo(2);
      release.countDown();
    }
  }
}
