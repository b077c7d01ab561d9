package io.nm4j.channel.slack;

import io.nm4j.channel.slack.internal.SlackKinds;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.FieldError;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SpecReader;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Slack channel's provider: kinds {@code SlackReceiver} and {@code SlackConfig} (parsing and
 * every validation rule of the v1alpha1 API) and the {@link SlackChannel} that sends them. Option
 * ({@code slack.} prefix): {@code apiUrl}, the Web API base URL (default {@value
 * SlackChannel#DEFAULT_API_URL}), so tests and proxies can redirect it.
 *
 * <p>Whether the token's secret exists is not checked here: a secret may be created after its
 * config, so the core reports a missing one and records the failure when it sends.
 */
public final class SlackChannelProvider implements ChannelProvider<SlackReceiver, SlackConfig> {
  /** Slack's limit on channel names, plus the optional leading {@code #}. */
  private static final int MAX_CHANNEL = 81;

  /** Found by {@link java.util.ServiceLoader}, or registered explicitly. */
  public SlackChannelProvider() {}

  @Override
  public String name() {
    return "slack";
  }

  @Override
  public String receiverKind() {
    return "SlackReceiver";
  }

  @Override
  public String configKind() {
    return "SlackConfig";
  }

  @Override
  public String selectorField() {
    return "slackConfigSelector";
  }

  @Override
  public ChannelDescription description() {
    return SlackKinds.DESCRIPTION;
  }

  @Override
  public Parsed<SlackReceiver> parseReceiver(SpecReader spec) {
    String channel = spec.requiredString("channel");
    if (!channel.isEmpty()) {
      checkChannel(spec, channel);
    }
    LabelSelector selector = spec.selector(selectorField());
    List<FieldError> errors = spec.errors();
    return errors.isEmpty()
        ? Parsed.valid(new SlackReceiver(selector, channel))
        : Parsed.invalid(errors);
  }

  @Override
  public Parsed<SlackConfig> parseConfig(SpecReader spec) {
    SecretKeySelector token = spec.requiredSecretRef("slackTokenSecret");
    List<FieldError> errors = spec.errors();
    return errors.isEmpty()
        ? Parsed.valid(new SlackConfig(Objects.requireNonNull(token)))
        : Parsed.invalid(errors);
  }

  /**
   * A {@link SlackChannel} posting to the {@code apiUrl} option, or to Slack.
   *
   * @throws IllegalArgumentException naming {@code slack.apiUrl} when it is not a usable URL
   */
  @Override
  public Optional<Channel<SlackReceiver, SlackConfig>> channel(ChannelContext context) {
    SlackChannel.Builder builder =
        SlackChannel.builder()
            .clock(context.clock())
            .templateEngine(context.templateEngine(SlackChannelProvider.class.getClassLoader()));
    String apiUrl = context.option("apiUrl");
    if (apiUrl != null) {
      try {
        builder.apiUrl(apiUrl);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("slack." + e.getMessage(), e);
      }
    }
    return Optional.of(builder.build());
  }

  /** Slack channel names and IDs hold no whitespace; a lone {@code #} names nothing. */
  private static void checkChannel(SpecReader spec, String channel) {
    boolean whitespace = channel.chars().anyMatch(Character::isWhitespace);
    if (whitespace || channel.equals("#") || channel.length() > MAX_CHANNEL) {
      String shown = channel.length() > 40 ? channel.substring(0, 40) + "..." : channel;
      spec.error(
          "channel",
          "must be a channel name like #alerts or a channel ID like C0123456789, was \""
              + shown
              + "\"");
    }
  }
}
