package io.nm4j.spi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What earlier attempts of a notification delivered, so that a retry sends only the rest: a set of
 * keys the channel chose for the parts, recipients or targets that arrived. The core adds the
 * progress of each failed attempt ({@link SendResult.Failed#progress()}) to what the earlier ones
 * reported and hands the sum to the next attempt ({@link SendRequest#progress()}); what the keys
 * mean is the channel's business alone.
 *
 * <p>A good key is a digest of where a message went and what it said ({@link #key(String...)}), so
 * that a part a retry renders identically is recognised and skipped, while a part whose rendering
 * changed (a rotated config, a new template) is sent. Keys never hold a secret or message text.
 *
 * <p>Progress lives in memory between attempts; it is not journaled, so after a crash the next
 * start sends every part again (delivery is at least once). At most {@link #MAX_KEYS} keys of at
 * most {@link #MAX_KEY_LENGTH} characters are kept: what does not fit may be sent again.
 *
 * @param keys the keys of what was delivered, unmodifiable
 */
public record SendProgress(Set<String> keys) {

  /** Nothing delivered yet: the progress of a first attempt. */
  public static final SendProgress NONE = new SendProgress(Set.of());

  /** The most keys one progress holds. */
  public static final int MAX_KEYS = 4096;

  /** The longest key, in characters. */
  public static final int MAX_KEY_LENGTH = 64;

  /** Bytes of the SHA-256 a {@link #key(String...)} keeps: 128 bits, 32 hex digits. */
  private static final int KEY_BYTES = 16;

  /**
   * @throws IllegalArgumentException for more than {@link #MAX_KEYS} keys, or a key that is blank
   *     or longer than {@link #MAX_KEY_LENGTH}
   */
  public SendProgress {
    Objects.requireNonNull(keys, "keys");
    if (keys.size() > MAX_KEYS) {
      throw new IllegalArgumentException(
          "a progress holds at most " + MAX_KEYS + " keys, was " + keys.size());
    }
    for (String key : keys) {
      check(key);
    }
    keys = Collections.unmodifiableSet(new LinkedHashSet<>(keys));
  }

  /**
   * A key for what a channel delivered: the first 128 bits of a SHA-256 over the parts (each one
   * length-prefixed, so {@code ("ab", "c")} and {@code ("a", "bc")} differ), as 32 hex digits. Give
   * it everything that makes the message what it is: the target or recipient and the body.
   */
  public static String key(String... parts) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    for (String part : parts) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
      digest.update(bytes);
    }
    return HexFormat.of().formatHex(digest.digest(), 0, KEY_BYTES);
  }

  /** Whether {@code key} was delivered. */
  public boolean contains(String key) {
    return keys.contains(key);
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  public int size() {
    return keys.size();
  }

  /** This progress and then {@code other}'s keys, as many as fit in {@link #MAX_KEYS}. */
  public SendProgress union(SendProgress other) {
    if (other.keys.isEmpty() || keys.containsAll(other.keys)) {
      return this;
    }
    if (keys.isEmpty()) {
      return other;
    }
    return toBuilder().addAll(other).build();
  }

  /** A builder starting from this progress, for a send to add what it delivers. */
  public Builder toBuilder() {
    return new Builder(keys);
  }

  /** The size only: keys say nothing to a reader. */
  @Override
  public String toString() {
    return "SendProgress[" + keys.size() + (keys.size() == 1 ? " key]" : " keys]");
  }

  private static void check(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "a progress key must be 1.."
              + MAX_KEY_LENGTH
              + " characters and not blank, was "
              + key.length()
              + " characters");
    }
  }

  /**
   * Collects a send's progress: start from {@link SendRequest#progress()}, skip what it {@link
   * #contains}, {@link #add} each part as it is delivered, and put {@link #build()} into the
   * failure ({@link SendResult.Failed#withProgress}). Not thread-safe: one send, one builder.
   */
  public static final class Builder {
    private final LinkedHashSet<String> keys;

    private Builder(Set<String> start) {
      this.keys = new LinkedHashSet<>(start);
    }

    /** Whether {@code key} was delivered, by an earlier attempt or this one. */
    public boolean contains(String key) {
      return keys.contains(key);
    }

    /**
     * Records {@code key} as delivered. Beyond {@link #MAX_KEYS} keys it is not kept, and what it
     * names may be sent again by a retry.
     *
     * @throws IllegalArgumentException for a blank key or one longer than {@link #MAX_KEY_LENGTH}
     */
    public Builder add(String key) {
      check(key);
      if (keys.size() < MAX_KEYS) {
        keys.add(key);
      }
      return this;
    }

    /** Records every key of {@code other}, as far as they fit. */
    public Builder addAll(SendProgress other) {
      for (String key : other.keys) {
        if (keys.size() >= MAX_KEYS) {
          break;
        }
        keys.add(key);
      }
      return this;
    }

    public int size() {
      return keys.size();
    }

    public SendProgress build() {
      return keys.isEmpty() ? NONE : new SendProgress(keys);
    }
  }
}
