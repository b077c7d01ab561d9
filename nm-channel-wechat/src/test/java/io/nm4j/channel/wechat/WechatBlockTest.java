package io.nm4j.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.SpecReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wechat block of notification-manager's v2beta2 Receiver. */
class WechatBlockTest {
  private final WechatChannelProvider provider = new WechatChannelProvider();

  @Test
  void listedIdsAreTheReceiversTargets() {
    WechatReceiver receiver =
        provider
            .parseReceiverBlock(
                SpecReader.at(
                    Map.of("toUser", List.of("alice", "bob"), "toTag", List.of("3")),
                    "spec.wechat",
                    "kubesphere-monitoring-system"))
            .value();
    assertThat(receiver.toUser()).containsExactly("alice", "bob");
    assertThat(receiver.toParty()).isEmpty();
    assertThat(receiver.toTag()).containsExactly("3");
  }

  @Test
  void aBlockWithoutTargetsIsRefusedAtItsPath() {
    assertThat(
            provider
                .parseReceiverBlock(SpecReader.at(Map.of("toUser", List.of()), "spec.wechat", "ns"))
                .errors())
        .extracting(e -> e.field() + ": " + e.message())
        .containsExactly("spec.wechat: one of toUser, toParty, toTag, chatbot is required");
  }
}
