package io.nm4j.k8s.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Writes maps, lists, strings, numbers and booleans as block-style YAML, the same text for the same
 * tree (keys in the maps' order), so generated manifests can be committed and compared. A string
 * that could read as anything but itself is double-quoted.
 */
public final class Yaml {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/][A-Za-z0-9_./-]*");
  private static final Set<String> KEYWORDS =
      Set.of("true", "false", "null", "yes", "no", "on", "off", "y", "n", "~");

  private Yaml() {}

  /** One document, ending with a line break. */
  public static String write(Map<String, ?> document) {
    StringBuilder out = new StringBuilder();
    map(document, 0, out);
    return out.toString();
  }

  private static void map(Map<?, ?> map, int indent, StringBuilder out) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      out.append(" ".repeat(indent)).append(scalar(String.valueOf(e.getKey()))).append(':');
      value(e.getValue(), indent, out);
    }
  }

  /** Writes a value after {@code key:}, on the same line when it is a scalar or empty. */
  private static void value(@Nullable Object value, int indent, StringBuilder out) {
    if (value instanceof Map<?, ?> m && !m.isEmpty()) {
      out.append('\n');
      map(m, indent + 2, out);
    } else if (value instanceof List<?> l && !l.isEmpty()) {
      out.append('\n');
      list(l, indent, out);
    } else {
      out.append(' ').append(inline(value)).append('\n');
    }
  }

  private static void list(List<?> list, int indent, StringBuilder out) {
    for (Object item : list) {
      out.append(" ".repeat(indent)).append('-');
      if (item instanceof Map<?, ?> m && !m.isEmpty()) {
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          out.append(first ? " " : " ".repeat(indent + 2));
          out.append(scalar(String.valueOf(e.getKey()))).append(':');
          value(e.getValue(), indent + 2, out);
          first = false;
        }
      } else if (item instanceof List<?> l && !l.isEmpty()) {
        out.append('\n');
        list(l, indent + 2, out);
      } else {
        out.append(' ').append(inline(item)).append('\n');
      }
    }
  }

  private static String inline(@Nullable Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Map<?, ?>) {
      return "{}";
    }
    if (value instanceof List<?>) {
      return "[]";
    }
    if (value instanceof Boolean || value instanceof Number) {
      return String.valueOf(value);
    }
    return scalar(String.valueOf(value));
  }

  /** A string as a plain scalar when that reads back as the same string, else double-quoted. */
  static String scalar(String s) {
    if (PLAIN.matcher(s).matches() && !KEYWORDS.contains(s.toLowerCase(Locale.ROOT))) {
      return s;
    }
    StringBuilder q = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        case '\n' -> q.append("\\n");
        case '\t' -> q.append("\\t");
        case '\r' -> q.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            q.append(String.format("\\x%02x", (int) c));
          } else {
            q.append(c);
          }
        }
      }
    }
    return q.append('"').toString();
  }
}
