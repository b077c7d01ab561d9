package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.nm4j.core.InMemoryConfigSource;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.admin.AdminService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import javax.net.ssl.SSLException;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on both listeners from PEM files as cert-manager writes them, with certificates made for the
 * test (OkHttp's {@link HeldCertificate}): HTTP/2 by ALPN, PKCS#8, PKCS#1 and SEC1 keys, mutual
 * TLS, and a certificate swapped on disk served without a restart.
 */
class TlsTest {
  @TempDir Path dir;
  private HeldCertificate root;
  private NotificationManager manager;
  private AdminService admin;
  private Nm4jServer server;

  @BeforeEach
  void ca() {
    root = new HeldCertificate.Builder().certificateAuthority(0).commonName("nm4j test CA").build();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
      admin.close();
      manager.close();
    }
  }

  private HeldCertificate serverCertificate(String commonName) {
    return new HeldCertificate.Builder()
        .commonName(commonName)
        .addSubjectAlternativeName("localhost")
        .addSubjectAlternativeName("127.0.0.1")
        .signedBy(root)
        .build();
  }

  private void start(String certPem, String keyPem, Path clientCa) throws IOException {
    Path cert = Files.writeString(dir.resolve("tls.crt"), certPem);
    Path key = Files.writeString(dir.resolve("tls.key"), keyPem);
    InMemoryConfigSource source = new InMemoryConfigSource();
    manager = NotificationManager.builder().configSource(source).build();
    admin = AdminService.builder().store(source).manager(manager).build();
    server =
        Nm4jServer.builder()
            .manager(manager)
            .admin(admin)
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .adminListen(new InetSocketAddress("127.0.0.1", 0))
            .tls(cert, key, clientCa)
            .tlsReloadInterval(Duration.ofMillis(100))
            .build()
            .start();
  }

  /** A client trusting the test CA, presenting {@code identity} when not null, never pooling. */
  private OkHttpClient client(HeldCertificate identity) {
    HandshakeCertificates.Builder b =
        new HandshakeCertificates.Builder().addTrustedCertificate(root.certificate());
    if (identity != null) {
      b.heldCertificate(identity);
    }
    HandshakeCertificates certificates = b.build();
    return new OkHttpClient.Builder()
        .sslSocketFactory(certificates.sslSocketFactory(), certificates.trustManager())
        .connectionPool(new ConnectionPool(0, 1, java.util.concurrent.TimeUnit.SECONDS))
        .build();
  }

  private Response get(OkHttpClient client, InetSocketAddress to, String path) throws IOException {
    return client
        .newCall(new Request.Builder().url("https://localhost:" + to.getPort() + path).build())
        .execute();
  }

  private static String subject(Response r) {
    return ((X509Certificate) r.handshake().peerCertificates().get(0))
        .getSubjectX500Principal()
        .getName();
  }

  @Test
  void bothListenersSpeakTlsWithHttp2ByAlpnFromAPkcs8Key() throws Exception {
    HeldCertificate cert = serverCertificate("nm4j-one");
    start(cert.certificatePem() + root.certificatePem(), cert.privateKeyPkcs8Pem(), null);
    OkHttpClient client = client(null);

    try (Response r = get(client, server.address(), "/healthz")) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.protocol()).isEqualTo(Protocol.HTTP_2);
      assertThat(subject(r)).isEqualTo("CN=nm4j-one");
    }
    try (Response r =
        get(client, server.adminAddress(), "/kapis/notification.kubesphere.io/v2alpha1/secrets")) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.protocol()).isEqualTo(Protocol.HTTP_2);
    }
    assertThat(server.tls()).isTrue();
  }

  @Test
  void aPkcs1RsaKeyIsRead() throws Exception {
    HeldCertificate cert =
        new HeldCertificate.Builder()
            .rsa2048()
            .commonName("nm4j-rsa")
            .addSubjectAlternativeName("localhost")
            .signedBy(root)
            .build();
    start(cert.certificatePem(), cert.privateKeyPkcs1Pem(), null);

    try (Response r = get(client(null), server.address(), "/healthz")) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(subject(r)).isEqualTo("CN=nm4j-rsa");
    }
  }

  @Test
  void aSec1EcKeyIsRead() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    HeldCertificate cert =
        new HeldCertificate.Builder()
            .keyPair(pair)
            .commonName("nm4j-ec")
            .addSubjectAlternativeName("localhost")
            .signedBy(root)
            .build();
    start(cert.certificatePem(), sec1Pem((ECPrivateKey) pair.getPrivate()), null);

    try (Response r = get(client(null), server.address(), "/healthz")) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(subject(r)).isEqualTo("CN=nm4j-ec");
    }
  }

  @Test
  void withAClientCaOnlyClientsPresentingACertificateItSignedAreServed() throws Exception {
    HeldCertificate cert = serverCertificate("nm4j-mtls");
    HeldCertificate clientCa =
        new HeldCertificate.Builder().certificateAuthority(0).commonName("client CA").build();
    Path ca = Files.writeString(dir.resolve("client-ca.crt"), clientCa.certificatePem());
    start(cert.certificatePem(), cert.privateKeyPkcs8Pem(), ca);
    HeldCertificate alertmanager =
        new HeldCertificate.Builder().commonName("alertmanager").signedBy(clientCa).build();
    HeldCertificate stranger =
        new HeldCertificate.Builder().commonName("stranger").signedBy(root).build();

    try (Response r = get(client(alertmanager), server.address(), "/healthz")) {
      assertThat(r.code()).isEqualTo(200);
    }
    assertThatThrownBy(() -> get(client(null), server.address(), "/healthz").close())
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> get(client(stranger), server.address(), "/healthz").close())
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> get(client(null), server.adminAddress(), "/").close())
        .isInstanceOfAny(IOException.class, SSLException.class);
  }

  @Test
  void aCertificateSwappedOnDiskIsServedWithoutARestart() throws Exception {
    HeldCertificate first = serverCertificate("nm4j-first");
    start(first.certificatePem(), first.privateKeyPkcs8Pem(), null);
    OkHttpClient client = client(null);
    try (Response r = get(client, server.address(), "/healthz")) {
      assertThat(subject(r)).isEqualTo("CN=nm4j-first");
    }

    HeldCertificate second = serverCertificate("nm4j-second");
    // as cert-manager does: new files written beside, then moved over the old ones
    Path certTmp = Files.writeString(dir.resolve("tls.crt.new"), second.certificatePem());
    Path keyTmp = Files.writeString(dir.resolve("tls.key.new"), second.privateKeyPkcs8Pem());
    Files.move(keyTmp, dir.resolve("tls.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.move(certTmp, dir.resolve("tls.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              try (Response r = get(client, server.address(), "/healthz")) {
                assertThat(subject(r)).isEqualTo("CN=nm4j-second");
              }
            });
    try (Response r = get(client, server.adminAddress(), "/kapis/notification.kubesphere.io/")) {
      assertThat(subject(r)).isEqualTo("CN=nm4j-second");
    }
  }

  /**
   * The key as SEC1 {@code EC PRIVATE KEY} with its named curve, as openssl and cert-manager write.
   */
  private static String sec1Pem(ECPrivateKey key) {
    byte[] d = new byte[32];
    byte[] s = key.getS().toByteArray();
    int from = Math.max(0, s.length - 32);
    System.arraycopy(s, from, d, 32 - (s.length - from), s.length - from);
    ByteArrayOutputStream der = new ByteArrayOutputStream();
    byte[] version = {0x02, 0x01, 0x01};
    byte[] privateKey = concat(new byte[] {0x04, 0x20}, d);
    byte[] curve = HexFormat.of().parseHex("a00a06082a8648ce3d030107"); // [0] prime256v1
    int length = version.length + privateKey.length + curve.length;
    der.write(0x30);
    der.write(length);
    der.writeBytes(version);
    der.writeBytes(privateKey);
    der.writeBytes(curve);
    return "-----BEGIN EC PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(der.toByteArray())
        + "\n-----END EC PRIVATE KEY-----\n";
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
