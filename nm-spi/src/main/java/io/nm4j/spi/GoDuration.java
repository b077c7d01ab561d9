package io.nm4j.spi;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations in Go's syntax ({@code time.ParseDuration}), as notification-manager writes them: a
 * sequence of decimal numbers with units {@code ns}, {@code us} ({@code µs}), {@code ms}, {@code
 * s}, {@code m}, {@code h}, e.g. {@code 8h}, {@code 1h30m}, {@code 1.5h}. Negative durations mean
 * are refused.
 */
final class GoDuration {
  private static final Pattern PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

  /** Longest accepted duration: beyond it any setting is as good as forever. */
  private static final Duration MAX = Duration.ofDays(366 * 100L);

  private GoDuration() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  static Duration parse(String text) {
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(text);
    int at = 0;
    BigDecimal nanos = BigDecimal.ZERO;
    while (at < text.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new IllegalArgumentException(
            "must be a Go duration such as 8h, 1h30m or 90s, was \"" + text + "\"");
      }
      nanos = nanos.add(new BigDecimal(m.group(1)).multiply(unitNanos(m.group(2))));
      at = m.end();
    }
    if (text.isEmpty()) {
      throw new IllegalArgumentException("must be a Go duration such as 8h, was empty");
    }
    BigDecimal max =
        BigDecimal.valueOf(MAX.getSeconds()).multiply(BigDecimal.valueOf(1_000_000_000L));
    if (nanos.compareTo(max) > 0) {
      throw new IllegalArgumentException("must be at most 100 years, was \"" + text + "\"");
    }
    BigDecimal[] secondsAndNanos = nanos.divideAndRemainder(BigDecimal.valueOf(1_000_000_000L));
    return Duration.ofSeconds(secondsAndNanos[0].longValue(), secondsAndNanos[1].longValue());
  }

  private static BigDecimal unitNanos(String unit) {
    return BigDecimal.valueOf(
        switch (unit) {
          case "ns" -> 1L;
          case "us", "µs" -> 1_000L;
          case "ms" -> 1_000_000L;
          case "s" -> 1_000_000_000L;
          case "m" -> 60_000_000_000L;
          default -> 3_600_000_000_000L;
        });
  }
}
