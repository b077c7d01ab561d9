package io.nm4j.k8s.crd;

import org.jspecify.annotations.Nullable;

/**
 * TLS settings of an outgoing connection; the certificates and key come from Secrets.
 *
 * @param ca the only trusted root when set
 * @param cert client certificate, together with {@code key}
 * @param key client key, together with {@code cert}
 * @param serverName the name to verify the server's certificate against
 * @param insecureSkipVerify skip verification; excludes ca, cert and key
 */
public record TlsConfig(
    @Nullable SecretKeySelector ca,
    @Nullable SecretKeySelector cert,
    @Nullable SecretKeySelector key,
    @Nullable String serverName,
    @Nullable Boolean insecureSkipVerify) {}
