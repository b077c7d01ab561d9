package io.nm4j.http;

import io.nm4j.http.internal.Redaction;
import io.nm4j.spi.EgressDeniedException;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * The shared mapping from HTTP outcomes to {@link SendResult}, so every HTTP channel classifies
 * replies and transport failures alike:
 *
 * <ul>
 *   <li>2xx: delivered
 *   <li>429: {@link Reason#RATE_LIMITED}, retryable, with {@code Retry-After} (seconds or an HTTP
 *       date) as the delay
 *   <li>5xx: {@link Reason#REMOTE_ERROR}, retryable
 *   <li>401, 403: {@link Reason#AUTH_REJECTED}, permanent
 *   <li>other 4xx (and anything else not 2xx): {@link Reason#REJECTED}, permanent
 *   <li>{@link SSLException}: {@link Reason#TLS_FAILED}, permanent; but a connection the peer
 *       closed during the handshake is {@link Reason#CONNECTION_FAILED}, retryable
 *   <li>timeouts ({@link InterruptedIOException}): {@link Reason#TIMEOUT}, retryable
 *   <li>{@link EgressDeniedException} anywhere in the failure: {@link Reason#EGRESS_DENIED},
 *       permanent, naming the address and the rule
 *   <li>any other {@link IOException}: {@link Reason#CONNECTION_FAILED}, retryable
 * </ul>
 *
 * Details name the method, the URL as {@code scheme://host:port/path} and the status; never a
 * header, a body or a query.
 */
public final class HttpOutcomes {
  private HttpOutcomes() {}

  /**
   * Executes the request within the deadline (the call's timeout is set to the time left) and maps
   * the outcome. The response body is not read; channels that must inspect it use {@link #newCall}
   * and {@link #ofResponse} themselves.
   */
  public static SendResult execute(
      OkHttpClient client, Request request, Instant deadline, Clock clock) {
    Call call;
    try {
      call = newCall(client, request, deadline, clock);
    } catch (DeadlinePassedException e) {
      return deadlinePassed(request);
    }
    try (Response response = call.execute()) {
      return ofResponse(response, clock);
    } catch (IOException e) {
      return ofException(request, e);
    }
  }

  /**
   * A call whose timeout is the time left until {@code deadline} (or the client's call timeout if
   * that is shorter).
   *
   * @throws DeadlinePassedException when no time is left
   */
  public static Call newCall(OkHttpClient client, Request request, Instant deadline, Clock clock) {
    long left = Duration.between(clock.instant(), deadline).toMillis();
    if (left <= 0) {
      throw new DeadlinePassedException();
    }
    long configured = client.callTimeoutMillis();
    Call call = client.newCall(request);
    call.timeout()
        .timeout(configured > 0 ? Math.min(left, configured) : left, TimeUnit.MILLISECONDS);
    return call;
  }

  /** The result of a send whose deadline passed before it started. */
  public static SendResult.Failed deadlinePassed(Request request) {
    return SendResult.retryable(
        Reason.TIMEOUT, describe(request) + ": deadline passed before sending");
  }

  /** Maps a reply by its status code. */
  public static SendResult ofResponse(Response response, Clock clock) {
    int code = response.code();
    String what = describe(response.request()) + ": HTTP " + code + message(response);
    if (code >= 200 && code < 300) {
      return SendResult.delivered(what);
    }
    if (code == 429) {
      Duration after = retryAfter(response.header("Retry-After"), clock);
      return after == null
          ? SendResult.retryable(Reason.RATE_LIMITED, what)
          : SendResult.retryAfter(Reason.RATE_LIMITED, after, what);
    }
    if (code >= 500) {
      return SendResult.retryable(Reason.REMOTE_ERROR, what);
    }
    if (code == 401 || code == 403) {
      return SendResult.permanent(Reason.AUTH_REJECTED, what);
    }
    return SendResult.permanent(Reason.REJECTED, what);
  }

  /** Maps a transport failure. */
  public static SendResult.Failed ofException(Request request, IOException e) {
    String what = describe(request);
    EgressDeniedException denied = EgressDeniedException.find(e);
    if (denied != null) {
      // Refused before connecting: nothing of the remote (banner, status, reason) can be shown.
      return SendResult.egressDenied(what, denied);
    }
    String cause = e.getClass().getSimpleName() + cause(e, request.url());
    if (e instanceof SSLException && closedByPeer(e)) {
      // The peer hung up mid-handshake: the network or the remote, not a certificate problem.
      return SendResult.retryable(
          Reason.CONNECTION_FAILED, what + ": connection closed during TLS: " + cause);
    }
    if (e instanceof SSLException) {
      return SendResult.permanent(
          Reason.TLS_FAILED, what + ": TLS handshake or certificate check failed: " + cause);
    }
    if (e instanceof InterruptedIOException) {
      return SendResult.retryable(Reason.TIMEOUT, what + ": timed out: " + cause);
    }
    if (e instanceof ConnectException || e instanceof UnknownHostException) {
      return SendResult.retryable(Reason.CONNECTION_FAILED, what + ": cannot connect: " + cause);
    }
    return SendResult.retryable(Reason.CONNECTION_FAILED, what + ": connection failed: " + cause);
  }

  private static boolean closedByPeer(Throwable e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof java.io.EOFException || t instanceof java.net.SocketException) {
        return true;
      }
    }
    return false;
  }

  /**
   * The delay of a {@code Retry-After} header: whole seconds or an HTTP date (a date in the past
   * gives zero); {@code null} when absent or unreadable.
   */
  public static @Nullable Duration retryAfter(@Nullable String value, Clock clock) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    if (v.matches("[0-9]{1,9}")) {
      return Duration.ofSeconds(Long.parseLong(v));
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(clock.instant(), at);
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** {@code scheme://host:port/path} of a URL: no user info, query or fragment. */
  public static String redactedUrl(HttpUrl url) {
    return Redaction.url(url);
  }

  private static String describe(Request request) {
    return request.method() + " " + Redaction.url(request.url());
  }

  private static String message(Response response) {
    String m = response.message();
    return m.isBlank() ? "" : " " + m;
  }

  private static String cause(IOException e, HttpUrl url) {
    String m = Redaction.message(e.getMessage(), url);
    return m.isEmpty() ? "" : " (" + m + ")";
  }

  /** The deadline of a send had passed before the call could start. */
  public static final class DeadlinePassedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DeadlinePassedException() {
      super("deadline passed", null, false, false);
    }
  }
}
