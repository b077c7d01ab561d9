package io.nm4j.spi;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one send: delivered, or failed with a closed {@link Reason}, whether trying again
 * may help, an optional delay the remote asked for, and a detail that never holds a secret.
 */
public sealed interface SendResult permits SendResult.Delivered, SendResult.Failed {

  static Delivered delivered() {
    return new Delivered("");
  }

  static Delivered delivered(String detail) {
    return new Delivered(detail);
  }

  /** A failure that may succeed when tried again (network, 5xx, busy). */
  static Failed retryable(Reason reason, String detail) {
    return new Failed(reason, true, null, detail);
  }

  /** A failure the remote asked to retry no sooner than {@code after} (HTTP 429 Retry-After). */
  static Failed retryAfter(Reason reason, Duration after, String detail) {
    return new Failed(reason, true, after, detail);
  }

  /** A failure that trying again cannot fix (bad credentials, unknown recipient). */
  static Failed permanent(Reason reason, String detail) {
    return new Failed(reason, false, null, detail);
  }

  /**
   * The permanent {@link Reason#MISSING_SECRET} failure of a secret reference with no value, named
   * the same by every channel: {@code <where>: secret "<name>" has no key "<key>" (or does not
   * exist)}.
   *
   * @param where what holds the reference, e.g. {@code "EmailConfig/team-a: spec.authPassword"}
   */
  static Failed missingSecret(String where, SecretKeySelector ref) {
    return permanent(
        Reason.MISSING_SECRET,
        where
            + ": secret \""
            + ref.name()
            + "\" has no key \""
            + ref.key()
            + "\" (or does not exist)");
  }

  /** The permanent {@link Reason#EGRESS_DENIED} failure of a refused connection. */
  static Failed egressDenied(String where, EgressDeniedException e) {
    return permanent(Reason.EGRESS_DENIED, where + ": egress denied: " + e.getMessage());
  }

  /**
   * Delivered.
   *
   * @param detail what the remote said, e.g. partial failures; may be empty
   */
  record Delivered(String detail) implements SendResult {
    public Delivered {
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * Not delivered, or not completely.
   *
   * @param reason why, from a closed set so hosts can switch on it
   * @param retryable whether trying again may help
   * @param retryAfter the delay the remote asked for, if any
   * @param detail a readable explanation without secrets
   * @param progress what was delivered all the same (parts, recipients, targets), so that the next
   *     attempt sends only the rest; the core adds it to what earlier attempts reported and passes
   *     the sum back as {@link SendRequest#progress()}. {@link SendProgress#NONE} when nothing was
   */
  record Failed(
      Reason reason,
      boolean retryable,
      @Nullable Duration retryAfter,
      String detail,
      SendProgress progress)
      implements SendResult {
    public Failed {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(progress, "progress");
    }

    /** A failure that delivered nothing. */
    public Failed(Reason reason, boolean retryable, @Nullable Duration retryAfter, String detail) {
      this(reason, retryable, retryAfter, detail, SendProgress.NONE);
    }

    /** This failure with another detail, e.g. prefixed with the config's name. */
    public Failed withDetail(String detail) {
      return new Failed(reason, retryable, retryAfter, detail, progress);
    }

    /** This failure reporting what its send delivered all the same. */
    public Failed withProgress(SendProgress progress) {
      return new Failed(reason, retryable, retryAfter, detail, progress);
    }
  }

  /** Why a delivery failed. */
  enum Reason {
    /** The receiver has no config of its kind, selected or default. */
    NO_CONFIG,
    /** A referenced secret, or its key, does not exist. */
    MISSING_SECRET,
    /** No channel sends this receiver kind (a model-only provider). */
    NO_CHANNEL,
    /** The remote rejected the credentials. */
    AUTH_REJECTED,
    /** The remote rejected a recipient, channel or chat. */
    INVALID_RECIPIENT,
    /** The remote rejected the request itself (bad request, other 4xx, API error). */
    REJECTED,
    /** The message is larger than the remote accepts even after splitting. */
    TOO_LARGE,
    /** The remote asked to slow down (HTTP 429, "too fast" codes). */
    RATE_LIMITED,
    /**
     * Nothing more was sent: an endpoint's rate limit, or the remote's penalty for going too fast,
     * has no permit free before the failure's {@code retryAfter} ({@link RatePermits#waitFor}). The
     * core waits that long and tries again without counting it as an attempt; the notification's
     * max age still bounds the wait.
     */
    AWAITING_PERMIT,
    /** The remote failed (HTTP 5xx, "busy" codes). */
    REMOTE_ERROR,
    /** No connection could be made (DNS, refused, reset). */
    CONNECTION_FAILED,
    /** TLS handshake or certificate verification failed. */
    TLS_FAILED,
    /** The send's {@link EgressPolicy} refused the destination's address; nothing was sent. */
    EGRESS_DENIED,
    /** The send took longer than its timeout. */
    TIMEOUT,
    /** The dispatcher's queue for the receiver was full. */
    QUEUE_FULL,
    /** Retries ran out of time (max age) before a delivery succeeded. */
    EXPIRED,
    /** The manager shut down before the delivery was done. */
    SHUTDOWN,
    /** The channel failed unexpectedly (a bug); the detail says how. */
    INTERNAL
  }
}
