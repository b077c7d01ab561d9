package io.nm4j.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChannelLimitsTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  @Test
  void threeReplicasSendingToOneDingTalkRobotStayWithinItsTwentyAMinuteTogether() {
    ChannelLimits.Rate share = new ChannelLimits.Rate(20, MINUTE).share(3);

    assertThat(share).isEqualTo(new ChannelLimits.Rate(6, MINUTE));
    assertThat(3 * share.permits()).isLessThanOrEqualTo(20);
  }

  @Test
  void aRateOfFewerPermitsThanReplicasGivesEachOnePermitOverLongerWindows() {
    ChannelLimits.Rate share = new ChannelLimits.Rate(2, MINUTE).share(5);

    // five replicas, one permit each per three minutes: 5 in 3 minutes, within 2 a minute (6)
    assertThat(share).isEqualTo(new ChannelLimits.Rate(1, Duration.ofMinutes(3)));
  }

  @Test
  void oneReplicaKeepsTheWholeRateAndNoReplicasIsABug() {
    ChannelLimits.Rate rate = new ChannelLimits.Rate(20, MINUTE);

    assertThat(rate.share(1)).isSameAs(rate);
    assertThatThrownBy(() -> rate.share(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
