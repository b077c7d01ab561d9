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
        values.put(key, Base64.getMimeDecoder().decode(strictBase64(text)));
      } catch (IllegalArgumentException ex) {
        problems.error(o.ref(), field + "." + key, "is not valid base64");
      }
    }
  }

  /** The MIME decoder skips junk silently; reject anything that is not base64 or line breaks. */
  private static String strictBase64(String text) {
    StringBuilder compact = new StringBuilder(text.length());
    int padding = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        continue;
      }
      boolean alphabet =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '+'
              || c == '/';
      if (c == '=') {
        padding++;
      } else if (!alphabet || padding > 0) {
        throw new IllegalArgumentException("not base64");
      }
      compact.append(c);
    }
    if (padding > 2 || compact.length() % 4 != 0) {
      throw new IllegalArgumentException("not base64");
    }
    return compact.toString();
  }
}
