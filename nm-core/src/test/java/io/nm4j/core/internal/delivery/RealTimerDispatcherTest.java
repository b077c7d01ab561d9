package io.nm4j.core.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nm4j.core.delivery.DeliveryHistory;
import io.nm4j.core.delivery.DeliveryOptions;
import io.nm4j.core.delivery.DeliveryOutcome;
import io.nm4j.core.delivery.DeliveryRecord;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** The dispatcher with its own timer thread and the system clock, as a host runs it. */
class RealTimerDispatcherTest {

  @Test
  void retriesOnTheSchedulingTimerAndRecordsTheHistory() {
    DeliveryHistory history = new DeliveryHistory(100, Clock.systemUTC());
    AtomicInteger calls = new AtomicInteger();
    Delivery.Attempt flaky =
        (deadline, progress) ->
            calls.incrementAndGet() <= 2
                ? SendResult.retryable(Reason.CONNECTION_FAILED, "connection refused")
                : SendResult.delivered();
    List<CompletableFuture<DeliveryOutcome>> futures;
    try (Dispatcher d =
        Dispatcher.builder()
            .options(
                DeliveryOptions.builder()
                    .workers(2)
                    .initialBackoff(Duration.ofMillis(1))
                    .maxBackoff(Duration.ofMillis(2))
                    .build())
            .listener(history)
            .build()) {
      futures = d.tryEnqueue(List.of(Deliveries.delivery("WebhookReceiver/ops", "t1", flaky)));
      assertThat(futures).isNotNull();
      await().atMost(10, TimeUnit.SECONDS).until(() -> futures.get(0).isDone());
    }

    assertThat(futures.get(0).join().status()).isEqualTo(DeliveryOutcome.Status.DELIVERED);
    assertThat(futures.get(0).join().attempts()).isEqualTo(3);
    assertThat(history.latest(10))
        .extracting(DeliveryRecord::status, DeliveryRecord::attempt)
        .containsExactly(
            Tuple.tuple(DeliveryRecord.Status.DELIVERED, 3),
            Tuple.tuple(DeliveryRecord.Status.FAILED_ATTEMPT, 2),
            Tuple.tuple(DeliveryRecord.Status.FAILED_ATTEMPT, 1));
  }

  @Test
  void closeWithNothingQueuedReturnsAndLaterListsAreRefused() {
    Dispatcher d = Dispatcher.builder().build();
    d.close();

    assertThat(d.tryEnqueue(List.of(Deliveries.delivery("EmailReceiver/a", "t1", Deliveries.ok()))))
        .isNull();
  }
}
