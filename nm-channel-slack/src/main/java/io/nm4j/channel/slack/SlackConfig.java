package io.nm4j.channel.slack;

import io.nm4j.spi.ConfigSpec;
import io.nm4j.spi.SecretKeySelector;
import java.util.Map;
import java.util.Objects;

/**
 * The spec of a {@code SlackConfig}: the bot token to post with.
 *
 * @param slackTokenSecret the bot token ({@code xoxb-...})
 */
public record SlackConfig(SecretKeySelector slackTokenSecret) implements ConfigSpec {
  /** The field path of the token, under which the core hands over its value. */
  public static final String TOKEN_FIELD = "spec.slackTokenSecret";

  public SlackConfig {
    Objects.requireNonNull(slackTokenSecret, "slackTokenSecret");
  }

  /** The token, at {@code spec.slackTokenSecret}. */
  @Override
  public Map<String, SecretKeySelector> secretRefs() {
    return Map.of(TOKEN_FIELD, slackTokenSecret);
  }
}
