package io.nm4j.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.nm4j.spi.DeliveryListener;
import io.nm4j.spi.Notification;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompositeListenerTest {

  @Test
  void aThrowingListenerNeverKeepsTheOthersFromAnEvent() {
    List<String> seen = new ArrayList<>();
    DeliveryListener throwing =
        new DeliveryListener() {
          @Override
          public void onAttempt(Notification n, int attempt, SendResult result) {
            throw new IllegalStateException("boom");
          }

          @Override
          public void onDelivered(Notification n, int attempts) {
            throw new IllegalStateException("boom");
          }

          @Override
          public void onDeadLetter(Notification n, int attempts, SendResult.Failed f) {
            throw new IllegalStateException("boom");
          }

          @Override
          public void onSuppressed(Notification n, String why) {
            throw new IllegalStateException("boom");
          }
        };
    DeliveryListener recording =
        new DeliveryListener() {
          @Override
          public void onAttempt(Notification n, int attempt, SendResult result) {
            seen.add("attempt " + attempt);
          }

          @Override
          public void onDelivered(Notification n, int attempts) {
            seen.add("delivered " + attempts);
          }

          @Override
          public void onDeadLetter(Notification n, int attempts, SendResult.Failed f) {
            seen.add("dead " + f.reason());
          }

          @Override
          public void onSuppressed(Notification n, String why) {
            seen.add("suppressed " + why);
          }
        };
    CompositeListener both = CompositeListener.of(throwing, recording);
    Notification n = DeliveryHistoryTest.notification("n1", "EmailReceiver/alice", "team-a");

    assertThatCode(
            () -> {
              both.onAttempt(n, 1, SendResult.delivered());
              both.onDelivered(n, 1);
              both.onDeadLetter(n, 2, SendResult.permanent(Reason.REJECTED, "400"));
              both.onSuppressed(n, "re-sent");
            })
        .doesNotThrowAnyException();
    assertThat(seen)
        .containsExactly("attempt 1", "delivered 1", "dead REJECTED", "suppressed re-sent");
  }

  @Test
  void fansOutToEveryListenerInOrder() {
    DeliveryHistory first = new DeliveryHistory(10, Clock.systemUTC());
    DeliveryHistory second = new DeliveryHistory(10, Clock.systemUTC());
    CompositeListener both = CompositeListener.of(List.of(first, second));

    both.onDelivered(DeliveryHistoryTest.notification("n1", "EmailReceiver/alice", null), 1);

    assertThat(both.listeners()).containsExactly(first, second);
    assertThat(first.size()).isEqualTo(1);
    assertThat(second.size()).isEqualTo(1);
  }
}
