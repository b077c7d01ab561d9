package io.nm4j.channel.discord.internal;

import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.KindDescription;
import io.nm4j.spi.Schema;
import io.nm4j.spi.Schemas;

/**
 * The description of {@code DiscordReceiver} and {@code DiscordConfig}: what the provider parses.
 */
public final class DiscordKinds {

  /** A Discord ID (a snowflake): 17 to 20 digits. */
  public static final String SNOWFLAKE = "^[0-9]{17,20}$";

  /**
   * A webhook's display name: 1 to 80 characters, not containing "discord" nor "clyde", which
   * Discord refuses (https://discord.com/developers/docs/resources/webhook#create-webhook).
   */
  public static final String USERNAME = "^(?i)(?!.*(discord|clyde))\\S.{0,79}$";

  /** At most this many mentions of each kind per receiver. */
  public static final int MAX_MENTIONS = 50;

  public static final ChannelDescription DESCRIPTION =
      ChannelDescription.of("discord", receiver(), config())
          .withSettingsOptions(Schemas.notificationManagerOptions("Discord"));

  private DiscordKinds() {}

  private static KindDescription receiver() {
    return KindDescription.of(
        "DiscordReceiver",
        "The Discord channel webhook that gets notifications, and who they mention.",
        Schemas.withTemplateFields(
                Schema.object()
                    .property(
                        "discordConfigSelector",
                        Schemas.labelSelector(
                            "Which DiscordConfig to use among those the receiver may see; absent means"
                                + " the default DiscordConfig."))
                    .required(
                        "webhook",
                        Schemas.secretKeySelector(
                            "The channel webhook's URL (https://discord.com/api/webhooks/ID/TOKEN); its"
                                + " path holds the webhook's token."))
                    .property(
                        "type",
                        Schema.string()
                            .enumValues("content", "embed")
                            .defaultValue("content")
                            .description(
                                "content: markdown messages of at most 2,000 characters; embed: messages"
                                    + " of one embed each, its description at most 4,096 characters."))
                    .property(
                        "mentionedUsers",
                        Schema.array(Schema.string().pattern(SNOWFLAKE))
                            .maxItems(MAX_MENTIONS)
                            .description(
                                "User IDs mentioned at the start of the first message; the only users"
                                    + " a message may ping."))
                    .property(
                        "mentionedRoles",
                        Schema.array(Schema.string().pattern(SNOWFLAKE))
                            .maxItems(MAX_MENTIONS)
                            .description(
                                "Role IDs mentioned at the start of the first message; the only roles a"
                                    + " message may ping.")),
                DiscordRenderer.SLOTS)
            .build());
  }

  private static KindDescription config() {
    return KindDescription.of(
        "DiscordConfig",
        "How Discord webhook messages are posted; every DiscordReceiver resolves one, and an"
            + " empty spec is valid.",
        Schema.object()
            .property(
                "username",
                Schema.string()
                    .maxLength(80)
                    .description(
                        "The name messages are posted under instead of the webhook's own; 1 to"
                            + " 80 characters, without \"discord\" or \"clyde\"."))
            .build());
  }
}
