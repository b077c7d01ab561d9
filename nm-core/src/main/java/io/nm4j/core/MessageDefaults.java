package io.nm4j.core;

import io.nm4j.spi.LanguagePack;
import io.nm4j.spi.MessageTemplates;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * The server-wide language and time zone of messages: what every receiver renders with unless the
 * settings' {@code spec.template}, its channel kind's options or the receiver itself chooses its
 * own (built-in English and UTC &lt; these &lt; settings &lt; kind &lt; receiver).
 *
 * @param language a shipped language pack, {@code en} or {@code zh-cn}
 * @param timezone the zone times are shown in
 */
public record MessageDefaults(String language, ZoneId timezone) {

  /** English and UTC. */
  public static final MessageDefaults DEFAULT = new MessageDefaults("en", ZoneOffset.UTC);

  /**
   * @throws IllegalArgumentException when there is no language pack {@code language}
   */
  public MessageDefaults {
    Objects.requireNonNull(language, "language");
    Objects.requireNonNull(timezone, "timezone");
    if (LanguagePack.builtIn(language).isEmpty()) {
      throw new IllegalArgumentException(
          "language: no language pack \"" + language + "\"; there are en and zh-cn");
    }
  }

  /**
   * The defaults of a language and a zone as an operator writes them ({@code zh-cn}, {@code
   * Asia/Shanghai}).
   *
   * @throws IllegalArgumentException naming the value that is not known
   */
  public static MessageDefaults of(String language, String timezone) {
    ZoneId zone;
    try {
      zone = ZoneId.of(timezone.strip());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "timezone: unknown time zone \""
              + timezone
              + "\"; give an IANA name such as Asia/Shanghai, or UTC");
    }
    return new MessageDefaults(language.strip(), zone);
  }

  /** These defaults as the lowest level of the template precedence. */
  MessageTemplates asTemplates() {
    return new MessageTemplates(null, null, null, null, language, timezone);
  }
}
