package io.nm4j.http;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.nm4j.http.internal.AuthInterceptor;
import io.nm4j.http.internal.EgressDns;
import io.nm4j.http.internal.LoggingInterceptor;
import io.nm4j.http.internal.NoDelaySocketFactory;
import io.nm4j.http.internal.Tls;
import io.nm4j.spi.SendRequest;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.net.SocketFactory;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;

/**
 * The one source of OkHttp clients for HTTP channels. It holds one base client (connection pool,
 * dispatcher threads) and derives a client per {@link HttpSettings} with {@link
 * OkHttpClient#newBuilder()}, so every derived client shares the pool and threads. Derived clients
 * are cached by their settings, so a config keeps reusing its client and its connections; a config
 * whose secrets change gets a new client, and the least recently used ones fall out of the cache.
 *
 * <p>No client follows redirects: {@link HttpOutcomes} reports a {@code 3xx} as a permanent failure
 * naming where it pointed.
 *
 * <p>Thread-safe. {@link #close()} shuts down the shared pool and dispatcher.
 */
public final class HttpClientFactory implements AutoCloseable {
  /** How long an idle connection is kept: OkHttp's default. */
  private static final Duration KEEP_ALIVE = Duration.ofMinutes(5);

  /**
   * Idle connections kept by default. OkHttp keeps 5, fewer than the dispatcher's workers send on
   * at once: under load every send beyond the fifth returned its connection only to have it closed,
   * and the next send to that endpoint connected again (a TCP handshake per webhook call in the
   * load harness).
   */
  public static final int DEFAULT_MAX_IDLE_CONNECTIONS = 64;

  private final OkHttpClient base;
  private final boolean ownsBase;
  private final Map<HttpSettings, OkHttpClient> cache;

