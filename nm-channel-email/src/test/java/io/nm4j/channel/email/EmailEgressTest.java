package io.nm4j.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.EgressPolicy;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tenant's SMTP host is checked against its egress policy after resolution, on the plain and the
 * implicit TLS path, and a server that is not SMTP never has its banner shown.
 */
class EmailEgressTest {
  private static final String PASSWORD = "egress-password-77";

  private BannerServer ssh;
  private GreenMail greenMail;
  private EmailChannel channel;

  @BeforeEach
  void start() throws IOException {
    TestTls.useTestKeyForGreenMail();
    ssh = new BannerServer("SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5");
    ServerSetup smtps = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS).dynamicPort();
    smtps.setServerStartupTimeout(30_000);
    greenMail = new GreenMail(smtps);
    greenMail.start();
    greenMail.setUser("nm4j@example.com", "nm4j", PASSWORD);
    channel =
        (EmailChannel)
            new EmailChannelProvider()
                .channel(
                    new ChannelContext(
                        Map.of(
                            "implicitTlsPorts",
                            "465," + ssh.port() + "," + greenMail.getSmtps().getPort()),
                        Clock.systemUTC()))
                .orElseThrow();
  }

  @AfterEach
  void stop() throws IOException {
    channel.close();
    greenMail.stop();
    ssh.close();
  }

  private static SendRequest<EmailReceiver, EmailConfig> request(
      String host, int port, EgressPolicy egress, boolean withCa) {
    Map<String, Object> spec =
        Sends.with(
            Sends.configSpec(port),
            "smartHost",
            Map.of("host", host, "port", String.valueOf(port)));
    if (withCa) {
      spec = Sends.with(spec, "tls", Map.of("ca", Sends.caRef()));
    }
    Map<String, Secret> secrets = Sends.secrets(PASSWORD, withCa);
    SendRequest<EmailReceiver, EmailConfig> r =
        Sends.request(spec, List.of("ops@example.com"), secrets);
    return new SendRequest<>(
        r.notification(), r.receiver(), r.config(), r.secrets(), r.deadline(), egress, "");
  }

  @Test
  void aTenantSmtpHostOnLoopbackIsRefusedBeforeConnectingOnThePlainAndTheTlsPath() {
    for (String host : List.of("127.0.0.1", "localhost", "[::ffff:127.0.0.1]")) {
      SendResult r = channel.send(request(host, ssh.port(), EgressPolicy.tenantDefault(), false));
      assertThat(r).as(host).isInstanceOf(SendResult.Failed.class);
      SendResult.Failed f = (SendResult.Failed) r;
      assertThat(f.reason()).as(host).isEqualTo(Reason.EGRESS_DENIED);
      assertThat(f.retryable()).isFalse();
      assertThat(f.detail())
          .as(host)
          .startsWith("EmailConfig/smarthost: SMTP server " + host + ":" + ssh.port())
          .contains("egress denied: ", "is loopback")
          .doesNotContain("SSH", "OpenSSH");
    }
    assertThat(ssh.connections()).isZero();
  }

  @Test
  void aServerThatIsNotSmtpNeverHasItsBannerShown() {
    EgressPolicy loopbackAllowed = EgressPolicy.builder().allow("127.0.0.1/32").build();
    // Not an implicit TLS port: the greeting is read in clear.
    try (BannerServer other = new BannerServer("SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5")) {
      SendResult r = channel.send(request("127.0.0.1", other.port(), loopbackAllowed, false));
      SendResult.Failed f = (SendResult.Failed) r;
      assertThat(f.reason()).isEqualTo(Reason.REJECTED);
      assertThat(f.retryable()).isFalse();
      assertThat(f.detail())
          .contains("did not greet as an SMTP server")
          .doesNotContain("SSH", "OpenSSH", "Ubuntu");
      assertThat(other.connections()).isEqualTo(1);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void anAllowedNameIsPinnedToTheCheckedAddressAndItsCertificateCheckedAgainstTheName() {
    EgressPolicy loopbackAllowed = EgressPolicy.builder().allow("127.0.0.1/32").build();
    SendResult r =
        channel.send(request("localhost", greenMail.getSmtps().getPort(), loopbackAllowed, true));
    assertThat(r).isInstanceOf(SendResult.Delivered.class);
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }

  /**
   * A TCP service that writes one line (a banner) to each connection, closes it, and counts them.
   */
  private static final class BannerServer implements AutoCloseable {
    private final ServerSocket socket;
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread acceptor;

    BannerServer(String banner) throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
      acceptor =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try (Socket s = socket.accept()) {
                    connections.incrementAndGet();
                    OutputStream out = s.getOutputStream();
                    out.write((banner + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                  } catch (IOException e) {
                    // closed by the test, or the client went away
                  }
                }
              },
              "banner-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    int connections() {
      return connections.get();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
