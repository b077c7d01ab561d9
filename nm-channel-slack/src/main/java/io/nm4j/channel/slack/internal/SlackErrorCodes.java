package io.nm4j.channel.slack.internal;

import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the {@code error} of a Slack reply ({@code {"ok": false, "error": "..."}}) means for a
 * delivery. Codes not listed are permanent {@link Reason#REJECTED}: Slack documents new codes for
 * malformed or refused requests far more often than for transient trouble.
 */
public final class SlackErrorCodes {
  private static final Map<String, Outcome> OUTCOMES = new HashMap<>();

  static {
    for (String code :
        new String[] {
          "not_authed",
          "invalid_auth",
          "account_inactive",
          "token_revoked",
          "token_expired",
          "no_permission",
          "missing_scope",
          "not_allowed_token_type",
          "access_denied",
          "ekm_access_denied",
          "org_login_required",
          "team_access_not_granted",
          "two_factor_setup_required"
        }) {
      OUTCOMES.put(code, new Outcome(Reason.AUTH_REJECTED, false));
    }
    for (String code :
        new String[] {
          "channel_not_found",
          "not_in_channel",
          "is_archived",
          "restricted_action",
          "restricted_action_read_only_channel",
          "restricted_action_thread_only_channel",
          "restricted_action_non_threadable_channel",
          "cannot_reply_to_message"
        }) {
      OUTCOMES.put(code, new Outcome(Reason.INVALID_RECIPIENT, false));
    }
    OUTCOMES.put("msg_too_long", new Outcome(Reason.TOO_LARGE, false));
    OUTCOMES.put("msg_blocks_too_long", new Outcome(Reason.TOO_LARGE, false));
    for (String code : new String[] {"ratelimited", "rate_limited", "message_limit_exceeded"}) {
      OUTCOMES.put(code, new Outcome(Reason.RATE_LIMITED, true));
    }
    for (String code :
        new String[] {
          "internal_error",
          "fatal_error",
          "service_unavailable",
          "request_timeout",
          "team_added_to_org"
        }) {
      OUTCOMES.put(code, new Outcome(Reason.REMOTE_ERROR, true));
    }
  }

  private SlackErrorCodes() {}

  /**
   * The result of an error code.
   *
   * @param code the reply's {@code error}
   * @param retryAfter the delay of a {@code Retry-After} header of the reply, if any; used only for
   *     retryable codes
   * @param detail what to report, naming the request and the code
   */
  public static SendResult.Failed failure(
      String code, @Nullable Duration retryAfter, String detail) {
    Outcome o = OUTCOMES.getOrDefault(code, new Outcome(Reason.REJECTED, false));
    if (!o.retryable()) {
      return SendResult.permanent(o.reason(), detail);
    }
    return retryAfter == null
        ? SendResult.retryable(o.reason(), detail)
        : SendResult.retryAfter(o.reason(), retryAfter, detail);
  }

  private record Outcome(Reason reason, boolean retryable) {}
}
