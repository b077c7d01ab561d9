package io.nm4j.channel.email.internal;

import io.nm4j.channel.email.EmailContent;
import io.nm4j.channel.email.EmailRenderer;
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
import java.util.Map;

/**
 * The e-mail of the templates {@code email/subject.ftl} (plain text), {@code email/text.ftl} and
 * {@code email/html.ftl} (HTML: the engine escapes every value), or the receiver's own. Label and
 * annotation values come from whoever can create alerts: the subject is kept on one line whatever a
 * template writes, so no value can add a header.
 */
public final class DefaultEmailRenderer implements EmailRenderer {
  /** The built-in subject template, and the name of a custom one replacing it. */
  public static final String SUBJECT = "subject";

  /** The built-in plain-text template, and the name of a custom one replacing it. */
  public static final String TEXT = "text";

  /** The built-in HTML template, and the name of a custom one replacing it. */
  public static final String HTML = "html";

  /**
   * The templates a custom one may replace: the body by {@code tmplType} (HTML by default), the
   * subject as subjectTemplate.
   */
  public static final TemplateSlots SLOTS =
      new TemplateSlots(
          Map.of(
              SUBJECT, TemplateFormat.TEXT, TEXT, TemplateFormat.TEXT, HTML, TemplateFormat.HTML),
          HTML,
          Map.of("html", HTML, "text", TEXT),
          "subjectTemplate",
          SUBJECT);

  private final ChannelTemplates templates;

  public DefaultEmailRenderer(TemplateEngine engine) {
    this.templates =
        ChannelTemplates.load(
            "email",
            engine,
            DefaultEmailRenderer.class.getClassLoader(),
            SLOTS.formats(),
            TemplateLimits.DEFAULT);
  }

  /** The renderer of the engine on this module's class path, made once. */
  public static DefaultEmailRenderer onClassPath() {
    return OnClassPath.INSTANCE;
  }

  @Override
  public EmailContent render(Notification notification) {
    return render(notification, RenderOptions.DEFAULT);
  }

  @Override
  public EmailContent render(Notification notification, RenderOptions options) {
    Map<String, Object> model = MessageModel.of(notification, options.settings());
    ChannelTemplates.Rendering subject =
        templates.render(SUBJECT, model, options.template(SUBJECT));
    ChannelTemplates.Rendering text = templates.render(TEXT, model, options.template(TEXT));
    ChannelTemplates.Rendering html = templates.render(HTML, model, options.template(HTML));
    TemplateProblem problem =
        subject.fallbackReason() != null
            ? subject.fallbackReason()
            : text.fallbackReason() != null ? text.fallbackReason() : html.fallbackReason();
    return new EmailContent(
        AlertFormat.oneLine(subject.text()).strip(),
        text.text().strip() + "\n",
        html.text(),
        problem);
  }

  private static final class OnClassPath {
    static final DefaultEmailRenderer INSTANCE =
        new DefaultEmailRenderer(
            TemplateEngine.onClassPath(DefaultEmailRenderer.class.getClassLoader()));
  }
}
