package io.nm4j.channel.email;

import io.nm4j.spi.ConfigSpec;
import io.nm4j.spi.Endpoint;
import io.nm4j.spi.FieldError;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.TlsReferences;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The spec of an {@code EmailConfig}: the SMTP server and the credentials to send with.
 *
 * @param from the sender: an address ({@code local@domain}), or a display name and an address
 *     ({@code Alerts <alerts@example.com>})
 * @param smartHost the SMTP server
 * @param hello the host name to announce in {@code EHLO}; {@code null} for the sender's default
 * @param authUsername the SMTP user; empty when the server is not logged in to (a v2beta2 block
 *     without credentials)
 * @param authIdentify the SASL authorization identity for {@code AUTH PLAIN}; {@code null} when
 *     absent
 * @param authPassword the SMTP password; {@code null} exactly when {@code authUsername} is empty
 * @param authSecret the CRAM-MD5 secret; {@code null} when absent
 * @param requireTLS whether to refuse sending unless STARTTLS succeeds; {@code null} when absent,
 *     so the sender's default applies
 * @param allowInsecureAuth whether AUTH may send the password over a connection without TLS (a
 *     server that offers no STARTTLS); {@code null} when absent, which refuses it
 * @param tls how to verify the server (and present a client certificate); {@code null} verifies
 *     against the JVM's trust store
 */
public record EmailConfig(
    String from,
    SmartHost smartHost,
    @Nullable String hello,
    String authUsername,
    @Nullable String authIdentify,
    @Nullable SecretKeySelector authPassword,
    @Nullable SecretKeySelector authSecret,
    @Nullable Boolean requireTLS,
    @Nullable Boolean allowInsecureAuth,
    @Nullable Tls tls)
    implements ConfigSpec {

  public EmailConfig {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(smartHost, "smartHost");
    Objects.requireNonNull(authUsername, "authUsername");
    if (authUsername.isEmpty() != (authPassword == null)) {
      throw new IllegalArgumentException("authUsername and authPassword go together");
    }
  }

  /**
   * Every secret reference a send reads: {@code spec.authPassword} (when it logs in), and when set
   * {@code spec.tls.ca}, {@code spec.tls.cert}, {@code spec.tls.key}. Not {@code spec.authSecret}:
   * CRAM-MD5 is not supported, so nothing reads it, and a reference to a secret that does not exist
   * must not keep mail from being sent.
   */
  @Override
  public Map<String, SecretKeySelector> secretRefs() {
    if (tls == null) {
      // The usual config, a password or nothing, without a map to fill: a build checks every one.
      return authPassword == null ? Map.of() : Map.of("spec.authPassword", authPassword);
    }
    Map<String, SecretKeySelector> refs = new LinkedHashMap<>();
    if (authPassword != null) {
      refs.put("spec.authPassword", authPassword);
    }
    tls.putSecretRefs("spec.tls", refs);
    return Collections.unmodifiableMap(refs);
  }

  /** A CA given with {@code insecureSkipVerify}: accepted, not used. */
  @Override
  public List<FieldError> notices() {
    FieldError unused =
        tls == null ? null : TlsReferences.unusedCa("spec.tls", tls.ca(), tls.insecureSkipVerify());
    return unused == null ? List.of() : List.of(unused);
  }

  /** The SMTP server, at {@code spec.smartHost}. */
  @Override
  public Map<String, Endpoint> endpoints() {
    String host = smartHost.host();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return Map.of("spec.smartHost", new Endpoint(host, smartHost.port()));
  }

  /**
   * The SMTP server.
   *
   * @param host its host name or IP address
   * @param port its TCP port, 1..65535 (written as a string in v1alpha1, e.g. {@code "587"})
   */
  public record SmartHost(String host, int port) {
    public SmartHost {
      Objects.requireNonNull(host, "host");
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be 1..65535, was " + port);
      }
    }
  }

  /**
   * How to verify the SMTP server's certificate, the shape of a webhook's {@code tlsConfig}. With
   * {@code insecureSkipVerify} any certificate is accepted and {@code ca} is not used (a notice
   * says so); otherwise {@code ca}, when set, is the only trusted root (a v1alpha1 {@code
   * EmailConfig} requires it; without it, in a v2beta2 block, the JVM's trusted roots are used);
   * {@code cert} and {@code key} (a client certificate) go together.
   *
   * @param ca the trusted root certificate (PEM); {@code null} for the JVM's trusted roots
   * @param cert the client certificate (PEM); {@code null} when none
   * @param key the client certificate's private key (PEM); {@code null} when none
   * @param serverName the host name to verify the certificate against instead of {@code
   *     smartHost.host}; {@code null} when absent
   * @param insecureSkipVerify whether to accept any certificate
   */
  public record Tls(
      @Nullable SecretKeySelector ca,
      @Nullable SecretKeySelector cert,
      @Nullable SecretKeySelector key,
      @Nullable String serverName,
      boolean insecureSkipVerify) {

    public Tls {
      if ((cert == null) != (key == null)) {
        throw new IllegalArgumentException("cert and key go together");
      }
    }

    void putSecretRefs(String path, Map<String, SecretKeySelector> refs) {
      // Not read without verification, so a missing CA secret keeps nothing from sending.
      if (ca != null && !insecureSkipVerify) {
        refs.put(path + ".ca", ca);
      }
      if (cert != null) {
        refs.put(path + ".cert", cert);
      }
      if (key != null) {
        refs.put(path + ".key", key);
      }
    }
  }
}
