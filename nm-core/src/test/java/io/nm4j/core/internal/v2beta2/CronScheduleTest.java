package io.nm4j.core.internal.v2beta2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  private static final ZoneId UTC = ZoneId.of("UTC");

  private static ZonedDateTime at(String localDateTime) {
    return ZonedDateTime.of(java.time.LocalDateTime.parse(localDateTime), UTC);
  }

  @Test
  void lastFiringIsTheLatestMatchingMinuteAtOrBeforeNow() {
    CronSchedule nightly = CronSchedule.parse("0 22 * * *");
    assertThat(nightly.lastFiringAtOrBefore(at("2026-03-05T04:30")))
        .isEqualTo(at("2026-03-04T22:00"));
    assertThat(nightly.lastFiringAtOrBefore(at("2026-03-04T22:00")))
        .isEqualTo(at("2026-03-04T22:00"));
    assertThat(nightly.lastFiringAtOrBefore(at("2026-03-04T21:59")))
        .isEqualTo(at("2026-03-03T22:00"));
  }

  @Test
  void listsRangesStepsAndNamesAreRead() {
    CronSchedule s = CronSchedule.parse("*/15 9-17 * JAN-MAR MON-FRI");
    // 2026-03-07 is a Saturday: the last firing is Friday 17:45.
    assertThat(s.lastFiringAtOrBefore(at("2026-03-07T12:00"))).isEqualTo(at("2026-03-06T17:45"));
    assertThat(s.lastFiringAtOrBefore(at("2026-03-06T10:14"))).isEqualTo(at("2026-03-06T10:00"));
  }

  @Test
  void restrictedDayOfMonthAndDayOfWeekFireOnEither() {
    CronSchedule s = CronSchedule.parse("0 0 13 * FRI");
    // 2026-03-13 is a Friday and the 13th; 2026-03-06 is a Friday.
    assertThat(s.lastFiringAtOrBefore(at("2026-03-12T00:00"))).isEqualTo(at("2026-03-06T00:00"));
    assertThat(s.lastFiringAtOrBefore(at("2026-02-14T00:00"))).isEqualTo(at("2026-02-13T00:00"));
  }

  @Test
  void macrosAndAZonePrefixAreAccepted() {
    assertThat(CronSchedule.parse("@daily").lastFiringAtOrBefore(at("2026-03-04T12:00")))
        .isEqualTo(at("2026-03-04T00:00"));
    ZonedDateTime firing =
        CronSchedule.parse("CRON_TZ=Asia/Shanghai 0 8 * * *")
            .lastFiringAtOrBefore(at("2026-03-04T12:00"));
    assertThat(firing.toInstant()).isEqualTo(at("2026-03-04T00:00").toInstant());
  }

  @Test
  void february29IsFoundYearsBack() {
    assertThat(CronSchedule.parse("0 0 29 2 *").lastFiringAtOrBefore(at("2027-01-01T00:00")))
        .isEqualTo(at("2024-02-29T00:00"));
  }

  @Test
  void badSchedulesSayWhatIsWrong() {
    assertThatThrownBy(() -> CronSchedule.parse("* * * *")).hasMessageContaining("five fields");
    assertThatThrownBy(() -> CronSchedule.parse("60 * * * *")).hasMessageContaining("minute");
    assertThatThrownBy(() -> CronSchedule.parse("@every 5m")).hasMessageContaining("@every");
    assertThatThrownBy(() -> CronSchedule.parse("CRON_TZ=Mars/Base 0 0 * * *"))
        .hasMessageContaining("Mars/Base");
    assertThatThrownBy(() -> CronSchedule.parse("0 5-1 * * *")).hasMessageContaining("backwards");
  }

  @Test
  void regularExpressionsThatCouldBacktrackCatastrophicallyAreRefused() {
    assertThat(SafeRegex.compile("Kube(Pod|Node)+").matcher("xKubePodNode").find()).isTrue();
    assertThat(SafeRegex.compile("^a{2,3}b*?$").matcher("aab").find()).isTrue();
    assertThatThrownBy(() -> SafeRegex.compile("(a+)+$")).hasMessageContaining("exponential");
    assertThatThrownBy(() -> SafeRegex.compile("(a*b?)*")).hasMessageContaining("exponential");
    assertThatThrownBy(() -> SafeRegex.compile("(x)\\1")).hasMessageContaining("backreferences");
    assertThatThrownBy(() -> SafeRegex.compile("a++")).hasMessageContaining("possessive");
    assertThatThrownBy(() -> SafeRegex.compile("(?=a)")).hasMessageContaining("lookaround");
    assertThatThrownBy(() -> SafeRegex.compile("a".repeat(SafeRegex.MAX_LENGTH + 1)))
        .hasMessageContaining("at most");
    assertThatThrownBy(() -> SafeRegex.compile("("))
        .hasMessageContaining("invalid regular expression");
  }
}
