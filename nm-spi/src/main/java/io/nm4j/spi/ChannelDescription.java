package io.nm4j.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a channel's kinds look like, as its provider describes them. From it the core checks specs
 * for unknown fields and serves the admin API's resources, the Kubernetes source watches the kinds,
 * the build writes the CRDs, the RBAC rules and the reference pages of {@code docs/}.
 *
 * @param block the name of this channel's block in notification-manager's unified kinds (its
 *     v2beta2 {@code Receiver} and {@code Config} hold one block per channel: {@code email}, {@code
 *     wechat}, ...)
 * @param receiver the receiver kind
 * @param config the config kind
 * @param settingsOptions the channel's block under {@code spec.receivers.options} of the {@code
 *     NotificationManager} settings, or {@code null} when it has none
 * @param receiverBlock the fields of the channel's block of a v2beta2 {@code Receiver} besides the
 *     ones every block has, when they differ from the receiver kind's spec (what {@link
 *     ChannelProvider#parseReceiverBlock} reads); {@code null} when they are the same
 * @param configBlock the same for the block of a v2beta2 {@code Config}
 */
public record ChannelDescription(
    String block,
    KindDescription receiver,
    KindDescription config,
    @Nullable Schema settingsOptions,
    @Nullable Schema receiverBlock,
    @Nullable Schema configBlock) {

  /** A description whose v2beta2 blocks have the fields of the kinds' specs. */
  public ChannelDescription(
      String block,
      KindDescription receiver,
      KindDescription config,
      @Nullable Schema settingsOptions) {
    this(block, receiver, config, settingsOptions, null, null);
  }

  public ChannelDescription {
    Objects.requireNonNull(block, "block");
    Objects.requireNonNull(receiver, "receiver");
    Objects.requireNonNull(config, "config");
    if (!block.matches("[a-z][a-z0-9]*")) {
      throw new IllegalArgumentException(
          "block must be a lower-case word such as email, was \"" + block + "\"");
    }
  }

  /** A description of both kinds, without settings options. */
  public static ChannelDescription of(
      String block, KindDescription receiver, KindDescription config) {
    return new ChannelDescription(block, receiver, config, null);
  }

  /** The same with the channel's block of {@code spec.receivers.options} in the settings. */
  public ChannelDescription withSettingsOptions(Schema options) {
    return new ChannelDescription(block, receiver, config, options, receiverBlock, configBlock);
  }

  /**
   * The same with the fields of its v2beta2 {@code Receiver} block (see {@link #receiverBlock}).
   */
  public ChannelDescription withReceiverBlock(Schema fields) {
    return new ChannelDescription(block, receiver, config, settingsOptions, fields, configBlock);
  }

  /** The same with the fields of its v2beta2 {@code Config} block (see {@link #configBlock}). */
  public ChannelDescription withConfigBlock(Schema fields) {
    return new ChannelDescription(block, receiver, config, settingsOptions, receiverBlock, fields);
  }

  /**
   * The fields of the v2beta2 {@code Receiver} block besides the common ones: {@link
   * #receiverBlock} when given, else the receiver kind's spec ({@code null} when undescribed).
   */
  public @Nullable Schema receiverBlockFields() {
    return receiverBlock != null ? receiverBlock : receiver.spec();
  }

  /** The same for the v2beta2 {@code Config} block. */
  public @Nullable Schema configBlockFields() {
    return configBlock != null ? configBlock : config.spec();
  }

  /** Whether both kinds have a schema. */
  public boolean isDescribed() {
    return receiver.isDescribed() && config.isDescribed();
  }
}
