package io.nm4j.channel.dingtalk.internal;

import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import java.time.Duration;
import java.util.Set;

/**
 * What DingTalk's {@code errcode} values mean for a delivery. HTTP-level outcomes (non-2xx,
 * transport failures) are mapped by {@link io.nm4j.http.HttpOutcomes} before a body is read.
 */
public final class DingTalkErrorCodes {
  /**
   * A robot that sends more than 20 messages a minute is throttled for ten minutes
   * (https://open.dingtalk.com/document/robots/custom-robot-access, "消息发送频率限制").
   */
  public static final Duration TOO_FAST_RETRY_AFTER = Duration.ofMinutes(10);

  /** A robot's "sent too fast": more than 20 messages in a minute. */
  public static final long TOO_FAST = 130101;

  /** Codes of an invalid ({@code 40014}) or expired ({@code 42001}) access token. */
  public static final Set<Long> TOKEN_EXPIRED = Set.of(40014L, 42001L);

  private DingTalkErrorCodes() {}

  /** A reply of a custom robot ({@code POST <webhook>}). */
  public static SendResult robot(String what, DingTalkReply reply) {
    String detail = what + ": " + reply.describe();
    int code = (int) reply.errcode();
    return switch (code) {
      case 0 -> SendResult.delivered(detail);
      case 130101 ->
          SendResult.retryAfter(
              Reason.RATE_LIMITED,
              TOO_FAST_RETRY_AFTER,
              detail + ": sent too fast, the robot is throttled for ten minutes");
      case 310000 ->
          SendResult.permanent(
              Reason.AUTH_REJECTED,
              detail
                  + ": the robot's security settings (keywords, signature or IP list) refused it");
      case 300001, 300005 ->
          SendResult.permanent(
              Reason.AUTH_REJECTED, detail + ": the webhook's access token is invalid");
      case 400102 ->
          SendResult.permanent(Reason.INVALID_RECIPIENT, detail + ": the robot is disabled");
      case 460101 -> SendResult.permanent(Reason.TOO_LARGE, detail + ": message too long");
      case -1 -> SendResult.retryable(Reason.REMOTE_ERROR, detail + ": DingTalk is busy");
      default -> SendResult.permanent(Reason.REJECTED, detail);
    };
  }

  /** A failed {@code gettoken} reply (non-zero errcode, or no token). */
  public static SendResult.Failed token(String what, DingTalkReply reply) {
    String detail = what + ": " + reply.describe();
    if (reply.errcode() == -1) {
      return SendResult.retryable(Reason.REMOTE_ERROR, detail + ": DingTalk is busy");
    }
    if (reply.errcode() == 0) {
      return SendResult.retryable(Reason.REMOTE_ERROR, detail + ": reply without access_token");
    }
    // 40089 (invalid app key or secret), 88 (authentication) and the like: the credentials.
    return SendResult.permanent(
        Reason.AUTH_REJECTED, detail + ": the app key or app secret was refused");
  }

  /** A reply of {@code chat/send}, after any token refresh. */
  public static SendResult chat(String what, DingTalkReply reply) {
    String detail = what + ": " + reply.describe();
    long code = reply.errcode();
    if (code == 0) {
      return SendResult.delivered(detail);
    }
    if (code == -1) {
      return SendResult.retryable(Reason.REMOTE_ERROR, detail + ": DingTalk is busy");
    }
    if (TOKEN_EXPIRED.contains(code)) {
      return SendResult.permanent(
          Reason.AUTH_REJECTED, detail + ": a freshly fetched access token was refused too");
    }
    if (code == 88) {
      return SendResult.permanent(Reason.AUTH_REJECTED, detail + ": not authorised");
    }
    return SendResult.permanent(Reason.REJECTED, detail);
  }
}
