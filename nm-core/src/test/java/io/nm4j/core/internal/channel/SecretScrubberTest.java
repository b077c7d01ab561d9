package io.nm4j.core.internal.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretScrubberTest {
  private static final String TOKEN = "tok-9f8e7d6c5b4a";

  private static String scrub(String text, String... values) {
    return SecretScrubber.of(List.of(values).stream().map(Secret::of).toList()).scrub(text);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aValueEchoedInsideALongerReasonPhraseIsRemoved() {
    assertThat(scrub("HTTP 401 Unauthorized: Bearer " + TOKEN + " is not valid", TOKEN))
        .isEqualTo("HTTP 401 Unauthorized: Bearer [redacted] is not valid");
  }

  @Test
  void base64FormsAndBasicCredentialsHoldingTheValueAreRemoved() {
    assertThat(scrub("echo: " + b64(TOKEN), TOKEN)).isEqualTo("echo: [redacted]");
    String basic = b64("nm4j:" + TOKEN);
    assertThat(scrub("Authorization: Basic " + basic + " rejected", TOKEN))
        .isEqualTo("Authorization: Basic [redacted] rejected");
    String url64 =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(("x?" + TOKEN).getBytes(StandardCharsets.UTF_8));
    assertThat(scrub("state=" + url64, TOKEN)).doesNotContain(url64);
  }

  @Test
  void theTokenOfAUrlValueIsRemovedWhereverItAppears() {
    String webhook = "https://oapi.dingtalk.com/robot/send?access_token=0f1e2d3c4b5a69788796a5b4";
    assertThat(scrub("remote said: token 0f1e2d3c4b5a69788796a5b4 is disabled", webhook))
        .isEqualTo("remote said: token [redacted] is disabled");
    assertThat(scrub("POST https://oapi.dingtalk.com:443/robot/send: HTTP 500", webhook))
        .isEqualTo("POST https://oapi.dingtalk.com:443/robot/send: HTTP 500");
  }

  @Test
  void theBeginningOfAValueCutOffByAnExcerptIsRemoved() {
    assertThat(scrub("body: {\"auth\":\"Bearer tok-9f8e7d…", TOKEN))
        .isEqualTo("body: {\"auth\":\"Bearer [redacted]…");
    assertThat(scrub("body: Bearer tok-9f8e7", TOKEN)).isEqualTo("body: Bearer [redacted]");
  }

  @Test
  void urlEncodedAndMultiLineValuesAreRemoved() {
    assertThat(scrub("q=p%40ss+w%2Frd", "p@ss w/rd")).isEqualTo("q=[redacted]");
    String key = "-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END KEY-----\n";
    assertThat(scrub("bad line MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", key))
        .isEqualTo("bad line [redacted]");
  }

  @Test
  void veryShortValuesAndUnrelatedTextAreLeftAlone() {
    assertThat(scrub("HTTP 500 abc", "abc")).isEqualTo("HTTP 500 abc");
    assertThat(scrub("HTTP 503 Service Unavailable", TOKEN))
        .isEqualTo("HTTP 503 Service Unavailable");
  }
}
