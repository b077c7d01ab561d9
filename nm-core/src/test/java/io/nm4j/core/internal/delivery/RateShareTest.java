package io.nm4j.core.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.ChannelLimits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateShareTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  @Test
  void threeReplicasSendingToOneDingTalkRobotStayWithinItsTwentyAMinuteTogether() {
    ChannelLimits.Rate share = RateShare.of(new ChannelLimits.Rate(20, MINUTE), 3);

    assertThat(share).isEqualTo(new ChannelLimits.Rate(6, MINUTE));
    assertThat(3 * share.permits()).isLessThanOrEqualTo(20);
  }

  @Test
  void aRateOfFewerPermitsThanReplicasGivesEachOnePermitOverLongerWindows() {
    ChannelLimits.Rate share = RateShare.of(new ChannelLimits.Rate(2, MINUTE), 5);

    // five replicas, one permit each per three minutes: 5 in 3 minutes, within 2 a minute (6)
    assertThat(share).isEqualTo(new ChannelLimits.Rate(1, Duration.ofMinutes(3)));
  }

  @Test
  void oneReplicaAndUnlimitedEndpointsKeepTheirRate() {
    ChannelLimits.Rate rate = new ChannelLimits.Rate(20, MINUTE);

    assertThat(RateShare.of(rate, 1)).isSameAs(rate);
    assertThat(RateShare.of(null, 3)).isNull();
  }
}
