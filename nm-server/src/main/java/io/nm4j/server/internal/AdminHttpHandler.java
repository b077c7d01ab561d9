package io.nm4j.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.nm4j.core.Manifests;
import io.nm4j.core.admin.AdminException;
import io.nm4j.core.admin.AdminService;
import io.nm4j.core.admin.Authenticator;
import io.nm4j.core.admin.Caller;
import io.nm4j.core.admin.Status;
import io.nm4j.core.admin.UserDeletion;
import io.nm4j.core.admin.VerifyResult;
import io.nm4j.core.admin.VerifyTarget;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.Problem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API over HTTP, under {@value #PREFIX}: Kubernetes-style REST on {@link AdminService}.
 *
 * <pre>
 * POST   /{resource}              create          201, 400, 401, 403, 409, 413, 415, 422
 * GET    /{resource}?labelSelector=  list         200, 400, 401, 403
 * GET    /{resource}/{name}       get             200, 401, 403, 404
 * PUT    /{resource}/{name}       update          200, 400, 401, 403, 404, 409, 413, 415, 422
 * DELETE /{resource}/{name}       delete          200, 401, 403, 404
 * DELETE /{resource}              (collection)    405
 * DELETE /users/{name}            delete a user   200, 401, 403, 500 (with what remains)
 * POST   /verify                  test message    200, 400, 401, 403, 404, 413, 415, 422
 * </pre>
 *
 * Bodies are JSON or YAML by {@code Content-Type}; replies are JSON unless {@code Accept} names
 * YAML. Without authenticators only loopback callers are served (as admins).
 */
public final class AdminHttpHandler implements HttpHandler {
  /** Where the admin API is mounted. */
  public static final String PREFIX = "/kapis/notification.kubesphere.io/v2alpha1/";

  /** Largest accepted body. */
  public static final int MAX_BODY_BYTES = 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(AdminHttpHandler.class);
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final ObjectMapper YAML = YAMLMapper.builder().build();

  private final AdminService service;
  private final List<Authenticator> authenticators;

  public AdminHttpHandler(AdminService service, List<Authenticator> authenticators) {
    this.service = service;
    this.authenticators = List.copyOf(authenticators);
  }

  @Override
  public void handle(HttpExchange x) throws IOException {
    try (x) {
      try {
        route(x);
      } catch (AdminException e) {
        reply(x, e.status().code(), e.status().toMap());
      } catch (RuntimeException e) {
        log.error(
            "admin request {} {} failed", x.getRequestMethod(), x.getRequestURI().getPath(), e);
        reply(x, 500, Status.of(500, "InternalError", "internal error").toMap());
      }
    }
  }

  private void route(HttpExchange x) throws IOException {
    Caller caller = authenticate(x);
    String path = x.getRequestURI().getPath();
    String rest = path.length() > PREFIX.length() ? path.substring(PREFIX.length()) : "";
    List<String> parts = new ArrayList<>();
    for (String p : rest.split("/")) {
      if (!p.isEmpty()) {
        parts.add(p);
      }
    }
    String method = x.getRequestMethod();
    if (parts.isEmpty()) {
      throw Status.of(404, "NotFound", "no resource named; served: " + service.resources())
          .exception();
    }
    if (parts.size() > 2) {
      throw Status.of(404, "NotFound", "no such path: " + path).exception();
    }
    String first = parts.get(0);
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
          .forEach(r -> remaining.add(Map.of("object", r.object(), "reason", r.reason())));
      body.put("remaining", remaining);
      body.put("complete", result.complete());
      reply(x, result.complete() ? 200 : 500, body);
      return;
    }
    if (parts.size() == 1) {
      allow(method, "GET, POST");
      if (method.equals("GET")) {
        String text = QueryString.of(x).getOrDefault("labelSelector", "");
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
        reply(x, 200, list);
      } else {
        ConfigObject created = service.create(caller, first, readObject(x));
        reply(x, 201, service.render(caller, created, false));
      }
      return;
    }
    String name = parts.get(1);
    allow(method, "GET, PUT, DELETE");
    switch (method) {
      case "GET" -> reply(x, 200, service.render(caller, service.get(caller, first, name), true));
      case "PUT" -> {
        ConfigObject updated = service.update(caller, first, name, readObject(x));
        reply(x, 200, service.render(caller, updated, false));
      }
      default -> reply(x, 200, service.render(caller, service.delete(caller, first, name), false));
    }
  }

  private static void allow(String method, String allowed) {
    for (String m : allowed.split(", ")) {
      if (m.equals(method)) {
        return;
      }
    }
    throw Status.of(
            405,
            "MethodNotAllowed",
            "method "
                + method
                + " not allowed here"
                + (allowed.isEmpty() ? "" : "; use " + allowed))
        .exception();
  }

  private Caller authenticate(HttpExchange x) {
    if (authenticators.isEmpty()) {
      InetAddress remote = x.getRemoteAddress().getAddress();
      if (remote != null && remote.isLoopbackAddress()) {
        return Caller.loopbackAdmin(service.adminGroup());
      }
      throw Status.forbidden("no authenticator configured: the admin API serves loopback only")
          .exception();
    }
    for (Authenticator a : authenticators) {
      Caller c =
          a.authenticate(
              h -> {
                List<String> v = x.getRequestHeaders().get(h);
                return v == null ? List.of() : v;
              });
      if (c != null) {
        return c;
      }
    }
    throw Status.of(401, "Unauthorized", "authentication required").exception();
  }

  private ConfigObject readObject(HttpExchange x) throws IOException {
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

  private void verify(HttpExchange x, Caller caller) throws IOException {
    String text = readBody(x);
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (IOException e) {
      throw Status.badRequest("malformed body").exception();
    }
    if (root == null || !root.isObject() || root.get("receiver") == null) {
      throw Status.badRequest("the body needs \"receiver\" (an object, or {kind, name})")
          .exception();
    }
    VerifyTarget receiver = target(root.get("receiver"), "receiver");
    JsonNode c = root.get("config");
    VerifyTarget config = c == null || c.isNull() ? null : target(c, "config");
    VerifyResult result = service.verify(caller, receiver, config);
    Map<String, @Nullable Object> body = new LinkedHashMap<>();
    body.put("delivered", result.delivered());
    body.put("receiver", result.receiver());
    body.put("config", result.config());
    body.put("reason", result.reason());
    body.put("detail", result.detail());
    reply(x, 200, body);
  }

  private static VerifyTarget target(JsonNode node, String field) throws IOException {
    if (!node.isObject()) {
      throw Status.badRequest(field + ": must be an object").exception();
    }
    if (node.get("metadata") != null) {
      ConfigSet set = Manifests.parse(JSON.writeValueAsString(node), field);
      if (!set.problems().isEmpty() || set.objects().size() != 1) {
        throw Status.badRequest(field + ": not a readable object: " + set.problems()).exception();
      }
      return VerifyTarget.inline(set.objects().get(0));
    }
    JsonNode kind = node.get("kind");
    JsonNode name = node.get("name");
    if (kind == null || !kind.isTextual() || name == null || !name.isTextual()) {
      throw Status.badRequest(field + ": give an object with metadata, or {kind, name}")
          .exception();
    }
    return VerifyTarget.stored(kind.textValue(), name.textValue());
  }

  /** The body as text, after checking its media type and size. */
  private static String readBody(HttpExchange x) throws IOException {
    String type = x.getRequestHeaders().getFirst("Content-Type");
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
    String length = x.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.strip()) > MAX_BODY_BYTES) {
          drain(x);
          throw tooLarge();
        }
      } catch (NumberFormatException e) {
        throw Status.badRequest("bad Content-Length").exception();
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = x.getRequestBody()) {
      byte[] buf = new byte[16 * 1024];
      int r;
      while ((r = in.read(buf)) != -1) {
        if (out.size() + r > MAX_BODY_BYTES) {
          drain(x);
          throw tooLarge();
        }
        out.write(buf, 0, r);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * Reads and drops what the client still sends (up to a bound), so it reads the 413 instead of a
   * reset connection; beyond the bound the connection is closed.
   */
  private static void drain(HttpExchange x) {
    byte[] buf = new byte[64 * 1024];
    long left = 8L * MAX_BODY_BYTES;
    try (InputStream in = x.getRequestBody()) {
      int r;
      while (left > 0 && (r = in.read(buf)) != -1) {
        left -= r;
      }
    } catch (IOException e) {
      log.debug("client went away while sending a too large body", e);
    }
  }

  private static AdminException tooLarge() {
    return Status.of(413, "RequestEntityTooLarge", "body larger than " + MAX_BODY_BYTES + " bytes")
        .exception();
  }

  private static void reply(HttpExchange x, int status, Object body) throws IOException {
    String accept = x.getRequestHeaders().getFirst("Accept");
    byte[] bytes;
    if (accept != null && accept.toLowerCase(Locale.ROOT).contains("yaml")) {
      bytes = Manifests.writeYaml(body).getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().set("Content-Type", "application/yaml");
    } else {
      bytes = Manifests.writeJson(body);
      x.getResponseHeaders().set("Content-Type", "application/json");
    }
    if (status == 405) {
      x.getResponseHeaders().set("Allow", "GET, POST, PUT, DELETE");
    }
    x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream os = x.getResponseBody()) {
      os.write(bytes);
    }
  }
}
