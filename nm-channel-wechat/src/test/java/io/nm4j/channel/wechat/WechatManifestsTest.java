package io.nm4j.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.FieldError;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.test.TestManifests;
import io.nm4j.test.TestManifests.Manifest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WechatManifestsTest {
  private final WechatChannelProvider provider = new WechatChannelProvider();

  private Parsed<?> parse(Manifest m) {
    return TestManifests.parse(provider, m);
  }

  @ParameterizedTest
  @ValueSource(strings = {"wechat.yaml", "kubesphere/receivers-and-configs.yaml"})
  void everyWechatObjectOfTheValidManifestsParsesWithoutError(String file) {
    List<Manifest> wechat = TestManifests.ofKinds(file, provider);

    assertThat(wechat).hasSize(3);
    for (Manifest m : wechat) {
      assertThat(parse(m).errors()).as(m.kind() + "/" + m.name()).isEmpty();
    }
  }

  @Test
  void defaultConfigParsesToItsTypedValues() {
    WechatConfig config =
        provider
            .parseConfig(
                TestManifests.find("wechat.yaml", "WechatConfig", "default-wechat").reader())
            .value();

    assertThat(config)
        .isEqualTo(
            new WechatConfig(
                URI.create("https://qyapi.weixin.qq.com/cgi-bin/"),
                "ww0000fixture",
                "1000002",
                new SecretKeySelector("default-wechat-secret", "secret")));
    assertThat(config.secretRefs())
        .containsExactly(
            Map.entry(
                "spec.wechatApiSecret", new SecretKeySelector("default-wechat-secret", "secret")));
  }

  @Test
  void receiversSplitTheirIdsIntoLists() {
    WechatReceiver global =
        provider
            .parseReceiver(
                TestManifests.find("wechat.yaml", "WechatReceiver", "global-wechat").reader())
            .value();
    WechatReceiver shop =
        provider
            .parseReceiver(
                TestManifests.find("wechat.yaml", "WechatReceiver", "shop-wechat").reader())
            .value();

    assertThat(global).isEqualTo(new WechatReceiver(null, List.of(), List.of("2", "3"), List.of()));
    assertThat(shop)
        .isEqualTo(new WechatReceiver(null, List.of("shop", "shop-lead"), List.of(), List.of("1")));
    assertThat(shop.configSelector()).isNull();
    assertThat(shop.secretRefs()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          wechat-config-missing-secret.yaml | spec.wechatApiSecret | is required (a secret reference {name, key})
          wechat-receiver-no-target.yaml    | spec                 | one of toUser, toParty, toTag, chatbot is required
          """)
  void eachInvalidManifestYieldsExactlyItsError(String file, String field, String message) {
    Manifest faulty = TestManifests.lastOf("invalid/" + file);

    assertThat(parse(faulty).errors()).containsExactly(new FieldError(field, message));
  }
}
