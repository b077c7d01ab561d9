package io.nm4j.http;

import io.nm4j.http.internal.Redaction;
import io.nm4j.spi.EgressDeniedException;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.spi.TextSplitter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * The shared mapping from HTTP outcomes to {@link SendResult}, so every HTTP channel classifies
 * replies and transport failures alike:
 *
 * <ul>
 *   <li>2xx: delivered
 *   <li>429: {@link Reason#RATE_LIMITED}, retryable, with {@code Retry-After} (seconds or an HTTP
 *       date) as the delay
 *   <li>3xx: {@link Reason#REJECTED}, permanent, naming the {@code Location} without its query;
 *       redirects are never followed (see {@link HttpClientFactory})
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
 * header, a body or a query. {@link HttpExchange} runs one request within a deadline and gives the
 * reply to channels that read its body.
 */
public final class HttpOutcomes {
  private static final Pattern NOT_PLAIN = Pattern.compile("[^\\p{L}\\p{N} :,._'()\\[\\]/-]");

  private HttpOutcomes() {}

  /**
   * Executes the request within the deadline (the call's timeout is set to the time left) and maps
   * the outcome by its status. The reply's body is not read.
   */
  public static SendResult execute(
      OkHttpClient client, Request request, Instant deadline, Clock clock) {
    HttpExchange exchange = HttpExchange.run(client, request, deadline, clock, 0);
    return exchange instanceof HttpExchange.Reply reply
        ? reply.byStatus(clock)
        : ((HttpExchange.Failure) exchange).failure();
  }

  /** Maps a reply by its status code. */
  static SendResult ofStatus(HttpExchange.Reply reply, Clock clock) {
    int code = reply.code();
    String what =
        describe(reply.request())
            + ": HTTP "
            + code
            + (reply.message().isBlank() ? "" : " " + reply.message());
    if (reply.isSuccessful()) {
      return SendResult.delivered(what);
    }
    if (code == 429) {
      Duration after = reply.retryAfter(clock);
      return after == null
          ? SendResult.retryable(Reason.RATE_LIMITED, what)
          : SendResult.retryAfter(Reason.RATE_LIMITED, after, what);
    }
    if (code >= 500) {
      return SendResult.retryable(Reason.REMOTE_ERROR, what);
    }
    if (code >= 300 && code < 400) {
      return SendResult.permanent(Reason.REJECTED, what + ": " + redirect(reply));
    }
    if (code == 401 || code == 403) {
      return SendResult.permanent(Reason.AUTH_REJECTED, what);
    }
    return SendResult.permanent(Reason.REJECTED, what);
  }

  /** Where a redirect pointed, as {@code scheme://host:port/path}: its query may hold a token. */
  private static String redirect(HttpExchange.Reply reply) {
    String location = reply.header("Location");
    if (location == null || location.isBlank()) {
      return "redirect without a Location, not followed";
    }
    HttpUrl target = reply.request().url().resolve(location.trim());
    return target == null
        ? "redirect to an unusable Location, not followed"
        : "redirect to " + Redaction.url(target) + " not followed";
  }

  /** Maps a transport failure. */
  public static SendResult.Failed ofException(Request request, IOException e) {
    String what = describe(request);
    EgressDeniedException denied = EgressDeniedException.find(e);
    if (denied != null) {
      // Refused before connecting: nothing of the remote (banner, status, reason) can be shown.
      return SendResult.egressDenied(what, denied);
    }
    String cause = cause(e, request);
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
    if (e instanceof UnknownHostException) {
      return SendResult.retryable(
          Reason.CONNECTION_FAILED, what + ": cannot resolve " + request.url().host());
    }
    if (e instanceof ConnectException) {
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

  /** {@code scheme://host:port/path} of a URL: no user info, query or fragment. */
  public static String redactedUrl(HttpUrl url) {
    return Redaction.url(url);
  }

  /**
   * {@code POST scheme://host:port/path}: the method and the {@link #redactedUrl}, with the path
   * its {@link SecretPath} mark shows when it has one.
   */
  public static String describe(Request request) {
    return request.method() + " " + Redaction.target(request);
  }

  /**
   * What of a remote's own message (an {@code errmsg}, a {@code description}) a detail repeats:
   * letters, digits and plain punctuation, anything else as {@code ?}, at most {@code maxChars}
   * characters, ending in an ellipsis when cut. A remote may echo what it was sent, so its message
   * is never repeated as it came.
   */
  public static String remoteMessage(String raw, int maxChars) {
    return TextSplitter.ellipsize(NOT_PLAIN.matcher(raw).replaceAll("?"), maxChars);
  }

  /** What went wrong in the exception's own words, redacted; its type only when it has none. */
  private static String cause(IOException e, Request request) {
    String m = Redaction.message(e.getMessage(), request);
    return m.isEmpty() ? e.getClass().getSimpleName() : m;
  }
}
