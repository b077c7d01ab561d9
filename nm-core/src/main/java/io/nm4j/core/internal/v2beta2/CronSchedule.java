package io.nm4j.core.internal.v2beta2;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A {@code Silence}'s {@code schedule}: the standard five cron fields (minute, hour, day of month,
 * month, day of week, with {@code *}, lists, ranges, steps and month/day names), the macros {@code
 * @yearly}, {@code @annually}, {@code @monthly}, {@code @weekly}, {@code @daily}, {@code @midnight},
 * {@code @hourly}, and an optional {@code CRON_TZ=<zone>} prefix, as notification-manager accepts
 * them. As in cron, when both day fields are restricted a day matching either one fires.
 *
 * <p>{@code @every <duration>} is refused: it fires relative to when a process started, so a silence
 * with it has no window anyone can predict.
 */
final class CronSchedule {
  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");
  private static final String[] MONTHS = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
  };
  private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

  /** How far back a firing is looked for: longer than any gap between two firings (Feb 29). */
  private static final int MAX_DAYS_BACK = 8 * 366;

  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean dayOfMonthStar;
  private final boolean dayOfWeekStar;
  private final @Nullable ZoneId zone;
  private final String text;

  private CronSchedule(String text, String[] fields, @Nullable ZoneId zone) {
    this.text = text;
    this.zone = zone;
    this.minutes = field(fields[0], 0, 59, null, "minute");
    this.hours = field(fields[1], 0, 23, null, "hour");
    this.daysOfMonth = field(fields[2], 1, 31, null, "day of month");
    this.months = field(fields[3], 1, 12, MONTHS, "month");
    BitSet dow = field(fields[4], 0, 7, DAYS, "day of week");
    if (dow.get(7)) {
      dow.set(0);
    }
    this.daysOfWeek = dow;
    this.dayOfMonthStar = fields[2].startsWith("*") || fields[2].equals("?");
    this.dayOfWeekStar = fields[4].startsWith("*") || fields[4].equals("?");
  }

  /**
   * Parses a schedule.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  static CronSchedule parse(String text) {
    String spec = text.strip();
    ZoneId zone = null;
    if (spec.startsWith("CRON_TZ=") || spec.startsWith("TZ=")) {
      int space = spec.indexOf(' ');
      if (space < 0) {
        throw new IllegalArgumentException("a time zone prefix needs a schedule after it");
      }
      String name = spec.substring(spec.indexOf('=') + 1, space);
      try {
        zone = ZoneId.of(name);
      } catch (DateTimeException e) {
        throw new IllegalArgumentException("unknown time zone \"" + name + "\"");
      }
      spec = spec.substring(space + 1).strip();
    }
    if (spec.startsWith("@")) {
      if (spec.startsWith("@every")) {
        throw new IllegalArgumentException(
            "@every is not supported: it has no fixed window; write the five cron fields");
      }
      String expanded = MACROS.get(spec.toLowerCase(Locale.ROOT));
      if (expanded == null) {
        throw new IllegalArgumentException(
            "unknown macro \"" + spec + "\" (known: @yearly, @monthly, @weekly, @daily, @hourly)");
      }
      spec = expanded;
    }
    String[] fields = spec.split("\\s+");
    if (fields.length != 5) {
      throw new IllegalArgumentException(
          "must have five fields (minute hour day-of-month month day-of-week), had "
              + fields.length);
    }
    return new CronSchedule(text, fields, zone);
  }

  /**
   * The last firing at or before {@code now} (in this schedule's own zone when it names one, else
   * in {@code now}'s), or {@code null} when there was none in the last eight years.
   */
  @Nullable ZonedDateTime lastFiringAtOrBefore(ZonedDateTime now) {
    ZonedDateTime local = zone == null ? now : now.withZoneSameInstant(zone);
    LocalDate day = local.toLocalDate();
    for (int back = 0; back <= MAX_DAYS_BACK; back++, day = day.minusDays(1)) {
      if (!dayMatches(day)) {
        continue;
      }
      int fromHour = back == 0 ? local.getHour() : 23;
      for (int h = hours.previousSetBit(fromHour); h >= 0; h = hours.previousSetBit(h - 1)) {
        int fromMinute = back == 0 && h == local.getHour() ? local.getMinute() : 59;
        int m = minutes.previousSetBit(fromMinute);
        if (m >= 0) {
          ZonedDateTime firing =
              ZonedDateTime.of(
                  LocalDateTime.of(day, java.time.LocalTime.of(h, m)), local.getZone());
          if (!firing.isAfter(local)) {
            return firing;
          }
        }
      }
    }
    return null;
  }

  private boolean dayMatches(LocalDate day) {
    if (!months.get(day.getMonthValue())) {
      return false;
    }
    boolean dom = daysOfMonth.get(day.getDayOfMonth());
    boolean dow = daysOfWeek.get(day.getDayOfWeek().getValue() % 7);
    if (dayOfMonthStar || dayOfWeekStar) {
      return dom && dow;
    }
    return dom || dow;
  }

  private static BitSet field(
      String text, int min, int max, String @Nullable [] names, String what) {
    BitSet bits = new BitSet(max + 1);
    for (String part : text.split(",", -1)) {
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        step = number(part.substring(slash + 1), 1, max, null, what);
        range = part.substring(0, slash);
      }
      int from;
      int to;
      if (range.equals("*") || range.equals("?")) {
        from = min;
        to = max;
      } else {
        int dash = range.indexOf('-');
        if (dash > 0) {
          from = number(range.substring(0, dash), min, max, names, what);
          to = number(range.substring(dash + 1), min, max, names, what);
        } else {
          from = number(range, min, max, names, what);
          to = slash >= 0 ? max : from;
        }
      }
      if (from > to) {
        throw new IllegalArgumentException(what + ": range " + range + " runs backwards");
      }
      for (int v = from; v <= to; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int number(String text, int min, int max, String @Nullable [] names, String what) {
    if (names != null) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equalsIgnoreCase(text)) {
          return i + (min == 1 ? 1 : 0);
        }
      }
    }
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + ": \"" + text + "\" is not a number");
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(what + ": " + value + " is outside " + min + ".." + max);
    }
    return value;
  }

  @Override
  public String toString() {
    return text;
  }
}
