package io.nm4j.channel.email;

import io.nm4j.channel.email.internal.DefaultEmailRenderer;
import io.nm4j.spi.Notification;

/**
 * Turns a notification's alerts into an e-mail's subject and bodies. The channel renders once per
 * notification and sends the same content to every recipient; a template engine can take the
 * default's place through {@link EmailChannel.Builder#renderer(EmailRenderer)}.
 */
@FunctionalInterface
public interface EmailRenderer {

  /** Renders the notification; must not throw for any alert content. */
  EmailContent render(Notification notification);

  /**
   * The built-in layout: firing and resolved alerts apart, each with its status, alertname,
   * namespace, severity, summary, start and end; every label value HTML-escaped in the HTML part.
   */
  static EmailRenderer defaultRenderer() {
    return DefaultEmailRenderer.INSTANCE;
  }
}
