package io.nm4j.channel.wechat.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into parts of at most a number of UTF-8 bytes, never inside a character (a code
 * point, so never between the halves of a surrogate pair). A part ends after a line break when one
 * falls in its second half, so lines stay whole where that costs little. The parts, joined, are the
 * text.
 */
public final class Utf8Splitter {
  private Utf8Splitter() {}

  /**
   * The parts of {@code text}, in order; one part when it fits; none when it is empty.
   *
   * @param maxBytes the most UTF-8 bytes of a part, at least 4 (the longest character)
   */
  public static List<String> split(String text, int maxBytes) {
    if (maxBytes < 4) {
      throw new IllegalArgumentException("maxBytes must be at least 4, was " + maxBytes);
    }
    List<String> parts = new ArrayList<>();
    int length = text.length();
    int start = 0;
    while (start < length) {
      int bytes = 0;
      int end = start;
      int afterBreak = -1;
      int bytesAtBreak = 0;
      while (end < length) {
        int cp = text.codePointAt(end);
        int n = utf8Length(cp);
        if (bytes + n > maxBytes) {
          break;
        }
        bytes += n;
        end += Character.charCount(cp);
        if (cp == '\n') {
          afterBreak = end;
          bytesAtBreak = bytes;
        }
      }
      if (end < length && afterBreak > start && bytesAtBreak >= maxBytes / 2) {
        end = afterBreak;
      }
      parts.add(text.substring(start, end));
      start = end;
    }
    return List.copyOf(parts);
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
}
