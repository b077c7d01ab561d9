package io.nm4j.channel.dingtalk.internal;

import io.nm4j.spi.AlertFormat;
import io.nm4j.spi.ChannelTemplates;
import io.nm4j.spi.MessageModel;
import io.nm4j.spi.Notification;
import io.nm4j.spi.RenderOptions;
import io.nm4j.spi.TemplateEngine;
import io.nm4j.spi.TemplateFormat;
import io.nm4j.spi.TemplateLimits;
import io.nm4j.spi.TemplateProblem;
import io.nm4j.spi.TemplateSlots;
import io.nm4j.spi.TextSplitter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Renders a notification as DingTalk markdown from the templates {@code dingtalk/title.ftl} (plain
 * text: the chat list shows it) and {@code dingtalk/markdown.ftl} (which gets the title as {@code
 * title}), or the receiver's own.
 *
 * <p>Keywords: a custom robot drops a message that contains none of its keywords. When the title
 * contains none, the first keyword is put in front of it as {@code [keyword]}; since every part's
 * text starts with the title as its heading, every part then contains that keyword, in the same
 * visible place.
 *
 * <p>Splitting: a text longer than {@code maxTextBytes} (UTF-8) is split after its heading into
 * parts that each repeat the heading with {@code (part i/n)}.
 */
public final class MarkdownRenderer {
  /** The built-in title template, and the name of a custom one replacing it. */
  public static final String TITLE = "title";

  /** The built-in markdown template, and the name of a custom one replacing it. */
  public static final String MARKDOWN = "markdown";

  /** The templates a custom one may replace: the markdown, and the title as titleTemplate. */
  public static final TemplateSlots SLOTS =
      new TemplateSlots(
          Map.of(TITLE, TemplateFormat.TEXT, MARKDOWN, TemplateFormat.MARKDOWN),
          MARKDOWN,
          Map.of(),
          "titleTemplate",
          TITLE);

  private static final int MAX_TITLE_CHARS = 128;

  private final ChannelTemplates templates;

  public MarkdownRenderer(TemplateEngine engine) {
    this.templates =
        ChannelTemplates.load(
            "dingtalk",
            engine,
            MarkdownRenderer.class.getClassLoader(),
            SLOTS.formats(),
            TemplateLimits.DEFAULT);
  }

  /** The messages of a notification, in order (one unless the text exceeds the limit). */
  public Rendered render(
      Notification notification, RenderOptions options, List<String> keywords, int maxTextBytes) {
    Map<String, Object> model = new HashMap<>(MessageModel.of(notification, options.settings()));
    ChannelTemplates.Rendering title = templates.render(TITLE, model, options.template(TITLE));
    // A title is a line in the chat list; an absurd alert name must not crowd out the alerts.
    String shown =
        withKeyword(
            TextSplitter.ellipsize(AlertFormat.oneLine(title.text()).strip(), MAX_TITLE_CHARS),
            keywords);
    model.put("title", shown);
    ChannelTemplates.Rendering text = templates.render(MARKDOWN, model, options.template(MARKDOWN));
    List<String> parts = TextSplitter.splitUtf8UnderHeading(text.text().strip(), maxTextBytes);
    List<MarkdownMessage> out = new ArrayList<>(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      String heading =
          parts.size() == 1 ? shown : shown + " " + TextSplitter.partLabel(i, parts.size());
      out.add(new MarkdownMessage(heading, parts.get(i)));
    }
    TemplateProblem problem =
        title.fallbackReason() != null ? title.fallbackReason() : text.fallbackReason();
    return new Rendered(out, problem);
  }

  static String withKeyword(String title, List<String> keywords) {
    if (keywords.isEmpty() || keywords.stream().anyMatch(title::contains)) {
      return title;
    }
    return "[" + keywords.get(0) + "] " + title;
  }

  /**
   * The messages of one target, and the problem of a custom template that failed.
   *
   * @param parts the messages, in order
   * @param problem why a custom template was not used, or {@code null}
   */
  public record Rendered(List<MarkdownMessage> parts, @Nullable TemplateProblem problem) {
    public Rendered {
      parts = List.copyOf(parts);
      Objects.requireNonNull(parts, "parts");
    }

    /** {@code detail}, saying why a custom template was not used when it was not. */
    public String annotate(String detail) {
      return ChannelTemplates.annotate(detail, problem);
    }
  }
}
