package io.nm4j.examples.ntfy;

import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.test.ChannelCompatibilityKit;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The ntfy channel against the compatibility kit, over HTTPS to a local server that answers as ntfy
 * does, trusted through a CA of the test.
 */
class NtfyChannelCompatibilityTest
    extends ChannelCompatibilityKit<NtfyReceiver, NtfyConfig, MockResponse> {
  static final String TOKEN = "tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2";
  static final HeldCertificate CA =
      new HeldCertificate.Builder().certificateAuthority(0).commonName("test-ca").rsa2048().build();
  static final HeldCertificate SERVER =
      new HeldCertificate.Builder()
          .addSubjectAlternativeName("localhost")
          .addSubjectAlternativeName("127.0.0.1")
          .signedBy(CA)
          .rsa2048()
          .build();

  private final MockWebServer server = new MockWebServer();
  private final List<Integer> sizes = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server.useHttps(
        new HandshakeCertificates.Builder()
            .heldCertificate(SERVER, CA.certificate())
            .build()
            .sslSocketFactory());
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** A client trusting the test's CA only. */
  static HandshakeCertificates trustingTheTestCa() {
    return new HandshakeCertificates.Builder().addTrustedCertificate(CA.certificate()).build();
  }

  @Override
  protected ChannelProvider<NtfyReceiver, NtfyConfig> provider() {
    return new NtfyChannelProvider(trustingTheTestCa().sslContext());
  }

  @Override
  protected Map<String, Object> validReceiverSpec() {
    return Map.of(
        "topic",
        "nm4j-alerts",
        "priority",
        "high",
        "tags",
        List.of("warning"),
        "ntfyConfigSelector",
        Map.of("matchLabels", Map.of("type", "default")));
  }

  @Override
  protected Map<String, Object> validConfigSpec() {
    return Map.of(
        "server",
        server.url("/").toString(),
        "accessToken",
        Map.of("name", "ntfy-token", "key", "token"));
  }

  @Override
  protected Map<String, Secret> secrets() {
    return Map.of(NtfyConfig.ACCESS_TOKEN_FIELD, Secret.of(TOKEN));
  }

  @Override
  protected void enqueue(MockResponse reply) {
    server.enqueue(reply);
  }

  @Override
  protected List<MockResponse> successReplies() {
    return List.of(NtfyReplies.published("nm4j-alerts"));
  }

  @Override
  protected List<ErrorReply<MockResponse>> errorReplies() {
    MockResponse drop =
        new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build();
    return List.of(
        ErrorReply.of(
            "401 unauthorized",
            NtfyReplies.error(401, 40101, "unauthorized"),
            Reason.AUTH_REJECTED,
            false),
        ErrorReply.of(
            "403 forbidden",
            NtfyReplies.error(403, 40301, "forbidden"),
            Reason.AUTH_REJECTED,
            false),
        ErrorReply.of(
            "429 too many requests",
            NtfyReplies.error(429, 42901, "limit reached: too many requests, please be nice"),
            Reason.RATE_LIMITED,
            true),
        ErrorReply.of(
                "429 with Retry-After from a proxy",
                new MockResponse.Builder().code(429).addHeader("Retry-After", "30").build(),
                Reason.RATE_LIMITED,
                true)
            .withRetryAfter(Duration.ofSeconds(30)),
        ErrorReply.of(
            "413 too large",
            NtfyReplies.error(413, 41301, "attachment too large, or bandwidth limit reached"),
            Reason.TOO_LARGE,
            false),
        ErrorReply.of(
            "400 topic invalid",
            NtfyReplies.error(400, 40009, "invalid request: topic invalid"),
            Reason.INVALID_RECIPIENT,
            false),
        ErrorReply.of(
            "400 priority invalid",
            NtfyReplies.error(400, 40007, "invalid priority parameter"),
            Reason.REJECTED,
            false),
        ErrorReply.of(
            "404 page not found (a server path that is not ntfy's)",
            NtfyReplies.error(404, 40401, "page not found"),
            Reason.REJECTED,
            false),
        ErrorReply.of(
            "500 internal server error",
            NtfyReplies.error(500, 50001, "internal server error"),
            Reason.REMOTE_ERROR,
            true),
        ErrorReply.of(
            "502 from a proxy",
            new MockResponse.Builder().code(502).body("<html>Bad Gateway</html>").build(),
            Reason.REMOTE_ERROR,
            true),
        ErrorReply.of(
            "302 redirect, not followed",
            new MockResponse.Builder().code(302).addHeader("Location", "/elsewhere").build(),
            Reason.REJECTED,
            false),
        new ErrorReply<>(
            "connection dropped", List.of(drop), Reason.CONNECTION_FAILED, true, null));
  }

  @Override
  protected MockResponse noReply() {
    return new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
  }

  @Override
  protected List<BadSpec> badSpecs() {
    return List.of(
        BadSpec.receiver("no topic", Map.of(), "spec.topic"),
        BadSpec.receiver("topic with a space", Map.of("topic", "my alerts"), "spec.topic"),
        BadSpec.receiver("topic too long", Map.of("topic", "t".repeat(65)), "spec.topic"),
        BadSpec.receiver(
            "unknown priority", Map.of("topic", "t", "priority", "critical"), "spec.priority"),
        BadSpec.receiver(
            "tag with a comma", Map.of("topic", "t", "tags", List.of("ok", "a,b")), "spec.tags[1]"),
        BadSpec.receiver(
            "selector In without values",
            Map.of(
                "topic",
                "t",
                "ntfyConfigSelector",
                Map.of("matchExpressions", List.of(Map.of("key", "type", "operator", "In")))),
            "spec.ntfyConfigSelector.matchExpressions[0].values"),
        BadSpec.config("server not http", Map.of("server", "ftp://ntfy.sh"), "spec.server"),
        BadSpec.config(
            "server with user info", Map.of("server", "https://user:pw@ntfy.sh"), "spec.server"),
        BadSpec.config(
            "server with a query", Map.of("server", "https://ntfy.sh/?auth=x"), "spec.server"),
        BadSpec.config(
            "token reference without key",
            Map.of("accessToken", Map.of("name", "ntfy-token")),
            "spec.accessToken.key"),
        BadSpec.config("token as plain text", Map.of("accessToken", TOKEN), "spec.accessToken"));
  }

  @Override
  protected ChannelLimits expectedLimits() {
    return new ChannelLimits(4096, 1, null);
  }

  /** The size of each published body: the message ntfy stores as text up to 4,096 bytes. */
  @Override
  protected List<Integer> receivedMessageSizes() {
    try {
      RecordedRequest r;
      while ((r = server.takeRequest(0, TimeUnit.SECONDS)) != null) {
        sizes.add((int) r.getBodySize());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return List.copyOf(sizes);
  }
}
