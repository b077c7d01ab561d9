package io.nm4j.channel.wechat.internal;

import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;

/**
 * What WeChat Work's {@code errcode} values mean for a delivery. Codes come from the global error
 * code list of the WeChat Work server API.
 */
public final class WechatErrorCodes {
  /** Success. */
  public static final int OK = 0;

  /** System busy. */
  public static final int BUSY = -1;

  /**
   * Invalid credential: a wrong secret at {@code gettoken}, or a token not (or no longer) valid.
   */
  public static final int INVALID_CREDENTIAL = 40001;

  /** Invalid access_token. */
  public static final int INVALID_TOKEN = 40014;

  /** access_token expired. */
  public static final int TOKEN_EXPIRED = 42001;

  /** Every recipient of the call is invalid or outside the app's visible range. */
  public static final int ALL_RECIPIENTS_INVALID = 81013;

  private WechatErrorCodes() {}

  /** Codes after which a fresh token may succeed: refresh once and resend. */
  public static boolean tokenRejected(int code) {
    return code == INVALID_CREDENTIAL || code == INVALID_TOKEN || code == TOKEN_EXPIRED;
  }

  /**
   * The failure of a non-zero code.
   *
   * @param code the reply's {@code errcode}
   * @param detail what to say, without secrets
   */
  public static SendResult.Failed failure(int code, String detail) {
    return switch (code) {
      case BUSY -> SendResult.retryable(Reason.REMOTE_ERROR, detail);
      // 45009: API call frequency; 45011: calling too often; 45033: too many concurrent calls.
      case 45009, 45011, 45033 -> SendResult.retryable(Reason.RATE_LIMITED, detail);
      // A token refused even when fresh: asked again later, a new token may be accepted.
      case TOKEN_EXPIRED -> SendResult.retryable(Reason.AUTH_REJECTED, detail);
      // 40013: invalid corp ID; 41002/41004: corp ID or secret missing; 60020: the caller's IP is
      // not among the app's trusted IPs.
      case INVALID_CREDENTIAL, INVALID_TOKEN, 40013, 41002, 41004, 60020 ->
          SendResult.permanent(Reason.AUTH_REJECTED, detail);
      // 40003: invalid user ID; 40031: invalid user list; 40066: invalid party list; 40068:
      // invalid tag ID; 40070: every tag or user ID invalid.
      case ALL_RECIPIENTS_INVALID, 40003, 40031, 40066, 40068, 40070 ->
          SendResult.permanent(Reason.INVALID_RECIPIENT, detail);
      // Content size out of limit.
      case 45002 -> SendResult.permanent(Reason.TOO_LARGE, detail);
      // 40056 (invalid agent ID), 60011 (no privilege) and anything else: the request is wrong.
      default -> SendResult.permanent(Reason.REJECTED, detail);
    };
  }
}
