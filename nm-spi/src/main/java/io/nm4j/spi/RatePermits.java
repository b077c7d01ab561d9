package io.nm4j.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Rate limits counted per endpoint: the robot, app or token that enforces a remote's limit. The
 * core gives every channel of a manager the same instance ({@link ChannelContext#permits()}), so
 * two configs that post to one robot share its budget. A channel takes one permit for every message
 * it posts, before posting it; when none is free it posts nothing more and reports the failure
 * {@link #waitFor} builds, with what it delivered as progress, and the dispatcher tries again when
 * the permit frees up, without counting the wait as an attempt.
 *
 * <p>A remote that punishes a client for going too fast (DingTalk throttles a robot for ten
 * minutes) is {@link #hold held}: until the hold ends no permit of that endpoint is given, so every
 * send to it waits instead of calling the remote and being refused again.
 *
 * <p>A sliding log, not a token bucket, because remotes such as DingTalk count calls in any minute,
 * and a bucket's burst at a window's edge would go over. Thread-safe.
 *
 * <p>Keys are the channel's choice; they should name the endpoint without a secret (a digest of a
 * webhook URL, {@link SendProgress#key(String...)}, not the URL).
 */
public final class RatePermits {
  /** Endpoints kept before idle ones are swept out. */
  private static final int SWEEP_AT = 4096;

  private final Map<String, Endpoint> endpoints = new HashMap<>();
  private final int replicas;

  /** Empty: no endpoint has taken a permit or is held; this server alone sends to them. */
  public RatePermits() {
    this(1);
  }

  /**
   * Empty, and counting for one of {@code replicas} servers that send to the same endpoints: each
   * endpoint's rate is cut to this server's {@link ChannelLimits.Rate#share share}, so the replicas
   * together stay within it.
   */
  public RatePermits(int replicas) {
    if (replicas < 1) {
      throw new IllegalArgumentException("replicas must be at least 1, was " + replicas);
    }
    this.replicas = replicas;
  }

  private static final class Endpoint {
    final ArrayDeque<Instant> log = new ArrayDeque<>();
    @Nullable Instant heldUntil;
    Duration window = Duration.ZERO;
  }

  /**
   * Takes {@code wanted} permits of {@code key}'s rate at {@code now}, all or none. With several
   * replicas the rate counted is this server's share of {@code whole}; a request for more permits
   * than the share has takes all of the share's.
   *
   * @param whole the endpoint's rate, as the remote enforces it on all replicas together
   * @return {@code null} when taken; else the earliest instant they may be free
   * @throws IllegalArgumentException when {@code wanted} is not 1..{@code whole.permits()}
   */
  public synchronized @Nullable Instant tryAcquire(
      String key, ChannelLimits.Rate whole, int wanted, Instant now) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(whole, "rate");
    Objects.requireNonNull(now, "now");
    if (wanted < 1 || wanted > whole.permits()) {
      throw new IllegalArgumentException(
          "permits must be 1.." + whole.permits() + ", was " + wanted);
    }
    ChannelLimits.Rate rate = whole.share(replicas);
    // a share smaller than one call's need could never be had: the call waits for all of it
    int permits = Math.min(wanted, rate.permits());
    if (endpoints.size() >= SWEEP_AT && !endpoints.containsKey(key)) {
      sweep(now);
    }
    Endpoint e = endpoints.computeIfAbsent(key, k -> new Endpoint());
    e.window = rate.per();
    if (e.heldUntil != null) {
      if (now.isBefore(e.heldUntil)) {
        return e.heldUntil;
      }
      e.heldUntil = null;
    }
    Instant windowStart = now.minus(rate.per());
    while (!e.log.isEmpty() && !e.log.peekFirst().isAfter(windowStart)) {
      e.log.pollFirst();
    }
    // After the limit was lowered the log may hold more than permits entries; the oldest of the
    // newest `permits` decides when a permit frees up.
    while (e.log.size() > rate.permits()) {
      e.log.pollFirst();
    }
    int free = rate.permits() - e.log.size();
    if (permits <= free) {
      for (int i = 0; i < permits; i++) {
        e.log.addLast(now);
      }
      return null;
    }
    // The permits missing free up when as many of the oldest entries leave the window.
    Iterator<Instant> oldest = e.log.iterator();
    Instant at = now;
    for (int i = 0; i < permits - free; i++) {
      at = oldest.next();
    }
    return at.plus(rate.per());
  }

  /**
   * Gives no permit of {@code key} before {@code until}: the remote's penalty for going too fast. A
   * hold never shortens one already running.
   */
  public synchronized void hold(String key, Instant until) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(until, "until");
    Endpoint e = endpoints.computeIfAbsent(key, k -> new Endpoint());
    if (e.heldUntil == null || until.isAfter(e.heldUntil)) {
      e.heldUntil = until;
    }
  }

  /** When the hold on {@code key} ends, or {@code null} when it is not held at {@code now}. */
  public synchronized @Nullable Instant heldUntil(String key, Instant now) {
    Endpoint e = endpoints.get(key);
    return e == null || e.heldUntil == null || !now.isBefore(e.heldUntil) ? null : e.heldUntil;
  }

  /**
   * The retryable {@link SendResult.Reason#AWAITING_PERMIT} failure of a send that found no permit
   * free: nothing more was posted, and the retry waits until {@code freeAt} without counting as an
   * attempt.
   *
   * @param where what was not sent, e.g. {@code DingTalkConfig/team-bot: chatbot}
   */
  public static SendResult.Failed waitFor(String where, Instant freeAt, Instant now) {
    Duration wait = Duration.between(now, freeAt);
    return SendResult.retryAfter(
        SendResult.Reason.AWAITING_PERMIT,
        wait.isNegative() ? Duration.ZERO : wait,
        where + ": not sent, the endpoint's rate limit allows the next message at " + freeAt);
  }

  /** Drops endpoints with nothing in their window and no hold. */
  private void sweep(Instant now) {
    endpoints
        .values()
        .removeIf(
            e ->
                (e.heldUntil == null || !now.isBefore(e.heldUntil))
                    && (e.log.isEmpty() || !e.log.peekLast().isAfter(now.minus(e.window))));
  }

  @Override
  public synchronized String toString() {
    return "RatePermits[" + endpoints.size() + " endpoints]";
  }
}
