package io.nm4j.channel.slack.internal;

import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.KindDescription;
import io.nm4j.spi.Schema;
import io.nm4j.spi.Schemas;

/** The description of {@code SlackReceiver} and {@code SlackConfig}: what the provider parses. */
public final class SlackKinds {

  /** A channel name ({@code #alerts}) or ID: no white space, at most 81 characters, not "#". */
  static final String CHANNEL = "^(#\\S{1,80}|[^#\\s]\\S{0,80})$";

  public static final ChannelDescription DESCRIPTION =
      ChannelDescription.of("slack", receiver(), config())
          .withSettingsOptions(options())
          .withReceiverBlock(receiverBlock());

  private SlackKinds() {}

  private static KindDescription receiver() {
    return KindDescription.of(
        "SlackReceiver",
        "The Slack channel that gets notifications, and which SlackConfig posts them.",
        Schemas.withTemplateFields(
                Schema.object()
                    .property(
                        "slackConfigSelector",
                        Schemas.labelSelector(
                            "Which SlackConfig to use among those the receiver may see; absent means"
                                + " the default SlackConfig."))
                    .required(
                        "channel",
                        Schema.string()
                            .pattern(CHANNEL)
                            .description(
                                "A channel name like #alerts or a channel ID like C0123456789.")),
                SlackRenderer.SLOTS)
            .build());
  }

  /** The slack block of a v2beta2 Receiver: upstream lists the channels. */
  private static Schema receiverBlock() {
    return Schema.object()
        .property(
            "slackConfigSelector",
            Schemas.labelSelector(
                "Which slack block of a Config to use; absent means the default Config."))
        .required(
            "channels",
            Schema.array(Schema.string().pattern(CHANNEL))
                .minItems(1)
                .maxItems(1)
                .description(
                    "The channel, a name like #alerts or an ID like C0123456789. nm4j posts to"
                        + " one channel per receiver: write one Receiver per channel."))
        .build();
  }

  private static KindDescription config() {
    return KindDescription.of(
        "SlackConfig",
        "The Slack app token that posts Slack notifications.",
        Schema.object()
            .required(
                "slackTokenSecret",
                Schemas.secretKeySelector("The bot token (xoxb-...), sent as a bearer token."))
            .build());
  }

  /** The v1alpha1 {@code spec.receivers.options.slack} block of the settings. */
  private static Schema options() {
    return Schemas.notificationManagerOptions("Slack");
  }
}
