package io.nm4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiBaseUrlTest {
  @Test
  void aBaseWithoutTrailingSlashGetsOneSoCallsExtendItsPath() {
    assertThat(ApiBaseUrl.parse("slack.apiUrl", " http://127.0.0.1:8080/api ").resolve("chat"))
        .hasToString("http://127.0.0.1:8080/api/chat");
    assertThat(ApiBaseUrl.parse("slack.apiUrl", "https://slack.com/api/").resolve("chat"))
        .hasToString("https://slack.com/api/chat");
  }

  @Test
  void aValueThatIsNoHttpUrlOrCarriesAQueryOrUserInfoIsRefusedNamingTheOption() {
    assertThatThrownBy(() -> ApiBaseUrl.parse("feishu.apiUrl", "ftp://open.feishu.cn/"))
        .hasMessage(
            "feishu.apiUrl: must be an absolute http or https URL, was \"ftp://open.feishu.cn/\"");
    assertThatThrownBy(() -> ApiBaseUrl.parse("feishu.apiUrl", "https://open.feishu.cn/?a=1"))
        .hasMessage("feishu.apiUrl: must not contain a query or user info");
    assertThatThrownBy(() -> ApiBaseUrl.parse("feishu.apiUrl", "https://u:p@open.feishu.cn/"))
        .hasMessage("feishu.apiUrl: must not contain a query or user info");
  }
}
