package io.nm4j.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nm4j.core.AlertmanagerWebhook;
import io.nm4j.core.InvalidPayloadException;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.Receipt;
import io.nm4j.core.RejectedException;
import io.nm4j.core.admin.AdminService;
import io.nm4j.core.admin.Authenticator;
import io.nm4j.core.delivery.DeliveryHistory;
import io.nm4j.core.delivery.DeliveryRecord;
import io.nm4j.core.metrics.NotificationMetrics;
import io.nm4j.server.internal.AdminHttpHandler;
import io.nm4j.server.internal.QueryString;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.ObjectRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nm4j HTTP server on the JDK's {@link HttpServer}: Alertmanager posts to {@code
 * /api/v2/alerts}, answered 200 once the batch is accepted (before sending).
 *
 * <ul>
 *   <li>{@code POST /api/v2/alerts}: webhook v4 body; 200 accepted, 400 malformed (message names
 *       the field), 413 too large, 503 when queues are full or the server is stopping (Alertmanager
 *       retries 5xx, so nothing is lost);
 *   <li>{@code POST /api/v2/explain}: same body, the explain JSON; sends nothing;
 *   <li>{@code GET /api/v2/deliveries?receiver=&tenant=&status=&limit=}: delivery history;
 *   <li>{@code GET /metrics}: Prometheus text format 0.0.4 from Micrometer: the manager's meters
 *       ({@link NotificationMetrics}: intake, rejections, queue depth and bytes, journal lag,
 *       deliveries per channel and tenant) and the JVM's (memory, threads, CPU, uptime);
 *   <li>{@code GET /healthz}, {@code GET /readyz};
 *   <li>{@code POST /sink}: a demo webhook receiver that logs and counts what it gets, so the
 *       example configuration shows notifications arriving; {@code GET /sink} tells the counts;
 *   <li>when an {@link AdminService} is given, the admin API under {@value AdminHttpHandler#PREFIX}
 *       (on this port, or on its own address).
 * </ul>
 */
public final class Nm4jServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Nm4jServer.class);
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  static {
    // The JDK server leaves Nagle on and writes headers and body apart, so every answer waited for
    // the client's delayed ACK (~40 ms). It reads this property once, before its first server.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** How long {@link #close()} waits for requests being handled. */
  public static final Duration HANDLER_STOP_WAIT = Duration.ofSeconds(5);

  /** Default largest accepted body. */
  public static final int DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

  /** The content type of what {@link PrometheusMeterRegistry#scrape()} writes. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final NotificationManager manager;
  private final PrometheusMeterRegistry registry;
  private final HttpServer http;
  private final @Nullable HttpServer adminHttp;
  private final ExecutorService executor;
  private final int maxBodyBytes;
  private volatile boolean accepting = true;
  private final AtomicLong sinkRequests = new AtomicLong();
  private final AtomicLong sinkAlerts = new AtomicLong();

  private Nm4jServer(Builder b) throws IOException {
    this.manager = Objects.requireNonNull(b.manager, "manager");
    this.maxBodyBytes = b.maxBodyBytes;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicInteger n = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            b.threads,
            r -> {
              Thread t = new Thread(r, "nm4j-http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    // Binding can fail (the port is taken) after another socket is bound: close what is open.
    HttpServer main = null;
    HttpServer admin = null;
    try {
      main = HttpServer.create(b.address, 256);
      if (b.admin != null && b.adminAddress != null) {
        admin = HttpServer.create(b.adminAddress, 64);
      }
    } catch (IOException | RuntimeException e) {
      if (main != null) {
        // A channel still registered with its selector is only closed once the dispatcher
        // deregisters it: stopping a server that never started would keep the port bound.
        main.start();
        main.stop(0);
      }
      executor.shutdown();
      registry.close();
      throw e;
    }
    this.http = main;
    this.adminHttp = admin;
    http.setExecutor(executor);
    http.createContext("/api/v2/alerts", safe(this::alerts));
    http.createContext("/api/v2/explain", safe(this::explain));
    http.createContext("/api/v2/deliveries", safe(this::deliveries));
    http.createContext("/metrics", safe(this::metrics));
    http.createContext("/healthz", safe(x -> text(x, 200, "ok")));
    http.createContext("/readyz", safe(this::ready));
    http.createContext("/sink", safe(this::sink));
    if (b.admin != null) {
      AdminHttpHandler handler = new AdminHttpHandler(b.admin, b.authenticators);
      if (admin == null) {
        http.createContext(AdminHttpHandler.PREFIX, handler);
      } else {
        admin.setExecutor(executor);
        admin.createContext(AdminHttpHandler.PREFIX, handler);
        admin.createContext(
            "/", safe(x -> error(x, 404, "no such path: " + x.getRequestURI().getPath())));
      }
      if (b.authenticators.isEmpty()) {
        log.warn("admin API: no authenticator configured; it serves loopback callers only");
      }
    }
    http.createContext(
        "/", safe(x -> error(x, 404, "no such path: " + x.getRequestURI().getPath())));
    new NotificationMetrics(manager).bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    http.start();
    if (adminHttp != null) {
      adminHttp.start();
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Where the server listens (with the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return http.getAddress();
  }

  /** Where the admin API listens: its own address, or the intake's. */
  public InetSocketAddress adminAddress() {
    return adminHttp != null ? adminHttp.getAddress() : http.getAddress();
  }

  /** Alerts the demo sink has received. */
  public long sinkAlerts() {
    return sinkAlerts.get();
  }

  /** Stops taking alerts: intake answers 503 from now on, so senders retry elsewhere or later. */
  public void stopIntake() {
    accepting = false;
  }

  /** Stops intake and the HTTP server; the manager is the caller's to close. */
  @Override
  public void close() {
    accepting = false;
    http.stop(0);
    if (adminHttp != null) {
      adminHttp.stop(0);
    }
    executor.shutdown();
    try {
      executor.awaitTermination(HANDLER_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    registry.close();
  }

  private interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private static HttpHandler safe(Handler h) {
    return exchange -> {
      try (exchange) {
        h.handle(exchange);
      } catch (RuntimeException e) {
        log.error(
            "request {} {} failed",
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            e);
        try {
          error(exchange, 500, "internal error");
        } catch (IOException | RuntimeException ignored) {
          // the response may have been started already; the connection is closed either way
        }
      }
    };
  }

  private void alerts(HttpExchange x) throws IOException {
    if (!method(x, "POST")) {
      return;
    }
    if (!accepting) {
      x.getResponseHeaders().set("Retry-After", "5");
      error(x, 503, "shutting down");
      return;
    }
    byte[] body = readBody(x);
    if (body == null) {
      return;
    }
    Receipt receipt;
    try {
      // the journal keeps the body as received: no second encoding on the hot path
      receipt = manager.submitWebhook(body);
    } catch (InvalidPayloadException e) {
      error(x, 400, e.getMessage());
      return;
    } catch (RejectedException e) {
      x.getResponseHeaders().set("Retry-After", "5");
      error(x, 503, e.getMessage());
      return;
    }
    ObjectNode answer = JSON.createObjectNode();
    answer.put("status", receipt.duplicate() ? "duplicate" : "accepted");
    answer.put("notifications", receipt.notifications().size());
    answer.put("unrouted", receipt.unrouted().size());
    json(x, 200, answer);
  }

  private void explain(HttpExchange x) throws IOException {
    if (!method(x, "POST")) {
      return;
    }
    AlertBatch batch = readBatch(x);
    if (batch != null) {
      json(x, 200, manager.explain(batch));
    }
  }

  private @Nullable AlertBatch readBatch(HttpExchange x) throws IOException {
    byte[] body = readBody(x);
    if (body == null) {
      return null;
    }
    try {
      return AlertmanagerWebhook.decode(body);
    } catch (InvalidPayloadException e) {
      error(x, 400, e.getMessage());
      return null;
    }
  }

  /** The body, or {@code null} after answering 413 when it exceeds the limit. */
  private byte @Nullable [] readBody(HttpExchange x) throws IOException {
    String length = x.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > maxBodyBytes) {
          error(x, 413, "body larger than " + maxBodyBytes + " bytes");
          return null;
        }
      } catch (NumberFormatException e) {
        error(x, 400, "bad Content-Length");
        return null;
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = x.getRequestBody()) {
      byte[] buf = new byte[16 * 1024];
      int r;
      while ((r = in.read(buf)) != -1) {
        if (out.size() + r > maxBodyBytes) {
          error(x, 413, "body larger than " + maxBodyBytes + " bytes");
          return null;
        }
        out.write(buf, 0, r);
      }
    }
    return out.toByteArray();
  }

  private void deliveries(HttpExchange x) throws IOException {
    if (!method(x, "GET")) {
      return;
    }
    Map<String, String> q = query(x);
    DeliveryHistory.Query query = DeliveryHistory.Query.all();
    try {
      if (q.containsKey("receiver")) {
        String r = q.get("receiver");
        int slash = r.indexOf('/');
        if (slash <= 0) {
          error(x, 400, "receiver: must be Kind/name, e.g. WebhookReceiver/ops, was \"" + r + "\"");
          return;
        }
        query = query.receiver(new ObjectRef(r.substring(0, slash), r.substring(slash + 1)));
      }
      if (q.containsKey("tenant")) {
        query = query.tenant(q.get("tenant"));
      }
      if (q.containsKey("status")) {
        query =
            query.status(DeliveryRecord.Status.valueOf(q.get("status").toUpperCase(Locale.ROOT)));
      }
      if (q.containsKey("limit")) {
        query = query.limit(Integer.parseInt(q.get("limit")));
      }
    } catch (IllegalArgumentException e) {
      error(x, 400, "bad query: " + e.getMessage());
      return;
    }
    ArrayNode out = JSON.createArrayNode();
    for (DeliveryRecord r : manager.history().query(query)) {
      ObjectNode o = out.addObject();
      o.put("time", r.time().toString());
      o.put("notification", r.notificationId());
      o.put("receiver", r.receiver().toString());
      o.put("tenant", r.tenant());
      o.put("config", r.config() == null ? null : r.config().toString());
      o.put("status", r.status().name());
      o.put("attempt", r.attempt());
      o.put("reason", r.reason() == null ? null : r.reason().name());
      o.put("retryable", r.retryable());
      o.put("detail", r.detail());
    }
    json(x, 200, out);
  }

  private void metrics(HttpExchange x) throws IOException {
    if (!method(x, "GET")) {
      return;
    }
    x.getResponseHeaders().set("Content-Type", PROMETHEUS_TEXT);
    send(x, 200, registry.scrape().getBytes(StandardCharsets.UTF_8));
  }

  private void ready(HttpExchange x) throws IOException {
    if (accepting) {
      text(x, 200, "ready");
    } else {
      text(x, 503, "stopping");
    }
  }

  private void sink(HttpExchange x) throws IOException {
    if (x.getRequestMethod().equals("GET")) {
      ObjectNode o = JSON.createObjectNode();
      o.put("requests", sinkRequests.get());
      o.put("alerts", sinkAlerts.get());
      json(x, 200, o);
      return;
    }
    if (!method(x, "POST")) {
      return;
    }
    AlertBatch batch = readBatch(x);
    if (batch == null) {
      return;
    }
    sinkRequests.incrementAndGet();
    sinkAlerts.addAndGet(batch.alerts().size());
    log.info(
        "sink received a notification for {} with {} alert(s): {}",
        batch.receiver(),
        batch.alerts().size(),
        batch.alerts().stream()
            .map(a -> a.labels().getOrDefault("alertname", "?"))
            .distinct()
            .toList());
    text(x, 200, "ok");
  }

  /** The query parameters with a value; an empty one means "not given". */
  private static Map<String, String> query(HttpExchange x) {
    Map<String, String> out = QueryString.of(x);
    out.values().removeIf(String::isEmpty);
    return out;
  }

  private static boolean method(HttpExchange x, String expected) throws IOException {
    if (x.getRequestMethod().equals(expected)) {
      return true;
    }
    x.getResponseHeaders().set("Allow", expected);
    error(x, 405, "method " + x.getRequestMethod() + " not allowed; use " + expected);
    return false;
  }

  private static void error(HttpExchange x, int status, String message) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("error", message);
    json(x, status, o);
  }

  private static void json(HttpExchange x, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    x.getResponseHeaders().set("Content-Type", "application/json");
    send(x, status, bytes);
  }

  private static void text(HttpExchange x, int status, String body) throws IOException {
    x.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    send(x, status, (body + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange x, int status, byte[] bytes) throws IOException {
    x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream os = x.getResponseBody()) {
      os.write(bytes);
    }
  }

  /** Builds an {@link Nm4jServer}. */
  public static final class Builder {
    private @Nullable NotificationManager manager;
    private InetSocketAddress address = new InetSocketAddress("127.0.0.1", 19093);
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private int threads = 8;
    private @Nullable AdminService admin;
    private final List<Authenticator> authenticators = new ArrayList<>();
    private @Nullable InetSocketAddress adminAddress;

    private Builder() {}

    /**
     * Serves the admin API; callers are established by {@code authenticators}, tried in order.
     * Without any, only loopback callers are served, as admins.
     */
    public Builder admin(AdminService service, List<Authenticator> authenticators) {
      this.admin = Objects.requireNonNull(service, "service");
      this.authenticators.clear();
      this.authenticators.addAll(authenticators);
      return this;
    }

    /** Serves the admin API on its own address instead of the intake's. */
    public Builder adminListen(InetSocketAddress address) {
      this.adminAddress = Objects.requireNonNull(address, "address");
      return this;
    }

    public Builder manager(NotificationManager manager) {
      this.manager = Objects.requireNonNull(manager, "manager");
      return this;
    }

    /** Where to listen (default 127.0.0.1:19093; port 0 picks a free one). */
    public Builder listen(InetSocketAddress address) {
      this.address = Objects.requireNonNull(address, "address");
      return this;
    }

    /** Largest accepted request body (default 10 MiB); larger ones get 413. */
    public Builder maxBodyBytes(int maxBodyBytes) {
      if (maxBodyBytes < 1) {
        throw new IllegalArgumentException("maxBodyBytes must be positive");
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /** HTTP worker threads (default 8). */
    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    /** Starts the server. */
    public Nm4jServer start() throws IOException {
      return new Nm4jServer(this);
    }
  }
}
