package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.core.InMemoryConfigSource;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.admin.AdminService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The listeners under hostile clients, over real sockets: half-open connections, slow headers and
 * bodies, oversized headers and bodies. Each listener has its own threads, so none of this reaches
 * the other listener or the health endpoints.
 */
class ServerLimitsTest {
  private static final String ALERT =
      "{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"nm4j\",\"groupKey\":\"g\","
          + "\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\"},"
          + "\"startsAt\":\"2026-11-25T10:00:00Z\"}]}";

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Socket> sockets = new ArrayList<>();
  private InMemoryConfigSource source;
  private NotificationManager manager;
  private AdminService admin;
  private Nm4jServer server;

  private void start(UnaryOperator<Nm4jServer.Builder> settings) throws IOException {
    source = new InMemoryConfigSource();
    manager = NotificationManager.builder().configSource(source).build();
    admin = AdminService.builder().store(source).manager(manager).build();
    server =
        settings
            .apply(
                Nm4jServer.builder()
                    .manager(manager)
                    .admin(admin)
                    .listen(new InetSocketAddress("127.0.0.1", 0))
                    .adminListen(new InetSocketAddress("127.0.0.1", 0)))
            .build()
            .start();
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    if (server != null) {
      server.close();
      admin.close();
      manager.close();
    }
  }

  private Socket connect(InetSocketAddress address) throws IOException {
    Socket s = new Socket(address.getAddress(), address.getPort());
    s.setSoTimeout(10_000);
    sockets.add(s);
    return s;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder intake(String path) {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.address().getPort() + path))
        .timeout(Duration.ofSeconds(2));
  }

  private HttpRequest.Builder adminApi(String path) {
    return HttpRequest.newBuilder(
            URI.create(
                "http://127.0.0.1:"
                    + server.adminAddress().getPort()
                    + "/kapis/notification.kubesphere.io/v2alpha1/"
                    + path))
        .timeout(Duration.ofSeconds(2));
  }

  @Test
  void sixteenHalfOpenConnectionsOnEachListenerLeaveHealthIntakeAndAdminAnsweringWithinTwoSeconds()
      throws Exception {
    start(b -> b.intakeThreads(4).adminThreads(2));
    for (InetSocketAddress listener : List.of(server.address(), server.adminAddress())) {
      for (int i = 0; i < 16; i++) {
        OutputStream out = connect(listener).getOutputStream();
        out.write("GE".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    }

    // each request carries a 2 s timeout: a starved listener fails the test
    assertThat(send(intake("/healthz").GET()).statusCode()).isEqualTo(200);
    HttpResponse<String> alert = send(intake("/api/v2/alerts").POST(ofString(ALERT)));
    assertThat(alert.statusCode()).isEqualTo(200);
    assertThat(alert.body()).contains("\"status\":\"accepted\"");
    assertThat(send(adminApi("webhookreceivers").GET()).statusCode()).isEqualTo(200);
  }

  @Test
  void aConnectionThatSendsNoCompleteHeaderIsClosedAfterTheHeaderTimeout() throws Exception {
    start(b -> b.headerTimeout(Duration.ofMillis(300)).idleTimeout(Duration.ofSeconds(60)));
    Socket s = connect(server.address());
    s.getOutputStream().write("GE".getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();

    // read blocks until the server closes; the socket's own timeout (10 s) would fail the test
    assertThat(s.getInputStream().read()).isEqualTo(-1);
  }

  @Test
  void aBodyTrickledPastTheRequestTimeoutIsAnswered408() throws Exception {
    start(b -> b.requestTimeout(Duration.ofMillis(500)));
    Socket s = connect(server.address());
    OutputStream out = s.getOutputStream();
    out.write(
        ("POST /api/v2/alerts HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{\"ver")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();

    String answer = readAll(s.getInputStream());

    assertThat(answer).startsWith("HTTP/1.1 408 ");
    assertThat(answer).contains("the request was not received in time");
  }

  @Test
  void aBodyAboveTheLimitGetsA413TheClientReadsWithContentLength() throws Exception {
    start(b -> b.maxBodyBytes(1024));
    String big = ALERT.replace("\"A\"", "\"" + "x".repeat(256 * 1024) + "\"");

    HttpResponse<String> r = send(intake("/api/v2/alerts").POST(ofString(big)));

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).isEqualTo("{\"error\":\"body larger than 1024 bytes\"}");
    assertThat(manager.intakeCounts().acceptedBatches()).isZero();
  }

  @Test
  void aChunkedBodyAboveTheLimitGetsA413ThatIsReadBeforeTheConnectionCloses() throws Exception {
    start(b -> b.maxBodyBytes(1024));
    Socket s = connect(server.address());
    OutputStream out = s.getOutputStream();
    out.write(
        "POST /api/v2/alerts HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
    byte[] chunk = "x".repeat(16 * 1024).getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < 16; i++) {
      out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(chunk);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();

    String answer = readAll(s.getInputStream());

    assertThat(answer).startsWith("HTTP/1.1 413 ");
    assertThat(answer).contains("Connection: close").endsWith("body larger than 1024 bytes\"}");
  }

  @Test
  void aHeaderAboveTheLimitGets431() throws Exception {
    start(b -> b.maxHeaderBytes(2048));

    HttpResponse<String> r = send(intake("/healthz").header("X-Padding", "p".repeat(4096)).GET());

    assertThat(r.statusCode()).isEqualTo(431);
    assertThat(send(intake("/healthz").GET()).statusCode()).isEqualTo(200);
  }

  private static HttpRequest.BodyPublisher ofString(String body) {
    return HttpRequest.BodyPublishers.ofString(body);
  }

  /** Everything the server sends until it closes the connection. */
  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