  private HttpClientFactory(Builder b) {
    OkHttpClient.Builder builder =
        b.base != null
            ? b.base.newBuilder()
            : new OkHttpClient.Builder()
                .connectionPool(
                    new ConnectionPool(b.maxIdleConnections, KEEP_ALIVE.toMillis(), MILLISECONDS));
    this.ownsBase = b.base == null;
    this.base =
        builder
            .connectTimeout(b.connectTimeout)
            .readTimeout(b.readTimeout)
            .writeTimeout(b.writeTimeout)
            .callTimeout(b.callTimeout)
            .socketFactory(new NoDelaySocketFactory(SocketFactory.getDefault()))
            // A redirected POST comes back as a GET without its body, and the 2xx of whatever
            // page it lands on would count as delivered: a 3xx is an outcome, never followed.
            .followRedirects(false)
            .followSslRedirects(false)
            .addInterceptor(new LoggingInterceptor())
            .build();
    int max = b.maxCachedClients;
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<HttpSettings, OkHttpClient> eldest) {
            return size() > max;
          }
        };
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A factory with the default timeouts. */
  public static HttpClientFactory create() {
    return builder().build();
  }

  /** The shared base client, without per-config settings. */
  public OkHttpClient base() {
    return base;
  }

  /**
   * The client for these settings, the same instance each time while it stays cached.
   *
   * @throws IllegalArgumentException when the proxy URL or the TLS material is not usable; the
   *     message names the part (proxyUrl, ca, cert, key) and never holds secret content
   */
  public OkHttpClient client(HttpSettings settings) {
    Objects.requireNonNull(settings, "settings");
    if (settings.equals(HttpSettings.DEFAULTS)) {
      return base;
    }
    synchronized (cache) {
      OkHttpClient cached = cache.get(settings);
      if (cached != null) {
        return cached;
      }
    }
    // Built outside the lock: parsing keys is slow and another thread may want another config.
    OkHttpClient built = derive(settings);
    synchronized (cache) {
      return cache.computeIfAbsent(settings, s -> built);
    }
  }

  private OkHttpClient derive(HttpSettings s) {
    OkHttpClient.Builder b = base.newBuilder();
    if (s.connectTimeout() != null) {
      b.connectTimeout(s.connectTimeout());
    }
    if (s.readTimeout() != null) {
      b.readTimeout(s.readTimeout());
    }
    if (s.writeTimeout() != null) {
      b.writeTimeout(s.writeTimeout());
    }
    if (s.callTimeout() != null) {
      b.callTimeout(s.callTimeout());
    }
    if (s.proxyUrl() != null) {
      b.proxy(proxy(s.proxyUrl()));
    }
    if (s.tls() != null) {
      Tls.apply(b, s.tls());
    }
    if (s.auth() != null) {
      // Before the logging interceptor would be wrong only if it logged headers; it does not.
      b.interceptors().add(0, new AuthInterceptor(s.auth()));
    }
    if (s.origin() != null) {
      String origin = s.origin();
      // A channel that builds its request with the mark (the webhook channel, once per send) saves
      // the copy of the request; every other request still gets it here.
      b.interceptors()
          .add(
              0,
              chain -> {
                Request request = chain.request();
                // Every value counts: a request carrying a forged mark beside the right one
                // would reach intake with both.
                return chain.proceed(
                    List.of(origin).equals(request.headers(SendRequest.ORIGIN_HEADER))
                        ? request
                        : request.newBuilder().header(SendRequest.ORIGIN_HEADER, origin).build());
              });
    }
    if (s.egress() != null) {
      // Every socket OkHttp connects (the target, a proxy and each resolved address it tries)
      // comes from here, so the policy sees the address actually connected.
      b.socketFactory(new NoDelaySocketFactory(s.egress().socketFactory()));
      b.dns(new EgressDns(s.egress()));
    }
    return b.build();
  }

  /** Parses {@code http://host:port}; the port defaults to 80. */
  static Proxy proxy(String proxyUrl) {
    URI uri;
    try {
      uri = new URI(proxyUrl);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("proxyUrl: not a URL", e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") || uri.getHost() == null) {
      throw new IllegalArgumentException("proxyUrl: must be http://host:port");
    }
    int port = uri.getPort() == -1 ? 80 : uri.getPort();
    return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(uri.getHost(), port));
  }

  /** Number of derived clients cached now. */
  public int cachedClients() {
    synchronized (cache) {
      return cache.size();
    }
  }

  /**
   * Closes idle connections and stops the dispatcher's threads, unless the base client came from
   * the host ({@link Builder#base}), whose pool and threads stay the host's to manage.
   */
  @Override
  public void close() {
    synchronized (cache) {
      cache.clear();
    }
    if (!ownsBase) {
      return;
    }
    base.dispatcher().executorService().shutdown();
    base.connectionPool().evictAll();
  }

  /** Builds an {@link HttpClientFactory}. */
  public static final class Builder {
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(30);
    private Duration writeTimeout = Duration.ofSeconds(30);
    private Duration callTimeout = Duration.ZERO;
    private int maxCachedClients = 256;
    private int maxIdleConnections = DEFAULT_MAX_IDLE_CONNECTIONS;
    private @Nullable OkHttpClient base;

    private Builder() {}

    public Builder connectTimeout(Duration value) {
      this.connectTimeout = Objects.requireNonNull(value);
      return this;
    }

    public Builder readTimeout(Duration value) {
      this.readTimeout = Objects.requireNonNull(value);
      return this;
    }

    public Builder writeTimeout(Duration value) {
      this.writeTimeout = Objects.requireNonNull(value);
      return this;
    }

    /** Whole-call timeout of every client; zero (the default) leaves it to each deadline. */
    public Builder callTimeout(Duration value) {
      this.callTimeout = Objects.requireNonNull(value);
      return this;
    }

    /** How many derived clients to keep; each holds only settings, connections are shared. */
    public Builder maxCachedClients(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxCachedClients must be at least 1");
      }
      this.maxCachedClients = value;
      return this;
    }

    /**
     * Idle connections the shared pool keeps, over all endpoints, each for up to five minutes
     * (default {@value HttpClientFactory#DEFAULT_MAX_IDLE_CONNECTIONS}); ignored with a host's
     * {@link #base}, whose pool stays the host's.
     */
    public Builder maxIdleConnections(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("maxIdleConnections must not be negative");
      }
      this.maxIdleConnections = value;
      return this;
    }

    /** A host's own client to derive from, e.g. to share its pool or add its interceptors. */
    public Builder base(OkHttpClient value) {
      this.base = Objects.requireNonNull(value);
      return this;
    }

    public HttpClientFactory build() {
      return new HttpClientFactory(this);
    }
  }
}
