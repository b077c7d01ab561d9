package io.nm4j.spi;

import org.jspecify.annotations.Nullable;

/**
 * Text from outside (object names, labels, paths, remote replies) made safe for one log line: a
 * tenant who names an object {@code "x\naudit user=admin ..."} must not be able to forge a second
 * line, and a terminal must not interpret escape sequences an attacker placed in a label.
 *
 * <p>Control characters, line and paragraph separators and bidirectional overrides are written as
 * {@code \n}, {@code \r}, {@code \t} or {@code \}{@code uXXXX}; a backslash is doubled, so the
 * escaping cannot be undone by text that looks escaped already. Everything else is kept as is.
 */
public final class LogText {
  /** Longest text {@link #escape(CharSequence)} keeps, in characters, before it cuts with "…". */
  public static final int MAX_LENGTH = 1024;

  private LogText() {}

  /** {@code text} escaped for a log line and cut at {@link #MAX_LENGTH}; {@code null} as "null". */
  public static String escape(@Nullable CharSequence text) {
    return escape(text, MAX_LENGTH);
  }

  /** {@code text} escaped for a log line and cut at {@code maxLength} characters of input. */
  public static String escape(@Nullable CharSequence text, int maxLength) {
    if (text == null) {
      return "null";
    }
    int n = Math.min(text.length(), maxLength);
    int i = 0;
    while (i < n && isPlain(text.charAt(i))) {
      i++;
    }
    if (i == text.length()) {
      return text.toString();
    }
    StringBuilder out = new StringBuilder(n + 16).append(text, 0, i);
    for (; i < n; i++) {
      char c = text.charAt(i);
      if (isPlain(c)) {
        out.append(c);
        continue;
      }
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\\' -> out.append("\\\\");
        default -> out.append(String.format("\\u%04x", (int) c));
      }
    }
    if (n < text.length()) {
      out.append('…');
    }
    return out.toString();
  }

  private static boolean isPlain(char c) {
    if (c < 0x20 || c == 0x7f || c == '\\') {
      return false;
    }
    if (c < 0x80) {
      return true;
    }
    // C1 controls, line/paragraph separators, and the bidirectional controls that can make a
    // line read differently from what it holds
    return !(c <= 0x9f
        || c == 0x2028
        || c == 0x2029
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0x200e
        || c == 0x200f
        || c == 0x061c);
  }
}
