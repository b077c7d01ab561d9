package io.nm4j.channel.slack;

import io.nm4j.channel.slack.internal.SlackKinds;
import io.nm4j.channel.slack.internal.SlackRenderer;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  public TemplateSlots templateSlots() {
    return SlackRenderer.SLOTS;
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

  /**
   * notification-manager's v2beta2 block lists {@code channels} where the v1alpha1 kind names one
   * {@code channel}. A receiver here posts to one channel, so the list must hold exactly one; a
   * Receiver for several channels is written as one Receiver per channel.
   */
  @Override
  public Parsed<SlackReceiver> parseReceiverBlock(SpecReader block) {
    Map<String, Object> fields = new LinkedHashMap<>(block.raw());
    Object channels = fields.remove("channels");
    if (channels instanceof List<?> list) {
      if (list.size() != 1) {
        block.error(
            "channels",
            "must name exactly one channel (one Receiver per channel), had " + list.size());
        return Parsed.invalid(block.errors());
      }
      fields.put("channel", list.get(0));
    } else if (channels != null) {
      block.error("channels", "must be a list of one channel");
      return Parsed.invalid(block.errors());
    }
    return parseReceiver(block.withFields(fields));
  }

  @Override
  public Map<String, Object> receiverBlockOf(Map<String, Object> receiverSpec) {
    Map<String, Object> block = new LinkedHashMap<>(receiverSpec);
    Object channel = block.remove("channel");
    if (channel != null) {
      block.put("channels", List.of(channel));
    }
    return block;
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
    if (hasWhitespace(channel) || channel.equals("#") || channel.length() > MAX_CHANNEL) {
      String shown = channel.length() > 40 ? channel.substring(0, 40) + "..." : channel;
      spec.error(
          "channel",
          "must be a channel name like #alerts or a channel ID like C0123456789, was \""
              + shown
              + "\"");
    }
  }

  /**
   * A loop rather than {@code chars().anyMatch}: this runs once per Slack receiver of every
   * snapshot build, and the stream allocated its pipeline each time.
   */
  private static boolean hasWhitespace(String channel) {
    for (int i = 0; i < channel.length(); i++) {
      if (Character.isWhitespace(channel.charAt(i))) {
        return true;
      }
    }
    return false;
  }
}
