package io.nm4j.channel.discord.internal;

import io.nm4j.channel.discord.internal.DiscordMessage.Embed;
import io.nm4j.spi.ChannelTemplates;
import io.nm4j.spi.Notification;
import io.nm4j.spi.RenderOptions;
import io.nm4j.spi.TemplateEngine;
import io.nm4j.spi.TemplateFormat;
import io.nm4j.spi.TemplateLimits;
import io.nm4j.spi.TemplateSlots;
import io.nm4j.spi.TextSplitter;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a notification as Discord webhook messages from the {@code discord/message.ftl} template
 * (or the receiver's own), in Discord's markdown: either as the messages' content or as one embed
 * per message. The first line of the rendered text is the title: in content it is shown in bold, in
 * an embed it is the embed's title; every part repeats it with its place.
 *
 * <p>The engine escapes every value with a backslash before each character that formats, links or
 * mentions, so a label shows as written; which mentions may ping is the channel's {@code
 * allowed_mentions}. A cut never separates a backslash from the character it escapes.
 *
 * <p>Limits are Discord's (https://discord.com/developers/docs/resources/message#embed-object
 * -embed-limits and https://discord.com/developers/docs/resources/webhook#execute-webhook): content
 * 2,000 characters; an embed's title 256 and description 4,096; all embeds of a message together
 * 6,000, which one embed of a full title and description stays within.
 */
public final class DiscordRenderer {
  public static final int MAX_CONTENT_CHARS = 2_000;
  static final int MAX_EMBED_TOTAL = 6_000;
  static final int MAX_TITLE = 256;
  static final int MAX_DESCRIPTION = 4_096;

  /** The name of the built-in template, and of the custom one that replaces it. */
  public static final String MESSAGE = "message";

  /** The one template a custom one may replace. */
  public static final TemplateSlots SLOTS =
      TemplateSlots.single(MESSAGE, TemplateFormat.DISCORD_MARKDOWN);

  private static final int FIRING_COLOR = 0xE01E5A;
  private static final int RESOLVED_COLOR = 0x2EB67D;

  private final ChannelTemplates templates;

  public DiscordRenderer(TemplateEngine engine) {
    this.templates =
        ChannelTemplates.load(
            "discord",
            engine,
            DiscordRenderer.class.getClassLoader(),
            SLOTS.formats(),
            TemplateLimits.DEFAULT);
  }

  /** The rendered text, before splitting. */
  public ChannelTemplates.Rendering render(Notification notification, RenderOptions options) {
    return templates.render(MESSAGE, notification, options);
  }

  /**
   * The messages of a rendered text as content, in order; never empty.
   *
   * @param mentions the mentions ({@code <@id>}, {@code <@&id>}) put at the start of the first
   */
  public static List<DiscordMessage> content(String text, String mentions) {
    String mentionLine = mentions.isEmpty() ? "" : mentions + "\n";
    String whole = text.strip();
    int lineEnd = whole.indexOf('\n');
    String title = lineEnd < 0 ? whole : whole.substring(0, lineEnd).strip();
    String body = lineEnd < 0 ? "" : whole.substring(lineEnd);
    String bold = (title.isEmpty() ? "" : "**" + title + "**") + body;
    // One character spare in each part, for a backslash moved to the next one.
    List<String> parts =
        keepEscapes(
            TextSplitter.splitCharsUnderHeading(bold, MAX_CONTENT_CHARS - mentionLine.length() - 1),
            true);
    List<DiscordMessage> out = new ArrayList<>(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      out.add(new DiscordMessage((i == 0 ? mentionLine : "") + parts.get(i), List.of()));
    }
    return List.copyOf(out);
  }

  /**
   * The messages of a rendered text as embeds, one per message, in order; never empty.
   *
   * @param mentions the mentions put in the first message's content
   * @param firing whether any alert fires, which colours the embeds
   */
  public static List<DiscordMessage> embeds(String text, String mentions, boolean firing) {
    String whole = text.strip();
    int lineEnd = whole.indexOf('\n');
    String title = lineEnd < 0 ? whole : whole.substring(0, lineEnd).strip();
    String body = lineEnd < 0 ? "" : whole.substring(lineEnd + 1).strip();
    List<String> descriptions =
        body.isEmpty()
            ? List.of("")
            : keepEscapes(TextSplitter.splitChars(body, MAX_DESCRIPTION - 1), false);
    List<DiscordMessage> out = new ArrayList<>(descriptions.size());
    for (int i = 0; i < descriptions.size(); i++) {
      String label =
          descriptions.size() == 1 ? "" : " " + TextSplitter.partLabel(i, descriptions.size());
      Embed embed =
          new Embed(
              clip(title, MAX_TITLE - label.length()) + label,
              descriptions.get(i),
              firing ? FIRING_COLOR : RESOLVED_COLOR);
      out.add(new DiscordMessage(i == 0 ? mentions : "", List.of(embed)));
    }
    return List.copyOf(out);
  }

  /**
   * The parts with a backslash that ends a part (an odd run of them) moved to the start of the next
   * part's text, so that the character it escapes is escaped there.
   *
   * @param underHeading whether each part starts with a heading and a blank line, its text after
   */
  static List<String> keepEscapes(List<String> parts, boolean underHeading) {
    List<String> out = new ArrayList<>(parts);
    for (int i = 0; i + 1 < out.size(); i++) {
      String part = out.get(i);
      int run = 0;
      while (run < part.length() && part.charAt(part.length() - 1 - run) == '\\') {
        run++;
      }
      if (run % 2 == 1) {
        out.set(i, part.substring(0, part.length() - 1));
        String next = out.get(i + 1);
        int at = underHeading ? next.indexOf("\n\n") + 2 : 0;
        out.set(i + 1, next.substring(0, at) + "\\" + next.substring(at));
      }
    }
    return List.copyOf(out);
  }

  /**
   * At most {@code max} characters of escaped text, ending in an ellipsis when cut, never between a
   * backslash and the character it escapes nor inside a surrogate pair.
   */
  static String clip(String escaped, int max) {
    if (escaped.length() <= max) {
      return escaped;
    }
    String cut = TextSplitter.truncateChars(escaped, max - TextSplitter.ELLIPSIS.length());
    int trailing = 0;
    while (trailing < cut.length() && cut.charAt(cut.length() - 1 - trailing) == '\\') {
      trailing++;
    }
    if (trailing % 2 == 1) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut + TextSplitter.ELLIPSIS;
  }
}
