package io.nm4j.http;

import io.nm4j.spi.EgressPolicy;
import io.nm4j.spi.SendRequest;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What distinguishes one config's client from the shared base client. Equal settings share one
 * client (and its connections).
 *
 * @param connectTimeout connect timeout; {@code null} keeps the factory's
 * @param readTimeout read timeout; {@code null} keeps the factory's
 * @param writeTimeout write timeout; {@code null} keeps the factory's
 * @param callTimeout whole-call timeout; {@code null} keeps the factory's (a request's deadline
 *     still bounds each call, see {@link HttpOutcomes#execute})
 * @param proxyUrl an HTTP proxy, {@code http://host:port}; {@code null} connects directly
 * @param tls TLS settings; {@code null} verifies against the JVM's trust store
 * @param auth authentication added to every request; {@code null} for none
 * @param egress the addresses the client may connect to, checked after DNS resolution for every
 *     connection (the target, a proxy, a redirect's target); {@code null} for no restriction
 * @param origin the value of the {@link SendRequest#ORIGIN_HEADER} header added to every request (a
 *     send's {@link SendRequest#origin()}); {@code null} or empty for none
 */
public record HttpSettings(
    @Nullable Duration connectTimeout,
    @Nullable Duration readTimeout,
    @Nullable Duration writeTimeout,
    @Nullable Duration callTimeout,
    @Nullable String proxyUrl,
    @Nullable TlsSettings tls,
    @Nullable HttpAuth auth,
    @Nullable EgressPolicy egress,
    @Nullable String origin) {

  /** The base client as it is. */
  public static final HttpSettings DEFAULTS =
      new HttpSettings(null, null, null, null, null, null, null, null, null);

  public HttpSettings {
    if (egress != null && egress.isUnrestricted()) {
      egress = null; // one client for every unrestricted config
    }
    if (origin != null && origin.isEmpty()) {
      origin = null;
    }
  }

  /** Settings for a send: its egress policy and origin mark, nothing else yet. */
  public static Builder forSend(SendRequest<?, ?> request) {
    return builder().egress(request.egress()).origin(request.origin());
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .connectTimeout(connectTimeout)
        .readTimeout(readTimeout)
        .writeTimeout(writeTimeout)
        .callTimeout(callTimeout)
        .proxyUrl(proxyUrl)
        .tls(tls)
        .auth(auth)
        .egress(egress)
        .origin(origin);
  }

  /** Builds {@link HttpSettings}; every value is optional. */
  public static final class Builder {
    private @Nullable Duration connectTimeout;
    private @Nullable Duration readTimeout;
    private @Nullable Duration writeTimeout;
    private @Nullable Duration callTimeout;
    private @Nullable String proxyUrl;
    private @Nullable TlsSettings tls;
    private @Nullable HttpAuth auth;
    private @Nullable EgressPolicy egress;
    private @Nullable String origin;

    private Builder() {}

    public Builder connectTimeout(@Nullable Duration value) {
      this.connectTimeout = value;
      return this;
    }

    public Builder readTimeout(@Nullable Duration value) {
      this.readTimeout = value;
      return this;
    }

    public Builder writeTimeout(@Nullable Duration value) {
      this.writeTimeout = value;
      return this;
    }

    public Builder callTimeout(@Nullable Duration value) {
      this.callTimeout = value;
      return this;
    }

    public Builder proxyUrl(@Nullable String value) {
      this.proxyUrl = value == null || value.isBlank() ? null : value;
      return this;
    }

    public Builder tls(@Nullable TlsSettings value) {
      this.tls = value;
      return this;
    }

    public Builder auth(@Nullable HttpAuth value) {
      this.auth = value;
      return this;
    }

    public Builder egress(@Nullable EgressPolicy value) {
      this.egress = value;
      return this;
    }

    public Builder origin(@Nullable String value) {
      this.origin = value;
      return this;
    }

    public HttpSettings build() {
      return new HttpSettings(
          connectTimeout,
          readTimeout,
          writeTimeout,
          callTimeout,
          proxyUrl,
          tls,
          auth,
          egress,
          origin);
    }
  }
}
