package io.nm4j.http.internal;

import io.nm4j.http.TlsSettings;
import io.nm4j.spi.Secret;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/** Applies {@link TlsSettings} to a client builder. */
public final class Tls {
  private static final char[] NO_PASSWORD = new char[0];

  private Tls() {}

  /**
   * Configures trust, client certificate and host name verification.
   *
   * @throws IllegalArgumentException naming the part (ca, cert, key) that is not usable
   */
  public static void apply(OkHttpClient.Builder builder, TlsSettings tls) {
    try {
      X509TrustManager trust =
          tls.insecureSkipVerify() ? TrustAll.INSTANCE : trustManager(tls.ca());
      KeyManager[] keys = keyManagers(tls.cert(), tls.key());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, new TrustManager[] {trust}, null);
      SSLSocketFactory factory = context.getSocketFactory();
      String serverName = tls.serverName();
      if (serverName != null && !tls.insecureSkipVerify()) {
        factory = new ServerNameSocketFactory(factory, serverName);
      }
      builder.sslSocketFactory(factory, trust);
      if (tls.insecureSkipVerify()) {
        builder.hostnameVerifier((host, session) -> true);
      } else if (serverName != null) {
        builder.hostnameVerifier(new FixedNameVerifier(serverName));
      }
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("TLS settings are not usable: " + e.getMessage(), e);
    }
  }

  private static X509TrustManager trustManager(@Nullable Secret ca)
      throws GeneralSecurityException, IOException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (ca == null) {
      tmf.init((KeyStore) null);
    } else {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      List<X509Certificate> roots = Pem.certificates(ca.bytes(), "ca");
      for (int i = 0; i < roots.size(); i++) {
        store.setCertificateEntry("ca-" + i, roots.get(i));
      }
      tmf.init(store);
    }
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager available");
  }

  private static KeyManager @Nullable [] keyManagers(@Nullable Secret cert, @Nullable Secret key)
      throws GeneralSecurityException, IOException {
    if (cert == null || key == null) {
      return null;
    }
    List<X509Certificate> chain = Pem.certificates(cert.bytes(), "cert");
    PrivateKey privateKey = Pem.privateKey(key.bytes(), "key");
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setKeyEntry("client", privateKey, NO_PASSWORD, chain.toArray(new Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, NO_PASSWORD);
    return kmf.getKeyManagers();
  }

  /** Verifies the server's certificate against a configured name instead of the URL's host. */
  static final class FixedNameVerifier implements HostnameVerifier {
    private final String name;

    FixedNameVerifier(String name) {
      this.name = name.toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean verify(String host, SSLSession session) {
      try {
        Certificate[] peer = session.getPeerCertificates();
        return peer.length > 0
            && peer[0] instanceof X509Certificate x
            && matches(x.getSubjectAlternativeNames());
      } catch (SSLPeerUnverifiedException | CertificateParsingException e) {
        return false;
      }
    }

    private boolean matches(@Nullable Collection<List<?>> sans) {
      if (sans == null) {
        return false;
      }
      for (List<?> san : sans) {
        Object type = san.get(0);
        String value = String.valueOf(san.get(1)).toLowerCase(Locale.ROOT);
        if (Integer.valueOf(2).equals(type) && dnsMatches(value)) {
          return true;
        }
        if (Integer.valueOf(7).equals(type) && ipMatches(value)) {
          return true;
        }
      }
      return false;
    }

    private boolean dnsMatches(String pattern) {
      if (pattern.startsWith("*.")) {
        int dot = name.indexOf('.');
        return dot > 0 && name.substring(dot).equals(pattern.substring(1));
      }
      return name.equals(pattern);
    }

    private boolean ipMatches(String address) {
      if (!name.matches("[0-9.]+|[0-9a-f:]+")) {
        return false;
      }
      try {
        return InetAddress.getByName(name).equals(InetAddress.getByName(address));
      } catch (IOException e) {
        return false;
      }
    }
  }

  /** Sends {@code serverName} as SNI: the JDK takes SNI from the host a socket is layered for. */
  static final class ServerNameSocketFactory extends SSLSocketFactory {
    private final SSLSocketFactory delegate;
    private final String serverName;

    ServerNameSocketFactory(SSLSocketFactory delegate, String serverName) {
      this.delegate = delegate;
      this.serverName = serverName;
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose)
        throws IOException {
      return delegate.createSocket(s, serverName, port, autoClose);
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return delegate.createSocket(host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
        throws IOException {
      return delegate.createSocket(host, port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return delegate.createSocket(host, port);
    }

    @Override
    public Socket createSocket(
        InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
      return delegate.createSocket(address, port, localAddress, localPort);
    }
  }

  /** Accepts every certificate: only for {@code insecureSkipVerify}. */
  enum TrustAll implements X509TrustManager {
    INSTANCE;

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
