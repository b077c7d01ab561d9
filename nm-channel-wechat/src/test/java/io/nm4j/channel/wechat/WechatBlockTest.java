package io.nm4j.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.SecretKeySelector;
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
  void aChatbotAloneIsATargetWithItsWebhookSecretAndMentions() {
    // The core has already turned the block's Credential into a secret reference {name, key}.
    WechatReceiver receiver =
        provider
            .parseReceiverBlock(
                SpecReader.at(
                    Map.of(
                        "chatbot",
                        Map.of(
                            "webhook",
                            Map.of("name", "robot", "key", "webhook"),
                            "atUsers",
                            List.of("zhangsan"),
                            "atMobiles",
                            List.of("13800001111"))),
                    "spec.wechat",
                    "kubesphere-monitoring-system"))
            .value();

    assertThat(receiver.chatbot())
        .isEqualTo(
            new WechatChatbot(
                new SecretKeySelector("robot", "webhook"),
                List.of("zhangsan"),
                List.of("13800001111")));
    assertThat(receiver.toUser()).isEmpty();
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

  @Test
  void aBlockNamingOnlyItsRobotIsItsOwnConfigWithoutAnApp() {
    Map<String, Object> robot = Map.of("webhook", Map.of("name", "robot", "key", "webhook"));
    WechatConfig own =
        provider
            .receiverBlockConfig(
                SpecReader.at(
                    Map.of("chatbot", robot), "spec.wechat", "kubesphere-monitoring-system"))
            .orElseThrow()
            .value();

    assertThat(own).isEqualTo(WechatConfig.robotOnly());
    assertThat(own.secretRefs()).isEmpty();
  }

  @Test
  void aBlockNamingAppRecipientsBesideItsRobotSelectsAConfig() {
    Map<String, Object> robot = Map.of("webhook", Map.of("name", "robot", "key", "webhook"));
    for (String field : List.of("toUser", "toParty", "toTag")) {
      assertThat(
              provider.receiverBlockConfig(
                  SpecReader.at(
                      Map.of("chatbot", robot, field, List.of("1")),
                      "spec.wechat",
                      "kubesphere-monitoring-system")))
          .as(field)
          .isEmpty();
    }
  }
}
