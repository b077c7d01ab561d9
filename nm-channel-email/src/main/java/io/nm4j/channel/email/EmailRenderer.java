package io.nm4j.channel.email;

import io.nm4j.channel.email.internal.DefaultEmailRenderer;
import io.nm4j.spi.Notification;
import io.nm4j.spi.RenderOptions;
import io.nm4j.spi.TemplateEngine;

/**
 * Turns a notification's alerts into an e-mail's subject and bodies. The channel renders once per
 * notification and sends the same content to every recipient. The default renders the templates
 * {@code email/subject.ftl}, {@code email/text.ftl} and {@code email/html.ftl} (or the receiver's
 * own); a host may put its own renderer in their place through {@link
 * EmailChannel.Builder#renderer(EmailRenderer)}.
 */
@FunctionalInterface
public interface EmailRenderer {

  /** Renders the notification; must not throw for any alert content. */
  EmailContent render(Notification notification);

  /**
   * Renders the notification with the receiver's templates and settings; by default they are
   * ignored and {@link #render(Notification)} renders.
   */
  default EmailContent render(Notification notification, RenderOptions options) {
    return render(notification);
  }

  /**
   * The built-in templates, rendered with the engine on the class path: firing and resolved alerts
   * apart, every label and annotation of each, times, links; every value HTML-escaped in the HTML
   * part, and on one line in the subject.
   */
  static EmailRenderer defaultRenderer() {
    return DefaultEmailRenderer.onClassPath();
  }

  /** The built-in templates, rendered with {@code engine}. */
  static EmailRenderer templates(TemplateEngine engine) {
    return new DefaultEmailRenderer(engine);
  }
}
