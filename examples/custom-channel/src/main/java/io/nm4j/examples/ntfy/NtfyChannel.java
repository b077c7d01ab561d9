package io.nm4j.examples.ntfy;

import io.nm4j.examples.ntfy.internal.HttpPost;
import io.nm4j.examples.ntfy.internal.NtfyMessage;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.EgressDeniedException;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * Publishes a notification to its receiver's ntfy topic: {@code POST <server>/<topic>} with the
 * alerts as a text body, a {@code Title}, {@code Tags}, the receiver's {@code Priority} and, when
 * the config has a token, {@code Authorization: Bearer <token>}.
 *
 * <p>It reports, the core decides: one attempt per call, never a retry or a sleep. ntfy answers 200
 * with the message as JSON, or an error status with {@code {"code": 40301, "http": 403, "error":
 * "forbidden"}}: 401 and 403 are permanent {@code AUTH_REJECTED}, 429 a retryable {@code
 * RATE_LIMITED}, 413 a permanent {@code TOO_LARGE}, an invalid topic a permanent {@code
 * INVALID_RECIPIENT}, other 4xx a permanent {@code REJECTED}, 5xx a retryable {@code REMOTE_ERROR}.
 *
 * <p>The server is named by the config, so a tenant's config connects only where the tenant's
 * egress policy allows: every connection goes through the send's {@link
 * io.nm4j.spi.EgressPolicy#socketFactory()}. Thread-safe; it holds no connection between sends.
 */
public final class NtfyChannel implements Channel<NtfyReceiver, NtfyConfig> {
  /** One message per call, as much of the notification as fits ntfy's text limit. */
  static final ChannelLimits LIMITS = new ChannelLimits(NtfyMessage.MAX_BODY_BYTES, 1, null);

  private static final Pattern ERROR_CODE = Pattern.compile("\"code\"\\s*:\\s*([0-9]{1,6})");
  private static final Pattern ERROR_TEXT =
      Pattern.compile("\"error\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.){1,200})\"");
  private static final Pattern MESSAGE_ID =
      Pattern.compile("\"id\"\\s*:\\s*\"([A-Za-z0-9]{1,32})\"");

  private final HttpPost http;
  private final Clock clock;

  NtfyChannel(SSLSocketFactory tls, Clock clock) {
    this.http = new HttpPost(tls, clock);
    this.clock = clock;
  }

  @Override
  public ChannelLimits limits(NtfyConfig config) {
    return LIMITS;
  }

  @Override
  public SendResult send(SendRequest<NtfyReceiver, NtfyConfig> request) {
    String config = request.configName("NtfyConfig");
    URI url = topicUrl(request.config().server(), request.receiver().topic());
    String what = "POST " + url;
    Map<String, String> headers = new LinkedHashMap<>();
    SecretKeySelector tokenRef = request.config().accessToken();
    if (tokenRef != null) {
      String where = config + ": " + NtfyConfig.ACCESS_TOKEN_FIELD;
      Secret token = request.secret(NtfyConfig.ACCESS_TOKEN_FIELD);
      if (token == null) {
        return SendResult.missingSecret(where, tokenRef);
      }
      // A token written with "echo" ends with a line break; nothing else but visible ASCII fits.
      String value = token.reveal().strip();
      if (value.isEmpty()) {
        return SendResult.permanent(
            Reason.MISSING_SECRET, where + ": secret \"" + tokenRef.name() + "\" is empty");
      }
      if (!value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        return SendResult.permanent(
            Reason.REJECTED, where + ": the token holds characters an HTTP header cannot carry");
      }
      headers.put("Authorization", "Bearer " + value);
    }
    NtfyMessage message = NtfyMessage.of(request.notification(), request.receiver().tags());
    headers.put("User-Agent", "nm4j-example-ntfy");
    headers.put("Content-Type", "text/plain; charset=utf-8");
    headers.put("Title", headerText(message.title()));
    headers.put("Tags", String.join(",", message.tags()));
    if (request.receiver().priority() != null) {
      headers.put("Priority", request.receiver().priority());
    }
    if (!request.origin().isEmpty()) {
      headers.put(SendRequest.ORIGIN_HEADER, request.origin());
    }
    if (!clock.instant().isBefore(request.deadline())) {
      return SendResult.retryable(Reason.TIMEOUT, what + ": deadline passed before sending");
    }
    try {
      HttpPost.Reply reply =
          http.post(
              url,
              headers,
              message.body().getBytes(StandardCharsets.UTF_8),
              request.egress(),
              request.deadline());
      return outcome(what, reply);
    } catch (IOException e) {
      return failure(what, e);
    }
  }

