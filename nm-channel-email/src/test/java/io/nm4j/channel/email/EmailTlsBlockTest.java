package io.nm4j.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.FieldError;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.spi.SpecReader;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code tls} of notification-manager's v2beta2 {@code email} block ({@code rootCA}, {@code
 * clientCertificate}, {@code serverName}, {@code insecureSkipVerify}) against a real SMTP server
 * with STARTTLS: without {@code rootCA} the JVM's trusted roots decide, as upstream.
 */
class EmailTlsBlockTest {
  private static final String PASSWORD = "tls-block-password-7c1d";

  private final EmailChannelProvider provider = new EmailChannelProvider();
  private final EmailChannel channel = EmailChannel.builder().build();
  private @Nullable ScriptedSmtpServer server;

  @AfterEach
  void stop() {
    channel.close();
    if (server != null) {
      server.close();
    }
  }

  private ScriptedSmtpServer start(String key) {
    server = new ScriptedSmtpServer(TestTls.serverContext(key), "nm4j", PASSWORD);
    return server;
  }

  private Parsed<EmailConfig> block(Map<String, Object> tls, int port) {
    return provider.parseConfigBlock(
        SpecReader.at(
            Sends.with(Sends.with(Sends.configSpec(port), "requireTLS", true), "tls", tls),
            "spec.email",
            Sends.NS));
  }

  private SendResult send(EmailConfig config, boolean withCa) {
    return channel.send(
        Sends.request(config, List.of("ops@example.com"), Sends.secrets(PASSWORD, withCa)));
  }

  @Test
  void rootCaIsTheOnlyTrustedRootAndServerNameTheNameChecked() {
    ScriptedSmtpServer s = start("smtp-other");
    Parsed<EmailConfig> config =
        block(Map.of("rootCA", Sends.caRef(), "serverName", "mail.other.test"), s.port());
    assertThat(config.errors()).isEmpty();

    SendResult result = send(config.value(), true);

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    assertThat(s.received()).singleElement().satisfies(r -> assertThat(r.tls()).isTrue());
  }

  @Test
  void withoutRootCaTheServerIsVerifiedAgainstTheJvmsTrustedRoots() {
    // Signed by the test CA, which the JVM does not trust: verified, so refused.
    ScriptedSmtpServer s = start("smtp-localhost");
    Parsed<EmailConfig> config = block(Map.of("serverName", "localhost"), s.port());
    assertThat(config.errors()).isEmpty();
    assertThat(config.value().tls().ca()).isNull();

    SendResult result = send(config.value(), false);

    assertThat(result).isInstanceOf(SendResult.Failed.class);
    SendResult.Failed f = (SendResult.Failed) result;
    assertThat(f.reason()).isEqualTo(Reason.TLS_FAILED);
    assertThat(f.detail()).contains("TLS handshake failed");
    assertThat(s.received()).isEmpty();
  }

  @Test
  void insecureSkipVerifyAcceptsAnyCertificate() {
    ScriptedSmtpServer s = start("smtp-other");
    Parsed<EmailConfig> config = block(Map.of("insecureSkipVerify", true), s.port());

    assertThat(send(config.value(), false)).isInstanceOf(SendResult.Delivered.class);
  }

  @Test
  void insecureSkipVerifyWithRootCaSendsWithoutVerifyingAndNoticesTheUnusedCa() {
    // The server's certificate names another host: verified, it would be refused.
    ScriptedSmtpServer s = start("smtp-other");
    Parsed<EmailConfig> config =
        block(Map.of("insecureSkipVerify", true, "rootCA", Sends.caRef()), s.port());
    assertThat(config.errors()).isEmpty();
    assertThat(config.value().secretRefs()).containsOnlyKeys("spec.authPassword");
    assertThat(config.value().notices())
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.tls.rootCA: not used: insecureSkipVerify is true, so the server's certificate"
                + " is not verified (a client certificate is still presented)");

    assertThat(send(config.value(), false)).isInstanceOf(SendResult.Delivered.class);
    assertThat(s.received()).singleElement().satisfies(r -> assertThat(r.tls()).isTrue());
  }

  @Test
  void clientCertificateIsTheClientsCertAndKey() {
    Parsed<EmailConfig> config =
        block(
            Map.of(
                "rootCA",
                Sends.caRef(),
                "clientCertificate",
                Map.of(
                    "cert", Map.of("name", "mail", "key", "tls.crt"),
                    "key", Map.of("name", "mail", "key", "tls.key"))),
            25);

    assertThat(config.errors()).isEmpty();
    assertThat(config.value().tls().cert()).isEqualTo(new SecretKeySelector("mail", "tls.crt"));
    assertThat(config.value().tls().key()).isEqualTo(new SecretKeySelector("mail", "tls.key"));
    assertThat(config.value().secretRefs())
        .containsKeys("spec.tls.ca", "spec.tls.cert", "spec.tls.key");
  }

  @Test
  void aClientCertificateWithoutItsKeyIsRefusedNamingTheField() {
    Parsed<EmailConfig> config =
        block(
            Map.of("clientCertificate", Map.of("cert", Map.of("name", "mail", "key", "tls.crt"))),
            25);

    assertThat(config.errors())
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.email.tls.clientCertificate.key: is required when cert is set (a client"
                + " certificate needs its key)");
  }

  @Test
  void aV1alpha1EmailConfigStillNeedsItsCa() {
    Parsed<EmailConfig> config =
        provider.parseConfig(
            SpecReader.of(
                Sends.with(Sends.configSpec(25), "tls", Map.of("serverName", "localhost")),
                Sends.NS));

    assertThat(config.errors())
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.tls.ca: is required unless insecureSkipVerify is true (it is the only trusted"
                + " root)");
  }
}
