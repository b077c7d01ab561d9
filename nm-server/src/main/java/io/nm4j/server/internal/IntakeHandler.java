package io.nm4j.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nm4j.core.AlertmanagerWebhook;
import io.nm4j.core.Explain;
import io.nm4j.core.InvalidPayloadException;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.Preview;
import io.nm4j.core.Receipt;
import io.nm4j.core.RejectedException;
import io.nm4j.core.admin.Caller;
import io.nm4j.core.delivery.DeliveryHistory;
import io.nm4j.core.delivery.DeliveryRecord;
import io.nm4j.core.journal.SharedQueue;
import io.nm4j.core.metrics.NotificationMetrics;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.ConfigSource;
import io.nm4j.spi.LogText;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Scope;
import io.nm4j.spi.SendRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intake listener's endpoints: {@code POST /api/v2/alerts} (Alertmanager), the data endpoints
 * {@code POST /api/v2/explain}, {@code POST /api/v2/render} and {@code GET /api/v2/deliveries} (a
 * caller is required, and a tenant sees only its own receivers), {@code GET /metrics}, {@code
 * /healthz}, {@code /readyz} and the demo receiver {@code /sink}.
 *
 * <p>A batch carrying the manager's own {@value SendRequest#ORIGIN_HEADER} mark is one of its own
 * notifications sent back to it (a webhook pointing at this intake, directly or through a Service
 * or proxy): it is refused with 508 and counted, so no notification can loop.
 */
