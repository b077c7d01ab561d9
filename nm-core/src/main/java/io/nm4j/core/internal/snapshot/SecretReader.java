package io.nm4j.core.internal.snapshot;

import io.nm4j.spi.ConfigObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
   * the alphabet and final padding (a lenient decoder would skip junk silently).
   */
  static byte[] strictBase64(String text) {
    int padding = 0;
    int length = 0;
    boolean blanks = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (isBlank(c)) {
        blanks = true;
        continue;
      }
      if (c == '=') {
        padding++;
      } else if (!isAlphabet(c) || padding > 0) {
        throw new IllegalArgumentException("not base64");
      }
      length++;
    }
    if (padding > 2 || length % 4 != 0) {
      throw new IllegalArgumentException("not base64");
    }
    // Only the alphabet and final padding are left, which the strict decoder reads.
    return Base64.getDecoder().decode(blanks ? withoutBlanks(text, length) : text);
  }

  private static String withoutBlanks(String text, int length) {
    StringBuilder compact = new StringBuilder(length);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!isBlank(c)) {
        compact.append(c);
      }
    }
    return compact.toString();
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  private static boolean isAlphabet(char c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '+'
        || c == '/';
  }
}
