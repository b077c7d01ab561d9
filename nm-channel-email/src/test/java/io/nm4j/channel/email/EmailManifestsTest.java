package io.nm4j.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.FieldError;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.test.TestManifests;
import io.nm4j.test.TestManifests.Manifest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailManifestsTest {
  private final EmailChannelProvider provider = new EmailChannelProvider();

  private Parsed<?> parse(Manifest m) {
    return TestManifests.parse(provider, m);
  }

  @ParameterizedTest
  @ValueSource(strings = {"email.yaml", "kubesphere/receivers-and-configs.yaml"})
  void everyEmailObjectOfTheValidManifestsParsesWithoutError(String file) {
    List<Manifest> email = TestManifests.ofKinds(file, provider);

    assertThat(email).hasSizeGreaterThanOrEqualTo(5);
    for (Manifest m : email) {
      assertThat(parse(m).errors()).as(m.kind() + "/" + m.name()).isEmpty();
    }
  }

  @Test
  void defaultConfigParsesToItsTypedValuesWithTheStringPort() {
    EmailConfig config =
        provider
            .parseConfig(TestManifests.find("email.yaml", "EmailConfig", "default-email").reader())
            .value();

    assertThat(config)
        .isEqualTo(
            new EmailConfig(
                "alerts@example.com",
                new EmailConfig.SmartHost("smtp.example.com", 587),
                "nm4j.example.com",
                "alerts@example.com",
                null,
                new SecretKeySelector("default-email-secret", "password"),
                null,
                true,
                null,
                null));
    assertThat(config.secretRefs())
        .containsExactly(
            Map.entry(
                "spec.authPassword", new SecretKeySelector("default-email-secret", "password")));
  }

  @Test
  void tenantConfigWithANumericPortParsesWithRequireTlsLeftUnset() {
    EmailConfig config =
        provider
            .parseConfig(TestManifests.find("email.yaml", "EmailConfig", "shop-smtp").reader())
            .value();

    assertThat(config.smartHost()).isEqualTo(new EmailConfig.SmartHost("mail.example.org", 25));
    assertThat(config.from()).isEqualTo("shop-alerts@example.org");
    assertThat(config.authUsername()).isEqualTo("shop-alerts");
    assertThat(config.hello()).isNull();
    assertThat(config.requireTLS()).isNull();
    assertThat(config.tls()).isNull();
  }

  @Test
  void receiversParseToTheirAddressesAndSelectors() {
    EmailReceiver global =
        provider
            .parseReceiver(
                TestManifests.find("email.yaml", "EmailReceiver", "global-email").reader())
            .value();
    EmailReceiver shop =
        provider
            .parseReceiver(TestManifests.find("email.yaml", "EmailReceiver", "shop-email").reader())
            .value();

    assertThat(global.to()).containsExactly("oncall@example.com", "sre@example.com");
    assertThat(global.configSelector()).isNull();
    assertThat(shop.to()).containsExactly("shop-team@example.org");
    assertThat(shop.configSelector())
        .isEqualTo(LabelSelector.of(Map.of("type", "tenant", "namespace", "shop")))
        .isSameAs(shop.emailConfigSelector());
    assertThat(shop.secretRefs()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          email-config-bad-port.yaml         | spec.smartHost.port | must be 1..65535, was "smtp"
          email-config-missing-from.yaml     | spec.from           | is required
          email-config-missing-password.yaml | spec.authPassword   | is required (a secret reference {name, key})
          email-config-missing-port.yaml     | spec.smartHost.port | is required
          email-config-missing-username.yaml | spec.authUsername   | is required
          email-receiver-bad-address.yaml    | spec.to[1]          | must be an e-mail address like ops@example.com, was "not an address": contains whitespace
          email-receiver-empty-to.yaml       | spec.to             | at least one address is required
          selector-unknown-operator.yaml     | spec.emailConfigSelector.matchExpressions[0].operator | unknown operator "Equals"; use In, NotIn, Exists or DoesNotExist
          """)
  void eachInvalidManifestYieldsExactlyItsError(String file, String field, String message) {
    Manifest faulty = TestManifests.lastOf("invalid/" + file);

    assertThat(parse(faulty).errors()).containsExactly(new FieldError(field, message));
  }
}
