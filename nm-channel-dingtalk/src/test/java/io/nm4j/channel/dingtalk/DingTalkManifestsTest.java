package io.nm4j.channel.dingtalk;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.FieldError;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.test.TestManifests;
import io.nm4j.test.TestManifests.Manifest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DingTalkManifestsTest {
  private static final String SECRET = "default-dingtalk-secret";
  private final DingTalkChannelProvider provider = new DingTalkChannelProvider();

  private Parsed<?> parse(Manifest m) {
    return TestManifests.parse(provider, m);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dingtalk.yaml", "kubesphere/receivers-and-configs.yaml"})
  void everyDingTalkObjectOfTheValidManifestsParsesWithoutError(String file) {
    List<Manifest> dingtalk = TestManifests.ofKinds(file, provider);

    assertThat(dingtalk).hasSize(3);
    for (Manifest m : dingtalk) {
      assertThat(parse(m).errors()).as(m.kind() + "/" + m.name()).isEmpty();
    }
  }

  @Test
  void configWithChatbotAndConversationParsesBothAndListsEverySecret() {
    DingTalkConfig config =
        provider
            .parseConfig(
                TestManifests.find("dingtalk.yaml", "DingTalkConfig", "default-dingtalk").reader())
            .value();

    assertThat(config)
        .isEqualTo(
            new DingTalkConfig(
                new DingTalkConfig.Chatbot(
                    new SecretKeySelector(SECRET, "webhook"),
                    List.of("alert", "kubesphere"),
                    new SecretKeySelector(SECRET, "sign")),
                new DingTalkConfig.Conversation(
                    new SecretKeySelector(SECRET, "appkey"),
                    new SecretKeySelector(SECRET, "appsecret"),
                    "chat0fixture")));
    assertThat(config.secretRefs())
        .containsExactly(
            Map.entry("spec.chatbot.webhook", new SecretKeySelector(SECRET, "webhook")),
            Map.entry("spec.chatbot.secret", new SecretKeySelector(SECRET, "sign")),
            Map.entry("spec.conversation.appkey", new SecretKeySelector(SECRET, "appkey")),
            Map.entry("spec.conversation.appsecret", new SecretKeySelector(SECRET, "appsecret")));
  }

  @Test
  void receiversParseToTheirSelectors() {
    DingTalkReceiver global =
        provider
            .parseReceiver(
                TestManifests.find("dingtalk.yaml", "DingTalkReceiver", "global-dingtalk").reader())
            .value();
    DingTalkReceiver shop =
        provider
            .parseReceiver(
                TestManifests.find("dingtalk.yaml", "DingTalkReceiver", "shop-dingtalk").reader())
            .value();

    assertThat(global.configSelector()).isNull();
    assertThat(shop.configSelector())
        .isEqualTo(
            new LabelSelector(
                Map.of(),
                List.of(
                    new LabelSelector.Requirement(
                        "type", LabelSelector.Operator.EXISTS, Set.of()))));
    assertThat(shop.secretRefs()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          dingtalk-config-chatbot-without-webhook.yaml     | spec.chatbot.webhook       | is required (a secret reference {name, key})
          dingtalk-config-conversation-without-chatid.yaml | spec.conversation.chatid   | is required
          dingtalk-config-eleven-keywords.yaml             | spec.chatbot.keywords      | at most 10 keywords, was 11
          """)
  void eachInvalidManifestYieldsExactlyItsError(String file, String field, String message) {
    Manifest faulty = TestManifests.lastOf("invalid/" + file);

    assertThat(parse(faulty).errors()).containsExactly(new FieldError(field, message));
  }
}
