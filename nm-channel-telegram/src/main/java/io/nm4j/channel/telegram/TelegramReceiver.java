package io.nm4j.channel.telegram;

import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.ReceiverSpec;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The spec of a {@code TelegramReceiver}: the chats to post to and who to mention.
 *
 * @param telegramConfigSelector selects the config; {@code null} means the default config
 * @param channels chat IDs ({@code -1001234567890}) or public channel and group usernames ({@code
 *     @alerts}), as {@code sendMessage} takes them; at least one
 * @param mentionedUsers usernames mentioned at the start of each chat's first message ({@code
 *     @oncall}), each with its leading {@code @}
 */
public record TelegramReceiver(
    @Nullable LabelSelector telegramConfigSelector,
    List<String> channels,
    List<String> mentionedUsers)
    implements ReceiverSpec {

  public TelegramReceiver {
    channels = List.copyOf(channels);
    mentionedUsers = List.copyOf(mentionedUsers);
  }

  @Override
  public @Nullable LabelSelector configSelector() {
    return telegramConfigSelector;
  }
}
