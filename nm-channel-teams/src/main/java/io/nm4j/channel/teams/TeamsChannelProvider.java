package io.nm4j.channel.teams;

import io.nm4j.channel.teams.internal.AdaptiveCardRenderer;
import io.nm4j.channel.teams.internal.TeamsKinds;
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
import java.util.Optional;

/**
 * The Microsoft Teams channel's kinds, {@code TeamsReceiver} and {@code TeamsConfig}, and the
 * {@link TeamsChannel} that sends.
 *
 * <p>Channel options ({@code teams.} prefix, e.g. {@code --channel-option
 * teams.proxyUrl=http://proxy:3128}): {@code proxyUrl} (an HTTP proxy for every call) and {@code
 * maxMessageBytes} (the largest message body, default {@value
 * TeamsChannel#DEFAULT_MAX_MESSAGE_BYTES}).
 */
public final class TeamsChannelProvider implements ChannelProvider<TeamsReceiver, TeamsConfig> {

  /** Found by {@link java.util.ServiceLoader}, or registered explicitly. */
  public TeamsChannelProvider() {}

  @Override
  public String name() {
    return "teams";
  }

  @Override
  public String receiverKind() {
    return "TeamsReceiver";
  }

  @Override
  public String configKind() {
    return "TeamsConfig";
  }

  @Override
  public String selectorField() {
    return TeamsKinds.SELECTOR;
  }

  @Override
  public ChannelDescription description() {
    return TeamsKinds.DESCRIPTION;
  }

  @Override
  public Parsed<TeamsReceiver> parseReceiver(SpecReader spec) {
    SecretKeySelector webhook = spec.requiredSecretRef("webhook");
    LabelSelector selector = spec.selector(TeamsKinds.SELECTOR);
    List<FieldError> errors = spec.errors();
    return errors.isEmpty() && webhook != null
        ? Parsed.valid(new TeamsReceiver(selector, webhook))
        : Parsed.invalid(errors);
  }

  @Override
  public Parsed<TeamsConfig> parseConfig(SpecReader spec) {
    List<FieldError> errors = spec.errors();
    return errors.isEmpty() ? Parsed.valid(new TeamsConfig()) : Parsed.invalid(errors);
  }

  /**
   * notification-manager has no Teams block; nm4j's {@code teams} block of a v2beta2 {@code
   * Receiver} holds the receiver kind's fields and, as the config kind has none, takes no {@code
   * Config}.
   */
  @Override
  public TemplateSlots templateSlots() {
    return AdaptiveCardRenderer.SLOTS;
  }

  @Override
  public boolean receiverBlockHoldsConfig() {
    return true;
  }

  @Override
  public Parsed<TeamsConfig> parseConfigBlock(SpecReader block) {
    return Parsed.valid(new TeamsConfig());
  }

  @Override
  public Optional<Channel<TeamsReceiver, TeamsConfig>> channel(ChannelContext context) {
    TeamsChannel.Builder b =
        TeamsChannel.builder()
            .clock(context.clock())
            .proxyUrl(context.option("proxyUrl"))
            .templateEngine(context.templateEngine(TeamsChannelProvider.class.getClassLoader()));
    String max = context.option("maxMessageBytes");
    if (max != null) {
      try {
        b.maxMessageBytes(Integer.parseInt(max.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "teams.maxMessageBytes: must be a number of bytes, was \"" + max + "\"", e);
      }
    }
    return Optional.of(b.build());
  }
}
