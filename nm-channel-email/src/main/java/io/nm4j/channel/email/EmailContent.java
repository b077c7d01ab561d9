package io.nm4j.channel.email;

import io.nm4j.spi.TemplateProblem;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one e-mail says, before it is put into MIME: the channel sends {@code text} and {@code html}
 * as the two parts of a {@code multipart/alternative} message, both UTF-8.
 *
 * @param subject the subject line; line breaks are replaced by spaces when the header is written
 * @param text the plain-text part
 * @param html the HTML part; every value from an alert in it must already be escaped
 * @param templateProblem why a custom template was not used (the built-in one rendered instead),
 *     for the delivery's detail; {@code null} when none failed
 */
public record EmailContent(
    String subject, String text, String html, @Nullable TemplateProblem templateProblem) {
  public EmailContent {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(html, "html");
  }

  /** Content no template failed for. */
  public EmailContent(String subject, String text, String html) {
    this(subject, text, html, null);
  }
}
