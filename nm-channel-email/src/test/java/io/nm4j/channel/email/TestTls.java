package io.nm4j.channel.email;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The test PKI: a CA ({@code tls/ca.pem}) and two server keys it signed, {@code smtp-localhost.p12}
 * (names {@code localhost} and {@code 127.0.0.1}) and {@code smtp-other.p12} (name {@code
 * mail.other.test} only). GreenMail's own certificate names no host, so GreenMail is pointed at
 * {@code smtp-localhost.p12} before any of its servers starts.
 */
final class TestTls {
  static final String PASSWORD = "changeit";
  static final String CA_PEM = resourceText("/tls/ca.pem");

  static {
    System.setProperty("greenmail.tls.keystore.file", resourcePath("/tls/smtp-localhost.p12"));
    System.setProperty("greenmail.tls.keystore.password", PASSWORD);
    System.setProperty("greenmail.tls.key.password", PASSWORD);
  }

  private TestTls() {}

  /** Call before starting GreenMail, so its TLS uses the test key. */
  static void useTestKeyForGreenMail() {
    // the static initialiser does the work
  }

  /** A server-side TLS context with the key of {@code tls/<name>.p12}. */
  static SSLContext serverContext(String name) {
    try (InputStream in =
        Objects.requireNonNull(TestTls.class.getResourceAsStream("/tls/" + name + ".p12"))) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, PASSWORD.toCharArray());
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, PASSWORD.toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String resourceText(String name) {
    try (InputStream in = Objects.requireNonNull(TestTls.class.getResourceAsStream(name), name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String resourcePath(String name) {
    URL url = Objects.requireNonNull(TestTls.class.getResource(name), name);
    try {
      return Path.of(url.toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
