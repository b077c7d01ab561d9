package io.nm4j.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.channel.email.ScriptedSmtpServer.Received;
import io.nm4j.channel.email.ScriptedSmtpServer.Script;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * STARTTLS, certificate and name checks, and partial recipient failures, against SubEtha SMTP (a
 * real SMTP server that offers STARTTLS, which GreenMail does not).
 */
class EmailChannelStartTlsTest {
  private static final String PASSWORD = "starttls-password-5e8a";

  private final EmailChannel channel = EmailChannel.builder().build();
  private @Nullable ScriptedSmtpServer server;

  @AfterEach
  void stop() {
    channel.close();
    if (server != null) {
      server.close();
    }
  }

  private ScriptedSmtpServer start(@Nullable SSLContext tls) {
    server = new ScriptedSmtpServer(tls, "nm4j", PASSWORD);
    return server;
  }

  private static SendResult.Failed failed(SendResult result) {
    assertThat(result).isInstanceOf(SendResult.Failed.class);
    return (SendResult.Failed) result;
  }

  private SendResult send(Map<String, Object> spec, List<String> to, boolean withCa) {
    return channel.send(Sends.request(spec, to, Sends.secrets(PASSWORD, withCa)));
  }

  @Test
  void requireTlsSendsOnlyAfterStartTlsSucceeded() {
    ScriptedSmtpServer s = start(TestTls.serverContext("smtp-localhost"));
    Map<String, Object> spec =
        Sends.with(
            Sends.with(Sends.configSpec(s.port()), "requireTLS", true),
            "tls",
            Map.of("ca", Sends.caRef()));

    SendResult result = send(spec, List.of("ops@example.com"), true);

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    assertThat(s.received()).singleElement().satisfies(r -> assertThat(r.tls()).isTrue());
  }

  @Test
  void requireTlsRefusesToSendInClearWhenTheServerOffersNoStartTls() {
    ScriptedSmtpServer s = start(null);
    Map<String, Object> spec = Sends.with(Sends.configSpec(s.port()), "requireTLS", true);

    SendResult.Failed f = failed(send(spec, List.of("ops@example.com"), false));

    assertThat(f.reason()).isEqualTo(Reason.TLS_FAILED);
    assertThat(f.retryable()).isFalse();
    assertThat(f.detail()).contains("offers no STARTTLS", "spec.requireTLS");
    assertThat(s.received()).isEmpty();
  }

  @Test
  void withoutRequireTlsAServerWithoutStartTlsStillGetsTheMail() {
    ScriptedSmtpServer s = start(null);

    SendResult result = send(Sends.configSpec(s.port()), List.of("ops@example.com"), false);

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    assertThat(s.received()).singleElement().satisfies(r -> assertThat(r.tls()).isFalse());
  }

  @Test
  void authOverAConnectionWithoutTlsIsRefusedNamingTheConfigAndTheMissingStartTls() {
    ScriptedSmtpServer s = start(null);

    SendResult.Failed f =
        failed(send(Sends.strictConfigSpec(s.port()), List.of("ops@example.com"), false));

    assertThat(f.reason()).isEqualTo(Reason.TLS_FAILED);
    assertThat(f.retryable()).isFalse();
    assertThat(f.detail())
        .startsWith("EmailConfig/smarthost: SMTP server 127.0.0.1:" + s.port())
        .contains("offered no STARTTLS", "in clear", "spec.allowInsecureAuth: true")
        .doesNotContain(PASSWORD);
    assertThat(s.received()).isEmpty();
  }

  @Test
  void authWithStartTlsOfferedGoesOverTlsWithoutAllowInsecureAuth() {
    ScriptedSmtpServer s = start(TestTls.serverContext("smtp-localhost"));
    Map<String, Object> spec =
        Sends.with(Sends.strictConfigSpec(s.port()), "tls", Map.of("ca", Sends.caRef()));

    SendResult result = send(spec, List.of("ops@example.com"), true);

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    assertThat(s.received()).singleElement().satisfies(r -> assertThat(r.tls()).isTrue());
  }

