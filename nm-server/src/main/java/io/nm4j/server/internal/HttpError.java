package io.nm4j.server.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A request answered with an error status instead of its result: thrown by a step (authentication,
 * body reading, query parsing) and written once by the handler in its own reply format.
 */
public final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String reason;
  private final transient Map<String, String> headers;

  private HttpError(int status, String reason, String message, Map<String, String> headers) {
    super(message, null, false, false);
    this.status = status;
    this.reason = reason;
    this.headers = Map.copyOf(headers);
  }

  /**
   * An error answer.
   *
   * @param status the HTTP status
   * @param reason the Kubernetes {@code Status} reason the admin API shows, e.g. {@code NotFound}
   * @param message one line for the caller
   */
  public static HttpError of(int status, String reason, String message) {
    return new HttpError(status, reason, message, Map.of());
  }

  static HttpError badRequest(String message) {
    return of(400, "BadRequest", message);
  }

  static HttpError unauthorized(String message) {
    return new HttpError(401, "Unauthorized", message, Map.of("WWW-Authenticate", "Bearer"));
  }

  static HttpError forbidden(String message) {
    return of(403, "Forbidden", message);
  }

  /** Busy or stopping: the client should come back after {@code retryAfterSeconds}. */
  static HttpError retryLater(int status, String reason, String message, int retryAfterSeconds) {
    return new HttpError(
        status, reason, message, Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
  }

  /** This error with one more response header. */
  HttpError withHeader(String name, @Nullable String value) {
    if (value == null) {
      return this;
    }
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new HttpError(status, reason, getMessage(), more);
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }

  /** Response headers the answer carries, e.g. {@code Retry-After}. */
  public Map<String, String> headers() {
    return headers;
  }
}
