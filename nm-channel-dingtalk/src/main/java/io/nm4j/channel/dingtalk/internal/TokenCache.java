package io.nm4j.channel.dingtalk.internal;

import io.nm4j.spi.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Access tokens of enterprise apps, by app. Keys are a hash of the app key and secret, so the map
 * holds no credential and a rotated secret gets a token of its own. Least recently used apps fall
 * out beyond {@code maxApps}.
 */
public final class TokenCache {
  private final Map<String, Entry> tokens;

  private record Entry(Secret token, Instant expiresAt) {}

  public TokenCache(int maxApps) {
    this.tokens =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > maxApps;
          }
        };
  }

  /** The cache key of an app: a SHA-256 of its key and secret. */
  public static String key(Secret appkey, Secret appsecret) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(appkey.bytes());
      d.update((byte) 0);
      d.update(appsecret.bytes());
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** A hash of a text that may be a secret (a webhook URL), to name it without showing it. */
  public static String fingerprint(String text) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** The app's token while it is valid at {@code now}, else {@code null}. */
  public synchronized @Nullable Secret get(String key, Instant now) {
    Entry e = tokens.get(key);
    if (e == null) {
      return null;
    }
    if (!now.isBefore(e.expiresAt())) {
      tokens.remove(key);
      return null;
    }
    return e.token();
  }

  public synchronized void put(String key, Secret token, Instant expiresAt) {
    tokens.put(key, new Entry(token, expiresAt));
  }

  /** Drops the app's token if it is still {@code token} (another thread may have refreshed it). */
  public synchronized void invalidate(String key, Secret token) {
    Entry e = tokens.get(key);
    if (e != null && e.token().equals(token)) {
      tokens.remove(key);
    }
  }

  public synchronized int size() {
    return tokens.size();
  }
}
