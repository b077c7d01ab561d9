package io.nm4j.server.internal;

import io.nm4j.core.MessageDefaults;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --language} and {@code --timezone}: the server-wide language and time zone of messages,
 * for the commands that send or render them.
 */
public final class LanguageAndTimezone {
  @Option(
      names = "--language",
      paramLabel = "LANG",
      description =
          "language of messages, en or zh-cn (default en); the settings, a channel kind or a"
              + " receiver may choose another")
  @Nullable String language;

  @Option(
      names = "--timezone",
      paramLabel = "ZONE",
      description =
          "time zone times are shown in, e.g. Asia/Shanghai (default UTC); the settings, a channel"
              + " kind or a receiver may choose another")
  @Nullable String timezone;

  /** The defaults given, checked. */
  MessageDefaults messageDefaults() throws InputException {
    try {
      return MessageDefaults.of(
          language == null ? MessageDefaults.DEFAULT.language() : language,
          timezone == null ? MessageDefaults.DEFAULT.timezone().getId() : timezone);
    } catch (IllegalArgumentException e) {
      throw new InputException("--" + e.getMessage());
    }
  }
}
