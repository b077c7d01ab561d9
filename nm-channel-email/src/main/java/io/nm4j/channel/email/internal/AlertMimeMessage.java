package io.nm4j.channel.email.internal;

import io.nm4j.channel.email.EmailContent;
import io.nm4j.spi.AlertFormat;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * One alert e-mail to its recipients: {@code multipart/alternative} with the plain-text part first
 * and the HTML part last (the one a client prefers), both UTF-8, with a Message-ID of our own so
 * that it names the notification.
 */
public final class AlertMimeMessage extends MimeMessage {
  private final String messageId;

  private AlertMimeMessage(Session session, String messageId) {
    super(session);
    this.messageId = messageId;
  }

  /**
   * Builds the message.
   *
   * @param messageId the Message-ID, with its angle brackets
   */
  public static AlertMimeMessage create(
      Session session,
      InternetAddress from,
      List<InternetAddress> to,
      EmailContent content,
      Instant date,
      String messageId)
      throws MessagingException {
    AlertMimeMessage m = new AlertMimeMessage(session, messageId);
    m.setFrom(from);
    m.setRecipients(RecipientType.TO, to.toArray(InternetAddress[]::new));
    m.setSubject(AlertFormat.oneLine(content.subject()), StandardCharsets.UTF_8.name());
    m.setSentDate(Date.from(date));
    MimeBodyPart text = new MimeBodyPart();
    text.setText(content.text(), StandardCharsets.UTF_8.name(), "plain");
    MimeBodyPart html = new MimeBodyPart();
    html.setText(content.html(), StandardCharsets.UTF_8.name(), "html");
    MimeMultipart alternative = new MimeMultipart("alternative");
    alternative.addBodyPart(text);
    alternative.addBodyPart(html);
    m.setContent(alternative);
    m.saveChanges();
    return m;
  }

  @Override
  protected void updateMessageID() throws MessagingException {
    setHeader("Message-ID", messageId);
  }
}
