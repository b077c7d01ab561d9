package io.nm4j.channel.webhook;

import io.nm4j.spi.ConfigSpec;
import io.nm4j.spi.Endpoint;
import io.nm4j.spi.FieldError;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.TlsReferences;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The spec of a {@code WebhookConfig}: where to POST (a URL or a Kubernetes service, exactly one)
 * and how (authentication, proxy, TLS). Build it with {@link WebhookChannelProvider#parseConfig},
 * which validates every rule.
 *
 * @param url an absolute http(s) URL without user info, query or fragment
 * @param service a Kubernetes service to POST to instead of a URL
 * @param httpConfig authentication, proxy and TLS; {@code null} for none
 */
public record WebhookConfig(
    @Nullable String url, @Nullable Service service, @Nullable HttpConfig httpConfig)
    implements ConfigSpec {

  public static final String BASIC_AUTH_PASSWORD = "spec.httpConfig.basicAuth.password";
  public static final String BEARER_TOKEN = "spec.httpConfig.bearerToken";
  public static final String TLS_CA = "spec.httpConfig.tlsConfig.ca";
  public static final String TLS_CERT = "spec.httpConfig.tlsConfig.cert";
  public static final String TLS_KEY = "spec.httpConfig.tlsConfig.key";

  public WebhookConfig {
    if ((url == null) == (service == null)) {
      throw new IllegalArgumentException("exactly one of url and service must be set");
    }
  }

  /** The URL requests go to: {@link #url} or {@code scheme://name.namespace.svc:port/path}. */
  public String targetUrl() {
    if (url != null) {
      return url;
    }
    Service s = Objects.requireNonNull(service);
    return s.scheme() + "://" + s.name() + "." + s.namespace() + ".svc:" + s.port() + s.path();
  }

  @Override
  public Map<String, SecretKeySelector> secretRefs() {
    if (httpConfig == null) {
      return Map.of();
    }
    if (httpConfig.basicAuth() == null && httpConfig.tlsConfig() == null) {
      // The usual config, a token or nothing, without a map to fill: a build checks every one.
      SecretKeySelector token = httpConfig.bearerToken();
      return token == null ? Map.of() : Map.of(BEARER_TOKEN, token);
    }
    Map<String, SecretKeySelector> refs = new LinkedHashMap<>();
    if (httpConfig.basicAuth() != null && httpConfig.basicAuth().password() != null) {
      refs.put(BASIC_AUTH_PASSWORD, httpConfig.basicAuth().password());
    }
    putIfSet(refs, BEARER_TOKEN, httpConfig.bearerToken());
    TlsConfig tls = httpConfig.tlsConfig();
    if (tls != null) {
      if (!tls.insecureSkipVerify()) {
        // Not read without verification, so a missing CA secret keeps nothing from sending.
        putIfSet(refs, TLS_CA, tls.ca());
      }
      putIfSet(refs, TLS_CERT, tls.cert());
      putIfSet(refs, TLS_KEY, tls.key());
    }
    return Collections.unmodifiableMap(refs);
  }

  /** A CA given with {@code insecureSkipVerify}: accepted, not used. */
  @Override
  public List<FieldError> notices() {
    TlsConfig tls = httpConfig == null ? null : httpConfig.tlsConfig();
    FieldError unused =
        tls == null
            ? null
            : TlsReferences.unusedCa(
                "spec.httpConfig.tlsConfig", tls.ca(), tls.insecureSkipVerify());
    return unused == null ? List.of() : List.of(unused);
  }

  @Override
  public Map<String, Endpoint> endpoints() {
    Map<String, Endpoint> out = new LinkedHashMap<>();
    Endpoint target = url != null ? Endpoint.ofUrl(uri(url)) : null;
    if (target != null) {
      out.put("spec.url", target);
    }
    if (httpConfig != null && httpConfig.proxyUrl() != null) {
      Endpoint proxy = Endpoint.ofUrl(uri(httpConfig.proxyUrl()));
      if (proxy != null) {
        out.put("spec.httpConfig.proxyUrl", proxy);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  private static @Nullable URI uri(String text) {
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      return null; // parsing reports it
    }
  }

  private static void putIfSet(
      Map<String, SecretKeySelector> refs, String path, @Nullable SecretKeySelector ref) {
    if (ref != null) {
      refs.put(path, ref);
    }
  }

  /**
   * A Kubernetes service as the target.
   *
   * @param namespace the service's namespace
   * @param name the service's name
   * @param path the path, {@code ""} or starting with {@code /}
   * @param port the port, 443 by default
   * @param scheme {@code http} (the default) or {@code https}
   */
  public record Service(String namespace, String name, String path, int port, String scheme) {
    public Service {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(scheme, "scheme");
    }
  }

  /**
   * How to reach the target.
   *
   * @param basicAuth HTTP basic authentication; not with {@code bearerToken}
   * @param bearerToken a token sent as {@code Authorization: Bearer <token>}
   * @param proxyUrl an HTTP proxy, {@code http://host:port}
   * @param tlsConfig TLS; {@code null} verifies against the JVM's trust store
   */
  public record HttpConfig(
      @Nullable BasicAuth basicAuth,
      @Nullable SecretKeySelector bearerToken,
      @Nullable String proxyUrl,
      @Nullable TlsConfig tlsConfig) {}

  /**
   * HTTP basic authentication.
   *
   * @param username the user name
   * @param password the secret holding the password; {@code null} sends an empty password
   */
  public record BasicAuth(String username, @Nullable SecretKeySelector password) {
    public BasicAuth {
      Objects.requireNonNull(username, "username");
    }
  }

  /**
   * TLS of the connection.
   *
   * @param ca the secret holding the PEM CA certificate, the only trusted root; not used with
   *     {@code insecureSkipVerify}
   * @param cert the secret holding the PEM client certificate (with {@code key})
   * @param key the secret holding the PEM client key (PKCS#8 or PKCS#1 RSA)
   * @param serverName the name to verify the server's certificate against
   * @param insecureSkipVerify accept any certificate; a client certificate is still presented
   */
  public record TlsConfig(
      @Nullable SecretKeySelector ca,
      @Nullable SecretKeySelector cert,
      @Nullable SecretKeySelector key,
      @Nullable String serverName,
      boolean insecureSkipVerify) {}
}
