package io.nm4j.channel.discord.internal;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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
   * One alert as an embed.
   *
   * @param title at most 256 characters
   * @param description at most 4,096 characters
   * @param url the alert's source, an http(s) URL, or {@code null}
   * @param color the side bar's colour, RGB
   * @param timestamp when the alert started, ISO 8601, or {@code null}
   * @param fields the labels, at most 25
   */
  public record Embed(
      String title,
      String description,
      @Nullable String url,
      int color,
      @Nullable String timestamp,
      List<Field> fields) {
    public Embed {
      fields = List.copyOf(fields);
    }

    /** The characters Discord counts towards a message's 6,000. */
    int size() {
      int n = title.length() + description.length();
      for (Field f : fields) {
        n += f.name().length() + f.value().length();
      }
      return n;
    }
  }

  /**
   * One field of an embed.
   *
   * @param name at most 256 characters
   * @param value at most 1,024 characters
   */
  public record Field(String name, String value) {}
}
