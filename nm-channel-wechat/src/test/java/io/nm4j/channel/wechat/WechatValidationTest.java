package io.nm4j.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.FieldError;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.SpecReader;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WechatValidationTest {
  private static final String NS = "kubesphere-monitoring-system";
  private final WechatChannelProvider provider = new WechatChannelProvider();

  private static Map<String, Object> validConfig() {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("wechatApiCorpId", "ww1");
    spec.put("wechatApiAgentId", "1000002");
    spec.put("wechatApiSecret", Map.of("name", "wechat", "key", "secret"));
    return spec;
  }

  private Parsed<WechatConfig> config(Map<String, Object> spec) {
    return provider.parseConfig(SpecReader.of(spec, NS));
  }

  private Parsed<WechatReceiver> receiver(Map<String, Object> spec) {
    return provider.parseReceiver(SpecReader.of(spec, NS));
  }

  @Test
  void emptyConfigReportsEveryMissingFieldAtOnce() {
    assertThat(config(Map.of()).errors())
        .containsExactly(
            new FieldError("spec.wechatApiCorpId", "is required"),
            new FieldError("spec.wechatApiAgentId", "is required"),
            new FieldError("spec.wechatApiSecret", "is required (a secret reference {name, key})"));
  }

  @Test
  void absentApiUrlDefaultsToTheWechatWorkApi() {
    assertThat(config(validConfig()).value().wechatApiUrl())
        .isEqualTo(URI.create("https://qyapi.weixin.qq.com/cgi-bin/"))
        .isEqualTo(WechatConfig.DEFAULT_API_URL);
  }

  @ParameterizedTest
  @CsvSource({
    "https://wechat-proxy.example.com/cgi-bin, https://wechat-proxy.example.com/cgi-bin/",
    "http://127.0.0.1:8080, http://127.0.0.1:8080/",
    "https://wechat-proxy.example.com/cgi-bin/, https://wechat-proxy.example.com/cgi-bin/"
  })
  void apiUrlIsNormalisedToEndWithASlash(String given, String expected) {
    Map<String, Object> spec = validConfig();
    spec.put("wechatApiUrl", given);

    assertThat(config(spec).value().wechatApiUrl()).isEqualTo(URI.create(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"qyapi.weixin.qq.com/cgi-bin/", "ftp://example.com/", "/cgi-bin/", "ht tp://x/"})
  void apiUrlMustBeAnAbsoluteHttpUrl(String given) {
    Map<String, Object> spec = validConfig();
    spec.put("wechatApiUrl", given);

    assertThat(config(spec).errors())
        .containsExactly(
            new FieldError(
                "spec.wechatApiUrl",
                "must be an absolute http(s) URL like https://qyapi.weixin.qq.com/cgi-bin/, was \""
                    + given
                    + "\""));
  }

  @Test
  void apiUrlWithCredentialsIsRejectedWithoutEchoingThem() {
    Map<String, Object> spec = validConfig();
    spec.put("wechatApiUrl", "https://user:hunter2@proxy.example.com/cgi-bin/?x=1");

    List<FieldError> errors = config(spec).errors();

    assertThat(errors)
        .containsExactly(
            new FieldError(
                "spec.wechatApiUrl",
                "must not have user info, a query or a fragment, was"
                    + " \"https://proxy.example.com/cgi-bin/...\""));
    assertThat(errors.toString()).doesNotContain("hunter2");
  }

  @Test
  void numericAgentIdIsAcceptedAsItsDigits() {
    Map<String, Object> spec = validConfig();
    spec.put("wechatApiAgentId", 1000002);

    assertThat(config(spec).value().wechatApiAgentId()).isEqualTo("1000002");
  }

  @Test
  void agentIdMustBeNumeric() {
    Map<String, Object> spec = validConfig();
    spec.put("wechatApiAgentId", "alerts-app");

    assertThat(config(spec).errors())
        .containsExactly(
            new FieldError(
                "spec.wechatApiAgentId", "must be the app's numeric AgentId, was \"alerts-app\""));
  }

  @Test
  void anyOneTargetIsEnoughAndNumbersAreTakenAsIds() {
    assertThat(receiver(Map.of("toTag", 7)).value().toTag()).containsExactly("7");
    assertThat(receiver(Map.of("toUser", "@all")).value().toUser()).containsExactly("@all");
    assertThat(receiver(Map.of("toParty", " 2 | 3 ")).value().toParty()).containsExactly("2", "3");
  }

  @Test
  void blankTargetsCountAsAbsent() {
    assertThat(receiver(Map.of("toUser", "", "toParty", " ")).errors())
        .containsExactly(
            new FieldError("spec", "one of toUser, toParty, toTag, chatbot is required"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"alice||bob", "alice|", "|alice"})
  void emptyIdBetweenSeparatorsIsAnError(String toUser) {
    assertThat(receiver(Map.of("toUser", toUser)).errors())
        .containsExactly(
            new FieldError(
                "spec.toUser",
                "must be IDs joined by \"|\" with none empty, was \"" + toUser + "\""));
  }

  @Test
  void selectorIsParsedAsTheConfigSelector() {
    WechatReceiver r =
        receiver(
                Map.of(
                    "toUser",
                    "alice",
                    "wechatConfigSelector",
                    Map.of("matchLabels", Map.of("type", "tenant"))))
            .value();

    assertThat(r.configSelector()).isEqualTo(LabelSelector.of(Map.of("type", "tenant")));
  }

  @Test
  void serviceLoaderFindsTheProvider() {
    assertThat(ServiceLoader.load(ChannelProvider.class).stream().map(p -> p.get()))
        .anySatisfy(p -> assertThat(p).isInstanceOf(WechatChannelProvider.class));
  }

  @Test
  void providerNamesItsKindsAndSelectorFieldAndOffersAChannel() {
    assertThat(provider.name()).isEqualTo("wechat");
    assertThat(provider.receiverKind()).isEqualTo("WechatReceiver");
    assertThat(provider.configKind()).isEqualTo("WechatConfig");
    assertThat(provider.selectorField()).isEqualTo("wechatConfigSelector");
    var channel = provider.channel(new ChannelContext(Map.of(), Clock.systemUTC()));
    assertThat(channel).containsInstanceOf(WechatChannel.class);
    channel.ifPresent(c -> c.close());
  }
}
