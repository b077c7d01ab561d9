package io.nm4j.spi;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A channel plugin: the receiver and config kinds it adds, how to parse and validate their specs,
 * and (for channels that send) the {@link Channel} that delivers notifications.
 *
 * <p>Providers are found with {@link java.util.ServiceLoader} ({@code
 * META-INF/services/io.nm4j.spi.ChannelProvider}) or registered explicitly. Constructing one must
 * be cheap: heavy set-up belongs in {@link #channel(ChannelContext)}. The core never names a
 * channel: every kind, field and rule specific to a channel comes from its provider.
 *
 * @param <R> the typed receiver spec
 * @param <C> the typed config spec
 */
public interface ChannelProvider<R extends ReceiverSpec, C extends ConfigSpec> {

  /** Short lower-case name, e.g. {@code email}; prefixes channel options ({@code email.x=y}). */
  String name();

  /** The receiver kind, e.g. {@code EmailReceiver}. */
  String receiverKind();

  /** The config kind, e.g. {@code EmailConfig}. */
  String configKind();

  /** The receiver's config selector field, e.g. {@code emailConfigSelector}. */
  String selectorField();

  /** Other accepted spellings of the selector field (older or newer API versions). */
  default List<String> selectorFieldAliases() {
    return List.of();
  }

  /**
   * Describes this channel's kinds completely: names, plurals, the schema and documentation of
   * their specs, and the channel's block name in notification-manager's unified kinds. The core
   * reports unknown fields from it before {@link #parseReceiver}/{@link #parseConfig} run; the
   * admin API, the Kubernetes source, the CRDs, the RBAC rules and the reference pages derive from
   * it, so a channel needs no code or manifest elsewhere.
   *
   * <p>Defaulted (rather than abstract) only so that providers written before descriptions existed
   * keep compiling and routing: their kinds are watched under the default plurals, but they have no
   * schema, hence no CRD, no reference page and no check of unknown fields, and the compatibility
   * kit fails until they describe them. The kind names must equal {@link #receiverKind()} and
   * {@link #configKind()}, and the receiver's schema must hold {@link #selectorField()}.
   */
  default ChannelDescription description() {
    return ChannelDescription.of(
        name(),
        KindDescription.undescribed(receiverKind()),
        KindDescription.undescribed(configKind()));
  }

  /**
   * Parses and validates a receiver spec, reporting every error with its field path. A large set is
   * parsed on two threads at once, so this keeps no state between calls.
   */
  Parsed<R> parseReceiver(SpecReader spec);

  /**
   * Parses and validates a config spec, reporting every error with its field path. A large set is
   * parsed on two threads at once, so this keeps no state between calls.
   */
  Parsed<C> parseConfig(SpecReader spec);

  /**
   * Parses and validates this channel's block of a {@code notification.kubesphere.io/v2beta2}
   * {@code Receiver} (e.g. {@code spec.email}). Before it is called the core has taken out the
   * fields every block shares ({@code enabled}, {@code alertSelector} and the template fields) and
   * turned each upstream {@code Credential} ({@code {valueFrom: {secretKeyRef: {namespace, name,
   * key}}}} or an inline {@code {value}}) into a secret reference {@code {name, key}}, so a block
   * whose remaining fields are those of the receiver kind needs nothing more: by default it is
   * parsed by {@link #parseReceiver}. A channel whose block differs overrides this method.
   */
  default Parsed<R> parseReceiverBlock(SpecReader block) {
    return parseReceiver(block);
  }

  /**
   * Parses and validates this channel's block of a v2beta2 {@code Config} (e.g. {@code
   * spec.email}), prepared as for {@link #parseReceiverBlock}; by default by {@link #parseConfig}.
   */
  default Parsed<C> parseConfigBlock(SpecReader block) {
    return parseConfig(block);
  }

  /**
   * This kind's options from the settings' {@code spec.receivers.options.<block>} ({@code block}
   * reads them, with their full field paths), parsed once per snapshot and handed to every send of
   * the kind. Errors are reported on the settings object and the kind sends with its defaults; by
   * default the kind takes no options of its own.
   */
  default Parsed<? extends SettingsOptions> parseSettingsOptions(SpecReader block) {
    return Parsed.valid(SettingsOptions.NONE);
  }

  /**
   * The fields of this channel's v2beta2 {@code Receiver} block for a v1alpha1 receiver spec, as
   * {@code nm4j convert} writes them: the reverse of what {@link #parseReceiverBlock} rewrites. By
   * default the same fields.
   */
  default Map<String, Object> receiverBlockOf(Map<String, Object> receiverSpec) {
    return receiverSpec;
  }

  /**
   * Whether every v2beta2 receiver block of this channel also holds what its config kind holds, so
   * that no receiver of the channel takes a {@code Config} (notification-manager's webhook block
   * names its {@code url} or {@code service} and {@code httpConfig} itself): the block's schema
   * then has the config kind's fields too, {@code nm4j convert} merges a v1alpha1 receiver's config
   * into its block, and {@link #receiverBlockConfig} parses the block with {@link
   * #parseConfigBlock}. By default a block's config comes from a {@code Config} object, as with the
   * v1alpha1 kinds.
   */
  default boolean receiverBlockHoldsConfig() {
    return false;
  }

  /**
   * The config a v2beta2 receiver block is its own config with, decided per block: present when the
   * block holds everything its sends need (a DingTalk block that names only its {@code chatbot}:
   * notification-manager sends to the robot without any {@code Config}), empty when the block
   * selects a {@code Config} (one that names a group chat or app recipients, whose app credentials
   * are in a {@code Config}). The core calls it after {@link #parseReceiverBlock}, with the block
   * prepared the same way; when present, the core sends with it and selects no {@code Config}, and
   * the block's secrets and endpoints stay under its receiver's owner's rules. By default {@link
   * #parseConfigBlock} of the block when {@link #receiverBlockHoldsConfig()}, else empty.
   */
  default Optional<Parsed<C>> receiverBlockConfig(SpecReader block) {
    return receiverBlockHoldsConfig() ? Optional.of(parseConfigBlock(block)) : Optional.empty();
  }

  /**
   * What {@code nm4j convert} writes in a v2beta2 receiver block for a v1alpha1 receiver whose
   * config holds some of what a v2beta2 receiver names itself (a DingTalk config's robot and chat
   * ID): {@code receiverBlock} is {@link #receiverBlockOf}'s result, {@code configSpec} the spec of
   * the config the receiver resolves to, both with secret references already written as upstream
   * {@code Credential}s. By default the receiver block unchanged. Not called when {@link
   * #receiverBlockHoldsConfig()}: the core then merges the whole config into the block.
   */
  default Map<String, Object> receiverBlockWithConfig(
      Map<String, Object> receiverBlock, Map<String, Object> configSpec) {
    return receiverBlock;
  }

  /**
   * What {@code nm4j convert} keeps of a v1alpha1 config spec (secret references already written as
   * {@code Credential}s) in the v2beta2 {@code Config} block, the rest having moved into its
   * receivers' blocks by {@link #receiverBlockWithConfig}; empty when the block would hold nothing
   * a receiver needs, so no {@code Config} block is written. By default the whole spec.
   */
  default Optional<Map<String, Object>> configBlockOf(Map<String, Object> configSpec) {
    return Optional.of(configSpec);
  }

  /**
   * The channel that sends this provider's notifications, created once per manager. A provider that
   * only models its kinds (for validation and routing) returns empty; the core then records its
   * deliveries as failed with {@link SendResult.Reason#NO_CHANNEL}.
   */
  default Optional<Channel<R, C>> channel(ChannelContext context) {
    return Optional.empty();
  }

  /**
   * The built-in templates a custom template may replace, and which of them a receiver's template
   * fields name; {@code null} (the default) when the channel renders from no templates, so its
   * template fields are reported as ignored.
   */
  default @Nullable TemplateSlots templateSlots() {
    return null;
  }
}