public final class IntakeHandler extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(IntakeHandler.class);
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** The content type of what {@link PrometheusMeterRegistry#scrape()} writes. */
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** Seconds a client is asked to wait before retrying a 503. */
  private static final int RETRY_AFTER_SECONDS = 5;

  /** At most one warning about refused loops per this interval; the counter has them all. */
  private static final Duration LOOP_WARNING_INTERVAL = Duration.ofMinutes(1);

  private final NotificationManager manager;
  private final PrometheusMeterRegistry registry;
  private final Access access;
  private final @Nullable IntakeTokens intakeTokens;
  private final boolean metricsNeedAdmin;
  private final int maxBodyBytes;
  private final int maxWaiting;
  private final AtomicInteger waiting = new AtomicInteger();
  private final Duration readyStaleAfter;
  private final Counter loopsRefused;
  private final AtomicLong nextLoopWarning = new AtomicLong(System.nanoTime());
  private volatile boolean accepting = true;
  private final AtomicLong sinkRequests = new AtomicLong();
  private final AtomicLong sinkAlerts = new AtomicLong();

  public IntakeHandler(
      NotificationManager manager,
      PrometheusMeterRegistry registry,
      Access access,
      @Nullable IntakeTokens intakeTokens,
      boolean metricsNeedAdmin,
      int maxBodyBytes,
      int maxWaiting,
      Duration readyStaleAfter) {
    this.manager = manager;
    this.registry = registry;
    this.access = access;
    this.intakeTokens = intakeTokens;
    this.metricsNeedAdmin = metricsNeedAdmin;
    this.maxBodyBytes = maxBodyBytes;
    this.maxWaiting = maxWaiting;
    this.readyStaleAfter = readyStaleAfter;
    this.loopsRefused =
        Counter.builder(NotificationMetrics.INTAKE_REJECTED)
            .tag("reason", "loop")
            .description("batches refused, by reason")
            .register(registry);
  }

  /** From now on intake answers 503 and {@code /readyz} says stopping. */
  public void stopIntake() {
    accepting = false;
  }

  public long sinkAlerts() {
    return sinkAlerts.get();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Exchange x = new Exchange(request, response, callback);
    try {
      route(x);
    } catch (HttpError e) {
      error(x, e);
    } catch (RuntimeException e) {
      log.error(
          "request {} {} failed", LogText.escape(x.method(), 32), LogText.escape(x.path()), e);
      error(x, HttpError.of(500, "InternalError", "internal error"));
    }
    return true;
  }

  private void route(Exchange x) {
    switch (x.path()) {
      case "/api/v2/alerts" -> alerts(x);
      case "/api/v2/explain" -> explain(x);
      case "/api/v2/render" -> render(x);
      case "/api/v2/deliveries" -> deliveries(x);
      case "/metrics" -> metrics(x);
      case "/healthz" -> {
        method(x, "GET");
        text(x, 200, "ok");
      }
      case "/readyz" -> ready(x);
      case "/sink" -> sink(x);
      default -> throw HttpError.of(404, "NotFound", "no such path: " + x.path());
    }
  }

  private void alerts(Exchange x) {
    method(x, "POST");
    if (intakeTokens != null && !intakeTokens.accepts(x.header("Authorization"))) {
      throw HttpError.unauthorized("a valid intake bearer token is required");
    }
    if (manager.isOwnOrigin(x.header(SendRequest.ORIGIN_HEADER))) {
      refuseLoop(x);
    }
    if (!accepting) {
      throw HttpError.retryLater(503, "ServiceUnavailable", "shutting down", RETRY_AFTER_SECONDS);
    }
    byte[] body = x.body(maxBodyBytes);
    if (waiting.incrementAndGet() > maxWaiting) {
      waiting.decrementAndGet();
      throw HttpError.retryLater(
          503,
          "ServiceUnavailable",
          "more than " + maxWaiting + " batches are waiting to be stored; retry later",
          RETRY_AFTER_SECONDS);
    }
    long journalFailures = manager.intakeCounts().rejectedJournal();
    CompletableFuture<Receipt> accepted;
    try {
      // the journal keeps the body as received: no second encoding on the hot path
      accepted = manager.submitWebhookAsync(body);
    } catch (InvalidPayloadException e) {
      waiting.decrementAndGet();
      throw HttpError.badRequest(e.getMessage());
    } catch (RuntimeException e) {
      waiting.decrementAndGet();
      throw e;
    }
    // Answered when the journal has the batch: no thread waits through its fsync, and a 200 still
    // means stored.
    accepted.whenComplete(
        (receipt, failure) -> {
          waiting.decrementAndGet();
          try {
            answer(x, receipt, failure, journalFailures);
          } catch (RuntimeException e) {
            // on the journal's thread nobody else would see it, and the request would hang
            log.error("answering an accepted batch failed", e);
            x.abort(e);
          }
        });
  }

  /** The answer to a batch once the journal has it, or has refused it. */
  private void answer(
      Exchange x, @Nullable Receipt receipt, @Nullable Throwable failure, long journalFailures) {
    if (failure == null && receipt != null) {
      x.reply(200, "application/json", Replies.accepted(receipt), Map.of());
      return;
    }
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof RejectedException e) {
      error(
          x,
          HttpError.retryLater(
              503, "ServiceUnavailable", rejection(e, journalFailures), RETRY_AFTER_SECONDS));
    } else {
      log.error("accepting a batch failed", cause);
      error(x, HttpError.of(500, "InternalError", "internal error"));
    }
  }

  /**
   * What a sender is told about a refused batch. A journal that cannot write is the operator's
   * business: its detail (the error, the data directory) is in the log and the metric, and a
   * sender, who needs no credentials, reads only that the batch was not stored. The exception does
   * not say which limit refused the batch; the journal's refusal counter, read before and after,
   * does (a refusal of another post meanwhile can only make the answer more generic).
   */
  private String rejection(RejectedException e, long journalFailuresBefore) {
    if (manager.intakeCounts().rejectedJournal() > journalFailuresBefore) {
      return "the batch cannot be stored now; retry later";
    }
    return Replies.withoutAbsolutePaths(String.valueOf(e.getMessage()));
  }

  private void refuseLoop(Exchange x) {
    loopsRefused.increment();
    long now = System.nanoTime();
    long next = nextLoopWarning.get();
    if (now - next >= 0
        && nextLoopWarning.compareAndSet(next, now + LOOP_WARNING_INTERVAL.toNanos())) {
      log.warn(
          "intake refused a batch from {} carrying this server's own {} mark: one of its"
              + " notifications was sent back to it (a webhook config pointing at this intake);"
              + " {} refused so far, at most one such line a minute",
          LogText.escape(Exchange.addressText(x.remote())),
          SendRequest.ORIGIN_HEADER,
          (long) loopsRefused.count());
    }
    throw HttpError.of(
        508,
        "LoopDetected",
        "this batch carries this server's own "
            + SendRequest.ORIGIN_HEADER
            + " mark: it is one of its own notifications, not accepted again");
  }

  /**
   * Ready while intake accepts and the configuration source has a current view, or has been failing
   * for less than the bound; the reply names the source and its last failure, without paths.
   */
  private void ready(Exchange x) {
    method(x, "GET");
    if (!accepting) {
      text(x, 503, "stopping");
      return;
    }
    SharedQueue queue = manager.sharedQueue();
    if (queue != null && !queue.ready()) {
      // intake would answer 503, or nothing would be delivered: a load balancer should send
      // batches to a replica that can use the queue
      text(
          x,
          503,
          "not ready: the shared queue cannot be used now (its brokers cannot be reached, or it"
              + " stopped delivering; the log says which)");
      return;
    }
    ConfigSource.Health health = manager.configHealth();
    Instant now = manager.clock().instant();
    if (health.isCurrent(now, readyStaleAfter)) {
      text(x, 200, "ready");
      return;
    }
    ConfigSource source = manager.configSource();
    text(
        x,
        503,
        "stale: configuration source "
            + source.getClass().getSimpleName()
            + " has had no complete view since "
            + health.lastSuccess()
            + " ("
            + Replies.duration(Duration.between(Objects.requireNonNull(health.lastSuccess()), now))
            + ", more than "
            + Replies.duration(readyStaleAfter)
            + "); last failure: "
            + Replies.withoutAbsolutePaths(String.valueOf(health.lastFailure())));
  }

  private void explain(Exchange x) {
    method(x, "POST");
    Caller caller = access.authenticate(x);
    AlertBatch batch = decode(x.body(maxBodyBytes));
    Explain explain =
        access.isAdmin(caller)
            ? manager.explain(batch)
            : Explain.of(TenantView.explain(manager.route(batch), access.tenantsOf(caller)));
    x.reply(200, "application/json", explain.toJson().getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /**
   * What each notification of a batch would say; a tenant gets only its own receivers', an admin
   * every one (or those of {@code ?receiver=Kind/name}).
   */
  private void render(Exchange x) {
    method(x, "POST");
    Caller caller = access.authenticate(x);
    AlertBatch batch = decode(x.body(maxBodyBytes));
    String receiver = x.query().getOrDefault("receiver", "");
    Set<String> tenants = access.isAdmin(caller) ? null : access.tenantsOf(caller);
    Preview preview =
        manager.preview(
            batch,
            d ->
                (tenants == null
                        || (d.scope() == Scope.TENANT
                            && d.tenant() != null
                            && tenants.contains(d.tenant())))
                    && (receiver.isEmpty() || d.receiver().toString().equals(receiver)));
    x.reply(
        200,
        "application/json",
        preview.toIndentedJson().getBytes(StandardCharsets.UTF_8),
        Map.of());
  }

  private static AlertBatch decode(byte[] body) {
    try {
      return AlertmanagerWebhook.decode(body);
    } catch (InvalidPayloadException e) {
      throw HttpError.badRequest(e.getMessage());
    }
  }

  private void deliveries(Exchange x) {
    method(x, "GET");
    Caller caller = access.authenticate(x);
    DeliveryHistory.Query query = historyQuery(x.query());
    List<DeliveryRecord> records;
    if (access.isAdmin(caller)) {
      records = manager.history().query(query);
    } else {
      Set<String> tenants = access.tenantsOf(caller);
      if (query.tenant() != null && !tenants.contains(query.tenant())) {
        throw HttpError.forbidden("tenant " + query.tenant() + ": not one of the caller's tenants");
      }
      records = TenantView.history(manager.history(), query, tenants);
    }
    ArrayNode out = JSON.createArrayNode();
    for (DeliveryRecord r : records) {
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

  /** The history query of {@code ?receiver=&tenant=&status=&limit=}; empty values are not given. */
  private static DeliveryHistory.Query historyQuery(Map<String, String> q) {
    q.values().removeIf(String::isEmpty);
    DeliveryHistory.Query query = DeliveryHistory.Query.all();
    try {
      if (q.containsKey("receiver")) {
        String r = q.get("receiver");
        int slash = r.indexOf('/');
        if (slash <= 0) {
          throw HttpError.badRequest("receiver: must be Kind/name, was \"" + r + "\"");
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
      throw HttpError.badRequest("bad query: " + e.getMessage());
    }
    return query;
  }

  private void metrics(Exchange x) {
    method(x, "GET");
    if (metricsNeedAdmin && !access.isAdmin(access.authenticate(x))) {
      throw HttpError.forbidden("metrics are served to admins only");
    }
    x.reply(200, PROMETHEUS_TEXT, registry.scrape().getBytes(StandardCharsets.UTF_8), Map.of());
  }

  private void sink(Exchange x) {
    if (x.method().equals("GET")) {
      ObjectNode o = JSON.createObjectNode();
      o.put("requests", sinkRequests.get());
      o.put("alerts", sinkAlerts.get());
      json(x, 200, o);
      return;
    }
    method(x, "POST");
    AlertBatch batch = decode(x.body(maxBodyBytes));
    sinkRequests.incrementAndGet();
    sinkAlerts.addAndGet(batch.alerts().size());
    log.info(
        "sink received a notification for {} with {} alert(s): {}",
        LogText.escape(batch.receiver()),
        batch.alerts().size(),
        LogText.escape(
            batch.alerts().stream()
                .map(a -> a.labels().getOrDefault("alertname", "?"))
                .distinct()
                .toList()
                .toString()));
    text(x, 200, "ok");
  }

  private static void method(Exchange x, String expected) {
    if (!x.method().equals(expected)) {
      throw HttpError.of(
              405, "MethodNotAllowed", "method " + x.method() + " not allowed; use " + expected)
          .withHeader("Allow", expected);
    }
  }

  private static void error(Exchange x, HttpError e) {
    ObjectNode o = JSON.createObjectNode();
    o.put("error", e.getMessage());
    reply(x, e.status(), o, e.headers());
  }

  private static void json(Exchange x, int status, Object body) {
    reply(x, status, body, Map.of());
  }

  private static void reply(Exchange x, int status, Object body, Map<String, String> headers) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON reply", e);
    }
    x.reply(status, "application/json", bytes, headers);
  }

  private static void text(Exchange x, int status, String body) {
    x.reply(
        status,
        "text/plain; charset=utf-8",
        (body + "\n").getBytes(StandardCharsets.UTF_8),
        Map.of());
  }
}
