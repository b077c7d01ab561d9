package io.nm4j.http;

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
 */
public record HttpSettings(
    @Nullable Duration connectTimeout,
    @Nullable Duration readTimeout,
    @Nullable Duration writeTimeout,
    @Nullable Duration callTimeout,
    @Nullable String proxyUrl,
    @Nullable TlsSettings tls,
    @Nullable HttpAuth auth) {

  /** The base client as it is. */
  public static final HttpSettings DEFAULTS =
      new HttpSettings(null, null, null, null, null, null, null);

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
        .auth(auth);
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

    public HttpSettings build() {
      return new HttpSettings(
          connectTimeout, readTimeout, writeTimeout, callTimeout, proxyUrl, tls, auth);
    }
  }
}
