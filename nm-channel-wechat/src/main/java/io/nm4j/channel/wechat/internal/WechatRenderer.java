package io.nm4j.channel.wechat.internal;

import io.nm4j.spi.ChannelTemplates;
import io.nm4j.spi.Notification;
import io.nm4j.spi.RenderOptions;
import io.nm4j.spi.TemplateEngine;
import io.nm4j.spi.TemplateFormat;
import io.nm4j.spi.TemplateLimits;
import io.nm4j.spi.TemplateSlots;
import java.util.Map;

/**
 * The message a WeChat Work member reads, from the templates {@code wechat/text.ftl} (plain text,
 * {@code msgtype: text}) and {@code wechat/markdown.ftl} (WeChat Work's markdown subset: headings,
 * bold, links, quotes, three font colours), or the receiver's own.
 */
public final class WechatRenderer {
  /** The built-in text template, and the name of a custom one replacing it. */
  public static final String TEXT = "text";

  /** The built-in markdown template, and the name of a custom one replacing it. */
  public static final String MARKDOWN = "markdown";

  /** The templates a custom one may replace, by {@code tmplType}. */
  public static final TemplateSlots SLOTS =
      new TemplateSlots(
          Map.of(TEXT, TemplateFormat.TEXT, MARKDOWN, TemplateFormat.MARKDOWN),
          TEXT,
          Map.of("text", TEXT, "markdown", MARKDOWN),
          null,
          null);

  private final ChannelTemplates templates;

  public WechatRenderer(TemplateEngine engine) {
    this.templates =
        ChannelTemplates.load(
            "wechat",
            engine,
            WechatRenderer.class.getClassLoader(),
            SLOTS.formats(),
            TemplateLimits.DEFAULT);
  }

  /** The content of the message, before splitting. */
  public ChannelTemplates.Rendering render(
      Notification notification, RenderOptions options, boolean markdown) {
    String name = markdown ? MARKDOWN : TEXT;
    return templates.render(name, notification, options);
  }
}
