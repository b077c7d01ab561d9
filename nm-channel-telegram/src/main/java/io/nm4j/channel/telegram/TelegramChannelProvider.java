package io.nm4j.channel.telegram;

import io.nm4j.channel.telegram.internal.TelegramKinds;
import io.nm4j.channel.telegram.internal.TelegramRenderer;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.FieldError;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SpecReader;
import io.nm4j.spi.TemplateSlots;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Telegram channel's provider: kinds {@code TelegramReceiver} and {@code TelegramConfig}, with
 * the fields of notification-manager's {@code telegram} block, and the {@link TelegramChannel} that
 * sends them. Option ({@code telegram.} prefix): {@code apiUrl}, the Bot API server (default
 * {@value TelegramChannel#DEFAULT_API_URL}), for a local Bot API server, a proxy or tests.
 */
public final class TelegramChannelProvider
    implements ChannelProvider<TelegramReceiver, TelegramConfig> {

  // Compiled once: String.matches compiles its pattern on every call, and a build parses every
  // receiver.
  private static final Pattern CHAT = Pattern.compile(TelegramKinds.CHAT);
  private static final Pattern USERNAME = Pattern.compile(TelegramKinds.USERNAME);

  /** Found by {@link java.util.ServiceLoader}, or registered explicitly. */
  public TelegramChannelProvider() {}

  @Override
  public String name() {
    return "telegram";
  }

  @Override
  public String receiverKind() {
    return "TelegramReceiver";
  }

  @Override
  public String configKind() {
    return "TelegramConfig";
  }

  @Override
  public String selectorField() {
    return "telegramConfigSelector";
  }

  @Override
  public ChannelDescription description() {
    return TelegramKinds.DESCRIPTION;
  }

  @Override
  public TemplateSlots templateSlots() {
    return TelegramRenderer.SLOTS;
  }

  @Override
  public Parsed<TelegramReceiver> parseReceiver(SpecReader spec) {
    if (!spec.has("channels")) {
      spec.error("channels", "is required: at least one chat ID or @username");
    }
    List<String> channels = checked(spec, "channels", CHAT, TelegramKinds.MAX_CHANNELS, "a chat");
    if (spec.raw().get("channels") instanceof List<?> given && given.isEmpty()) {
      spec.error("channels", "must name at least one chat");
    }
    List<String> mentions =
        checked(spec, "mentionedUsers", USERNAME, TelegramKinds.MAX_MENTIONS, "a username");
    LabelSelector selector = spec.selector(selectorField());
    List<FieldError> errors = spec.errors();
    return errors.isEmpty()
        ? Parsed.valid(new TelegramReceiver(selector, channels, mentions))
        : Parsed.invalid(errors);
  }

  @Override
  public Parsed<TelegramConfig> parseConfig(SpecReader spec) {
    SecretKeySelector token = spec.requiredSecretRef("telegramTokenSecret");
    List<FieldError> errors = spec.errors();
    return errors.isEmpty()
        ? Parsed.valid(new TelegramConfig(Objects.requireNonNull(token)))
        : Parsed.invalid(errors);
  }

  /**
   * A {@link TelegramChannel} posting to the {@code apiUrl} option, or to Telegram.
   *
   * @throws IllegalArgumentException naming {@code telegram.apiUrl} when it is not a usable URL
   */
  @Override
  public Optional<Channel<TelegramReceiver, TelegramConfig>> channel(ChannelContext context) {
    TelegramChannel.Builder builder =
        TelegramChannel.builder()
            .clock(context.clock())
            .permits(context.permits())
            .templateEngine(context.templateEngine(TelegramChannelProvider.class.getClassLoader()));
    String apiUrl = context.option("apiUrl");
    if (apiUrl != null) {
      try {
        builder.apiUrl(apiUrl);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("telegram." + e.getMessage(), e);
      }
    }
    return Optional.of(builder.build());
  }

  private static List<String> checked(
      SpecReader spec, String field, Pattern pattern, int max, String what) {
    List<String> values = spec.stringList(field);
    if (values.size() > max) {
      spec.error(field, "must hold at most " + max + " entries, had " + values.size());
    }
    for (int i = 0; i < values.size(); i++) {
      String value = values.get(i);
      if (!pattern.matcher(value).matches()) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        spec.error(
            field + "[" + i + "]",
            "must be "
                + what
                + (what.equals("a chat") ? " ID (-1001234567890) or @username" : " like @oncall")
                + ", was \""
                + shown
                + "\"");
      }
    }
    return values;
  }
}
