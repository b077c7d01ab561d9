package io.nm4j.channel.telegram.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.http.HttpOutcomes;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What a Bot API reply means. Telegram answers {@code {"ok": true, "result": ...}} or {@code {"ok":
 * false, "error_code": <HTTP status>, "description": "...", "parameters": {"retry_after": s}}}
 * (https://core.telegram.org/bots/api#making-requests): the error code is the HTTP status, and
 * {@code parameters.retry_after} (https://core.telegram.org/bots/api#responseparameters) is how
 * many seconds to wait after a flood-control 429.
 */
public final class TelegramReplies {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Characters a description keeps: Telegram's own words, nothing an echo could smuggle in. */
  private static final int MAX_DESCRIPTION = 120;

  private TelegramReplies() {}

  /**
   * The result of one {@code sendMessage} reply.
   *
   * @param status the HTTP status
   * @param body the start of the reply's body
   * @param headerRetryAfter the delay of a {@code Retry-After} header, if any
   * @param what the request, already redacted ({@code POST
   *     https://api.telegram.org/bot<token>/...})
   * @param chat the chat the message was for
   */
  public static SendResult of(
      int status, String body, @Nullable Duration headerRetryAfter, String what, String chat) {
    JsonNode reply = parse(body);
    if (reply == null || !reply.path("ok").isBoolean()) {
      String detail = what + ": HTTP " + status + " without the Bot API's {\"ok\": ...} reply";
      if (status == 429) {
        return headerRetryAfter == null
            ? SendResult.retryable(Reason.RATE_LIMITED, detail)
            : SendResult.retryAfter(Reason.RATE_LIMITED, headerRetryAfter, detail);
      }
      // A 2xx that is not the Bot API's JSON comes from something in between (a proxy, a portal).
      return status >= 500 || (status >= 200 && status < 300)
          ? SendResult.retryable(Reason.REMOTE_ERROR, detail)
          : SendResult.permanent(status == 401 ? Reason.AUTH_REJECTED : Reason.REJECTED, detail);
    }
    if (reply.path("ok").booleanValue() && status >= 200 && status < 300) {
      long id = reply.path("result").path("message_id").asLong(0);
      return SendResult.delivered(what + ": sent to " + chat + (id == 0 ? "" : ", message " + id));
    }
    int code = reply.path("error_code").asInt(status);
    String description = description(reply.path("description").asText(""));
    String detail =
        what
            + ": HTTP "
            + status
            + ", Telegram error "
            + code
            + " "
            + description
            + " (chat "
            + chat
            + ")";
    String lower = description.toLowerCase(Locale.ROOT);
    if (code == 429) {
      JsonNode after = reply.path("parameters").path("retry_after");
      Duration wait = after.canConvertToLong() ? Duration.ofSeconds(after.asLong()) : null;
      if (wait == null) {
        wait = headerRetryAfter;
      }
      return wait == null
          ? SendResult.retryable(Reason.RATE_LIMITED, detail)
          : SendResult.retryAfter(Reason.RATE_LIMITED, wait, detail);
    }
    if (code >= 500) {
      return SendResult.retryable(Reason.REMOTE_ERROR, detail);
    }
    if (code == 401 || code == 404) {
      // A revoked or wrong token: the Bot API answers 401 Unauthorized, or 404 Not Found for a
      // token of the wrong shape.
      return SendResult.permanent(Reason.AUTH_REJECTED, detail);
    }
    if (code == 403
        || lower.contains("chat not found")
        || lower.contains("user not found")
        || lower.contains("upgraded to a supergroup")
        || lower.contains("not enough rights")) {
      // 403: the bot was blocked, kicked, or may not write to that chat; a group that became a
      // supergroup has a new ID (parameters.migrate_to_chat_id) the receiver must be given.
      return SendResult.permanent(Reason.INVALID_RECIPIENT, detail);
    }
    if (lower.contains("message is too long")) {
      return SendResult.permanent(Reason.TOO_LARGE, detail);
    }
    return SendResult.permanent(Reason.REJECTED, detail);
  }

  private static @Nullable JsonNode parse(String body) {
    try {
      JsonNode node = MAPPER.readTree(body);
      return node != null && node.isObject() ? node : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** Telegram's description, reduced to plain words and bounded, quoted. */
  private static String description(String raw) {
    return "\"" + HttpOutcomes.remoteMessage(raw, MAX_DESCRIPTION) + "\"";
  }
}
