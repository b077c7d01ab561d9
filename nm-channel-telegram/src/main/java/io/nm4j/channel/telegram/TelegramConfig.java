package io.nm4j.channel.telegram;

import io.nm4j.spi.ConfigSpec;
import io.nm4j.spi.SecretKeySelector;
import java.util.Map;
import java.util.Objects;

/**
 * The spec of a {@code TelegramConfig}: the bot token to post with.
 *
 * @param telegramTokenSecret the bot's token ({@code 123456789:AA...}) from BotFather
 */
public record TelegramConfig(SecretKeySelector telegramTokenSecret) implements ConfigSpec {
  /** The field path of the token, under which the core hands over its value. */
  public static final String TOKEN_FIELD = "spec.telegramTokenSecret";

  public TelegramConfig {
    Objects.requireNonNull(telegramTokenSecret, "telegramTokenSecret");
  }

  /** The token, at {@code spec.telegramTokenSecret}. */
  @Override
  public Map<String, SecretKeySelector> secretRefs() {
    return Map.of(TOKEN_FIELD, telegramTokenSecret);
  }
}
