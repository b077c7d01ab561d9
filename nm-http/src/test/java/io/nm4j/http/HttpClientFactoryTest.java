package io.nm4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.nm4j.spi.Secret;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpClientFactoryTest {
  private static final HeldCertificate CA =
      new HeldCertificate.Builder().certificateAuthority(0).commonName("test-ca").rsa2048().build();
  private static final HeldCertificate OTHER_CA =
      new HeldCertificate.Builder()
          .certificateAuthority(0)
          .commonName("other-ca")
          .rsa2048()
          .build();
  private static final HeldCertificate SERVER =
      new HeldCertificate.Builder()
          .commonName("server")
          .addSubjectAlternativeName("localhost")
          .addSubjectAlternativeName("127.0.0.1")
          .signedBy(CA)
          .rsa2048()
          .build();
  private static final HeldCertificate GATEWAY =
      new HeldCertificate.Builder()
          .commonName("gateway")
          .addSubjectAlternativeName("alert-gateway.payments-infra.svc")
          .signedBy(CA)
          .rsa2048()
          .build();
  private static final HeldCertificate CLIENT =
      new HeldCertificate.Builder().commonName("nm4j-client").signedBy(CA).rsa2048().build();

  private final MockWebServer server = new MockWebServer();
  private final HttpClientFactory factory = HttpClientFactory.create();

  @BeforeEach
  void start() throws Exception {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    server.close();
    factory.close();
  }

  private static Secret pem(String text) {
    return Secret.of(text);
  }

  private SendResult post(HttpSettings settings, HttpUrl url) {
    return Posts.post(factory, settings, url);
  }

  private void useHttps(HeldCertificate serverCert) {
    server.useHttps(
        new HandshakeCertificates.Builder()
            .heldCertificate(serverCert, CA.certificate())
            .addTrustedCertificate(CA.certificate())
            .build()
            .sslSocketFactory());
  }

  private static HttpSettings tls(TlsSettings tls) {
    return HttpSettings.builder().tls(tls).build();
  }

  @Test
  void equalSettingsReuseOneClientThatSharesThePoolAndDispatcher() {
    HttpSettings a = HttpSettings.builder().auth(HttpAuth.bearer(Secret.of("t"))).build();
    HttpSettings b = HttpSettings.builder().auth(HttpAuth.bearer(Secret.of("t"))).build();
    OkHttpClient first = factory.client(a);
    assertThat(factory.client(b)).isSameAs(first);
    assertThat(first.connectionPool()).isSameAs(factory.base().connectionPool());
    assertThat(first.dispatcher()).isSameAs(factory.base().dispatcher());
    assertThat(factory.client(HttpSettings.DEFAULTS)).isSameAs(factory.base());
    assertThat(factory.cachedClients()).isEqualTo(1);
  }

  @Test
  void connectionsOfConcurrentSendsStayPooledForTheNextSends() throws Exception {
    sendConcurrently(factory, 12);

    assertThat(factory.base().connectionPool().idleConnectionCount()).isEqualTo(12);
    assertThat(post(HttpSettings.DEFAULTS, server.url("/hook")))
        .isInstanceOf(SendResult.Delivered.class);
    assertThat(factory.base().connectionPool().connectionCount())
        .as("the next send took a pooled connection")
        .isEqualTo(12);
  }

  @Test
  void theIdleConnectionLimitIsTheBuildersToSet() throws Exception {
    try (HttpClientFactory small = HttpClientFactory.builder().maxIdleConnections(2).build()) {
      sendConcurrently(small, 4);

      // the pool closes the idle ones beyond its limit on its own cleanup thread
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> small.base().connectionPool().idleConnectionCount() == 2);
    }
    assertThatThrownBy(() -> HttpClientFactory.builder().maxIdleConnections(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxIdleConnections");
  }

  /** {@code n} sends at once, each answered only when all have arrived: one connection each. */
  private void sendConcurrently(HttpClientFactory from, int n) throws Exception {
    CountDownLatch allArrived = new CountDownLatch(n);
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            allArrived.countDown();
            allArrived.await(10, TimeUnit.SECONDS);
            return new MockResponse.Builder().code(200).build();
          }
        });
    ExecutorService senders = Executors.newFixedThreadPool(n);
    try {
      List<Future<SendResult>> sends = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        sends.add(
            senders.submit(() -> Posts.post(from, HttpSettings.DEFAULTS, server.url("/hook"))));
      }
      for (Future<SendResult> send : sends) {
        assertThat(send.get(20, TimeUnit.SECONDS)).isInstanceOf(SendResult.Delivered.class);
      }
    } finally {
      senders.shutdownNow();
    }
    assertThat(server.getRequestCount()).isEqualTo(n);
  }

  @Test
  void rotatedSecretGetsANewClient() {
    OkHttpClient old =
        factory.client(HttpSettings.builder().auth(HttpAuth.bearer(Secret.of("old"))).build());
    OkHttpClient rotated =
        factory.client(HttpSettings.builder().auth(HttpAuth.bearer(Secret.of("new"))).build());
    assertThat(rotated).isNotSameAs(old);
  }

  @Test
  void basicAuthSendsBasicAuthorization() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    SendResult r =
        post(
            HttpSettings.builder().auth(HttpAuth.basic("nm4j", Secret.of("hook-pass"))).build(),
            server.url("/hook"));
    assertThat(r).isInstanceOf(SendResult.Delivered.class);
    assertThat(server.takeRequest().getHeaders().get("Authorization"))
        .isEqualTo("Basic bm00ajpob29rLXBhc3M=");
  }

  @Test
  void bearerTokenSendsBearerPrefix() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    post(
        HttpSettings.builder().auth(HttpAuth.bearer(Secret.of("bearer-fixture"))).build(),
        server.url("/hook"));
    assertThat(server.takeRequest().getHeaders().get("Authorization"))
        .isEqualTo("Bearer bearer-fixture");
  }

  @Test
  void trailingLineBreaksOfASecretAreNotSentInTheAuthorizationHeader() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    post(
        HttpSettings.builder().auth(HttpAuth.bearer(Secret.of("bearer-fixture\r\n"))).build(),
        server.url("/hook"));
    post(
        HttpSettings.builder().auth(HttpAuth.basic("nm4j", Secret.of("hook-pass\n"))).build(),
        server.url("/hook"));
    assertThat(server.takeRequest().getHeaders().get("Authorization"))
        .isEqualTo("Bearer bearer-fixture");
    assertThat(server.takeRequest().getHeaders().get("Authorization"))
        .isEqualTo("Basic bm00ajpob29rLXBhc3M=");
  }

  @Test
  void aTokenAHeaderCannotCarryIsRefusedNamingNoPartOfIt() {
    assertThatThrownBy(() -> HttpAuth.bearer(Secret.of("tok\nen-fixture")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the token holds a character an HTTP header cannot carry (U+000A at position 4 of"
                + " 14)");
    assertThatThrownBy(() -> HttpAuth.bearer(Secret.of("tök")))
        .hasMessageContaining("U+00F6")
        .hasMessageNotContaining("tök");
    assertThat(HttpAuth.bearer(Secret.of("bearer-fixture\n"))).isNotNull();
    // a basic credential goes into the header as Base64: any password fits
    assertThat(HttpAuth.basic("nm4j", Secret.of("pä\u00df\nx"))).isNotNull();
  }

  @Test
  void timeoutsOfTheSettingsApplyToTheDerivedClient() {
    OkHttpClient c =
        factory.client(
            HttpSettings.builder()
                .connectTimeout(java.time.Duration.ofSeconds(2))
                .readTimeout(java.time.Duration.ofSeconds(3))
                .writeTimeout(java.time.Duration.ofSeconds(4))
                .callTimeout(java.time.Duration.ofSeconds(5))
                .build());
    assertThat(c.connectTimeoutMillis()).isEqualTo(2000);
    assertThat(c.readTimeoutMillis()).isEqualTo(3000);
    assertThat(c.writeTimeoutMillis()).isEqualTo(4000);
    assertThat(c.callTimeoutMillis()).isEqualTo(5000);
  }

  @Test
  void proxyUrlSendsTheRequestThroughTheProxy() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    String proxy = "http://127.0.0.1:" + server.getPort();
    SendResult r =
        post(
            HttpSettings.builder().proxyUrl(proxy).build(),
            HttpUrl.get("http://hooks.example.invalid/alerts"));
    assertThat(r).isInstanceOf(SendResult.Delivered.class);
    RecordedRequest recorded = server.takeRequest();
    assertThat(recorded.getTarget()).isEqualTo("http://hooks.example.invalid/alerts");
    assertThat(recorded.getHeaders().get("Host")).isEqualTo("hooks.example.invalid");
  }

  @Test
  void proxyUrlThatIsNotHttpIsRejectedNamingTheField() {
    assertThatThrownBy(
            () -> factory.client(HttpSettings.builder().proxyUrl("socks5://proxy:1080").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("proxyUrl:");
  }

  @Test
  void customCaIsTrustedForHttps() throws Exception {
    useHttps(SERVER);
    server.enqueue(new MockResponse.Builder().code(200).build());
    SendResult r = post(tls(TlsSettings.trusting(pem(CA.certificatePem()))), server.url("/hook"));
    assertThat(r).isInstanceOf(SendResult.Delivered.class);
    assertThat(server.takeRequest().getHandshake()).isNotNull();
  }

  @Test
  void jvmTrustStoreDoesNotTrustAPrivateCa() {
    useHttps(SERVER);
    SendResult.Failed r = (SendResult.Failed) post(HttpSettings.DEFAULTS, server.url("/hook"));
    assertThat(r.reason()).isEqualTo(Reason.TLS_FAILED);
    assertThat(r.retryable()).isFalse();
    assertThat(r.detail()).contains("TLS");
  }

  @Test
  void customCaIsTheOnlyTrustedRoot() {
    useHttps(SERVER);
    SendResult.Failed r =
        (SendResult.Failed)
            post(tls(TlsSettings.trusting(pem(OTHER_CA.certificatePem()))), server.url("/hook"));
    assertThat(r.reason()).isEqualTo(Reason.TLS_FAILED);
  }

  @Test
  void serverNameReplacesTheHostNameThatIsVerified() throws Exception {
    useHttps(GATEWAY);
    server.enqueue(new MockResponse.Builder().code(200).build());
    SendResult withName =
        post(
            tls(
                new TlsSettings(
                    pem(CA.certificatePem()),
                    null,
                    null,
                    "alert-gateway.payments-infra.svc",
                    false)),
            server.url("/hook"));
    assertThat(withName).isInstanceOf(SendResult.Delivered.class);

    SendResult.Failed withoutName =
        (SendResult.Failed)
            post(tls(TlsSettings.trusting(pem(CA.certificatePem()))), server.url("/hook"));
    assertThat(withoutName.reason()).isEqualTo(Reason.TLS_FAILED);
  }

  @Test
  void insecureSkipVerifyAcceptsAnUntrustedCertificateForAnyName() {
    useHttps(GATEWAY);
    server.enqueue(new MockResponse.Builder().code(200).build());
    SendResult r = post(tls(new TlsSettings(null, null, null, null, true)), server.url("/hook"));
    assertThat(r).isInstanceOf(SendResult.Delivered.class);
  }

  @Test
  void mutualTlsPresentsAPkcs8ClientCertificate() throws Exception {
    assertClientCertificatePresented(CLIENT.privateKeyPkcs8Pem());
  }

  @Test
  void mutualTlsPresentsAPkcs1RsaClientCertificate() throws Exception {
    assertClientCertificatePresented(CLIENT.privateKeyPkcs1Pem());
  }

  private void assertClientCertificatePresented(String keyPem) throws Exception {
    useHttps(SERVER);
    server.requireClientAuth();
    server.enqueue(new MockResponse.Builder().code(200).build());
    SendResult r =
        post(
            tls(
                new TlsSettings(
                    pem(CA.certificatePem()),
                    pem(CLIENT.certificatePem()),
                    pem(keyPem),
                    null,
                    false)),
            server.url("/hook"));
    assertThat(r).isInstanceOf(SendResult.Delivered.class);
    X509Certificate presented =
        (X509Certificate) server.takeRequest().getHandshake().peerCertificates().get(0);
    assertThat(presented).isEqualTo(CLIENT.certificate());
  }

  @Test
  void unusableCaOrKeyIsRejectedNamingThePartWithoutItsContent() {
    assertThatThrownBy(
            () -> factory.client(tls(TlsSettings.trusting(Secret.of("not a pem secret-xyz")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ca:")
        .hasMessageNotContaining("secret-xyz");
    assertThatThrownBy(
            () ->
                factory.client(
                    tls(
                        new TlsSettings(
                            pem(CA.certificatePem()),
                            pem(CLIENT.certificatePem()),
                            Secret.of("garbage-key-xyz"),
                            null,
                            false))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key:")
        .hasMessageNotContaining("garbage-key-xyz");
  }

  @Test
  void logsShowNeitherSecretsNorAuthorizationNorQuery() {
    server.enqueue(new MockResponse.Builder().code(200).build());
    server.enqueue(new MockResponse.Builder().code(503).build());
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      HttpSettings settings =
          HttpSettings.builder().auth(HttpAuth.bearer(Secret.of("bearer-fixture"))).build();
      HttpUrl url = server.url("/hook?token=query-secret");
      SendResult ok = post(settings, url);
      SendResult failed = post(settings, url);
      assertThat(ok).isInstanceOf(SendResult.Delivered.class);
      assertThat(failed.toString()).doesNotContain("query-secret").doesNotContain("bearer-fixture");
      assertThat(settings.toString()).doesNotContain("bearer-fixture");
    } finally {
      System.setErr(original);
    }
    String logs = captured.toString(StandardCharsets.UTF_8);
    assertThat(logs).contains("POST http://").contains("/hook").contains("HTTP 200");
    assertThat(logs)
        .doesNotContain("bearer-fixture")
        .doesNotContain("Authorization")
        .doesNotContain("query-secret");
  }
}
