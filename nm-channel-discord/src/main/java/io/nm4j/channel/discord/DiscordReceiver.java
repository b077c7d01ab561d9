package io.nm4j.channel.discord;

import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.ReceiverSpec;
import io.nm4j.spi.SecretKeySelector;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The spec of a {@code DiscordReceiver}: the channel's webhook, how messages look and who they
 * mention.
 *
 * @param discordConfigSelector selects the config; {@code null} means the default config
 * @param webhook the webhook's URL ({@code https://discord.com/api/webhooks/<id>/<token>}), a
 *     secret: its path holds the webhook's token
 * @param type {@code content} (plain messages) or {@code embed} (one embed a message)
 * @param mentionedUsers user IDs mentioned in the first message, the only users it may ping
 * @param mentionedRoles role IDs mentioned in the first message, the only roles it may ping
 */
public record DiscordReceiver(
    @Nullable LabelSelector discordConfigSelector,
    SecretKeySelector webhook,
    MessageType type,
    List<String> mentionedUsers,
    List<String> mentionedRoles)
    implements ReceiverSpec {
  /** The field path of the webhook URL, under which the core hands over its value. */
  public static final String WEBHOOK_FIELD = "spec.webhook";

  public DiscordReceiver {
    Objects.requireNonNull(webhook, "webhook");
    Objects.requireNonNull(type, "type");
    mentionedUsers = List.copyOf(mentionedUsers);
    mentionedRoles = List.copyOf(mentionedRoles);
  }

  @Override
  public @Nullable LabelSelector configSelector() {
    return discordConfigSelector;
  }

  /** The webhook URL, at {@code spec.webhook}. */
  @Override
  public Map<String, SecretKeySelector> secretRefs() {
    return Map.of(WEBHOOK_FIELD, webhook);
  }

  /** How alerts are shown. */
  public enum MessageType {
    /** Markdown text in the message's {@code content}, at most 2,000 characters a message. */
    CONTENT,
    /**
     * One embed a message: the title as its title, the rest as its description of at most 4,096
     * characters.
     */
    EMBED
  }
}
