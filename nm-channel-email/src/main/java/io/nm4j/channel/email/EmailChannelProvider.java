package io.nm4j.channel.email;

import io.nm4j.channel.email.internal.DefaultEmailRenderer;
import io.nm4j.channel.email.internal.EmailAddresses;
import io.nm4j.channel.email.internal.EmailKinds;
import io.nm4j.channel.email.internal.EmailSettingsOptions;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.FieldError;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SettingsOptions;
import io.nm4j.spi.SpecReader;
import io.nm4j.spi.TemplateSlots;
import io.nm4j.spi.TlsReferences;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The e-mail channel's kinds, {@code EmailReceiver} and {@code EmailConfig}: parsing and every
 * validation rule of the v1alpha1 API, and the {@link EmailChannel} that sends them.
 *
 * <p>Channel options ({@code email.<name>=<value>} on the server): {@code implicitTlsPorts}, a
 * comma-separated list of ports that speak TLS from the first byte (default {@code 465}); {@code
 * connectTimeout} and {@code readTimeout}, ISO-8601 durations such as {@code PT10S} (defaults 10 s
 * and 30 s).
 */
public final class EmailChannelProvider implements ChannelProvider<EmailReceiver, EmailConfig> {
  // Compiled once: String.matches compiles its pattern on every call, for each of a build's
  // configs.
  private static final Pattern PORT_DIGITS = Pattern.compile("[0-9]{1,9}");

  /** Found by {@link java.util.ServiceLoader}, or registered explicitly. */
  public EmailChannelProvider() {}

  @Override
  public String name() {
    return "email";
  }

  @Override
  public String receiverKind() {
    return "EmailReceiver";
  }

  @Override
  public String configKind() {
    return "EmailConfig";
  }

  @Override
  public String selectorField() {
    return "emailConfigSelector";
  }

  @Override
  public ChannelDescription description() {
    return EmailKinds.DESCRIPTION;
  }

  @Override
  public TemplateSlots templateSlots() {
    return DefaultEmailRenderer.SLOTS;
  }

  /**
   * An {@link EmailChannel} configured from the context's options.
   *
   * @throws IllegalArgumentException naming the option when one is malformed
   */
  @Override
  public Optional<Channel<EmailReceiver, EmailConfig>> channel(ChannelContext context) {
    EmailChannel.Builder b =
        EmailChannel.builder()
            .clock(context.clock())
            .templateEngine(context.templateEngine(EmailChannelProvider.class.getClassLoader()));
    String ports = context.option("implicitTlsPorts");
    if (ports != null) {
      Set<Integer> set = new LinkedHashSet<>();
      for (String part : ports.split(",")) {
        String p = part.trim();
        if (!p.matches("[0-9]{1,5}")) {
          throw new IllegalArgumentException(
              "email.implicitTlsPorts: must be a comma-separated list of ports, was \""
                  + ports
                  + "\"");
        }
        set.add(Integer.parseInt(p));
      }
      b.implicitTlsPorts(set);
    }
    String connect = context.option("connectTimeout");
    if (connect != null) {
      b.connectTimeout(duration("connectTimeout", connect));
    }
    String read = context.option("readTimeout");
    if (read != null) {
      b.readTimeout(duration("readTimeout", read));
    }
    return Optional.of(b.build());
  }

