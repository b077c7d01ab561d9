package io.nm4j.channel.wechat.internal;

import io.nm4j.spi.Secret;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Access tokens cached per API base, corp ID and app secret until shortly before they expire. One
 * fetch at a time per key: concurrent senders wait for the fetch in progress (no longer than their
 * deadline) and share its token. Thread-safe.
 */
public final class AccessTokens {
  /** How long before {@code expires_in} a token is no longer used, at most. */
  static final Duration MAX_MARGIN = Duration.ofMinutes(5);

  private final Clock clock;
  private final Map<Key, Slot> slots = new ConcurrentHashMap<>();

  public AccessTokens(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Fetches a new token from {@code gettoken}. */
  @FunctionalInterface
  public interface Fetcher {
    Fetched fetch();
  }

  /**
   * A fetch's outcome: a token and its lifetime, or a failure.
   *
   * @param token the token, {@code null} on failure
   * @param expiresIn the lifetime the reply gave
   * @param failure why there is no token
   */
  public record Fetched(
      @Nullable Secret token, Duration expiresIn, SendResult.@Nullable Failed failure) {
    public static Fetched of(Secret token, Duration expiresIn) {
      return new Fetched(token, expiresIn, null);
    }

    public static Fetched failed(SendResult.Failed failure) {
      return new Fetched(null, Duration.ZERO, failure);
    }
  }

  /**
   * Identifies the app a token belongs to. The secret is kept only as a digest.
   *
   * @param apiUrl the API base
   * @param corpId the corp ID
   * @param secretDigest SHA-256 of the app secret, hex
   */
  public record Key(String apiUrl, String corpId, String secretDigest) {
    public static Key of(String apiUrl, String corpId, Secret secret) {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.bytes());
        return new Key(apiUrl, corpId, HexFormat.of().formatHex(digest));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is missing from this JVM", e);
      }
    }
  }

  private record Token(Secret value, Instant useUntil) {}

  private static final class Slot {
    final ReentrantLock lock = new ReentrantLock();
    volatile @Nullable Token token;
  }

  /**
   * A usable token for {@code key}: the cached one, unless it is due for refresh or is {@code
   * rejected}; else a fetched one (or the one another thread just fetched).
   *
   * @param rejected a token the API refused, to replace; {@code null} for none
   * @param deadline how long to wait for another thread's fetch
   */
  public Fetched get(Key key, @Nullable Secret rejected, Instant deadline, Fetcher fetcher) {
    Slot slot = slots.computeIfAbsent(key, k -> new Slot());
    Token cached = usable(slot, rejected);
    if (cached != null) {
      return Fetched.of(cached.value(), Duration.between(clock.instant(), cached.useUntil()));
    }
    long waitMillis = Duration.between(clock.instant(), deadline).toMillis();
    try {
      if (waitMillis <= 0 || !slot.lock.tryLock(waitMillis, TimeUnit.MILLISECONDS)) {
        return Fetched.failed(
            SendResult.retryable(
                Reason.TIMEOUT, "deadline passed while waiting for the access token"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Fetched.failed(
          SendResult.retryable(Reason.TIMEOUT, "interrupted while waiting for the access token"));
    }
    try {
      cached = usable(slot, rejected);
      if (cached != null) {
        return Fetched.of(cached.value(), Duration.between(clock.instant(), cached.useUntil()));
      }
      slot.token = null;
      Fetched fetched = fetcher.fetch();
      Secret value = fetched.token();
      if (value != null) {
        Instant now = clock.instant();
        slot.token =
            new Token(value, now.plus(fetched.expiresIn()).minus(margin(fetched.expiresIn())));
        forgetExpired(slot, now);
      }
      return fetched;
    } finally {
      slot.lock.unlock();
    }
  }

  /** Tokens cached now, for tests and metrics. */
  public int size() {
    return (int) slots.values().stream().filter(s -> s.token != null).count();
  }

  private @Nullable Token usable(Slot slot, @Nullable Secret rejected) {
    Token t = slot.token;
    if (t == null || !clock.instant().isBefore(t.useUntil())) {
      return null;
    }
    return rejected != null && rejected.equals(t.value()) ? null : t;
  }

  /** A tenth of the lifetime, at most five minutes, so a token is never used up to its end. */
  static Duration margin(Duration expiresIn) {
    Duration tenth = expiresIn.dividedBy(10);
    return tenth.compareTo(MAX_MARGIN) < 0 ? tenth : MAX_MARGIN;
  }

  /** Drops slots of other apps whose tokens ran out, so rotated secrets do not pile up. */
  private void forgetExpired(Slot keep, Instant now) {
    slots
        .values()
        .removeIf(
            s -> {
              Token t = s.token;
              return s != keep && t != null && !s.lock.isLocked() && !now.isBefore(t.useUntil());
            });
  }
}
