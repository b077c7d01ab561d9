package io.nm4j.channel.slack;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.FieldError;
import io.nm4j.spi.SpecReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The slack block of notification-manager's v2beta2 Receiver. */
class SlackBlockTest {
  private final SlackChannelProvider provider = new SlackChannelProvider();

  private static SpecReader block(Map<String, Object> fields) {
    return SpecReader.at(fields, "spec.slack", "kubesphere-monitoring-system");
  }

  @Test
  void aBlockListingOneChannelIsAReceiverOfThatChannel() {
    SlackReceiver receiver =
        provider.parseReceiverBlock(block(Map.of("channels", List.of("#alerts")))).value();
    assertThat(receiver).isEqualTo(new SlackReceiver(null, "#alerts"));
  }

  @Test
  void aBlockListingSeveralChannelsIsRefusedNamingTheField() {
    assertThat(provider.parseReceiverBlock(block(Map.of("channels", List.of("#a", "#b")))).errors())
        .containsExactly(
            new FieldError(
                "spec.slack.channels",
                "must name exactly one channel (one Receiver per channel), had 2"));
  }

  @Test
  void theBlocksFieldsAreDescribedForTheUnknownFieldCheck() {
    assertThat(provider.description().receiverBlockFields().properties())
        .containsOnlyKeys("slackConfigSelector", "channels");
  }
}