  private static Duration duration(String option, String value) {
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "email." + option + ": must be an ISO-8601 duration like PT10S, was \"" + value + "\"");
    }
  }

  @Override
  public Parsed<EmailReceiver> parseReceiver(SpecReader spec) {
    List<String> to = addresses(spec, "to");
    LabelSelector selector = spec.selector(selectorField());
    List<FieldError> errors = spec.errors();
    return errors.isEmpty()
        ? Parsed.valid(new EmailReceiver(to, selector))
        : Parsed.invalid(errors);
  }

  /**
   * {@code deliveryType} ({@code single} by default, or {@code bulk}) and {@code
   * maxEmailReceivers}.
   */
  @Override
  public Parsed<? extends SettingsOptions> parseSettingsOptions(SpecReader block) {
    EmailSettingsOptions options = EmailSettingsOptions.read(block);
    return Parsed.of(options, block.errors());
  }

  @Override
  public Parsed<EmailConfig> parseConfig(SpecReader spec) {
    return config(spec, true);
  }

  /**
   * notification-manager's v2beta2 {@code email} block spells the TLS fields {@code rootCA} and
   * {@code clientCertificate: {cert, key}} (the v1alpha1 names are read too), and without {@code
   * rootCA} verifies the server against the JVM's trusted roots. Without {@code authUsername} and
   * {@code authPassword} (both, or neither) it sends without AUTH, as notification-manager does.
   */
  @Override
  public Parsed<EmailConfig> parseConfigBlock(SpecReader block) {
    return config(block, false);
  }

  private static Parsed<EmailConfig> config(SpecReader spec, boolean v1alpha1) {
    String from = spec.requiredString("from");
    if (!from.isEmpty()) {
      String problem = EmailAddresses.senderProblem(from);
      if (problem != null) {
        spec.error(
            "from",
            "must be an e-mail address like alerts@example.com or Alerts <alerts@example.com>,"
                + " was "
                + describe(from)
                + ": "
                + problem);
      }
    }
    EmailConfig.SmartHost smartHost = smartHost(spec);
    String hello = optionalNonBlank(spec, "hello");
    String authUsername;
    SecretKeySelector authPassword;
    if (v1alpha1 || spec.has("authUsername") || spec.has("authPassword")) {
      authUsername = spec.requiredString("authUsername");
      authPassword = spec.requiredSecretRef("authPassword");
    } else {
      // notification-manager's v2beta2 block may leave both out: the server is not logged in to.
      authUsername = "";
      authPassword = null;
    }
    String authIdentify = optionalNonBlank(spec, "authIdentify");
    SecretKeySelector authSecret = spec.secretRef("authSecret");
    Boolean requireTLS = spec.bool("requireTLS");
    Boolean allowInsecureAuth = spec.bool("allowInsecureAuth");
    EmailConfig.Tls tls = tls(spec, v1alpha1);
    List<FieldError> errors = spec.errors();
    if (!errors.isEmpty()) {
      return Parsed.invalid(errors);
    }
    return Parsed.valid(
        new EmailConfig(
            from,
            Objects.requireNonNull(smartHost),
            hello,
            authUsername,
            authIdentify,
            authPassword,
            authSecret,
            requireTLS,
            allowInsecureAuth,
            tls));
  }

  /**
   * The list of addresses at {@code field}, each checked; errors name the index ({@code
   * spec.to[1]}) of the item as written, so items that are not strings do not shift the others.
   * Empty when any item is reported.
   */
  private static List<String> addresses(SpecReader spec, String field) {
    Object raw = spec.raw().get(field);
    if (raw == null) {
      spec.error(field, "at least one address is required");
      return List.of();
    }
    if (!(raw instanceof List<?> items)) {
      spec.error(field, "must be a list of e-mail addresses, was " + describe(raw));
      return List.of();
    }
    if (items.isEmpty()) {
      spec.error(field, "at least one address is required");
      return List.of();
    }
    boolean allValid = true;
    for (int i = 0; i < items.size(); i++) {
      Object item = items.get(i);
      if (!(item instanceof String address)) {
        spec.error(field + "[" + i + "]", "must be an e-mail address, was " + describe(item));
        allValid = false;
        continue;
      }
      String problem = EmailAddresses.problem(address);
      if (problem != null) {
        reportAddress(spec, field + "[" + i + "]", address, problem);
        allValid = false;
      }
    }
    if (!allValid) {
      // Every problem is reported; the receiver is invalid, so no list of the valid ones is kept.
      return List.of();
    }
    @SuppressWarnings("unchecked")
    List<String> addresses = (List<String>) items;
    return List.copyOf(addresses);
  }

  private static void reportAddress(SpecReader spec, String field, String address, String problem) {
    spec.error(
        field,
        "must be an e-mail address like ops@example.com, was "
            + describe(address)
            + ": "
            + problem);
  }

  private static EmailConfig.@Nullable SmartHost smartHost(SpecReader spec) {
    SpecReader smartHost = spec.requiredObject("smartHost");
    if (smartHost == null) {
      return null;
    }
    String host = smartHost.requiredString("host");
    boolean hostValid = !host.isEmpty() && checkHost(smartHost, host);
    int port = port(smartHost);
    return hostValid && port > 0 ? new EmailConfig.SmartHost(host, port) : null;
  }

  private static boolean checkHost(SpecReader smartHost, String host) {
    boolean whitespace = host.chars().anyMatch(Character::isWhitespace);
    if (whitespace || host.contains("/") || host.contains("@")) {
      smartHost.error("host", "must be a host name or IP address, was " + describe(host));
      return false;
    }
    // One colon is a host:port written into host; IPv6 addresses have several.
    if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
      smartHost.error(
          "host",
          "must be a host name or IP address without a port (put the port in "
              + smartHost.path("port")
              + "), was "
              + describe(host));
      return false;
    }
    return true;
  }

  /**
   * The SMTP port: v1alpha1 writes it as a string ({@code "587"}); a number is accepted too. Parsed
   * here rather than with {@link SpecReader#requiredPort} for a message that says only what a port
   * must be ({@code must be 1..65535, was "smtp"}), whatever the wrong value's type.
   */
  private static int port(SpecReader smartHost) {
    Object v = smartHost.raw().get("port");
    if (v == null || (v instanceof String s && s.isBlank())) {
      smartHost.error("port", "is required");
      return 0;
    }
    long n = -1;
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      n = ((Number) v).longValue();
    } else if (v instanceof String s && PORT_DIGITS.matcher(s).matches()) {
      n = Long.parseLong(s);
    }
    if (n < 1 || n > 65535) {
      smartHost.error("port", "must be 1..65535, was " + describe(v));
      return 0;
    }
    return (int) n;
  }

  private static @Nullable String optionalNonBlank(SpecReader spec, String field) {
    String value = spec.string(field);
    if (value != null && value.isBlank()) {
      spec.error(field, "must not be blank; leave it out to use the default");
      return null;
    }
    return value;
  }

  /**
   * The TLS settings ({@link TlsReferences}): skipping verification excludes key material; {@code
   * cert} and {@code key} go together. In a v1alpha1 {@code EmailConfig} {@code ca} is required (it
   * is the only trusted root), as its schema has always said; a v2beta2 block, as
   * notification-manager, trusts the JVM's roots without one.
   */
  private static EmailConfig.@Nullable Tls tls(SpecReader spec, boolean caRequired) {
    SpecReader tls = spec.object("tls");
    if (tls == null) {
      return null;
    }
    int before = spec.errors().size();
    TlsReferences refs = TlsReferences.read(tls, caRequired);
    if (spec.errors().size() > before) {
      return null;
    }
    return new EmailConfig.Tls(
        refs.ca(), refs.cert(), refs.key(), refs.serverName(), refs.insecureSkipVerify());
  }

  /** A raw value for a message: strings quoted and cut at 40 characters. */
  private static String describe(@Nullable Object v) {
    if (v instanceof String s) {
      return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
    }
    if (v instanceof Map<?, ?>) {
      return "an object";
    }
    if (v instanceof List<?>) {
      return "a list";
    }
    return String.valueOf(v);
  }
}
