package io.nm4j.channel.email;

import java.util.Objects;

/**
 * What one e-mail says, before it is put into MIME: the channel sends {@code text} and {@code html}
 * as the two parts of a {@code multipart/alternative} message, both UTF-8.
 *
 * @param subject the subject line; line breaks are replaced by spaces when the header is written
 * @param text the plain-text part
 * @param html the HTML part; every value from an alert in it must already be escaped
 */
public record EmailContent(String subject, String text, String html) {
  public EmailContent {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(html, "html");
  }
}
