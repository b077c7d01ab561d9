package io.nm4j.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Splitting and cutting message text to a remote's limit, counted in UTF-8 bytes (WeChat Work,
 * DingTalk) or in characters (Slack), never inside a character: a cut falls between code points, so
 * never between the two halves of a surrogate pair. Pure functions, for channels and templates
 * alike.
 */
public final class TextSplitter {
  /** What a cut text ends with. */
  public static final String ELLIPSIS = "…";

  private static final IntUnaryOperator UTF8 = TextSplitter::utf8Length;
  private static final IntUnaryOperator CHARS = Character::charCount;

  private TextSplitter() {}

  /**
   * The parts of {@code text} of at most {@code maxBytes} UTF-8 bytes each, in order; one part when
   * it fits, none when it is empty. The parts, joined, are the text. A part ends after a line break
   * when one falls in its second half, so lines stay whole where that costs little.
   *
   * @param maxBytes at least 4, the longest character
   */
  public static List<String> splitUtf8(String text, int maxBytes) {
    if (maxBytes < 4) {
      throw new IllegalArgumentException("maxBytes must be at least 4, was " + maxBytes);
    }
    return split(text, maxBytes, UTF8);
  }

  /**
   * The parts of {@code text} of at most {@code maxChars} UTF-16 characters each (Java's {@link
   * String#length()}), split as {@link #splitUtf8} splits by bytes.
   *
   * @param maxChars at least 2, a surrogate pair
   */
  public static List<String> splitChars(String text, int maxChars) {
    if (maxChars < 2) {
      throw new IllegalArgumentException("maxChars must be at least 2, was " + maxChars);
    }
    return split(text, maxChars, CHARS);
  }

  /** The longest start of {@code text} of at most {@code maxBytes} UTF-8 bytes. */
  public static String truncateUtf8(String text, int maxBytes) {
    return text.substring(0, fit(text, 0, Math.max(0, maxBytes), UTF8));
  }

  /** The longest start of {@code text} of at most {@code maxChars} characters. */
  public static String truncateChars(String text, int maxChars) {
    return text.substring(0, fit(text, 0, Math.max(0, maxChars), CHARS));
  }

  /**
   * {@code text} if it has at most {@code maxChars} characters, else its start ending in {@link
   * #ELLIPSIS}, {@code maxChars} characters in all.
   */
  public static String ellipsize(String text, int maxChars) {
    if (text.length() <= maxChars) {
      return text;
    }
    return truncateChars(text, maxChars - ELLIPSIS.length()) + ELLIPSIS;
  }

  /**
   * {@code text} if it has at most {@code maxBytes} UTF-8 bytes, else its start ending in {@link
   * #ELLIPSIS}, {@code maxBytes} bytes at most in all.
   */
  public static String ellipsizeUtf8(String text, int maxBytes) {
    if (utf8Length(text) <= maxBytes) {
      return text;
    }
    return truncateUtf8(text, maxBytes - utf8Length(ELLIPSIS)) + ELLIPSIS;
  }

  /** Bytes of {@code text} in UTF-8; a lone surrogate counts as 3, more than Java writes. */
  public static int utf8Length(CharSequence text) {
    return measure(text, 0, text.length(), UTF8);
  }

  /** Bytes of one code point in UTF-8; a lone surrogate counts as 3, more than Java writes. */
  public static int utf8Length(int codePoint) {
    if (codePoint < 0x80) {
      return 1;
    }
    if (codePoint < 0x800) {
      return 2;
    }
    if (codePoint < 0x10000) {
      return 3;
    }
    return 4;
  }

  /**
   * The messages of a rendered text of at most {@code maxBytes} UTF-8 bytes each: the text itself
   * when it fits, else its body (after the first line) split as {@link #splitUtf8} splits, each
   * part under the first line marked with its {@link #partLabel}, so every message keeps the
   * heading (and the keywords a DingTalk robot looks for in it).
   *
   * @param maxBytes at least 64; a heading longer than half of it is cut
   */
  public static List<String> splitUtf8UnderHeading(String text, int maxBytes) {
    return splitUnderHeading(text, maxBytes, UTF8);
  }

  /** As {@link #splitUtf8UnderHeading}, counting UTF-16 characters (Slack). */
  public static List<String> splitCharsUnderHeading(String text, int maxChars) {
    return splitUnderHeading(text, maxChars, CHARS);
  }

  private static List<String> splitUnderHeading(String text, int max, IntUnaryOperator size) {
    if (measure(text, 0, text.length(), size) <= max) {
      return List.of(text);
    }
    int lineEnd = text.indexOf('\n');
    String heading = lineEnd < 0 ? "" : text.substring(0, lineEnd).stripTrailing();
    String body = lineEnd < 0 ? text : text.substring(lineEnd + 1).strip();
    if (measure(heading, 0, heading.length(), size) > max / 2) {
      heading = truncate(heading, max / 2, size);
    }
    // Room for the label of as many parts as there turn out to be: (part 9/9), (part 10/12), ...
    List<String> chunks = List.of();
    for (int digits = 1; digits < 10; digits++) {
      String widest = "9".repeat(digits);
      String frame = heading + " (part " + widest + "/" + widest + ")\n\n";
      chunks = split(body, max - measure(frame, 0, frame.length(), size), size);
      if (Integer.toString(chunks.size()).length() <= digits) {
        break;
      }
    }
    List<String> parts = new ArrayList<>(chunks.size());
    for (int i = 0; i < chunks.size(); i++) {
      String label = partLabel(i, chunks.size());
      parts.add((heading.isEmpty() ? label : heading + " " + label) + "\n\n" + chunks.get(i));
    }
    return List.copyOf(parts);
  }

  private static String truncate(String text, int max, IntUnaryOperator size) {
    return text.substring(0, fit(text, 0, max, size));
  }

  /**
   * How a message names its place among the messages of one notification: {@code (part 2/3)}.
   *
   * @param index 0-based
   * @param count how many parts there are
   */
  public static String partLabel(int index, int count) {
    return "(part " + (index + 1) + "/" + count + ")";
  }

  private static List<String> split(String text, int max, IntUnaryOperator size) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int end = fit(text, start, max, size);
      int afterBreak = text.lastIndexOf('\n', end - 1) + 1;
      if (end < text.length()
          && afterBreak > start
          && measure(text, start, afterBreak, size) >= max / 2) {
        end = afterBreak;
      }
      parts.add(text.substring(start, end));
      start = end;
    }
    return List.copyOf(parts);
  }

  /** The end of the longest run of {@code text} from {@code start} within {@code max}. */
  private static int fit(String text, int start, int max, IntUnaryOperator size) {
    int used = 0;
    int end = start;
    while (end < text.length()) {
      int cp = text.codePointAt(end);
      int n = size.applyAsInt(cp);
      if (used + n > max) {
        break;
      }
      used += n;
      end += Character.charCount(cp);
    }
    return end;
  }

  private static int measure(CharSequence text, int from, int to, IntUnaryOperator size) {
    int used = 0;
    for (int i = from; i < to; ) {
      int cp = Character.codePointAt(text, i);
      used += size.applyAsInt(cp);
      i += Character.charCount(cp);
    }
    return used;
  }
}
