package io.nm4j.channel.webhook;

import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.test.ChannelCompatibilityKit;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * The webhook channel against the kit, over mutual TLS with basic authentication, so every kind of
 * secret the channel handles (password, CA, client certificate and key) is checked.
 */
class WebhookChannelCompatibilityTest
    extends ChannelCompatibilityKit<WebhookReceiver, WebhookConfig, MockResponse> {
  static final HeldCertificate CA =
      new HeldCertificate.Builder().certificateAuthority(0).commonName("kit-ca").rsa2048().build();
  static final HeldCertificate SERVER =
      new HeldCertificate.Builder()
          .addSubjectAlternativeName("localhost")
          .addSubjectAlternativeName("127.0.0.1")
          .signedBy(CA)
          .rsa2048()
          .build();
  static final HeldCertificate CLIENT =
      new HeldCertificate.Builder().commonName("nm4j").signedBy(CA).rsa2048().build();

  private final MockWebServer server = new MockWebServer();
  private final List<Integer> sizes = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server.useHttps(
        new HandshakeCertificates.Builder()
            .heldCertificate(SERVER, CA.certificate())
            .addTrustedCertificate(CA.certificate())
            .build()
            .sslSocketFactory());
    server.requireClientAuth();
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Override
  protected ChannelProvider<WebhookReceiver, WebhookConfig> provider() {
    return new WebhookChannelProvider();
  }

  @Override
  protected Map<String, Object> validReceiverSpec() {
    return Map.of("webhookConfigSelector", Map.of("matchLabels", Map.of("type", "tenant")));
  }

  @Override
  protected Map<String, Object> validConfigSpec() {
    return Map.of(
        "url",
        server.url("/hook").toString(),
        "httpConfig",
        Map.of(
            "basicAuth",
            Map.of("username", "nm4j", "password", ref("password")),
            "tlsConfig",
            Map.of("ca", ref("ca.crt"), "cert", ref("client.crt"), "key", ref("client.key"))));
  }

  private static Map<String, Object> ref(String key) {
    return Map.of("name", "kit-webhook-secret", "key", key);
  }

  @Override
  protected Map<String, Secret> secrets() {
    Map<String, Secret> s = new LinkedHashMap<>();
    s.put(WebhookConfig.BASIC_AUTH_PASSWORD, Secret.of("kit-password-1f3a"));
    s.put(WebhookConfig.TLS_CA, Secret.of(CA.certificatePem()));
    s.put(WebhookConfig.TLS_CERT, Secret.of(CLIENT.certificatePem()));
    s.put(WebhookConfig.TLS_KEY, Secret.of(CLIENT.privateKeyPkcs8Pem()));
    return s;
  }

  @Override
  protected Set<String> secretTexts() {
    Set<String> texts = new java.util.HashSet<>(super.secretTexts());
    texts.add(
        Base64.getEncoder()
            .encodeToString("nm4j:kit-password-1f3a".getBytes(StandardCharsets.UTF_8)));
    // The key's Base64 body, in case it were printed without its PEM armour.
    texts.add(CLIENT.privateKeyPkcs8Pem().split("\n")[1]);
    return texts;
  }

  @Override
  protected void enqueue(MockResponse reply) {
    server.enqueue(reply);
  }

  @Override
  protected List<MockResponse> successReplies() {
    return List.of(new MockResponse.Builder().code(200).body("ok").build());
  }

  private static MockResponse status(int code) {
    return new MockResponse.Builder().code(code).build();
  }

  @Override
  protected List<ErrorReply<MockResponse>> errorReplies() {
    MockResponse drop =
        new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build();
    return List.of(
        ErrorReply.of("HTTP 400", status(400), Reason.REJECTED, false),
        ErrorReply.of("HTTP 401", status(401), Reason.AUTH_REJECTED, false),
        ErrorReply.of("HTTP 403", status(403), Reason.AUTH_REJECTED, false),
        ErrorReply.of("HTTP 404", status(404), Reason.REJECTED, false),
        ErrorReply.of(
                "HTTP 429 Retry-After 30",
                new MockResponse.Builder().code(429).addHeader("Retry-After", "30").build(),
                Reason.RATE_LIMITED,
                true)
            .withRetryAfter(Duration.ofSeconds(30)),
        ErrorReply.of("HTTP 500", status(500), Reason.REMOTE_ERROR, true),
        ErrorReply.of("HTTP 503", status(503), Reason.REMOTE_ERROR, true),
        new ErrorReply<>(
            "connection dropped", List.of(drop, drop), Reason.CONNECTION_FAILED, true, null));
  }

  @Override
  protected MockResponse noReply() {
    return new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
  }

  @Override
  protected List<BadSpec> badSpecs() {
    String dir = "manifests/invalid/";
    return List.of(
        BadSpec.config(
            "client cert without key",
            Fixtures.lastSpec(dir + "webhook-config-cert-without-key.yaml"),
            "spec.httpConfig.tlsConfig.key"),
        BadSpec.config(
            "insecureSkipVerify with ca",
            Fixtures.lastSpec(dir + "webhook-config-insecure-with-ca.yaml"),
            "spec.httpConfig.tlsConfig.ca"),
        BadSpec.config(
            "neither url nor service",
            Fixtures.lastSpec(dir + "webhook-config-no-target.yaml"),
            "spec"),
        BadSpec.config(
            "tlsConfig without ca",
            Fixtures.lastSpec(dir + "webhook-config-tls-without-ca.yaml"),
            "spec.httpConfig.tlsConfig.ca"),
        BadSpec.config(
            "url with query",
            Fixtures.lastSpec(dir + "webhook-config-url-with-query.yaml"),
            "spec.url"),
        BadSpec.config(
            "url with user info",
            Fixtures.lastSpec(dir + "webhook-config-url-with-userinfo.yaml"),
            "spec.url"),
        BadSpec.config(
            "basicAuth and bearerToken",
            Map.of(
                "url",
                "https://hooks.example.com/x",
                "httpConfig",
                Map.of(
                    "basicAuth",
                    Map.of("username", "u", "password", ref("password")),
                    "bearerToken",
                    ref("token"))),
            "spec.httpConfig.bearerToken"),
        BadSpec.receiver(
            "selector with unknown operator",
            Map.of(
                "webhookConfigSelector",
                Map.of(
                    "matchExpressions",
                    List.of(Map.of("key", "type", "operator", "Like", "values", List.of("x"))))),
            "spec.webhookConfigSelector.matchExpressions[0].operator"));
  }

  @Override
  protected ChannelLimits expectedLimits() {
    return ChannelLimits.NONE;
  }

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
