package io.nm4j.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RatePermitsTest {
  private static final ChannelLimits.Rate TWENTY_A_MINUTE =
      new ChannelLimits.Rate(20, Duration.ofMinutes(1));
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private final RatePermits permits = new RatePermits();

  @Test
  void twentyPermitsInAMinuteThenTheNextFreesWhenTheOldestLeavesTheWindow() {
    for (int i = 0; i < 20; i++) {
      assertThat(permits.tryAcquire("robot", TWENTY_A_MINUTE, 1, T0.plusSeconds(i))).isNull();
    }
    assertThat(permits.tryAcquire("robot", TWENTY_A_MINUTE, 1, T0.plusSeconds(30)))
        .isEqualTo(T0.plusSeconds(60));
    assertThat(permits.tryAcquire("robot", TWENTY_A_MINUTE, 1, T0.plusSeconds(60))).isNull();
  }

  @Test
  void severalPermitsAreTakenAllOrNoneAndWaitForAsManyToFree() {
    for (int i = 0; i < 18; i++) {
      assertThat(permits.tryAcquire("robot", TWENTY_A_MINUTE, 1, T0.plusSeconds(i))).isNull();
    }
    // two are free, three are asked: the third frees when the first entry leaves the window
    assertThat(permits.tryAcquire("robot", TWENTY_A_MINUTE, 3, T0.plusSeconds(20)))
        .isEqualTo(T0.plusSeconds(60));
    assertThat(permits.tryAcquire("robot", TWENTY_A_MINUTE, 2, T0.plusSeconds(20))).isNull();
    assertThat(permits.tryAcquire("robot", TWENTY_A_MINUTE, 1, T0.plusSeconds(20)))
        .isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void eachOfThreeReplicasTakesSixOfARobotsTwentyAMinuteSoTogetherTheyStayWithinIt() {
    RatePermits oneOfThree = new RatePermits(3);
    for (int i = 0; i < 6; i++) {
      assertThat(oneOfThree.tryAcquire("robot", TWENTY_A_MINUTE, 1, T0.plusSeconds(i))).isNull();
    }
    assertThat(oneOfThree.tryAcquire("robot", TWENTY_A_MINUTE, 1, T0.plusSeconds(10)))
        .isEqualTo(T0.plusSeconds(60));
    assertThat(oneOfThree.tryAcquire("robot", TWENTY_A_MINUTE, 1, T0.plusSeconds(60))).isNull();
  }

  @Test
  void aCallNeedingMoreThanTheReplicasShareWaitsForAllOfTheShare() {
    RatePermits oneOfThree = new RatePermits(3);

    assertThat(oneOfThree.tryAcquire("robot", TWENTY_A_MINUTE, 10, T0)).isNull();
    assertThat(oneOfThree.tryAcquire("robot", TWENTY_A_MINUTE, 1, T0))
        .isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void endpointsAreCountedApart() {
    for (int i = 0; i < 20; i++) {
      permits.tryAcquire("robot-a", TWENTY_A_MINUTE, 1, T0);
    }
    assertThat(permits.tryAcquire("robot-a", TWENTY_A_MINUTE, 1, T0)).isNotNull();
    assertThat(permits.tryAcquire("robot-b", TWENTY_A_MINUTE, 1, T0)).isNull();
  }

  @Test
  void aHeldEndpointGivesNoPermitUntilTheHoldEndsAndALaterHoldNeverShortensIt() {
    permits.hold("robot", T0.plus(Duration.ofMinutes(10)));
    permits.hold("robot", T0.plus(Duration.ofMinutes(2)));
    assertThat(permits.heldUntil("robot", T0)).isEqualTo(T0.plus(Duration.ofMinutes(10)));
    assertThat(permits.tryAcquire("robot", TWENTY_A_MINUTE, 1, T0.plus(Duration.ofMinutes(9))))
        .isEqualTo(T0.plus(Duration.ofMinutes(10)));
    assertThat(permits.tryAcquire("robot", TWENTY_A_MINUTE, 1, T0.plus(Duration.ofMinutes(10))))
        .isNull();
    assertThat(permits.heldUntil("robot", T0.plus(Duration.ofMinutes(10)))).isNull();
  }

  @Test
  void waitingIsARetryableFailureAwaitingThePermitDueWhenItFrees() {
    SendResult.Failed f = RatePermits.waitFor("chatbot", T0.plusSeconds(42), T0);
    assertThat(f.reason()).isEqualTo(SendResult.Reason.AWAITING_PERMIT);
    assertThat(f.retryable()).isTrue();
    assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(42));
    assertThat(f.detail()).startsWith("chatbot: not sent");
  }

  @Test
  void askingForMorePermitsThanTheRateHasIsABug() {
    assertThatThrownBy(() -> permits.tryAcquire("robot", TWENTY_A_MINUTE, 21, T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("permits must be 1..20, was 21");
  }
}
