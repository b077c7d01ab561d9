package io.nm4j.channel.telegram.internal;

import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.KindDescription;
import io.nm4j.spi.Schema;
import io.nm4j.spi.Schemas;

/**
 * The description of {@code TelegramReceiver} and {@code TelegramConfig}: what the provider parses.
 */
public final class TelegramKinds {

  /**
   * A chat: a numeric ID (negative for groups and channels) or a public username with its {@code @}
   * (Telegram's usernames are 5 to 32 letters, digits and underscores).
   */
  public static final String CHAT = "^(-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$";

  /** A username to mention, with its {@code @}. */
  public static final String USERNAME = "^@[A-Za-z][A-Za-z0-9_]{3,31}$";

  /** At most this many chats per receiver, so one notification stays a bounded amount of work. */
  public static final int MAX_CHANNELS = 50;

  /** At most this many mentions per receiver. */
  public static final int MAX_MENTIONS = 50;

  public static final ChannelDescription DESCRIPTION =
      ChannelDescription.of("telegram", receiver(), config())
          .withSettingsOptions(Schemas.notificationManagerOptions("Telegram"));

  private TelegramKinds() {}

  private static KindDescription receiver() {
    return KindDescription.of(
        "TelegramReceiver",
        "The Telegram chats that get notifications, and which TelegramConfig's bot posts them.",
        Schemas.withTemplateFields(
                Schema.object()
                    .property(
                        "telegramConfigSelector",
                        Schemas.labelSelector(
                            "Which TelegramConfig to use among those the receiver may see; absent means"
                                + " the default TelegramConfig."))
                    .required(
                        "channels",
                        Schema.array(Schema.string().pattern(CHAT))
                            .minItems(1)
                            .maxItems(MAX_CHANNELS)
                            .description(
                                "Chats to post to: numeric chat IDs (-1001234567890) or public usernames"
                                    + " (@alerts); the bot must be a member of each."))
                    .property(
                        "mentionedUsers",
                        Schema.array(Schema.string().pattern(USERNAME))
                            .maxItems(MAX_MENTIONS)
                            .description(
                                "Usernames (@oncall) mentioned at the start of each chat's first"
                                    + " message.")),
                TelegramRenderer.SLOTS)
            .build());
  }

  private static KindDescription config() {
    return KindDescription.of(
        "TelegramConfig",
        "The Telegram bot that posts Telegram notifications.",
        Schema.object()
            .required(
                "telegramTokenSecret",
                Schemas.secretKeySelector(
                    "The bot's token from BotFather (123456789:AA...); it is part of every"
                        + " request's path, and never shown."))
            .build());
  }
}
