package io.nm4j.core.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A Kubernetes-style {@code Status}: why a request failed, with every cause.
 *
 * @param code the HTTP status code
 * @param reason {@code Invalid}, {@code AlreadyExists}, {@code Conflict}, {@code NotFound}, {@code
 *     BadRequest}, {@code Forbidden}, {@code Unauthorized}, {@code MethodNotAllowed}, ...
 * @param message what happened, naming the object
 * @param kind the kind of the object concerned, or empty
 * @param name the name of the object concerned, or empty
 * @param causes one per field in error
 */
public record Status(
    int code, String reason, String message, String kind, String name, List<Cause> causes) {

  /**
   * One cause.
   *
   * @param field the field path, e.g. {@code spec.smartHost.port}
   * @param message what is wrong
   */
  public record Cause(String field, String message) {
    public Cause {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(message, "message");
    }
  }

  public Status {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    causes = List.copyOf(causes);
  }

  public static Status of(int code, String reason, String message) {
    return new Status(code, reason, message, "", "", List.of());
  }

  public static Status badRequest(String message) {
    return of(400, "BadRequest", message);
  }

  public static Status forbidden(String message) {
    return of(403, "Forbidden", message);
  }

  public static Status notFound(String kind, String name) {
    return new Status(404, "NotFound", kind + "/" + name + " not found", kind, name, List.of());
  }

  /** The exception carrying this status. */
  public AdminException exception() {
    return new AdminException(this);
  }

  /** The Kubernetes JSON shape: {@code kind: Status}, {@code status: Failure}, details.causes. */
  public Map<String, @Nullable Object> toMap() {
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    out.put("kind", "Status");
    out.put("apiVersion", "v1");
    out.put("metadata", Map.of());
    out.put("status", "Failure");
    out.put("message", message);
    out.put("reason", reason);
    Map<String, Object> details = new LinkedHashMap<>();
    if (!name.isEmpty()) {
      details.put("name", name);
    }
    if (!kind.isEmpty()) {
      details.put("kind", kind);
    }
    if (!causes.isEmpty()) {
      List<Map<String, String>> list = new ArrayList<>();
      for (Cause c : causes) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("reason", "FieldValueInvalid");
        m.put("message", c.message());
        m.put("field", c.field());
        list.add(m);
      }
      details.put("causes", list);
    }
    if (!details.isEmpty()) {
      out.put("details", details);
    }
    out.put("code", code);
    return out;
  }
}
