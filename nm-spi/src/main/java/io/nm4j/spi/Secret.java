package io.nm4j.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A secret value (password, token, webhook URL with a token, key material). Its {@link #toString()}
 * is redacted, so it is safe to pass through logs and exceptions by accident; only {@link
 * #reveal()} and {@link #bytes()} give the value, at the one place it is sent.
 */
public final class Secret {
  private final byte[] value;

  private Secret(byte[] value) {
    this.value = value;
  }

  public static Secret of(String value) {
    return new Secret(value.getBytes(StandardCharsets.UTF_8));
  }

  public static Secret ofBytes(byte[] value) {
    return new Secret(value.clone());
  }

  /** The value as UTF-8 text. Call it only where the value is put on the wire. */
  public String reveal() {
    return new String(value, StandardCharsets.UTF_8);
  }

  /** A copy of the raw bytes (certificates and keys). */
  public byte[] bytes() {
    return value.clone();
  }

  public boolean isEmpty() {
    return value.length == 0;
  }

  @Override
  public boolean equals(Object o) {
    // Constant time, so equality checks do not leak the value through timing.
    return o instanceof Secret s && MessageDigest.isEqual(value, s.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "Secret[redacted]";
  }
}
