package io.nm4j.channel.slack.internal;

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
 * Renders a notification as Slack messages from the {@code slack/message.ftl} template (or the
 * receiver's own), in mrkdwn, and splits what does not fit one message into several, in order, each
 * within Slack's limits: at most {@link #MAX_TEXT_CHARS} characters of fallback text, in sections
 * of at most {@link #MAX_SECTION_CHARS} characters. Every part repeats the title (the first line)
 * with its part number.
 */
public final class SlackRenderer {
  /** Slack advises keeping {@code text} under 4,000 characters (it truncates at 40,000). */
  public static final int MAX_TEXT_CHARS = 4_000;

  /** Slack rejects a section whose text is longer than 3,000 characters. */
  public static final int MAX_SECTION_CHARS = 3_000;

  /**
   * The characters of all sections of one message together. Slack refuses a message whose blocks
   * hold too much text ({@code msg_blocks_too_long}) without documenting how much: posts fail from
   * about 13,200 characters (slackapi/bolt-js#2509), far below the 50 blocks of 3,000 characters
   * its documentation allows. Every message's sections hold its text of at most {@link
   * #MAX_TEXT_CHARS} characters, well within this margin below what was observed.
   */
  public static final int MAX_BLOCKS_CHARS = 12_000;

  /** The name of the built-in template, and of the custom one that replaces it. */
  public static final String MESSAGE = "message";

  /** The one template a custom one may replace. */
  public static final TemplateSlots SLOTS =
      TemplateSlots.single(MESSAGE, TemplateFormat.SLACK_MRKDWN);

  private final ChannelTemplates templates;

  public SlackRenderer(TemplateEngine engine) {
    this.templates =
        ChannelTemplates.load(
            "slack",
            engine,
            SlackRenderer.class.getClassLoader(),
            SLOTS.formats(),
            TemplateLimits.DEFAULT);
  }

  /** The rendered text, before splitting. */
  public ChannelTemplates.Rendering render(Notification notification, RenderOptions options) {
    return templates.render(MESSAGE, notification, options);
  }

  /** The messages a rendered text is posted as, in order; never empty. */
  public static List<SlackMessage> messages(String text) {
    List<SlackMessage> out = new ArrayList<>();
    for (String part : TextSplitter.splitCharsUnderHeading(text.strip(), MAX_TEXT_CHARS)) {
      out.add(new SlackMessage(part, TextSplitter.splitChars(part, MAX_SECTION_CHARS)));
    }
    return List.copyOf(out);
  }
}