  /** {@code <server>/<topic>}; the topic's characters need no escaping. */
  static URI topicUrl(URI server, String topic) {
    String base = server.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + "/" + topic);
  }

  /** ntfy reads RFC 2047 in any header, so a title that is not ASCII travels as Base64 UTF-8. */
  static String headerText(String text) {
    boolean ascii = text.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    return ascii
        ? text
        : "=?UTF-8?B?"
            + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8))
            + "?=";
  }

  private SendResult outcome(String what, HttpPost.Reply reply) {
    int status = reply.status();
    if (status >= 200 && status < 300) {
      Matcher id = MESSAGE_ID.matcher(reply.body());
      return SendResult.delivered(
          what + ": HTTP " + status + (id.find() ? ", message " + id.group(1) : ""));
    }
    String detail = what + ": HTTP " + status + ntfyError(reply.body());
    if (status == 429) {
      Duration after = retryAfter(reply.header("Retry-After"));
      return after == null
          ? SendResult.retryable(Reason.RATE_LIMITED, detail)
          : SendResult.retryAfter(Reason.RATE_LIMITED, after, detail);
    }
    if (status >= 500) {
      return SendResult.retryable(Reason.REMOTE_ERROR, detail);
    }
    if (status == 401 || status == 403) {
      return SendResult.permanent(Reason.AUTH_REJECTED, detail);
    }
    if (status == 413) {
      return SendResult.permanent(Reason.TOO_LARGE, detail);
    }
    String code = errorCode(reply.body());
    if ("40009".equals(code) || "40010".equals(code)) {
      // topic invalid, topic disallowed
      return SendResult.permanent(Reason.INVALID_RECIPIENT, detail);
    }
    // Other 4xx, and any 1xx or 3xx: a publish is never redirected.
    return SendResult.permanent(Reason.REJECTED, detail);
  }

  /** {@code : ntfy error 40301 forbidden}, from ntfy's error JSON; empty for another body. */
  private static String ntfyError(String body) {
    String code = errorCode(body);
    Matcher text = ERROR_TEXT.matcher(body);
    String message = text.find() ? " " + text.group(1).replace("\\\"", "\"") : "";
    if (code == null && message.isEmpty()) {
      return "";
    }
    return ": ntfy error" + (code == null ? "" : " " + code) + message;
  }

  private static @Nullable String errorCode(String body) {
    Matcher code = ERROR_CODE.matcher(body);
    return code.find() ? code.group(1) : null;
  }

  /** Whole seconds; ntfy itself sends no {@code Retry-After}, a proxy in front of it may. */
  private static @Nullable Duration retryAfter(@Nullable String value) {
    return value != null && value.trim().matches("[0-9]{1,9}")
        ? Duration.ofSeconds(Long.parseLong(value.trim()))
        : null;
  }

  private static SendResult.Failed failure(String what, IOException e) {
    EgressDeniedException denied = EgressDeniedException.find(e);
    if (denied != null) {
      // Refused before connecting: nothing of the remote can be shown.
      return SendResult.egressDenied(what, denied);
    }
    String cause = e.getClass().getSimpleName();
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
      return SendResult.retryable(Reason.TIMEOUT, what + ": timed out");
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
}
