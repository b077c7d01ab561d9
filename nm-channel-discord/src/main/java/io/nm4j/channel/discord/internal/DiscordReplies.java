package io.nm4j.channel.discord.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.http.HttpOutcomes;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a reply to a webhook execution means. With {@code ?wait=true} Discord answers 200 and the
 * message it created; errors carry {@code {"code": <JSON error code>, "message": "..."}}
 * (https://discord.com/developers/docs/topics/opcodes-and-status-codes#json), and a 429 carries
 * {@code {"message": ..., "retry_after": <seconds, a float>, "global": <bool>}} besides {@code
 * Retry-After} and {@code X-RateLimit-Reset-After} headers
 * (https://discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit).
 */
public final class DiscordReplies {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_MESSAGE = 120;

  /** Unknown Webhook: deleted, or never existed. */
  static final int UNKNOWN_WEBHOOK = 10015;

  /** Invalid Webhook Token. */
  static final int INVALID_WEBHOOK_TOKEN = 50027;

  private DiscordReplies() {}

  /**
   * The result of one execution's reply.
   *
   * @param status the HTTP status
   * @param body the start of the reply's body
   * @param resetAfter the {@code X-RateLimit-Reset-After} header, if any
   * @param retryAfterHeader the delay of the {@code Retry-After} header, if any
   * @param what the request, redacted
   */
  public static SendResult of(
      int status,
      String body,
      @Nullable String resetAfter,
      @Nullable Duration retryAfterHeader,
      String what) {
    JsonNode reply = parse(body);
    if (status >= 200 && status < 300) {
      String id = reply == null ? "" : reply.path("id").asText("");
      return SendResult.delivered(
          what + ": HTTP " + status + (id.matches("[0-9]{1,20}") ? ", message " + id : ""));
    }
    int code = reply == null ? 0 : reply.path("code").asInt(0);
    String detail =
        what
            + ": HTTP "
            + status
            + (code == 0 ? "" : ", Discord error " + code)
            + (reply == null ? "" : " " + message(reply.path("message").asText("")));
    if (status == 429) {
      Duration wait = seconds(reply == null ? null : reply.get("retry_after"));
      if (wait == null) {
        wait = seconds(resetAfter);
      }
      if (wait == null) {
        wait = retryAfterHeader;
      }
      return wait == null
          ? SendResult.retryable(Reason.RATE_LIMITED, detail)
          : SendResult.retryAfter(Reason.RATE_LIMITED, wait, detail);
    }
    if (status >= 500) {
      return SendResult.retryable(Reason.REMOTE_ERROR, detail);
    }
    if (status == 404 || code == UNKNOWN_WEBHOOK) {
      return SendResult.permanent(Reason.INVALID_RECIPIENT, detail);
    }
    if (status == 401 || status == 403 || code == INVALID_WEBHOOK_TOKEN) {
      return SendResult.permanent(Reason.AUTH_REJECTED, detail);
    }
    if (status == 413) {
      return SendResult.permanent(Reason.TOO_LARGE, detail);
    }
    return SendResult.permanent(Reason.REJECTED, detail);
  }

  /** A delay in seconds, possibly fractional, rounded up to the millisecond. */
  private static @Nullable Duration seconds(@Nullable Object value) {
    double s;
    if (value instanceof JsonNode n && n.isNumber()) {
      s = n.asDouble();
    } else if (value instanceof String text && text.matches("[0-9]{1,9}(\\.[0-9]{1,6})?")) {
      s = Double.parseDouble(text);
    } else {
      return null;
    }
    return s < 0 ? null : Duration.ofMillis((long) Math.ceil(s * 1000));
  }

  private static @Nullable JsonNode parse(String body) {
    try {
      JsonNode node = MAPPER.readTree(body);
      return node != null && node.isObject() ? node : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** Discord's message, reduced to plain words and bounded, quoted. */
  private static String message(String raw) {
    return "\"" + HttpOutcomes.remoteMessage(raw, MAX_MESSAGE) + "\"";
  }
}
