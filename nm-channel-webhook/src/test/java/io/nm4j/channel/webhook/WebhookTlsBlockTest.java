package io.nm4j.channel.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.FieldError;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.Scope;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.spi.SpecReader;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code httpConfig} of notification-manager's v2beta2 {@code webhook} block, with its field
 * names ({@code tlsConfig.rootCA}, {@code tlsConfig.clientCertificate}), against an HTTPS server
 * that asks for a client certificate: without {@code rootCA} the JVM's trusted roots decide.
 */
class WebhookTlsBlockTest {
  private static final String NS = "kubesphere-monitoring-system";

  private final WebhookChannelProvider provider = new WebhookChannelProvider();
  private final MockWebServer server = new MockWebServer();
  private WebhookChannel channel;

  @BeforeEach
  void start() throws Exception {
    server.useHttps(
        new HandshakeCertificates.Builder()
            .heldCertificate(
                WebhookChannelCompatibilityTest.SERVER,
                WebhookChannelCompatibilityTest.CA.certificate())
            .addTrustedCertificate(WebhookChannelCompatibilityTest.CA.certificate())
            .build()
            .sslSocketFactory());
    server.requireClientAuth();
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    channel =
        (WebhookChannel)
            provider.channel(new ChannelContext(Map.of(), Clock.systemUTC())).orElseThrow();
  }

  @AfterEach
  void stop() {
    channel.close();
    server.close();
  }

  private static Map<String, Object> ref(String key) {
    return Map.of("name", "hook-tls", "key", key);
  }

  private Parsed<WebhookConfig> block(Map<String, Object> tlsConfig) {
    Map<String, Object> block = new LinkedHashMap<>();
    block.put("url", server.url("/hook").toString());
    block.put("httpConfig", Map.of("tlsConfig", tlsConfig));
    return provider.parseConfigBlock(SpecReader.at(block, "spec.webhook", NS));
  }

  private SendResult send(WebhookConfig config, Map<String, Secret> secrets) {
    Alert alert =
        new Alert(
            AlertStatus.FIRING,
            Map.of("alertname", "A"),
            Map.of(),
            Instant.parse("2026-11-25T10:00:00Z"),
            null,
            "",
            "f1");
    Notification n =
        new Notification(
            "n1",
            new ObjectRef("Receiver", "hook[webhook]"),
            Scope.GLOBAL,
            null,
            new ObjectRef("Receiver", "hook[webhook]"),
            List.of(alert),
            AlertBatch.of(List.of(alert)));
    return channel.send(
        new SendRequest<>(
            n, new WebhookReceiver(null), config, secrets, Instant.now().plusSeconds(10)));
  }

  private static Map<String, Secret> clientCertificate() {
    return Map.of(
        WebhookConfig.TLS_CERT,
        Secret.of(WebhookChannelCompatibilityTest.CLIENT.certificatePem()),
        WebhookConfig.TLS_KEY,
        Secret.of(WebhookChannelCompatibilityTest.CLIENT.privateKeyPkcs8Pem()));
  }

  @Test
  void rootCaAndClientCertificateAsUpstreamNamesThemReachTheServer() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    Parsed<WebhookConfig> config =
        block(
            Map.of(
                "rootCA",
                ref("ca.crt"),
                "clientCertificate",
                Map.of("cert", ref("tls.crt"), "key", ref("tls.key"))));
    assertThat(config.errors()).isEmpty();
    assertThat(config.value().httpConfig().tlsConfig().ca())
        .isEqualTo(new SecretKeySelector("hook-tls", "ca.crt"));
    Map<String, Secret> secrets = new LinkedHashMap<>(clientCertificate());
    secrets.put(
        WebhookConfig.TLS_CA, Secret.of(WebhookChannelCompatibilityTest.CA.certificatePem()));

    SendResult result = send(config.value(), secrets);

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    assertThat(server.takeRequest().getHandshake().peerPrincipal()).isNotNull();
  }

  @Test
  void withoutRootCaTheServerIsVerifiedAgainstTheJvmsTrustedRoots() {
    Parsed<WebhookConfig> config =
        block(Map.of("clientCertificate", Map.of("cert", ref("tls.crt"), "key", ref("tls.key"))));
    assertThat(config.errors()).isEmpty();
    assertThat(config.value().httpConfig().tlsConfig().ca()).isNull();

    SendResult result = send(config.value(), clientCertificate());

    assertThat(result).isInstanceOf(SendResult.Failed.class);
    assertThat(((SendResult.Failed) result).reason()).isEqualTo(Reason.TLS_FAILED);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void insecureSkipVerifyWithRootCaSkipsVerificationAndStillPresentsTheClientCertificate()
      throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    Parsed<WebhookConfig> config =
        block(
            Map.of(
                "insecureSkipVerify",
                true,
                "rootCA",
                ref("ca.crt"),
                "clientCertificate",
                Map.of("cert", ref("tls.crt"), "key", ref("tls.key"))));
    assertThat(config.errors()).isEmpty();
    assertThat(config.value().notices())
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.httpConfig.tlsConfig.rootCA: not used: insecureSkipVerify is true, so the"
                + " server's certificate is not verified (a client certificate is still"
                + " presented)");
    assertThat(config.value().secretRefs())
        .containsOnlyKeys(WebhookConfig.TLS_CERT, WebhookConfig.TLS_KEY);
    // A CA that did not sign the server's certificate: verifying against it would fail.
    Map<String, Secret> secrets = new LinkedHashMap<>(clientCertificate());
    secrets.put(
        WebhookConfig.TLS_CA,
        Secret.of(
            new okhttp3.tls.HeldCertificate.Builder()
                .certificateAuthority(0)
                .commonName("unrelated-ca")
                .build()
                .certificatePem()));

    SendResult result = send(config.value(), secrets);

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    assertThat(server.takeRequest().getHandshake().peerPrincipal().getName()).isEqualTo("CN=nm4j");
  }

  @Test
  void aV1alpha1WebhookConfigStillNeedsItsCa() {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("url", "https://hooks.example.com/alerts");
    spec.put("httpConfig", Map.of("tlsConfig", Map.of("serverName", "hooks.example.com")));

    Parsed<WebhookConfig> config = provider.parseConfig(SpecReader.of(spec, NS));

    assertThat(config.errors())
        .extracting(FieldError::toString)
        .containsExactly(
            "spec.httpConfig.tlsConfig.ca: is required unless insecureSkipVerify is true (it is"
                + " the only trusted root)");
  }
}
