package io.nm4j.spi;

import org.jspecify.annotations.Nullable;

/**
 * A {@code tls}/{@code tlsConfig} object as manifests write it, with its key material as secret
 * references: notification-manager's v1alpha1 names ({@code ca}, {@code cert}, {@code key}) or its
 * later and v2beta2 names ({@code rootCA}, {@code clientCertificate: {cert, key}}), one spelling or
 * the other, plus {@code serverName} and {@code insecureSkipVerify}. One reading for every channel
 * that connects over TLS, so the rules cannot drift apart.
 *
 * @param ca the trusted root certificate (PEM); {@code null} trusts the JVM's roots
 * @param cert the client certificate (PEM); {@code null} when none
 * @param key the client certificate's private key (PEM); {@code null} when none
 * @param serverName the host name the server's certificate must name instead of the host connected
 *     to; {@code null} when absent
 * @param insecureSkipVerify whether any server certificate is accepted
 */
public record TlsReferences(
    @Nullable SecretKeySelector ca,
    @Nullable SecretKeySelector cert,
    @Nullable SecretKeySelector key,
    @Nullable String serverName,
    boolean insecureSkipVerify) {

  /**
   * Reads a TLS object, reporting every problem on {@code tls}: both spellings of one field; {@code
   * cert} without {@code key} or the reverse; and, when {@code caRequired} (nm4j's v1alpha1 rules:
   * the CA is the only trusted root), no CA without {@code insecureSkipVerify} and key material
   * with it. Otherwise (notification-manager's v2beta2 blocks), as Go's {@code InsecureSkipVerify}
   * does there, a CA given with {@code insecureSkipVerify} is accepted and not used (see {@link
   * #unusedCa}) and a client certificate is still presented.
   */
  public static TlsReferences read(SpecReader tls, boolean caRequired) {
    if (tls.has("ca") && tls.has("rootCA")) {
      tls.error("rootCA", "give ca or its other spelling rootCA, not both");
    }
    SecretKeySelector ca = tls.has("rootCA") ? tls.secretRef("rootCA") : tls.secretRef("ca");
    SpecReader client = tls.object("clientCertificate");
    if (client != null && (tls.has("cert") || tls.has("key"))) {
      tls.error("clientCertificate", "give cert and key or clientCertificate, not both");
    }
    SpecReader pair = client != null ? client : tls;
    SecretKeySelector cert = pair.secretRef("cert");
    SecretKeySelector key = pair.secretRef("key");
    String serverName = tls.string("serverName");
    boolean insecure = tls.bool("insecureSkipVerify", false);
    if (insecure && caRequired) {
      for (String field : new String[] {"ca", "rootCA", "cert", "key", "clientCertificate"}) {
        if (tls.has(field)) {
          tls.error(field, "must not be set when insecureSkipVerify is true");
        }
      }
    } else {
      if (!insecure && caRequired && !tls.has("ca") && !tls.has("rootCA")) {
        tls.error(
            "ca", "is required unless insecureSkipVerify is true (it is the only trusted root)");
      }
      if (pair.has("cert") && !pair.has("key")) {
        pair.error("key", "is required when cert is set (a client certificate needs its key)");
      }
      if (pair.has("key") && !pair.has("cert")) {
        pair.error("cert", "is required when key is set (a client certificate needs its key)");
      }
    }
    return new TlsReferences(
        ca, cert, key, serverName == null || serverName.isBlank() ? null : serverName, insecure);
  }

  /**
   * The notice for a CA given together with {@code insecureSkipVerify}, at {@code path} (the TLS
   * object's path in the spec, e.g. {@code spec.tls}); {@code null} when there is nothing to say.
   */
  public static @Nullable FieldError unusedCa(
      String path, @Nullable SecretKeySelector ca, boolean insecureSkipVerify) {
    return insecureSkipVerify && ca != null
        ? new FieldError(
            path + ".rootCA",
            "not used: insecureSkipVerify is true, so the server's certificate is not verified"
                + " (a client certificate is still presented)")
        : null;
  }
}
