package io.nm4j.channel.discord;

import io.nm4j.channel.discord.DiscordReceiver.MessageType;
import io.nm4j.channel.discord.internal.DiscordKinds;
import io.nm4j.channel.discord.internal.DiscordRenderer;
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
 * The Discord channel's provider: kinds {@code DiscordReceiver}, with the fields of
 * notification-manager's {@code discord} block, and {@code DiscordConfig}, which every receiver
 * resolves like any other channel's config; and the {@link DiscordChannel} that sends them. It has
 * no options: each receiver names its webhook.
 */
public final class DiscordChannelProvider
    implements ChannelProvider<DiscordReceiver, DiscordConfig> {

  // Compiled once: String.matches compiles its pattern on every call, and a build parses every
  // receiver and config.
  private static final Pattern USERNAME = Pattern.compile(DiscordKinds.USERNAME);
  private static final Pattern SNOWFLAKE = Pattern.compile(DiscordKinds.SNOWFLAKE);

  /** Found by {@link java.util.ServiceLoader}, or registered explicitly. */
  public DiscordChannelProvider() {}

  @Override
  public String name() {
    return "discord";
  }

  @Override
  public String receiverKind() {
    return "DiscordReceiver";
  }

  @Override
  public String configKind() {
    return "DiscordConfig";
  }

  @Override
  public String selectorField() {
    return "discordConfigSelector";
  }

  @Override
  public ChannelDescription description() {
    return DiscordKinds.DESCRIPTION;
  }

  @Override
  public Parsed<DiscordReceiver> parseReceiver(SpecReader spec) {
    SecretKeySelector webhook = spec.requiredSecretRef("webhook");
    String type = spec.string("type");
    MessageType messageType = MessageType.CONTENT;
    if ("embed".equals(type)) {
      messageType = MessageType.EMBED;
    } else if (type != null && !type.equals("content")) {
      spec.error("type", "must be content or embed, was \"" + shown(type) + "\"");
    }
    List<String> users = ids(spec, "mentionedUsers", "a user ID");
    List<String> roles = ids(spec, "mentionedRoles", "a role ID");
    LabelSelector selector = spec.selector(selectorField());
    List<FieldError> errors = spec.errors();
    return errors.isEmpty()
        ? Parsed.valid(
            new DiscordReceiver(
                selector, Objects.requireNonNull(webhook), messageType, users, roles))
        : Parsed.invalid(errors);
  }

  @Override
  public Parsed<DiscordConfig> parseConfig(SpecReader spec) {
    String username = spec.string("username");
    if (username != null && !USERNAME.matcher(username).matches()) {
      spec.error(
          "username",
          "must be 1 to 80 characters without \"discord\" or \"clyde\", was \""
              + shown(username)
              + "\"");
    }
    List<FieldError> errors = spec.errors();
    return errors.isEmpty() ? Parsed.valid(new DiscordConfig(username)) : Parsed.invalid(errors);
  }

  /**
   * notification-manager's {@code discord} block takes no {@code Config}: a v2beta2 receiver posts
   * under its webhook's own name, as if its config were empty.
   */
  @Override
  public TemplateSlots templateSlots() {
    return DiscordRenderer.SLOTS;
  }

  @Override
  public boolean receiverBlockHoldsConfig() {
    return true;
  }

  @Override
  public Parsed<DiscordConfig> parseConfigBlock(SpecReader block) {
    return Parsed.valid(new DiscordConfig(null));
  }

  @Override
  public Optional<Channel<DiscordReceiver, DiscordConfig>> channel(ChannelContext context) {
    return Optional.of(
        DiscordChannel.builder()
            .clock(context.clock())
            .templateEngine(context.templateEngine(DiscordChannelProvider.class.getClassLoader()))
            .build());
  }

  private static List<String> ids(SpecReader spec, String field, String what) {
    List<String> values = spec.stringList(field);
    if (values.size() > DiscordKinds.MAX_MENTIONS) {
      spec.error(
          field, "must hold at most " + DiscordKinds.MAX_MENTIONS + " IDs, had " + values.size());
    }
    for (int i = 0; i < values.size(); i++) {
      if (!SNOWFLAKE.matcher(values.get(i)).matches()) {
        spec.error(
            field + "[" + i + "]",
            "must be " + what + " (17 to 20 digits), was \"" + shown(values.get(i)) + "\"");
      }
    }
    return values;
  }

  private static String shown(String value) {
    return value.length() > 40 ? value.substring(0, 40) + "..." : value;
  }
}
