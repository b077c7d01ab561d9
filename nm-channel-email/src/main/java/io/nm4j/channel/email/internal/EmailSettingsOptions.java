package io.nm4j.channel.email.internal;

import io.nm4j.spi.FieldError;
import io.nm4j.spi.SettingsOptions;
import io.nm4j.spi.SpecReader;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The email block of the settings' {@code spec.receivers.options}: how a receiver's recipients are
 * spread over mails.
 *
 * @param bulk one mail to several recipients ({@code deliveryType: bulk}), who see each other in
 *     its To header; else one mail per recipient ({@code single}, the default)
 * @param maxRecipients most recipients of one bulk mail; 0 for all of them in one mail
 * @param notices values accepted but without effect
 */
public record EmailSettingsOptions(boolean bulk, int maxRecipients, List<FieldError> notices)
    implements SettingsOptions {

  /** One mail per recipient. */
  public static final EmailSettingsOptions DEFAULTS = new EmailSettingsOptions(false, 0, List.of());

  public EmailSettingsOptions {
    if (maxRecipients < 0) {
      throw new IllegalArgumentException("maxRecipients must not be negative");
    }
    notices = List.copyOf(notices);
  }

  /** Reads {@code deliveryType} and {@code maxEmailReceivers}. */
  public static EmailSettingsOptions read(SpecReader block) {
    List<FieldError> notices = new ArrayList<>();
    boolean bulk = false;
    String type = block.string("deliveryType");
    if (type != null && !type.isBlank()) {
      // notification-manager spelled it "Bulk" in its code and "bulk" in its documentation.
      switch (type.strip().toLowerCase(Locale.ROOT)) {
        case "bulk" -> bulk = true;
        case "single" -> bulk = false;
        default -> block.error("deliveryType", "must be bulk or single, was \"" + type + "\"");
      }
    }
    Integer max = block.integer("maxEmailReceivers", 1, 10_000);
    if (max != null && !bulk) {
      notices.add(
          new FieldError(
              block.path("maxEmailReceivers"),
              "applies to deliveryType bulk only; every recipient gets a mail of their own"));
    }
    return new EmailSettingsOptions(bulk, max == null ? 0 : max, notices);
  }

  /** {@code to} spread over mails: one each, or bulk mails of at most {@link #maxRecipients}. */
  public List<List<InternetAddress>> mails(List<InternetAddress> to) {
    int per = !bulk ? 1 : maxRecipients == 0 ? Math.max(1, to.size()) : maxRecipients;
    List<List<InternetAddress>> mails = new ArrayList<>();
    for (int i = 0; i < to.size(); i += per) {
      mails.add(List.copyOf(to.subList(i, Math.min(to.size(), i + per))));
    }
    return mails;
  }
}
