package io.nm4j.core.internal.snapshot;

import io.nm4j.spi.ConfigObject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the values of a {@code v1/Secret}: {@code data} (strict base64) and {@code stringData}
 * (plain text), reporting each malformed key without its value.
 */
public final class SecretReader {
  /** The kind of the secrets read here, of API version {@code v1}. */
  public static final String KIND = "Secret";

  private SecretReader() {}

  /** The secret's values by key; malformed keys are reported and left out. */
  public static Map<String, byte[]> read(ConfigObject o, SnapshotProblems problems) {
    Map<String, byte[]> values = new HashMap<>();
    readField(o, "data", true, values, problems);
    readField(o, "stringData", false, values, problems);
    return values;
  }

  private static void readField(
      ConfigObject o,
      String field,
      boolean base64,
      Map<String, byte[]> values,
      SnapshotProblems problems) {
    Object data = o.body().get(field);
    if (data == null) {
      return;
    }
    if (!(data instanceof Map<?, ?> map)) {
      problems.error(o.ref(), field, "must be an object of strings");
      return;
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (!(e.getValue() instanceof String text)) {
        problems.error(o.ref(), field + "." + key, "must be a string");
        continue;
      }
      if (!base64) {
        values.put(key, text.getBytes(StandardCharsets.UTF_8));
        continue;
      }
      try {
        values.put(key, strictBase64(text));
      } catch (IllegalArgumentException ex) {
        problems.error(o.ref(), field + "." + key, "is not valid base64");
      }
    }
  }

  /**
   * The bytes of base64 {@code text}, which may hold line breaks and blanks but nothing else beside
   * the alphabet and final padding (a lenient decoder would skip junk silently). Decoded here
   * rather than by {@link java.util.Base64}, whose decoder copies the text into bytes first: a
   * build reads every value of every secret.
   */
  static byte[] strictBase64(String text) {
    int padding = 0;
    int length = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (isBlank(c)) {
        continue;
      }
      if (c == '=') {
        padding++;
      } else if (sextet(c) < 0 || padding > 0) {
        throw new IllegalArgumentException("not base64");
      }
      length++;
    }
    if (padding > 2 || length % 4 != 0) {
      throw new IllegalArgumentException("not base64");
    }
    // Only the alphabet and final padding are left: 4 characters make 3 bytes, the last group's 2
    // or 3 make 1 or 2, and the bits beyond those are dropped, as java.util.Base64 drops them.
    byte[] bytes = new byte[length / 4 * 3 - padding];
    int at = 0;
    int bits = 0;
    int count = 0;
    for (int i = 0; i < text.length(); i++) {
      int value = sextet(text.charAt(i));
      if (value < 0) {
        continue;
      }
      bits = bits << 6 | value;
      if (++count == 4) {
        bytes[at++] = (byte) (bits >> 16);
        bytes[at++] = (byte) (bits >> 8);
        bytes[at++] = (byte) bits;
        bits = 0;
        count = 0;
      }
    }
    if (count == 3) {
      bytes[at++] = (byte) (bits >> 10);
      bytes[at] = (byte) (bits >> 2);
    } else if (count == 2) {
      bytes[at] = (byte) (bits >> 4);
    }
    return bytes;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  /** The value of a character of the base64 alphabet; -1 for any other. */
  private static int sextet(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    return c == '+' ? 62 : c == '/' ? 63 : -1;
  }
}
