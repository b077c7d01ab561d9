package io.nm4j.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.nm4j.spi.FieldError;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SpecReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * notification-manager's v2beta2 {@code email} block may leave out {@code authUsername} and {@code
 * authPassword}: it then sends without AUTH. The v1alpha1 {@code EmailConfig} still requires both.
 */
class EmailOptionalAuthBlockTest {
  private final EmailChannelProvider provider = new EmailChannelProvider();
  private GreenMail greenMail;
  private EmailChannel channel;

  @BeforeEach
  void start() {
    ServerSetup smtp = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort();
    smtp.setServerStartupTimeout(30_000);
    greenMail =
        new GreenMail(smtp)
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
    greenMail.start();
    channel = EmailChannel.builder().build();
  }

  @AfterEach
  void stop() {
    channel.close();
    greenMail.stop();
  }

  private static Map<String, Object> withoutCredentials(int port) {
    Map<String, Object> spec = new LinkedHashMap<>(Sends.strictConfigSpec(port));
    spec.remove("authUsername");
    spec.remove("authPassword");
    return spec;
  }

  @Test
  void aBlockWithoutCredentialsSendsWithoutAuthAndNeedsNoSecret() throws Exception {
    Parsed<EmailConfig> config =
        provider.parseConfigBlock(
            SpecReader.at(
                withoutCredentials(greenMail.getSmtp().getPort()), "spec.email", Sends.NS));
    assertThat(config.errors()).isEmpty();
    assertThat(config.value().authUsername()).isEmpty();
    assertThat(config.value().secretRefs()).isEmpty();

    SendResult result =
        channel.send(Sends.request(config.value(), List.of("ops@example.com"), Map.of()));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }

  @Test
  void aUserWithoutAPasswordOrThePasswordAloneIsAnErrorNamingTheMissingField() {
    Map<String, Object> userOnly = Sends.with(withoutCredentials(25), "authUsername", "nm4j");
    Map<String, Object> passwordOnly =
        Sends.with(withoutCredentials(25), "authPassword", Map.of("name", "mail", "key", "pw"));

    assertThat(provider.parseConfigBlock(SpecReader.at(userOnly, "spec.email", Sends.NS)).errors())
        .extracting(FieldError::field)
        .containsExactly("spec.email.authPassword");
    assertThat(
            provider.parseConfigBlock(SpecReader.at(passwordOnly, "spec.email", Sends.NS)).errors())
        .extracting(FieldError::field)
        .containsExactly("spec.email.authUsername");
  }

  @Test
  void theV1alpha1ConfigStillRequiresBoth() {
    assertThat(provider.parseConfig(SpecReader.of(withoutCredentials(25), Sends.NS)).errors())
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder("spec.authUsername", "spec.authPassword");
  }
}
