package io.nm4j.http;

import io.nm4j.spi.Secret;
import org.jspecify.annotations.Nullable;

/**
 * TLS of a client, from secret bytes.
 *
 * @param ca PEM certificates that are the only trusted roots; {@code null} trusts the JVM's store
 * @param cert the client certificate chain (PEM) for mutual TLS; needs {@code key}
 * @param key the client's private key (PEM: PKCS#8 {@code PRIVATE KEY} or PKCS#1 {@code RSA PRIVATE
 *     KEY})
 * @param serverName the host name to verify the server's certificate against (and to send as SNI)
 *     instead of the URL's host
 * @param insecureSkipVerify accept any certificate for any name; never set it with {@code ca}
 */
public record TlsSettings(
    @Nullable Secret ca,
    @Nullable Secret cert,
    @Nullable Secret key,
    @Nullable String serverName,
    boolean insecureSkipVerify) {

  public TlsSettings {
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException("a client certificate and its key go together");
    }
    if (insecureSkipVerify && ca != null) {
      throw new IllegalArgumentException("insecureSkipVerify excludes a custom CA");
    }
    if (serverName != null && serverName.isBlank()) {
      serverName = null;
    }
  }

  /** Trusts only {@code ca}. */
  public static TlsSettings trusting(Secret ca) {
    return new TlsSettings(ca, null, null, null, false);
  }

  @Override
  public String toString() {
    return "TlsSettings[ca="
        + (ca != null)
        + ", clientCert="
        + (cert != null)
        + ", serverName="
        + serverName
        + ", insecureSkipVerify="
        + insecureSkipVerify
        + "]";
  }
}
