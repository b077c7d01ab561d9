package io.nm4j.server.internal;

import io.nm4j.core.Receipt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Text the server puts in replies to callers it has not authenticated. */
final class Replies {
  // An absolute path: a slash at the start of a word (not the second slash of "http://").
  private static final Pattern ABSOLUTE_PATH = Pattern.compile("(?<![\\w:/.~-])/[^\\s\"'(),;]*");

  private Replies() {}

  /**
   * {@code text} with each absolute path cut to its last name ({@code /etc/nm4j/config} becomes
   * {@code config}): a reply tells which file or directory, never where the server keeps it.
   */
  static String withoutAbsolutePaths(String text) {
    Matcher m = ABSOLUTE_PATH.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String path = m.group();
      // punctuation that ends a sentence or introduces a reason is not part of the path
      int end = path.length();
      while (end > 1 && ":.".indexOf(path.charAt(end - 1)) >= 0) {
        end--;
      }
      String after = path.substring(end);
      String trimmed = path.substring(0, end);
      if (trimmed.length() > 1 && trimmed.endsWith("/")) {
        trimmed = trimmed.substring(0, trimmed.length() - 1);
      }
      String last = trimmed.substring(trimmed.lastIndexOf('/') + 1);
      m.appendReplacement(out, Matcher.quoteReplacement((last.isEmpty() ? "/" : last) + after));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** A duration as an operator writes it: {@code 2m}, {@code 90s}, {@code 500ms}. */
  static String duration(Duration d) {
    long millis = d.toMillis();
    if (millis % 60_000 == 0 && millis > 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return millis + "ms";
  }

  private static final byte[] ACCEPTED = ascii("{\"status\":\"accepted\",\"notifications\":");
  private static final byte[] DUPLICATE = ascii("{\"status\":\"duplicate\",\"notifications\":");
  private static final byte[] UNROUTED = ascii(",\"unrouted\":");

  /**
   * The intake's answer to an accepted batch, {@code {"status":"accepted","notifications":2,
   * "unrouted":0}} ({@code "duplicate"} for a re-send), written from bytes prepared once: a JSON
   * tree per batch showed in the intake's profile.
   */
  static byte[] accepted(Receipt receipt) {
    return accepted(receipt.duplicate(), receipt.notifications().size(), receipt.unrouted().size());
  }

  static byte[] accepted(boolean duplicate, int notificationCount, int unroutedCount) {
    byte[] notifications = ascii(Integer.toString(notificationCount));
    byte[] unrouted = ascii(Integer.toString(unroutedCount));
    byte[] status = duplicate ? DUPLICATE : ACCEPTED;
    byte[] out =
        new byte[status.length + notifications.length + UNROUTED.length + unrouted.length + 1];
    int at = 0;
    for (byte[] part : new byte[][] {status, notifications, UNROUTED, unrouted}) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    out[at] = '}';
    return out;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
