package io.nm4j.spi;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * How a message shows what it shows: the words' language, the time zone of its times, and the
 * labels it leaves out.
 *
 * @param language the built-in words
 * @param zone the zone start and end times are shown in
 * @param excludedLabels labels not shown (e.g. {@code prometheus}, {@code endpoint}); every other
 *     label is
 */
public record MessageSettings(LanguagePack language, ZoneId zone, List<String> excludedLabels) {

  /** English, UTC, every label shown. */
  public static final MessageSettings DEFAULT =
      new MessageSettings(LanguagePack.ENGLISH, ZoneOffset.UTC, List.of());

  public MessageSettings {
    Objects.requireNonNull(language, "language");
    Objects.requireNonNull(zone, "zone");
    excludedLabels = List.copyOf(excludedLabels);
  }

  /** These settings in another language. */
  public MessageSettings withLanguage(LanguagePack value) {
    return new MessageSettings(value, zone, excludedLabels);
  }

  /** These settings in another time zone. */
  public MessageSettings withZone(ZoneId value) {
    return new MessageSettings(language, value, excludedLabels);
  }
}
