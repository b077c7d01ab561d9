package io.nm4j.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);

  @Test
  void wholeSecondsAreTheDelay() {
    assertThat(RetryAfter.parse("120", clock)).isEqualTo(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse(" 0 ", clock)).isEqualTo(Duration.ZERO);
  }

  @Test
  void anHttpDateIsMeasuredFromTheInjectedClockAndOneInThePastIsZero() {
    assertThat(RetryAfter.parse("Wed, 25 Nov 2026 10:01:30 GMT", clock))
        .isEqualTo(Duration.ofSeconds(90));
    assertThat(RetryAfter.parse("Wed, 25 Nov 2026 09:00:00 GMT", clock)).isEqualTo(Duration.ZERO);
  }

  @Test
  void absentBlankOrUnreadableValuesGiveNoDelay() {
    assertThat(RetryAfter.parse(null, clock)).isNull();
    assertThat(RetryAfter.parse("  ", clock)).isNull();
    assertThat(RetryAfter.parse("soon", clock)).isNull();
    assertThat(RetryAfter.parse("-5", clock)).isNull();
    assertThat(RetryAfter.parse("1.5", clock)).isNull();
    assertThat(RetryAfter.parse("99999999999", clock)).isNull();
  }
}
