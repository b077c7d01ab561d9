package io.nm4j.server.internal;

import io.nm4j.core.Manifests;
import io.nm4j.core.admin.AdminException;
import io.nm4j.core.admin.AdminService;
import io.nm4j.core.admin.Caller;
import io.nm4j.core.admin.Status;
import io.nm4j.core.admin.UserDeletion;
import io.nm4j.core.admin.VerifyRequest;
import io.nm4j.core.admin.VerifyResult;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.LogText;
import io.nm4j.spi.Problem;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API over HTTP, under {@value #PREFIX} for the per-channel kinds and under {@value
 * #V2BETA2_PREFIX} for the cluster-scoped {@code receivers}, {@code configs}, {@code routers} and
 * {@code silences} (secrets and configmaps under both): Kubernetes-style REST on {@link
 * AdminService}. {@code users} and {@code verify} are served under the first.
 *
 * <pre>
 * POST   /{resource}              create          201, 400, 401, 403, 409, 413, 415, 422
 * GET    /{resource}?labelSelector=  list         200, 400, 401, 403
 * GET    /{resource}/{name}       get             200, 401, 403, 404
 * PUT    /{resource}/{name}       update          200, 400, 401, 403, 404, 409, 413, 415, 422
 * DELETE /{resource}/{name}       delete          200, 401, 403, 404
 * DELETE /{resource}              (collection)    405
 * DELETE /users/{name}            delete a user   200, 401, 403, 500 (with what remains)
 * POST   /verify                  test message    200, 400, 401, 403, 404, 413, 415, 422, 429, 504
 * </pre>
 *
 * Bodies are JSON or YAML by {@code Content-Type}; replies are JSON unless {@code Accept} names
 * YAML. {@code /verify} sends to a remote that may never answer, so it runs on a bounded executor
 * of its own, never on a request thread: when all its places are taken it answers 429 with {@code
 * Retry-After}, and an answer not ready within the verify timeout is 504.
 */
public final class AdminHttpHandler extends Handler.Abstract {
  /** Where the admin API is mounted. */
  public static final String PREFIX = "/kapis/notification.kubesphere.io/v2alpha1/";

  /** Where the v2beta2 kinds of the admin API are mounted. */
  public static final String V2BETA2_PREFIX = "/kapis/notification.kubesphere.io/v2beta2/";

  /** Largest accepted body. */
  public static final int MAX_BODY_BYTES = 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(AdminHttpHandler.class);
  private static final int VERIFY_RETRY_AFTER_SECONDS = 5;

  private final AdminService service;
  private final Access access;
  private final ExecutorService verifier;
  private final Duration verifyTimeout;

  /**
   * @param verifier where {@code /verify} runs; it must refuse work beyond its bound
   * @param verifyTimeout how long a verify may take before it is answered 504
   */
  public AdminHttpHandler(
      AdminService service, Access access, ExecutorService verifier, Duration verifyTimeout) {
    this.service = service;
    this.access = access;
    this.verifier = verifier;
    this.verifyTimeout = verifyTimeout;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Exchange x = new Exchange(request, response, callback);
    try {
      route(x);
    } catch (AdminException e) {
      reply(x, e.status().code(), e.status().toMap(), Map.of());
    } catch (HttpError e) {
      reply(x, e.status(), Status.of(e.status(), e.reason(), e.getMessage()).toMap(), e.headers());
    } catch (RuntimeException e) {
      log.error(
          "admin request {} {} failed",
          LogText.escape(x.method(), 32),
          LogText.escape(x.path()),
          e);
      reply(x, 500, Status.of(500, "InternalError", "internal error").toMap(), Map.of());
    }
    return true;
  }

  private void route(Exchange x) {
    String path = x.path();
    String prefix = null;
    for (String p : List.of(PREFIX, V2BETA2_PREFIX)) {
      if (path.startsWith(p) || (path + "/").equals(p)) {
        prefix = p;
      }
    }
    if (prefix == null) {
      throw HttpError.of(404, "NotFound", "no such path: " + path);
    }
    String version = prefix.equals(PREFIX) ? "v2alpha1" : "v2beta2";
    Caller caller = access.authenticate(x);
    String rest = path.length() > prefix.length() ? path.substring(prefix.length()) : "";
    List<String> parts = new ArrayList<>();
    for (String p : rest.split("/")) {
      if (!p.isEmpty()) {
        parts.add(p);
      }
    }
    String method = x.method();
    if (parts.isEmpty()) {
      throw Status.of(404, "NotFound", "no resource named; served: " + service.resources(version))
          .exception();
    }
    if (parts.size() > 2) {
      throw Status.of(404, "NotFound", "no such path: " + path).exception();
    }
    String first = parts.get(0);
    if (prefix.equals(V2BETA2_PREFIX)) {
      servedOrNotFound(version, first);
    }
    if (first.equals("verify") && parts.size() == 1) {
      allow(method, "POST");
      verify(x, caller);
      return;
    }
    if (first.equals("users")) {
      if (parts.size() != 2) {
        allow(method, "");
        return;
      }
      allow(method, "DELETE");
      UserDeletion result = service.deleteUser(caller, parts.get(1));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("user", result.user());
      body.put("deleted", result.deleted());
      List<Map<String, String>> remaining = new ArrayList<>();
      result
          .remaining()
          .forEach(
              r ->
                  remaining.add(
                      Map.of(
                          "object",
                          r.object(),
                          // a store's unexpected exception may name its files
                          "reason",
                          Replies.withoutAbsolutePaths(r.reason()))));
      body.put("remaining", remaining);
      body.put("complete", result.complete());
      reply(x, result.complete() ? 200 : 500, body, Map.of());
      return;
    }
    servedOrNotFound(version, first);
    if (parts.size() == 1) {
      allow(method, "GET, POST");
      if (method.equals("GET")) {
        String text = x.query().getOrDefault("labelSelector", "");
        LabelSelector selector;
        try {
          selector = LabelSelector.parse(text);
        } catch (IllegalArgumentException e) {
          throw Status.badRequest("labelSelector: " + e.getMessage()).exception();
        }
        List<ConfigObject> items = service.list(caller, first, selector);
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("apiVersion", "v1");
        list.put("kind", "List");
        list.put("metadata", Map.of());
        List<Object> rendered = new ArrayList<>();
        items.forEach(o -> rendered.add(service.render(caller, o, false)));
        list.put("items", rendered);
        reply(x, 200, list, Map.of());
      } else {
        ConfigObject created = service.create(caller, first, readObject(x));
        reply(x, 201, service.render(caller, created, false), Map.of());
      }
      return;
    }
    String name = parts.get(1);
    allow(method, "GET, PUT, DELETE");
    switch (method) {
      case "GET" ->
          reply(x, 200, service.render(caller, service.get(caller, first, name), true), Map.of());
      case "PUT" -> {
        ConfigObject updated = service.update(caller, first, name, readObject(x));
        reply(x, 200, service.render(caller, updated, false), Map.of());
      }
      default ->
          reply(
              x, 200, service.render(caller, service.delete(caller, first, name), false), Map.of());
    }
  }

  private void servedOrNotFound(String version, String resource) {
    if (!service.resources(version).contains(resource)) {
      throw Status.of(
              404,
              "NotFound",
              "no resource \""
                  + resource
                  + "\" under "
                  + version
                  + "; served: "
                  + service.resources(version))
          .exception();
    }
  }

  private static void allow(String method, String allowed) {
    for (String m : allowed.split(", ")) {
      if (m.equals(method)) {
        return;
      }
    }
    throw HttpError.of(
            405,
            "MethodNotAllowed",
            "method "
                + method
                + " not allowed here"
                + (allowed.isEmpty() ? "" : "; use " + allowed))
        .withHeader("Allow", allowed.isEmpty() ? null : allowed);
  }

  private ConfigObject readObject(Exchange x) {
    ConfigSet set = Manifests.parse(readBody(x), "request body");
    if (!set.problems().isEmpty()) {
      List<Status.Cause> causes = new ArrayList<>();
      for (Problem p : set.problems()) {
        causes.add(new Status.Cause(p.field(), p.toString()));
      }
      throw new Status(400, "BadRequest", "the body is not a readable object", "", "", causes)
          .exception();
    }
    if (set.objects().size() != 1) {
      throw Status.badRequest("the body must hold exactly one object, held " + set.objects().size())
          .exception();
    }
    return set.objects().get(0);
  }

  /**
   * Reads and checks the request on this thread (under the manifest limits and rules, as every
   * admin body), then sends on the verify executor and answers from there; the request thread is
   * free at once.
   */
  private void verify(Exchange x, Caller caller) {
    VerifyRequest request = VerifyRequest.parse(readBody(x));
    AtomicBoolean answered = new AtomicBoolean();
    try {
      verifier.execute(
          () -> {
            Map<String, @Nullable Object> body;
            try {
              VerifyResult result = service.verify(caller, request);
              body = new LinkedHashMap<>();
              body.put("delivered", result.delivered());
              body.put("receiver", result.receiver());
              body.put("config", result.config());
              body.put("reason", result.reason());
              body.put("detail", result.detail());
            } catch (AdminException e) {
              if (answered.compareAndSet(false, true)) {
                reply(x, e.status().code(), e.status().toMap(), Map.of());
              }
              return;
            } catch (RuntimeException e) {
              log.error("admin verify failed", e);
              if (answered.compareAndSet(false, true)) {
                reply(x, 500, Status.of(500, "InternalError", "internal error").toMap(), Map.of());
              }
              return;
            }
            if (answered.compareAndSet(false, true)) {
              reply(x, 200, body, Map.of());
            }
          });
    } catch (RejectedExecutionException e) {
      throw HttpError.retryLater(
          429,
          "TooManyRequests",
          "too many verify requests in progress; retry later",
          VERIFY_RETRY_AFTER_SECONDS);
    }
    x.scheduler()
        .schedule(
            () -> {
              if (answered.compareAndSet(false, true)) {
                reply(
                    x,
                    504,
                    Status.of(
                            504,
                            "Timeout",
                            "the test notification was not sent within "
                                + verifyTimeout.toSeconds()
                                + "s")
                        .toMap(),
                    Map.of());
              }
            },
            verifyTimeout.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /** The body as text, after checking its media type and size. */
  private static String readBody(Exchange x) {
    String type = x.header("Content-Type");
    String media = type == null ? "" : type.split(";")[0].strip().toLowerCase(Locale.ROOT);
    if (!List.of("application/json", "application/yaml", "application/x-yaml", "text/yaml")
        .contains(media)) {
      throw Status.of(
              415,
              "UnsupportedMediaType",
              "Content-Type must be application/json or application/yaml, was \""
                  + (type == null ? "" : type)
                  + "\"")
          .exception();
    }
    return new String(x.body(MAX_BODY_BYTES), StandardCharsets.UTF_8);
  }

  private static void reply(Exchange x, int status, Object body, Map<String, String> headers) {
    String accept = x.header("Accept");
    byte[] bytes;
    String type;
    if (accept != null && accept.toLowerCase(Locale.ROOT).contains("yaml")) {
      bytes = Manifests.writeYaml(body).getBytes(StandardCharsets.UTF_8);
      type = "application/yaml";
    } else {
      bytes = Manifests.writeJson(body);
      type = "application/json";
    }
    x.reply(status, type, bytes, headers);
  }
}
