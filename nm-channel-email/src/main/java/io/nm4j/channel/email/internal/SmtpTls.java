package io.nm4j.channel.email.internal;

import io.nm4j.spi.Secret;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Builds the TLS socket factory of an {@code EmailConfig}: the JVM's trust store when there is no
 * {@code tls} section, else {@code tls.ca} as the only trusted root (or no verification at all with
 * {@code insecureSkipVerify}), and the client certificate of {@code tls.cert}/{@code tls.key}.
 *
 * <p>Errors are {@link IllegalArgumentException}s whose message names the field ({@code ca}, {@code
 * cert}, {@code key}) and what is wrong, never the content.
 */
public final class SmtpTls {
  private static final char[] NO_PASSWORD = new char[0];

  private SmtpTls() {}

  /**
   * The socket factory for the given material.
   *
   * @param ca PEM certificates to trust instead of the JVM's trust store; {@code null} for the
   *     JVM's
   * @param cert the client certificate chain (PEM); {@code null} for none
   * @param key the client certificate's PKCS#8 private key (PEM); {@code null} for none
   * @param insecureSkipVerify accept any server certificate
   */
  public static SSLSocketFactory socketFactory(
      @Nullable Secret ca,
      @Nullable Secret cert,
      @Nullable Secret key,
      boolean insecureSkipVerify) {
    try {
      TrustManager[] trust;
      if (insecureSkipVerify) {
        trust = new TrustManager[] {new TrustEverything()};
      } else {
        TrustManagerFactory tmf =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ca == null ? null : trustStore(ca));
        trust = tmf.getTrustManagers();
      }
      KeyManager[] keys = null;
      if (cert != null && key != null) {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        List<Certificate> chain = certificates(cert, "cert");
        ks.setKeyEntry("client", privateKey(key), NO_PASSWORD, chain.toArray(new Certificate[0]));
        KeyManagerFactory kmf =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, NO_PASSWORD);
        keys = kmf.getKeyManagers();
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, trust, new SecureRandom());
      return context.getSocketFactory();
    } catch (GeneralSecurityException | java.io.IOException e) {
      // The type only: messages of key and certificate parsing may quote the material.
      throw new IllegalArgumentException("TLS set-up failed: " + e.getClass().getSimpleName(), e);
    }
  }

  private static KeyStore trustStore(Secret ca)
      throws GeneralSecurityException, java.io.IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    int i = 0;
    for (Certificate c : certificates(ca, "ca")) {
      ks.setCertificateEntry("ca-" + i++, c);
    }
    return ks;
  }

  private static List<Certificate> certificates(Secret pem, String field) {
    try {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem.bytes()));
      if (certs.isEmpty()) {
        throw new IllegalArgumentException(field + ": holds no PEM certificate");
      }
      return new ArrayList<>(certs);
    } catch (java.security.cert.CertificateException e) {
      throw new IllegalArgumentException(field + ": is not a PEM certificate", e);
    }
  }

  private static PrivateKey privateKey(Secret pem) {
    String text = pem.reveal();
    String begin = "-----BEGIN PRIVATE KEY-----";
    String end = "-----END PRIVATE KEY-----";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException(
          "key: must be a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("key: is not valid Base64 inside its PEM armour");
    }
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // not this algorithm; try the next
      }
    }
    throw new IllegalArgumentException("key: is not an RSA, EC or EdDSA PKCS#8 private key");
  }

  /** Accepts any certificate: what {@code insecureSkipVerify: true} asks for. */
  private static final class TrustEverything extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
