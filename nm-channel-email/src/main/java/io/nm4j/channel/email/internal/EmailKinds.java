package io.nm4j.channel.email.internal;

import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.KindDescription;
import io.nm4j.spi.MessageTemplates;
import io.nm4j.spi.Schema;
import io.nm4j.spi.Schemas;

/** The description of {@code EmailReceiver} and {@code EmailConfig}: what the provider parses. */
public final class EmailKinds {

  /**
   * A mailbox {@code local@domain} as {@link EmailAddresses} accepts it: a dot-atom or quoted local
   * part, a host name of letters, digits and inner hyphens whose last label is not all digits.
   */
  static final String ADDRESS =
      "^([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
          + "|\"([^\"\\\\\\s]|\\\\[^\\s])*\")"
          + "@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*"
          + "([A-Za-z0-9]*[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?|[0-9]+-([A-Za-z0-9-]*[A-Za-z0-9])?)$";

  /**
   * A sender: an {@link #ADDRESS}, or a display name without angle brackets or line breaks and an
   * address in angle brackets; the channel checks the name further.
   */
  static final String FROM =
      "^("
          + ADDRESS.substring(1, ADDRESS.length() - 1)
          + "|[^<>\\r\\n]*<"
          + ADDRESS.substring(1, ADDRESS.length() - 1)
          + ">)$";

  /** A host name or IP address: no white space, '/' or '@', and not {@code host:port}. */
  static final String HOST = "^([^\\s/@:]+|[^\\s/@]*:[^\\s/@]*:[^\\s/@]*)$";

  private static final KindDescription CONFIG = config();

  public static final ChannelDescription DESCRIPTION =
      ChannelDescription.of("email", receiver(), CONFIG)
          .withSettingsOptions(options())
          .withConfigBlock(configBlock());

  private EmailKinds() {}

  private static Schema address(String description) {
    return Schema.string()
        .pattern(ADDRESS)
        .maxLength(254)
        .format("email")
        .description(description)
        .build();
  }

  private static KindDescription receiver() {
    return KindDescription.of(
        "EmailReceiver",
        "Who gets notifications by e-mail, and which EmailConfig sends them.",
        Schemas.withTemplateFields(
                Schema.object()
                    .required(
                        "to",
                        Schema.array(address("A recipient, e.g. ops@example.com."))
                            .minItems(1)
                            .description("The recipients' addresses; at least one."))
                    .property(
                        "emailConfigSelector",
                        Schemas.labelSelector(
                            "Which EmailConfig to use among those the receiver may see; absent means"
                                + " the default EmailConfig.")),
                DefaultEmailRenderer.SLOTS)
            .build());
  }

  private static KindDescription config() {
    Schema smartHost =
        Schema.object()
            .description("The SMTP server.")
            .required(
                "host",
                Schema.string()
                    .pattern(HOST)
                    .description("Its host name or IP address, without a port."))
            .required(
                "port",
                Schema.intOrString()
                    .description(
                        "Its port, 1..65535; a string of digits (\"587\") as v1alpha1 writes it,"
                            + " or a number. Port 465 speaks TLS from the first byte; others use"
                            + " STARTTLS when offered.")
                    .rule(
                        "type(self) == int ? self >= 1 && self <= 65535"
                            + " : self.matches('^[0-9]{1,9}$') && int(self) >= 1"
                            + " && int(self) <= 65535",
                        "must be a port 1..65535"))
            .build();
    String notBlank = Schemas.NOT_BLANK;
    return KindDescription.of(
        "EmailConfig",
        "The SMTP server, sender and credentials that send e-mail notifications.",
        Schema.object()
            .required(
                "from",
                Schema.string()
                    .pattern(FROM)
                    .maxLength(512)
                    .description(
                        "The sender: an address, e.g. alerts@example.com, or a display name and"
                            + " an address, e.g. Alerts <alerts@example.com> (a name in any"
                            + " script; quote one that holds a comma).")
                    .build())
            .required("smartHost", smartHost)
            .property(
                "hello",
                Schema.string()
                    .pattern(notBlank)
                    .description("The host name to announce in HELO/EHLO; the JVM's by default."))
            .required(
                "authUsername",
                Schema.string().pattern(notBlank).description("The user to log in as."))
            .property(
                "authIdentify",
                Schema.string()
                    .pattern(notBlank)
                    .description(
                        "The authorization identity of AUTH PLAIN, if the server needs" + " one."))
            .required(
                "authPassword", Schemas.secretKeySelector("The password, for AUTH PLAIN or LOGIN."))
            .property(
                "authSecret",
                Schemas.secretKeySelector(
                    "The secret of CRAM-MD5 authentication. CRAM-MD5 is not supported: the"
                        + " password is used, and this reference is neither read nor required"
                        + " to exist."))
            .property(
                "requireTLS",
                Schema.bool()
                    .defaultValue("false")
                    .description("Refuse to send unless STARTTLS succeeds."))
            .property(
                "allowInsecureAuth",
                Schema.bool()
                    .defaultValue("false")
                    .description(
                        "Allow AUTH to send the password over a connection without TLS, to a"
                            + " server that offers no STARTTLS (or whose offer was stripped on"
                            + " the way). Without it such a send is refused."))
            .property(
                "tls",
                serverName(
                    Schemas.tlsConfig(
                        "TLS settings; without them the server's certificate is verified against"
                            + " the JVM's trusted roots.")))
            .build());
  }

  private static Schema serverName(Schema tls) {
    return tls.toBuilder()
        .property(
            "serverName",
            Schema.string()
                .pattern(Schemas.NOT_BLANK)
                .description("The host name the server's certificate must name."))
        .build();
  }

  /**
   * The email block of a v2beta2 Config: the config kind's fields, with notification-manager's
   * {@code tls} ({@code rootCA}, {@code clientCertificate}), which trusts the JVM's roots without a
   * CA, and its optional credentials: without them no AUTH.
   */
  private static Schema configBlock() {
    return java.util.Objects.requireNonNull(CONFIG.spec()).toBuilder()
        .optional("authUsername")
        .optional("authPassword")
        .rule(
            "has(self.authUsername) == has(self.authPassword)",
            "authUsername and authPassword go together; without both no AUTH is sent")
        .property(
            "tls",
            serverName(
                Schemas.tlsConfigEitherSpelling(
                    "TLS settings; without rootCA the server's certificate is verified against"
                        + " the JVM's trusted roots.",
                    false)))
        .build();
  }

  /** The v1alpha1 {@code spec.receivers.options.email} block of the settings. */
  private static Schema options() {
    return Schemas.notificationManagerOptions("E-mail").toBuilder()
        .property(
            "deliveryType",
            Schema.string()
                .description(
                    "single (the default): every recipient gets a mail of their own; bulk: one"
                        + " mail to several recipients, who see each other's addresses."))
        .property(
            "maxEmailReceivers",
            Schema.integer()
                .minimum(1)
                .maximum(10_000)
                .description(
                    "With bulk, the most recipients of one mail; more recipients get more mails."
                        + " Default: all in one mail."))
        .property(
            "subjectTemplate",
            Schema.string()
                .maxLength(MessageTemplates.MAX_NAME)
                .description(
                    "A key of the template set replacing the built-in subject template for"
                        + " receivers that name none."))
        .build();
  }
}