  @Test
  void aDisplayNameInFromIsTheHeadersAndTheAddressAloneTheEnvelopeSender() {
    ScriptedSmtpServer s = start(null);
    Map<String, Object> spec =
        Sends.with(Sends.configSpec(s.port()), "from", "Alerts <noreply@example.com>");

    SendResult result = send(spec, List.of("ops@example.com"), false);

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    assertThat(s.received())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.from()).isEqualTo("noreply@example.com");
              assertThat(new String(r.data(), StandardCharsets.UTF_8))
                  .contains("From: Alerts <noreply@example.com>")
                  .containsPattern("Message-ID: <nm4j\\.[^>]*@example\\.com>");
            });
  }

  @Test
  void aQuotedOrNonAsciiDisplayNameIsQuotedOrEncodedInTheFromHeader() {
    ScriptedSmtpServer s = start(null);
    send(
        Sends.with(Sends.configSpec(s.port()), "from", "\"Ops, EU\" <ops@example.com>"),
        List.of("a@example.com"),
        false);
    send(
        Sends.with(Sends.configSpec(s.port()), "from", "Überwachung <ops@example.com>"),
        List.of("a@example.com"),
        false);

    assertThat(s.received())
        .extracting(r -> new String(r.data(), StandardCharsets.UTF_8))
        .satisfiesExactly(
            quoted -> assertThat(quoted).contains("From: \"Ops, EU\" <ops@example.com>"),
            encoded -> assertThat(encoded).contains("From: =?UTF-8?Q?=C3=9Cberwachung?="));
  }

  @Test
  void aMissingAuthSecretDoesNotKeepTheMailFromBeingSent() {
    ScriptedSmtpServer s = start(null);
    Map<String, Object> spec =
        Sends.with(Sends.configSpec(s.port()), "authSecret", Map.of("name", "mail", "key", "cram"));

    SendResult result = send(spec, List.of("ops@example.com"), false);

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    assertThat(s.received()).hasSize(1);
  }

  @Test
  void certificateForAnotherHostNameIsRejectedEvenFromATrustedCa() {
    ScriptedSmtpServer s = start(TestTls.serverContext("smtp-other"));
    Map<String, Object> spec =
        Sends.with(
            Sends.with(Sends.configSpec(s.port()), "requireTLS", true),
            "tls",
            Map.of("ca", Sends.caRef()));

    SendResult.Failed f = failed(send(spec, List.of("ops@example.com"), true));

    assertThat(f.reason()).isEqualTo(Reason.TLS_FAILED);
    assertThat(f.retryable()).isFalse();
    assertThat(f.detail()).contains("TLS handshake failed");
    assertThat(s.received()).isEmpty();
  }

  @Test
  void tlsServerNameIsTheNameTheCertificateIsCheckedAgainst() {
    ScriptedSmtpServer s = start(TestTls.serverContext("smtp-other"));
    Map<String, Object> spec =
        Sends.with(
            Sends.with(Sends.configSpec(s.port()), "requireTLS", true),
            "tls",
            Map.of("ca", Sends.caRef(), "serverName", "mail.other.test"));

    SendResult result = send(spec, List.of("ops@example.com"), true);

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    assertThat(s.received()).singleElement().satisfies(r -> assertThat(r.tls()).isTrue());
  }

  @Test
  void insecureSkipVerifyAcceptsAnyCertificate() {
    ScriptedSmtpServer s = start(TestTls.serverContext("smtp-other"));
    Map<String, Object> spec =
        Sends.with(
            Sends.with(Sends.configSpec(s.port()), "requireTLS", true),
            "tls",
            Map.of("insecureSkipVerify", true));

    SendResult result = send(spec, List.of("ops@example.com"), false);

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
  }

  @Test
  void rejectedRecipientFailsThatAddressOnlyAndTheOthersAreSentOverOneConnection() {
    ScriptedSmtpServer s = start(null);
    s.enqueue(Script.rcpt(Map.of("gone@example.com", 550)));

    SendResult.Failed f =
        failed(
            send(
                Sends.configSpec(s.port()),
                List.of("ops@example.com", "gone@example.com", "dev@example.org"),
                false));

    assertThat(f.reason()).isEqualTo(Reason.INVALID_RECIPIENT);
    assertThat(f.retryable()).isFalse();
    assertThat(f.detail())
        .contains("gone@example.com", "550", "the other 2 of 3 recipients were sent")
        .doesNotContain("ops@example.com", "dev@example.org");
    List<Received> received = s.received();
    assertThat(received)
        .extracting(Received::to)
        .containsExactly(List.of("ops@example.com"), List.of("dev@example.org"));
    assertThat(s.sessions()).hasSize(1);
    assertThat(received).extracting(Received::sessionId).containsOnly(s.sessions().get(0));
    for (Received r : received) {
      String raw = new String(r.data(), StandardCharsets.UTF_8);
      assertThat(raw).doesNotContain("gone@example.com");
    }
  }

  @Test
  void temporaryFailurePartWayIsRetryableAndSaysHowManyWereSent() {
    ScriptedSmtpServer s = start(null);
    s.enqueue(Script.rcpt(Map.of("busy@example.com", 450)));

    SendResult.Failed f =
        failed(
            send(
                Sends.configSpec(s.port()),
                List.of("ops@example.com", "busy@example.com", "dev@example.org"),
                false));

    assertThat(f.reason()).isEqualTo(Reason.REMOTE_ERROR);
    assertThat(f.retryable()).isTrue();
    assertThat(f.detail()).contains("busy@example.com", "450", "1 of 3 messages were sent");
    assertThat(s.received()).extracting(Received::to).containsExactly(List.of("ops@example.com"));
  }
}
