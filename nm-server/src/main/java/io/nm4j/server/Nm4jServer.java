package io.nm4j.server;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.admin.AdminService;
import io.nm4j.core.admin.Authenticator;
import io.nm4j.core.metrics.NotificationMetrics;
import io.nm4j.server.internal.Access;
import io.nm4j.server.internal.AdminHttpHandler;
import io.nm4j.server.internal.HttpListener;
import io.nm4j.server.internal.IntakeHandler;
import io.nm4j.server.internal.IntakeTokens;
import io.nm4j.server.internal.Tls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nm4j HTTP server on Jetty, around a {@link NotificationManager}: {@code
 * Nm4jServer.builder().manager(nm)...build().start()}. Two listeners, each with its own threads,
 * connection cap and timeouts, so neither can starve the other:
 *
 * <ul>
 *   <li>the intake listener ({@link Builder#listen}, default 127.0.0.1:19093): {@code POST
 *       /api/v2/alerts} (Alertmanager; 200 once accepted, 400 malformed, 401 without the intake
 *       token when one is configured, 413 too large, 503 when full or stopping, 508 for a batch
 *       carrying the manager's own {@linkplain NotificationManager#origin() origin mark}), the data
 *       endpoints {@code POST /api/v2/explain}, {@code POST /api/v2/render} and {@code GET
 *       /api/v2/deliveries} (a caller is required; a tenant sees only its own receivers), {@code
 *       GET /metrics}, {@code /healthz}, {@code /readyz} (503 while stopping or while the
 *       configuration source has failed for longer than {@link Builder#readyStaleAfter}), and the
 *       demo receiver {@code /sink};
 *   <li>with an {@link AdminService}, the admin listener ({@link Builder#adminListen}, default
 *       127.0.0.1:19094) serving the admin API under {@value AdminHttpHandler#PREFIX}.
 * </ul>
 *
 * <p>Callers are established by the authenticators; without any, the data endpoints and the admin
 * API serve loopback callers only, as admins. {@link #close()} stops intake, lets requests being
 * handled finish for up to {@link #HANDLER_STOP_WAIT}, and closes both listeners; the manager is
 * the caller's to close.
 *
 * <p>Tenants' configs must not reach this server's own listeners: give the manager a tenant egress
 * policy that denies their ports ({@code EgressPolicy.Builder.denyLocalPort}). When a port is
 * chosen at bind time (port 0), {@link #bind} it first, build the manager with the port bound, and
 * hand the bound channel to {@link Builder#listen(ServerSocketChannel)}, as {@code nm4j serve}
 * does.
 */
public final class Nm4jServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Nm4jServer.class);

  /** How long {@link #close()} waits for requests being handled. */
  public static final Duration HANDLER_STOP_WAIT = Duration.ofSeconds(5);

  /** Default largest accepted alert body. */
  public static final int DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

  /** Default most batches waiting to be stored at once: the default connection cap. */
  public static final int DEFAULT_INTAKE_MAX_WAITING = 1024;

  /** Where the intake listens unless told otherwise. */
  public static final InetSocketAddress DEFAULT_LISTEN = new InetSocketAddress("127.0.0.1", 19093);

  /** Where the admin API listens unless told otherwise. */
  public static final InetSocketAddress DEFAULT_ADMIN_LISTEN =
      new InetSocketAddress("127.0.0.1", 19094);

  /** How long the configuration source may fail before {@code /readyz} answers 503. */
  public static final Duration DEFAULT_READY_STALE_AFTER = Duration.ofMinutes(2);

  private final Builder settings;
  private final PrometheusMeterRegistry registry;
  private final IntakeHandler intake;
  private final @Nullable Tls tls;
  private final ThreadPoolExecutor verifier;
  private @Nullable HttpListener intakeListener;
  private @Nullable HttpListener adminListener;

  private Nm4jServer(Builder b) {
    this.settings = b;
    NotificationManager manager = Objects.requireNonNull(b.manager, "manager");
    // first: the only step that can fail, before anything needs closing
    this.tls = b.tlsFiles == null ? null : new Tls(b.tlsFiles, b.tlsReloadInterval);
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new NotificationMetrics(manager).bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    Access access = new Access(b.authenticators, b.admin);
    this.intake =
        new IntakeHandler(
            manager,
            registry,
            access,
            b.intakeTokenFile == null ? null : new IntakeTokens(b.intakeTokenFile),
            b.metricsAuth,
            b.maxBodyBytes,
            b.intakeMaxWaiting,
            b.readyStaleAfter);
    AtomicInteger n = new AtomicInteger();
    // No queue: a verify beyond the bound is refused (429) rather than waiting on a request.
    this.verifier =
        new ThreadPoolExecutor(
            b.verifyConcurrency,
            b.verifyConcurrency,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "nm4j-verify-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    verifier.allowCoreThreadTimeOut(true);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds a listening socket now, before the server exists: for a host that must know the port
   * (asked as 0) to build its manager, whose tenant egress policy denies it. Hand it to {@link
   * Builder#listen(ServerSocketChannel)} or {@link Builder#adminListen(ServerSocketChannel)}; the
   * server closes it.
   *
   * @throws IOException when the address cannot be bound
   */
  public static ServerSocketChannel bind(InetSocketAddress address) throws IOException {
    ServerSocketChannel channel = ServerSocketChannel.open();
    try {
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      channel.bind(address);
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Binds both listeners and starts serving. When the second cannot bind, the first is closed again
   * before this throws.
   *
   * @return this server
   * @throws IOException when an address cannot be bound
   */
  public Nm4jServer start() throws IOException {
    if (intakeListener != null) {
      throw new IllegalStateException("already started");
    }
    try {
      intakeListener =
          HttpListener.start(
              listenerSettings(
                  "intake", settings.listen, settings.listenChannel, settings.intakeThreads),
              intake);
      if (settings.admin != null) {
        HttpListener.Settings s =
            listenerSettings(
                "admin", settings.adminListen, settings.adminListenChannel, settings.adminThreads);
        AdminHttpHandler handler =
            new AdminHttpHandler(
                settings.admin,
                new Access(settings.authenticators, settings.admin),
                verifier,
                settings.verifyTimeout);
        adminListener = HttpListener.start(s, handler);
        if (settings.authenticators.isEmpty()) {
          log.warn("admin API: no authenticator configured; it serves loopback callers only");
        }
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
    return this;
  }

  private HttpListener.Settings listenerSettings(
      String name, InetSocketAddress address, @Nullable ServerSocketChannel bound, int threads) {
    return new HttpListener.Settings(
        name,
        address,
        bound,
        threads,
        settings.maxConnections,
        settings.maxHeaderBytes,
        settings.idleTimeout,
        settings.headerTimeout,
        settings.requestTimeout,
        HANDLER_STOP_WAIT,
        tls);
  }

  /** Where the intake listens (with the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return Objects.requireNonNull(intakeListener, "not started").address();
  }

  /** Where the admin API listens; {@code null} without an admin service. */
  public @Nullable InetSocketAddress adminAddress() {
    return adminListener == null ? null : adminListener.address();
  }

  /** Whether the listeners speak TLS. */
  public boolean tls() {
    return tls != null;
  }

  /** Alerts the demo sink has received. */
  public long sinkAlerts() {
    return intake.sinkAlerts();
  }

  /** Stops taking alerts: intake answers 503 from now on, so senders retry elsewhere or later. */
  public void stopIntake() {
    intake.stopIntake();
  }

  /** Stops intake and both listeners; the manager is the caller's to close. */
  @Override
  public void close() {
    intake.stopIntake();
    // a test notification still waiting for its remote is interrupted, so its request answers
    verifier.shutdownNow();
    for (HttpListener l : new HttpListener[] {adminListener, intakeListener}) {
      if (l != null) {
        l.close();
      }
    }
    adminListener = null;
    intakeListener = null;
    // channels bound by the host and never handed to a listener (a start that failed early)
    for (ServerSocketChannel c :
        new ServerSocketChannel[] {settings.listenChannel, settings.adminListenChannel}) {
      closeQuietly(c);
    }
    if (tls != null) {
      tls.close();
    }
    registry.close();
  }

  private static void closeQuietly(@Nullable ServerSocketChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        log.debug("closing a listening channel failed", e);
      }
    }
  }

  /** Builds an {@link Nm4jServer}; every setting has a default but the manager. */
  public static final class Builder {
    private @Nullable NotificationManager manager;
    private InetSocketAddress listen = DEFAULT_LISTEN;
    private @Nullable ServerSocketChannel listenChannel;
    private InetSocketAddress adminListen = DEFAULT_ADMIN_LISTEN;
    private @Nullable ServerSocketChannel adminListenChannel;
    private Duration readyStaleAfter = DEFAULT_READY_STALE_AFTER;
    private @Nullable AdminService admin;
    private final List<Authenticator> authenticators = new ArrayList<>();
    private @Nullable Path intakeTokenFile;
    private boolean metricsAuth;
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private int intakeThreads = 16;
    private int intakeMaxWaiting = DEFAULT_INTAKE_MAX_WAITING;
    private int adminThreads = 8;
    private int verifyConcurrency = 4;
    private Duration verifyTimeout = Duration.ofSeconds(40);
    private int maxConnections = 1024;
    private int maxHeaderBytes = 8 * 1024;
    private Duration idleTimeout = Duration.ofSeconds(30);
    private Duration headerTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(60);
    private Tls.@Nullable Files tlsFiles;
    private Duration tlsReloadInterval = Duration.ofSeconds(10);

    private Builder() {}

    public Builder manager(NotificationManager manager) {
      this.manager = Objects.requireNonNull(manager, "manager");
      return this;
    }

    /** Where the intake listens (default 127.0.0.1:19093; port 0 picks a free one). */
    public Builder listen(InetSocketAddress address) {
      this.listen = Objects.requireNonNull(address, "address");
      this.listenChannel = null;
      return this;
    }

    /** The intake listens on a channel already {@linkplain #bind bound}; the server closes it. */
    public Builder listen(ServerSocketChannel bound) {
      this.listenChannel = Objects.requireNonNull(bound, "bound");
      this.listen = boundAddress(bound);
      return this;
    }

    /** Serves the admin API on its own listener. */
    public Builder admin(AdminService service) {
      this.admin = Objects.requireNonNull(service, "service");
      return this;
    }

    /** Where the admin API listens (default 127.0.0.1:19094; port 0 picks a free one). */
    public Builder adminListen(InetSocketAddress address) {
      this.adminListen = Objects.requireNonNull(address, "address");
      this.adminListenChannel = null;
      return this;
    }

    /**
     * The admin API listens on a channel already {@linkplain #bind bound}; the server closes it.
     */
    public Builder adminListen(ServerSocketChannel bound) {
      this.adminListenChannel = Objects.requireNonNull(bound, "bound");
      this.adminListen = boundAddress(bound);
      return this;
    }

    /**
     * How long the configuration source may go without a complete view while failing before {@code
     * /readyz} answers 503 (default 2 minutes): a directory that can no longer be read, a
     * Kubernetes informer that stopped. The last good configuration keeps routing meanwhile.
     */
    public Builder readyStaleAfter(Duration bound) {
      Objects.requireNonNull(bound, "bound");
      if (bound.isNegative() || bound.isZero()) {
        throw new IllegalArgumentException("readyStaleAfter must be positive, was " + bound);
      }
      this.readyStaleAfter = bound;
      return this;
    }

    private static InetSocketAddress boundAddress(ServerSocketChannel channel) {
      try {
        if (channel.getLocalAddress() instanceof InetSocketAddress a) {
          return a;
        }
      } catch (IOException e) {
        throw new IllegalArgumentException("the channel is closed", e);
      }
      throw new IllegalArgumentException("the channel is not bound to an IP address");
    }

    /**
     * Establish callers of the data endpoints and the admin API, tried in order. Without any, only
     * loopback callers are served, as admins.
     */
    public Builder authenticators(List<Authenticator> authenticators) {
      this.authenticators.clear();
      this.authenticators.addAll(authenticators);
      return this;
    }

    /**
     * Intake needs one of the bearer tokens in {@code file} (one per line, reloaded on change; a
     * missing or empty file refuses everything). Default: intake is open.
     */
    public Builder intakeTokenFile(Path file) {
      this.intakeTokenFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /** Serves {@code /metrics} only to admin callers (default: open, as Prometheus scrapes it). */
    public Builder metricsAuth(boolean required) {
      this.metricsAuth = required;
      return this;
    }

    /** Largest accepted alert body (default 10 MiB); larger ones get 413. */
    public Builder maxBodyBytes(int maxBodyBytes) {
      this.maxBodyBytes = positive(maxBodyBytes, "maxBodyBytes");
      return this;
    }

    /** Threads handling intake requests (default 16). */
    public Builder intakeThreads(int threads) {
      this.intakeThreads = positive(threads, "intakeThreads");
      return this;
    }

    /**
     * Batches read and waiting to be stored at once (default {@value
     * Nm4jServer#DEFAULT_INTAKE_MAX_WAITING}); more get 503 with {@code Retry-After}. Intake
     * answers a batch when the journal has it without holding a thread meanwhile, so this, not the
     * intake threads, bounds what waits.
     */
    public Builder intakeMaxWaiting(int batches) {
      this.intakeMaxWaiting = positive(batches, "intakeMaxWaiting");
      return this;
    }

    /** Threads handling admin API requests (default 8). */
    public Builder adminThreads(int threads) {
      this.adminThreads = positive(threads, "adminThreads");
      return this;
    }

    /** Test notifications ({@code /verify}) sent at once; more get 429 (default 4). */
    public Builder verifyConcurrency(int concurrency) {
      this.verifyConcurrency = positive(concurrency, "verifyConcurrency");
      return this;
    }

    /** How long {@code /verify} waits for its send before answering 504 (default 40 s). */
    public Builder verifyTimeout(Duration timeout) {
      this.verifyTimeout = timeout;
      return this;
    }

    /** Most open connections per listener; more wait to be accepted (default 1024). */
    public Builder maxConnections(int connections) {
      this.maxConnections = positive(connections, "maxConnections");
      return this;
    }

    /** Largest request header (default 8 KiB); larger ones get 431. */
    public Builder maxHeaderBytes(int bytes) {
      this.maxHeaderBytes = positive(bytes, "maxHeaderBytes");
      return this;
    }

    /** How long a connection may be silent before it is closed (default 30 s). */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** How soon a new connection must have sent a request header (default 10 s). */
    public Builder headerTimeout(Duration timeout) {
      this.headerTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** How soon a request's body must have arrived after its header (default 60 s); then 408. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * TLS on both listeners from PEM files; with {@code clientCa}, clients must present a
     * certificate it signed (mutual TLS). The files are reloaded when they change.
     */
    public Builder tls(Path certificate, Path key, @Nullable Path clientCa) {
      this.tlsFiles = new Tls.Files(certificate, key, clientCa);
      return this;
    }

    /** How often the TLS files are checked for a change (default 10 s). */
    public Builder tlsReloadInterval(Duration interval) {
      this.tlsReloadInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /**
     * The server, not yet listening.
     *
     * @throws IllegalArgumentException when the TLS files cannot be loaded
     */
    public Nm4jServer build() {
      return new Nm4jServer(this);
    }

    private static int positive(int value, String name) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }
  }
}
