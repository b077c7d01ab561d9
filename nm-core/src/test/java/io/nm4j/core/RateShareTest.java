package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.RatePermits;
import io.nm4j.spi.SendResult;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code rateShare(n)} reaches the endpoint permits the manager hands its channels, so a channel
 * counting a robot's rate (DingTalk's 20 a minute) takes this replica's share of it.
 */
class RateShareTest {
  private static final ChannelLimits.Rate TWENTY_A_MINUTE =
      new ChannelLimits.Rate(20, Duration.ofMinutes(1));
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void withThreeReplicasAChannelsEndpointPermitsGiveSixOfTwentyAMinute() {
    RatePermits permits = permitsOfAManagerWithRateShare(3);

    for (int i = 0; i < 6; i++) {
      assertThat(permits.tryAcquire("robot", TWENTY_A_MINUTE, 1, T0)).isNull();
    }
    assertThat(permits.tryAcquire("robot", TWENTY_A_MINUTE, 1, T0)).isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void aLoneServerKeepsTheWholeRate() {
    RatePermits permits = permitsOfAManagerWithRateShare(1);

    for (int i = 0; i < 20; i++) {
      assertThat(permits.tryAcquire("robot", TWENTY_A_MINUTE, 1, T0)).isNull();
    }
    assertThat(permits.tryAcquire("robot", TWENTY_A_MINUTE, 1, T0)).isNotNull();
  }

  private static RatePermits permitsOfAManagerWithRateShare(int replicas) {
    AtomicReference<RatePermits> given = new AtomicReference<>();
    try (NotificationManager manager =
        NotificationManager.builder()
            .discoverChannels(false)
            .channel(
                new PagerChannelProvider(
                    "Pager",
                    context -> {
                      given.set(context.permits());
                      return request -> SendResult.delivered();
                    }))
            .rateShare(replicas)
            .build()) {
      assertThat(manager).isNotNull();
    }
    assertThat(given.get()).isNotNull();
    return given.get();
  }
}
