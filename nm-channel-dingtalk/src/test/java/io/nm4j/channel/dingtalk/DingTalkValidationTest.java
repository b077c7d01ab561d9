package io.nm4j.channel.dingtalk;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.FieldError;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SpecReader;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DingTalkValidationTest {
  private final DingTalkChannelProvider provider = new DingTalkChannelProvider();

  private static SpecReader spec(Map<String, Object> fields) {
    return SpecReader.of(fields, "kubesphere-monitoring-system");
  }

  private static Map<String, Object> ref(String key) {
    return Map.of("name", "dingtalk", "key", key);
  }

  @Test
  void configWithNeitherChatbotNorConversationIsRejected() {
    assertThat(provider.parseConfig(spec(Map.of())).errors())
        .containsExactly(new FieldError("spec", "one of chatbot, conversation is required"));
  }

  @Test
  void chatbotAloneIsEnoughAndKeywordsAndSignSecretAreOptional() {
    DingTalkConfig config =
        provider.parseConfig(spec(Map.of("chatbot", Map.of("webhook", ref("webhook"))))).value();

    assertThat(config.conversation()).isNull();
    assertThat(config.chatbot())
        .isEqualTo(
            new DingTalkConfig.Chatbot(
                new SecretKeySelector("dingtalk", "webhook"), List.of(), null));
    assertThat(config.secretRefs()).containsOnlyKeys("spec.chatbot.webhook");
  }

  @Test
  void secretReferencesComeInFieldOrderWhateverTheirNumber() {
    SecretKeySelector webhook = new SecretKeySelector("dingtalk", "webhook");
    SecretKeySelector secret = new SecretKeySelector("dingtalk", "secret");
    DingTalkConfig.Chatbot signed = new DingTalkConfig.Chatbot(webhook, List.of(), secret);
    DingTalkConfig.Chatbot unsigned = new DingTalkConfig.Chatbot(webhook, List.of(), null);
    DingTalkConfig.Conversation app =
        new DingTalkConfig.Conversation(
            new SecretKeySelector("dingtalk", "appkey"),
            new SecretKeySelector("dingtalk", "appsecret"),
            "c1");

    assertThat(new DingTalkConfig(signed, app).secretRefs().keySet())
        .containsExactly(
            "spec.chatbot.webhook",
            "spec.chatbot.secret",
            "spec.conversation.appkey",
            "spec.conversation.appsecret");
    assertThat(new DingTalkConfig(unsigned, app).secretRefs().keySet())
        .containsExactly(
            "spec.chatbot.webhook", "spec.conversation.appkey", "spec.conversation.appsecret");
    assertThat(new DingTalkConfig(unsigned, null).secretRefs())
        .containsExactly(Map.entry("spec.chatbot.webhook", webhook));
    assertThat(new DingTalkConfig(null, null).secretRefs()).isEmpty();
    assertThat(new DingTalkReceiver(null, signed, List.of()).secretRefs().keySet())
        .containsExactly("spec.chatbot.webhook", "spec.chatbot.secret");
    assertThat(new DingTalkReceiver(null, unsigned, List.of()).secretRefs())
        .containsExactly(Map.entry("spec.chatbot.webhook", webhook));
    assertThat(new DingTalkReceiver(null).secretRefs()).isEmpty();
  }

  @Test
  void conversationAloneIsEnough() {
    DingTalkConfig config =
        provider
            .parseConfig(
                spec(
                    Map.of(
                        "conversation",
                        Map.of(
                            "appkey",
                            ref("appkey"),
                            "appsecret",
                            ref("appsecret"),
                            "chatid",
                            "c1"))))
            .value();

    assertThat(config.chatbot()).isNull();
    assertThat(config.conversation().chatid()).isEqualTo("c1");
    assertThat(config.secretRefs())
        .containsOnlyKeys("spec.conversation.appkey", "spec.conversation.appsecret");
  }

  @Test
  void everyErrorOfBothSectionsIsReportedAtOnce() {
    List<String> eleven = IntStream.range(0, 11).mapToObj(i -> "k" + i).toList();
    Map<String, Object> fields =
        Map.of(
            "chatbot", Map.of("keywords", eleven, "secret", Map.of("name", "dingtalk")),
            "conversation", Map.of());

    assertThat(provider.parseConfig(spec(fields)).errors())
        .containsExactly(
            new FieldError("spec.chatbot.webhook", "is required (a secret reference {name, key})"),
            new FieldError("spec.chatbot.keywords", "at most 10 keywords, was 11"),
            new FieldError("spec.chatbot.secret.key", "is required"),
            new FieldError(
                "spec.conversation.appkey", "is required (a secret reference {name, key})"),
            new FieldError(
                "spec.conversation.appsecret", "is required (a secret reference {name, key})"),
            new FieldError("spec.conversation.chatid", "is required"));
  }

  @Test
  void tenKeywordsAreAccepted() {
    List<String> ten = IntStream.range(0, 10).mapToObj(i -> "k" + i).toList();
    Map<String, Object> fields =
        Map.of("chatbot", Map.of("webhook", ref("webhook"), "keywords", ten));

    assertThat(provider.parseConfig(spec(fields)).value().chatbot().keywords()).isEqualTo(ten);
  }

  @Test
  void blankKeywordsAreRejectedByIndex() {
    Map<String, Object> fields =
        Map.of(
            "chatbot",
            Map.of("webhook", ref("webhook"), "keywords", Arrays.asList("alert", " ", null)));

    assertThat(provider.parseConfig(spec(fields)).errors())
        .containsExactly(
            new FieldError("spec.chatbot.keywords[1]", "must not be blank"),
            new FieldError("spec.chatbot.keywords[2]", "must not be blank"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dingTalkConfigSelector", "dingtalkConfigSelector"})
  void receiverAcceptsEitherSpellingOfTheSelector(String field) {
    Map<String, Object> fields = Map.of(field, Map.of("matchLabels", Map.of("team", "a")));

    assertThat(provider.parseReceiver(spec(fields)).value().configSelector())
        .isEqualTo(LabelSelector.of(Map.of("team", "a")));
  }

  @Test
  void receiverWithBothSpellingsOfTheSelectorIsRejected() {
    Map<String, Object> fields =
        Map.of(
            "dingTalkConfigSelector", Map.of("matchLabels", Map.of("team", "a")),
            "dingtalkConfigSelector", Map.of("matchLabels", Map.of("team", "b")));

    assertThat(provider.parseReceiver(spec(fields)).errors())
        .containsExactly(
            new FieldError(
                "spec.dingtalkConfigSelector",
                "give either dingTalkConfigSelector or its alias dingtalkConfigSelector, not both"));
  }

  @Test
  void invalidAliasSelectorIsReportedUnderTheSpellingWritten() {
    Map<String, Object> fields =
        Map.of(
            "dingtalkConfigSelector",
            Map.of("matchExpressions", List.of(Map.of("key", "type", "operator", "Equals"))));

    assertThat(provider.parseReceiver(spec(fields)).errors())
        .containsExactly(
            new FieldError(
                "spec.dingtalkConfigSelector.matchExpressions[0].operator",
                "unknown operator \"Equals\"; use In, NotIn, Exists or DoesNotExist"));
  }

  @Test
  void serviceLoaderFindsTheProvider() {
    assertThat(ServiceLoader.load(ChannelProvider.class).stream().map(p -> p.get()))
        .anySatisfy(p -> assertThat(p).isInstanceOf(DingTalkChannelProvider.class));
  }

  @Test
  void providerNamesItsKindsSelectorFieldAndAliasAndOffersItsChannel() {
    assertThat(provider.name()).isEqualTo("dingtalk");
    assertThat(provider.receiverKind()).isEqualTo("DingTalkReceiver");
    assertThat(provider.configKind()).isEqualTo("DingTalkConfig");
    assertThat(provider.selectorField()).isEqualTo("dingTalkConfigSelector");
    assertThat(provider.selectorFieldAliases()).containsExactly("dingtalkConfigSelector");
    var channel = provider.channel(new ChannelContext(Map.of(), Clock.systemUTC()));
    assertThat(channel).get().isInstanceOf(DingTalkChannel.class);
    channel.get().close();
  }
}
