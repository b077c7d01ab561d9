package io.nm4j.channel.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.channel.webhook.WebhookConfig;
import io.nm4j.spi.EgressPolicy;
import io.nm4j.spi.SecretKeySelector;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class WebhookTargetsTest {
  private final WebhookTargets targets = new WebhookTargets();
  private final OkHttpClient client = new OkHttpClient();

  private static WebhookConfig url(String url) {
    return new WebhookConfig(url, null, null);
  }

  @Test
  void aConfigsTargetIsParsedOnceAndSharedByEqualConfigs() {
    WebhookTargets.Target first = targets.of(url("http://hooks.example:8080/alerts"));

    assertThat(targets.of(url("http://hooks.example:8080/alerts"))).isSameAs(first);
    assertThat(first.url()).hasToString("http://hooks.example:8080/alerts");
  }

  @Test
  void aTargetThatIsNotAnHttpUrlHasNoUrl() {
    assertThat(targets.of(url("ftp://hooks.example/alerts")).url()).isNull();
  }

  @Test
  void tenantsWritingConfigsWithoutEndKeepTheTargetsBounded() {
    for (int i = 0; i <= WebhookTargets.MAX_CONFIGS * 2; i++) {
      targets.of(url("http://hooks.example/" + i));
    }

    assertThat(targets.size()).isBetween(1, WebhookTargets.MAX_CONFIGS);
  }

  @Test
  void aConfigWithoutSecretsReusesItsClientOnlyUnderTheSameEgressPolicyAndOrigin() {
    WebhookTargets.Target target = targets.of(url("http://hooks.example/alerts"));
    EgressPolicy policy = EgressPolicy.tenantDefault();

    target.used(policy, "nm4j-a", client);

    assertThat(target.client(policy, "nm4j-a")).isSameAs(client);
    assertThat(target.client(EgressPolicy.UNRESTRICTED, "nm4j-a")).isNull();
    assertThat(target.client(policy, "nm4j-b")).isNull();
  }

  @Test
  void aConfigNamingASecretKeepsNoClientSoARotatedSecretTakesEffectAtTheNextSend() {
    WebhookConfig bearer =
        new WebhookConfig(
            "http://hooks.example/alerts",
            null,
            new WebhookConfig.HttpConfig(null, new SecretKeySelector("s", "token"), null, null));
    WebhookTargets.Target target = targets.of(bearer);

    target.used(EgressPolicy.UNRESTRICTED, "", client);

    assertThat(target.client(EgressPolicy.UNRESTRICTED, "")).isNull();
  }
}
