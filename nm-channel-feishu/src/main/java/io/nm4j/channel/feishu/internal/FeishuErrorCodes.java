package io.nm4j.channel.feishu.internal;

import io.nm4j.spi.AlertFormat;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.spi.TextSplitter;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Feishu's codes, as its open platform documents them, mapped to results.
 *
 * <ul>
 *   <li>{@code 11232} (custom bot frequency limit: 100 a minute and 5 a second per bot) and {@code
 *       99991400} (API frequency limit) are {@code RATE_LIMITED}, retryable; {@code 9499} is "Bad
 *       Request" (a body over 20 KB, a wrong shape) unless its message says too many requests;
 *   <li>{@code 19021} (signature check failed, or the timestamp is more than an hour off) and
 *       {@code 19022} (IP not allowed) are {@code AUTH_REJECTED}, {@code 19024} (no keyword in the
 *       message) {@code REJECTED}, all permanent;
 *   <li>{@code 99991661}, {@code 99991663}, {@code 99991668}: the tenant access token is missing,
 *       invalid or expired; the channel fetches a new one once, then it is {@code AUTH_REJECTED};
 *   <li>any other code is {@code REJECTED}, permanent.
 * </ul>
 */
public final class FeishuErrorCodes {
  /** Codes of a tenant access token that is missing, invalid or expired. */
  public static final Set<Integer> TOKEN_INVALID = Set.of(99991661, 99991663, 99991668);

  static final int BOT_FREQUENCY_LIMIT = 11232;
  static final int API_FREQUENCY_LIMIT = 99991400;
  static final int BAD_REQUEST = 9499;
  static final int SIGN_MISMATCH = 19021;
  static final int IP_NOT_ALLOWED = 19022;
  static final int KEYWORDS_NOT_FOUND = 19024;

  private FeishuErrorCodes() {}

  /**
   * The result of a reply to a message call.
   *
   * @param what the call, as {@code HttpOutcomes.describe} gives it
   * @param retryAfter the delay the reply's headers ask for, if any
   */
  public static SendResult message(String what, FeishuReply reply, @Nullable Duration retryAfter) {
    int code = reply.code();
    if (code == 0) {
      return SendResult.delivered(what + ": code 0");
    }
    String detail = what + ": code " + code + " " + shown(reply.msg());
    if (code == BOT_FREQUENCY_LIMIT
        || code == API_FREQUENCY_LIMIT
        || (code == BAD_REQUEST && reply.msg().toLowerCase(Locale.ROOT).contains("too many"))) {
      return retryAfter == null
          ? SendResult.retryable(Reason.RATE_LIMITED, detail)
          : SendResult.retryAfter(Reason.RATE_LIMITED, retryAfter, detail);
    }
    if (code == SIGN_MISMATCH) {
      return SendResult.permanent(
          Reason.AUTH_REJECTED,
          detail + " (the signing secret is wrong, or this host's clock is off by an hour)");
    }
    if (code == IP_NOT_ALLOWED || TOKEN_INVALID.contains(code)) {
      return SendResult.permanent(Reason.AUTH_REJECTED, detail);
    }
    if (code == KEYWORDS_NOT_FOUND) {
      return SendResult.permanent(
          Reason.REJECTED, detail + " (the message holds none of the bot's keywords)");
    }
    return SendResult.permanent(Reason.REJECTED, detail);
  }

  /** The result of a token reply that holds no token. */
  public static SendResult.Failed token(
      String what, FeishuReply reply, @Nullable Duration retryAfter) {
    String detail =
        what + ": no tenant access token: code " + reply.code() + " " + shown(reply.msg());
    if (reply.code() == API_FREQUENCY_LIMIT) {
      return retryAfter == null
          ? SendResult.retryable(Reason.RATE_LIMITED, detail)
          : SendResult.retryAfter(Reason.RATE_LIMITED, retryAfter, detail);
    }
    return SendResult.permanent(Reason.AUTH_REJECTED, detail);
  }

  /** The remote's message on one line and bounded: it is the remote's text. */
  private static String shown(String msg) {
    return TextSplitter.ellipsize(AlertFormat.oneLine(msg), 200);
  }
}
