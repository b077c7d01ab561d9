package io.nm4j.channel.slack;

import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.ReceiverSpec;
import io.nm4j.spi.SecretKeySelector;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The spec of a {@code SlackReceiver}: the channel to post to.
 *
 * @param slackConfigSelector selects the config; {@code null} means the default config
 * @param channel a channel name ({@code #alerts}) or ID ({@code C0123456789}), as {@code
 *     chat.postMessage} takes it
 */
public record SlackReceiver(@Nullable LabelSelector slackConfigSelector, String channel)
    implements ReceiverSpec {

  public SlackReceiver {
    Objects.requireNonNull(channel, "channel");
  }

  @Override
  public @Nullable LabelSelector configSelector() {
    return slackConfigSelector;
  }

  /** None: a receiver names only its channel; the token is in its config. */
  @Override
  public Map<String, SecretKeySelector> secretRefs() {
    return Map.of();
  }
}
