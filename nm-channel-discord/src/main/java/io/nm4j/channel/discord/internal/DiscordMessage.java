package io.nm4j.channel.discord.internal;

import java.util.List;
import java.util.Objects;

/**
 * One webhook execution worth of content, already escaped for Discord's markdown.
 *
 * @param content the message's text, at most 2,000 characters
 * @param embeds its embeds, at most 10, together within Discord's 6,000 characters
 */
public record DiscordMessage(String content, List<Embed> embeds) {
  public DiscordMessage {
    Objects.requireNonNull(content, "content");
    embeds = List.copyOf(embeds);
  }

  /**
   * One embed.
   *
   * @param title at most 256 characters
   * @param description at most 4,096 characters; empty for none
   * @param color the side bar's colour, RGB
   */
  public record Embed(String title, String description, int color) {}
}
