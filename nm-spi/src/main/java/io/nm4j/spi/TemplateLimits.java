package io.nm4j.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * How far one render may go before it fails: the text it writes and the time it takes. Templates
 * are written by tenants, so both are bounded for every render, the built-in ones included.
 *
 * @param maxOutputChars the characters a render may write; one more fails it
 * @param maxRenderTime how long a render may run; longer fails it
 */
public record TemplateLimits(int maxOutputChars, Duration maxRenderTime) {

  /**
   * 256 KiB of text (channels split far smaller messages; a notification of hundreds of alerts
   * still fits) and one second (the built-in templates take well under a millisecond).
   */
  public static final TemplateLimits DEFAULT =
      new TemplateLimits(256 * 1024, Duration.ofSeconds(1));

  public TemplateLimits {
    if (maxOutputChars < 1) {
      throw new IllegalArgumentException("maxOutputChars must be positive, was " + maxOutputChars);
    }
    Objects.requireNonNull(maxRenderTime, "maxRenderTime");
    if (maxRenderTime.isNegative() || maxRenderTime.isZero()) {
      throw new IllegalArgumentException("maxRenderTime must be positive, was " + maxRenderTime);
    }
  }
}
