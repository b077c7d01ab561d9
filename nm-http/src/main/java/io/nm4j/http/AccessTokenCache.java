package io.nm4j.http;

import io.nm4j.spi.Secret;
import io.nm4j.spi.SendProgress;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Access tokens of APIs that hand them out for credentials ({@code gettoken} of WeChat Work and
 * DingTalk), cached per set of credentials until shortly before they expire.
 *
 * <ul>
 *   <li><b>Single flight:</b> one fetch at a time per key; concurrent senders wait for it (no
 *       longer than their deadline) and share its token, so a burst never fetches twice.
 *   <li><b>Expiry margin:</b> a token is used until a tenth of its lifetime (at most five minutes)
 *       before it expires, so it does not run out between the check and the call.
 *   <li><b>Invalidation:</b> when the API calls a token invalid or expired before its time, {@link
 *       #replace} fetches a new one, unless another sender already did.
 *   <li><b>Bounded:</b> at most {@code maxEntries} keys; expired ones go first, then the least
 *       recently used. Keys hold a digest of the credentials, never the credentials.
 * </ul>
 *
 * Time comes from the {@link Clock}. Thread-safe.
 */
public final class AccessTokenCache {
  /** How long before its expiry a token is no longer used, at most. */
  public static final Duration MAX_MARGIN = Duration.ofMinutes(5);

  private final Clock clock;
  private final int maxEntries;
  private final LinkedHashMap<Key, Slot> slots = new LinkedHashMap<>(16, 0.75f, true);

  /**
   * A cache of at most {@code maxEntries} keys.
   *
   * @param clock when tokens expire is measured with it
   */
  public AccessTokenCache(Clock clock, int maxEntries) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1, was " + maxEntries);
    }
    this.maxEntries = maxEntries;
  }

  /** Fetches a new token from the API. */
  @FunctionalInterface
  public interface Fetcher {
    Fetched fetch();
  }

  /**
   * A token and how long it is good for, or why there is none.
   *
   * @param token the token, {@code null} on failure
   * @param expiresIn its lifetime from now
   * @param failure why there is no token, {@code null} with one
   */
  public record Fetched(
      @Nullable Secret token, Duration expiresIn, SendResult.@Nullable Failed failure) {
    public Fetched {
      Objects.requireNonNull(expiresIn, "expiresIn");
      if ((token == null) == (failure == null)) {
        throw new IllegalArgumentException("either a token or a failure");
      }
    }

    public static Fetched of(Secret token, Duration expiresIn) {
      return new Fetched(token, expiresIn, null);
    }

    public static Fetched failed(SendResult.Failed failure) {
      return new Fetched(null, Duration.ZERO, failure);
    }
  }

  /**
   * Whose token: the API and the credentials it was fetched with. The credentials are kept only as
   * a digest, so the key names no secret and a rotated secret gets a token of its own.
   *
   * @param api the API base
   * @param account a public identifier of the account (a corp ID), or empty
   * @param credentialsDigest a digest of the credentials, as {@link SendProgress#key} makes it
   */
  public record Key(String api, String account, String credentialsDigest) {
    public Key {
      Objects.requireNonNull(api, "api");
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(credentialsDigest, "credentialsDigest");
    }

    /**
     * The key of {@code credentials} (app key, app secret...) at {@code api} for {@code account}.
     */
    public static Key of(String api, String account, Secret... credentials) {
      String[] values = new String[credentials.length];
      for (int k = 0; k < credentials.length; k++) {
        values[k] = credentials[k].reveal();
      }
      return new Key(api, account, SendProgress.key(values));
    }
  }

  private record Token(Secret value, Instant useUntil) {}

  private static final class Slot {
    final ReentrantLock lock = new ReentrantLock();
    volatile @Nullable Token token;
  }

  /**
   * A usable token for {@code key}: the cached one while it is good, else one {@code fetcher} gets
   * (or another sender fetching it just got).
   *
   * @param deadline how long to wait for another sender's fetch
   */
  public Fetched get(Key key, Instant deadline, Fetcher fetcher) {
    return token(key, null, deadline, fetcher);
  }

  /**
   * A token to use instead of {@code rejected}, which the API called invalid or expired: a fresh
   * one, or the one another sender fetched meanwhile.
   *
   * @param deadline how long to wait for another sender's fetch
   */
  public Fetched replace(Key key, Secret rejected, Instant deadline, Fetcher fetcher) {
    return token(key, Objects.requireNonNull(rejected, "rejected"), deadline, fetcher);
  }

  /**
   * One send's use of {@code key}'s token: the cached one, and a new one at most once when the API
   * calls it invalid or expired, however many messages the send posts.
   *
   * @param deadline how long to wait for another sender's fetch
   */
  public Use use(Key key, Instant deadline, Fetcher fetcher) {
    return new Use(key, deadline, fetcher);
  }

  /** One send's use of a token. Not thread-safe: one send, one use. */
  public final class Use {
    private final Key key;
    private final Instant deadline;
    private final Fetcher fetcher;
    private boolean replaced;

    private Use(Key key, Instant deadline, Fetcher fetcher) {
      this.key = Objects.requireNonNull(key, "key");
      this.deadline = Objects.requireNonNull(deadline, "deadline");
      this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    }

    /** The token to use, as {@link AccessTokenCache#get} gives it. */
    public Fetched get() {
      return AccessTokenCache.this.get(key, deadline, fetcher);
    }

    /** Whether this send has not replaced a token yet. */
    public boolean mayReplace() {
      return !replaced;
    }

    /** A token instead of {@code rejected}, as {@link AccessTokenCache#replace} gives it. */
    public Fetched replace(Secret rejected) {
      replaced = true;
      return AccessTokenCache.this.replace(key, rejected, deadline, fetcher);
    }

    /** Forgets {@code token}, which the API refused even after the replacement. */
    public void invalidate(Secret token) {
      AccessTokenCache.this.invalidate(key, token);
    }
  }

  /** Forgets {@code token}, unless another sender has replaced it already. */
  public void invalidate(Key key, Secret token) {
    Slot slot;
    synchronized (slots) {
      slot = slots.get(key);
    }
    if (slot != null) {
      Token t = slot.token;
      if (t != null && t.value().equals(token)) {
        slot.token = null;
      }
    }
  }

  /** Tokens cached now. */
  public int size() {
    synchronized (slots) {
      return (int) slots.values().stream().filter(s -> s.token != null).count();
    }
  }

  /** How long before {@code expiresIn} ends a token is no longer used. */
  public static Duration margin(Duration expiresIn) {
    Duration tenth = expiresIn.dividedBy(10);
    return tenth.compareTo(MAX_MARGIN) < 0 ? tenth : MAX_MARGIN;
  }

  private Fetched token(Key key, @Nullable Secret rejected, Instant deadline, Fetcher fetcher) {
    Slot slot = slot(key);
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
        Duration life = fetched.expiresIn();
        slot.token = new Token(value, clock.instant().plus(life).minus(margin(life)));
      }
      return fetched;
    } finally {
      slot.lock.unlock();
    }
  }

  private Slot slot(Key key) {
    synchronized (slots) {
      Slot slot = slots.get(key);
      if (slot != null) {
        return slot;
      }
      slot = new Slot();
      slots.put(key, slot);
      if (slots.size() > maxEntries) {
        evict(slot);
      }
      return slot;
    }
  }

  /** Drops expired tokens' keys, else the least recently used; never a key being fetched. */
  private void evict(Slot keep) {
    Instant now = clock.instant();
    slots
        .values()
        .removeIf(
            s -> {
              Token t = s.token;
              return s != keep && !s.lock.isLocked() && t != null && !now.isBefore(t.useUntil());
            });
    Iterator<Map.Entry<Key, Slot>> eldest = slots.entrySet().iterator();
    while (slots.size() > maxEntries && eldest.hasNext()) {
      Slot s = eldest.next().getValue();
      if (s != keep && !s.lock.isLocked()) {
        eldest.remove();
      }
    }
  }

  private @Nullable Token usable(Slot slot, @Nullable Secret rejected) {
    Token t = slot.token;
    if (t == null || !clock.instant().isBefore(t.useUntil())) {
      return null;
    }
    return rejected != null && rejected.equals(t.value()) ? null : t;
  }
}
