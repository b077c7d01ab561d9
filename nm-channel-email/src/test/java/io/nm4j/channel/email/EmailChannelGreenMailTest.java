package io.nm4j.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The e-mail channel against GreenMail: plain SMTP with AUTH, SMTPS, and what goes wrong. */
class EmailChannelGreenMailTest {
  private static final String PASSWORD = "gm-password-42ab";
  private static final Instant NOW = Instant.parse("2026-11-25T08:30:00Z");

  private GreenMail greenMail;
  private EmailChannel channel;

  @BeforeEach
  void start() {
    TestTls.useTestKeyForGreenMail();
    ServerSetup smtp = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort();
    ServerSetup smtps = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS).dynamicPort();
    // A busy two-core machine may take longer than GreenMail's default two seconds.
    smtp.setServerStartupTimeout(30_000);
    smtps.setServerStartupTimeout(30_000);
    greenMail = new GreenMail(new ServerSetup[] {smtp, smtps});
    greenMail.start();
    greenMail.setUser("nm4j@example.com", "nm4j", PASSWORD);
    channel =
        (EmailChannel)
            new EmailChannelProvider()
                .channel(
                    new ChannelContext(
                        Map.of("implicitTlsPorts", "465," + greenMail.getSmtps().getPort()),
                        Clock.fixed(NOW, ZoneOffset.UTC)))
                .orElseThrow();
  }

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.close();
    }
    greenMail.stop();
  }

  private int smtpPort() {
    return greenMail.getSmtp().getPort();
  }

  @Test
  void eachRecipientGetsOneMessageOfItsOwnWithTextAndHtmlPartsAndUtf8Headers() throws Exception {
    SendResult result =
        channel.send(
            Sends.request(
                Sends.configSpec(smtpPort()),
                List.of("ops@example.com", "dev@example.org"),
                Sends.secrets(PASSWORD, false)));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    MimeMessage[] received = greenMail.getReceivedMessages();
    assertThat(received).hasSize(2);
    List<String> recipients = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (MimeMessage m : received) {
      Address[] to = m.getRecipients(Message.RecipientType.TO);
      assertThat(to).as("one recipient per message").hasSize(1);
      assertThat(m.getRecipients(Message.RecipientType.CC)).isNull();
      recipients.add(((InternetAddress) to[0]).getAddress());
      assertThat(m.getFrom())
          .extracting(a -> ((InternetAddress) a).getAddress())
          .containsExactly("alerts@example.com");
      assertThat(m.getHeader("Subject")[0]).startsWith("=?UTF-8?");
      assertThat(m.getSubject())
          .isEqualTo("[FIRING:1 RESOLVED:1] DiskFüll, KubePodCrashLooping (demo)");
      assertThat(m.getSentDate()).isEqualTo(Date.from(NOW));
      String id = m.getMessageID();
      assertThat(id).startsWith("<nm4j.n-42.").endsWith("@example.com>");
      ids.add(id);

      assertThat(m.getContentType()).startsWith("multipart/alternative");
      MimeMultipart parts = (MimeMultipart) m.getContent();
      assertThat(parts.getCount()).isEqualTo(2);
      assertThat(parts.getBodyPart(0).getContentType())
          .containsIgnoringCase("text/plain")
          .containsIgnoringCase("charset=UTF-8");
      assertThat(parts.getBodyPart(1).getContentType())
          .containsIgnoringCase("text/html")
          .containsIgnoringCase("charset=UTF-8");
      String text = (String) parts.getBodyPart(0).getContent();
      assertThat(text)
          .contains("FIRING (1)", "RESOLVED (1)", "Über-Last", "severity: warning")
          .contains("Starts: 2026-11-24 15:55:41 UTC", "Ends: 2026-11-24 16:00:41 UTC");
      assertThat(text.indexOf("FIRING (1)")).isLessThan(text.indexOf("RESOLVED (1)"));
      String html = (String) parts.getBodyPart(1).getContent();
      assertThat(html)
          .contains("&lt;script&gt;alert(1)&lt;/script&gt;", "&amp; co were &lt;b&gt;crash")
          .doesNotContain("<script>", "<b>crash")
          .contains("Über-Last");
    }
    assertThat(recipients).containsExactlyInAnyOrder("ops@example.com", "dev@example.org");
    assertThat(ids).doesNotHaveDuplicates();
  }

  @Test
  void implicitTlsOnAnSmtpsPortTrustsTheServerThroughTlsCa() throws Exception {
    SendResult result =
        channel.send(
            Sends.request(
                Sends.with(
                    Sends.configSpec(greenMail.getSmtps().getPort()),
                    "tls",
                    Map.of("ca", Sends.caRef())),
                List.of("ops@example.com"),
                Sends.secrets(PASSWORD, true)));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
    assertThat(greenMail.getReceivedMessages()[0].getAllRecipients())
        .extracting(a -> ((InternetAddress) a).getAddress())
        .containsExactly("ops@example.com");
  }

  @Test
  void smtpsServerNotSignedByATrustedRootFailsPermanentlyAsTls() {
    // Without a tls section the JVM's trust store decides, and it does not know the test CA.
    SendResult result =
        channel.send(
            Sends.request(
                Sends.configSpec(greenMail.getSmtps().getPort()),
                List.of("ops@example.com"),
                Sends.secrets(PASSWORD, false)));

    assertThat(result).isInstanceOf(SendResult.Failed.class);
    SendResult.Failed f = (SendResult.Failed) result;
    assertThat(f.reason()).isEqualTo(Reason.TLS_FAILED);
    assertThat(f.retryable()).isFalse();
    assertThat(f.detail()).contains("TLS handshake failed", "EmailConfig/smarthost");
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  void wrongPasswordIsAPermanentAuthRejectionThatNeverShowsThePassword() {
    String wrong = "not-the-password-9d2f";
    SendResult result =
        channel.send(
            Sends.request(
                Sends.configSpec(smtpPort()),
                List.of("ops@example.com"),
                Sends.secrets(wrong, false)));

    assertThat(result).isInstanceOf(SendResult.Failed.class);
    SendResult.Failed f = (SendResult.Failed) result;
    assertThat(f.reason()).isEqualTo(Reason.AUTH_REJECTED);
    assertThat(f.retryable()).isFalse();
    assertThat(f.detail()).contains("535").doesNotContain(wrong).doesNotContain(PASSWORD);
    assertThat(result.toString()).doesNotContain(wrong);
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  void unreachableHostIsARetryableConnectionFailure() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = s.getLocalPort();
    }
    SendResult result =
        channel.send(
            Sends.request(
                Sends.configSpec(closedPort),
                List.of("ops@example.com"),
                Sends.secrets(PASSWORD, false)));

    assertThat(result).isInstanceOf(SendResult.Failed.class);
    SendResult.Failed f = (SendResult.Failed) result;
    assertThat(f.reason()).isEqualTo(Reason.CONNECTION_FAILED);
    assertThat(f.retryable()).isTrue();
    assertThat(f.detail()).contains("127.0.0.1:" + closedPort);
  }

  @Test
  void connectionClosedBeforeTheGreetingIsARetryableConnectionFailure() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      CompletableFuture<Void> closer =
          CompletableFuture.runAsync(
              () -> {
                try (Socket accepted = s.accept()) {
                  // closed at once, before any greeting
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      SendResult result =
          channel.send(
              Sends.request(
                  Sends.configSpec(s.getLocalPort()),
                  List.of("ops@example.com"),
                  Sends.secrets(PASSWORD, false)));
      closer.join();

      assertThat(result).isInstanceOf(SendResult.Failed.class);
      SendResult.Failed f = (SendResult.Failed) result;
      assertThat(f.reason()).isEqualTo(Reason.CONNECTION_FAILED);
      assertThat(f.retryable()).isTrue();
    }
  }
}
