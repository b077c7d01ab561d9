package io.nm4j.spi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * The delay a remote asks for before the next try, as HTTP's {@code Retry-After} header gives it
 * (RFC 9110, section 10.2.3): whole seconds, or an HTTP date measured against the channel's clock.
 * A channel puts it into {@link SendResult#retryAfter}; the dispatcher never retries sooner.
 */
public final class RetryAfter {
  private RetryAfter() {}

  /**
   * The delay of a {@code Retry-After} value: whole seconds ({@code "120"}) or an HTTP date ({@code
   * "Wed, 21 Oct 2026 07:28:00 GMT"}; one in the past gives zero).
   *
   * @param value the header's value; {@code null} when the reply has none
   * @param clock what "now" is for a date
   * @return the delay, or {@code null} when the value is absent, blank or neither form
   */
  public static @Nullable Duration parse(@Nullable String value, Clock clock) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    if (v.matches("[0-9]{1,9}")) {
      return Duration.ofSeconds(Long.parseLong(v));
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(clock.instant(), at);
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
