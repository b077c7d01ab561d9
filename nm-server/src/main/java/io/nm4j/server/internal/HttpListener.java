package io.nm4j.server.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Objects;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening socket of the server on its own Jetty {@link Server}: its own thread pool (so one
 * listener cannot starve the other), a cap on connections, header size, idle, header and request
 * timeouts, optional TLS with HTTP/2 by ALPN, a graceful stop, and the access log.
 */
public final class HttpListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpListener.class);

  /** Threads of the pool that never handle requests: one acceptor and one selector. */
  private static final int NETWORK_THREADS = 2;

  /**
   * How one listener is set up.
   *
   * @param name names its threads, {@code nm4j-<name>-N}
   * @param address where it listens
   * @param bound a channel already bound to {@code address}, or {@code null} to bind it on start
   * @param requestThreads threads handling requests
   * @param maxConnections most open connections; more wait in the accept backlog
   * @param maxHeaderBytes largest request header; larger is 431
   * @param idleTimeout how long a connection may be silent
   * @param headerTimeout how soon a new connection must have sent a request header
   * @param requestTimeout how soon a request's body must have arrived
   * @param stopWait how long a stop waits for requests being handled
   * @param tls TLS, or {@code null} for plain HTTP
   */
  public record Settings(
      String name,
      InetSocketAddress address,
      @Nullable ServerSocketChannel bound,
      int requestThreads,
      int maxConnections,
      int maxHeaderBytes,
      Duration idleTimeout,
      Duration headerTimeout,
      Duration requestTimeout,
      Duration stopWait,
      @Nullable Tls tls) {
    public Settings {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(address, "address");
    }
  }

  private final Server server;
  private final ServerConnector connector;

  private HttpListener(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /**
   * Binds and starts a listener serving {@code handler}.
   *
   * @throws IOException when the address cannot be bound
   */
  public static HttpListener start(Settings s, Handler handler) throws IOException {
    QueuedThreadPool pool = new QueuedThreadPool(s.requestThreads() + NETWORK_THREADS, 2);
    pool.setName("nm4j-" + s.name());
    pool.setReservedThreads(0);
    pool.setDaemon(true);
    ScheduledExecutorScheduler scheduler =
        new ScheduledExecutorScheduler("nm4j-" + s.name() + "-timer", true);
    Server server = new Server(pool, scheduler, null);
    server.setStopTimeout(s.stopWait().toMillis());
    server.setStopAtShutdown(false);

    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(s.maxHeaderBytes());
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setIdleTimeout(s.idleTimeout().toMillis());
    ConnectionFactory[] factories;
    if (s.tls() == null) {
      factories = new ConnectionFactory[] {new HttpConnectionFactory(http)};
    } else {
      // SNI host checks would refuse clients that connect by IP address, as probes do.
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      secure.setSniHostCheck(false);
      http.addCustomizer(secure);
      HttpConnectionFactory http1 = new HttpConnectionFactory(http);
      HTTP2ServerConnectionFactory http2 = new HTTP2ServerConnectionFactory(http);
      ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
      alpn.setDefaultProtocol(http1.getProtocol());
      SslConnectionFactory ssl = new SslConnectionFactory(s.tls().newContext(), alpn.getProtocol());
      factories = new ConnectionFactory[] {ssl, alpn, http2, http1};
    }
    ServerConnector connector = new ServerConnector(server, 1, 1, factories);
    connector.setHost(s.address().getHostString());
    connector.setPort(s.address().getPort());
    connector.setIdleTimeout(s.idleTimeout().toMillis());
    connector.setReuseAddress(true);
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(s.maxConnections(), connector));
    if (s.bound() != null) {
      // Jetty accepts on it in blocking mode, as on a channel it opened itself.
      s.bound().configureBlocking(true);
      connector.open(s.bound());
    }

    Deadlines deadlines = new Deadlines(handler, scheduler, s.headerTimeout(), s.requestTimeout());
    connector.addBean(deadlines);
    server.setHandler(new GracefulHandler(new AccessLog(deadlines)));
    try {
      server.start();
    } catch (IOException e) {
      stopQuietly(server);
      throw e;
    } catch (Exception e) {
      stopQuietly(server);
      throw new IOException("cannot start the " + s.name() + " listener: " + e.getMessage(), e);
    }
    return new HttpListener(server, connector);
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception ignored) {
      // the start failure is what the caller needs to see
    }
  }

  /** Where it listens, with the real port when 0 was asked for. */
  public InetSocketAddress address() {
    return new InetSocketAddress(connector.getHost(), connector.getLocalPort());
  }

  /**
   * Stops accepting, lets requests being handled finish up to the stop wait, then closes; requests
   * still running then are cut off.
   */
  @Override
  public void close() {
    String where = connector.getHost() + ":" + connector.getLocalPort();
    try {
      server.stop();
    } catch (Exception e) {
      log.info("listener {} stopped with requests still running: {}", where, e.toString());
    }
  }
}
