package io.nm4j.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One notification to send, with everything resolved: the receiver's and config's typed specs and
 * the values of the config's secrets, read at send time so a rotated secret takes effect at once.
 *
 * @param notification the receiver's alerts and where they came from
 * @param receiver the receiver's spec
 * @param config the config's spec
 * @param secrets secret values by field path, as in {@link ChannelSpec#secretRefs()}
 * @param deadline when the dispatcher stops waiting for this attempt
 * @param egress where this send may connect to a destination the config names: the policy of the
 *     config's owner. A channel enforces it on every connection to a destination the config or its
 *     secrets name (a webhook URL, an SMTP host, a proxy), through {@link
 *     EgressPolicy#socketFactory()}; destinations the operator set in channel options are the
 *     operator's own
 * @param origin this nm4j instance's mark, sent as the {@value #ORIGIN_HEADER} header of every HTTP
 *     request, so that an nm4j receiving its own notification can refuse the loop; empty for none
 * @param progress what earlier attempts of this notification delivered ({@link
 *     SendResult.Failed#progress()}); a channel sends only what it does not contain. {@link
 *     SendProgress#NONE} on the first attempt
 * @param receiverEgress where this send may connect to a destination the receiver or its secrets
 *     name (a robot or workflow webhook URL kept in a receiver's secret): the policy of the
 *     receiver's owner, so that a tenant's receiver is held to the tenant policy even when it uses
 *     the admin's default config. Equal to {@code egress} when receiver and config have one owner
 * @param rendering the templates and settings the message is rendered with
 * @param settingsOptions the options of the channel kind in the settings ({@link
 *     ChannelProvider#parseSettingsOptions}); {@link SettingsOptions#NONE} for none
 */
public record SendRequest<R extends ReceiverSpec, C extends ConfigSpec>(
    Notification notification,
    R receiver,
    C config,
    Map<String, Secret> secrets,
    Instant deadline,
    EgressPolicy egress,
    String origin,
    SendProgress progress,
    EgressPolicy receiverEgress,
    RenderOptions rendering,
    SettingsOptions settingsOptions) {

  /** The header carrying {@link #origin()} on HTTP requests. */
  public static final String ORIGIN_HEADER = "X-Nm4j-Origin";

  public SendRequest {
    Objects.requireNonNull(notification, "notification");
    Objects.requireNonNull(receiver, "receiver");
    Objects.requireNonNull(config, "config");
    secrets = Map.copyOf(secrets);
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(egress, "egress");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(progress, "progress");
    Objects.requireNonNull(receiverEgress, "receiverEgress");
    Objects.requireNonNull(rendering, "rendering");
    Objects.requireNonNull(settingsOptions, "settingsOptions");
  }

  /** A request with no options of its channel kind in the settings. */
  public SendRequest(
      Notification notification,
      R receiver,
      C config,
      Map<String, Secret> secrets,
      Instant deadline,
      EgressPolicy egress,
      String origin,
      SendProgress progress,
      EgressPolicy receiverEgress,
      RenderOptions rendering) {
    this(
        notification,
        receiver,
        config,
        secrets,
        deadline,
        egress,
        origin,
        progress,
        receiverEgress,
        rendering,
        SettingsOptions.NONE);
  }

  /**
   * A request whose receiver and config have one owner, hence one egress policy, rendered with the
   * built-in templates and default settings.
   */
  public SendRequest(
      Notification notification,
      R receiver,
      C config,
      Map<String, Secret> secrets,
      Instant deadline,
      EgressPolicy egress,
      String origin,
      SendProgress progress) {
    this(
        notification,
        receiver,
        config,
        secrets,
        deadline,
        egress,
        origin,
        progress,
        egress,
        RenderOptions.DEFAULT);
  }

  /** A request rendered with the built-in templates and default settings. */
  public SendRequest(
      Notification notification,
      R receiver,
      C config,
      Map<String, Secret> secrets,
      Instant deadline,
      EgressPolicy egress,
      String origin,
      SendProgress progress,
      EgressPolicy receiverEgress) {
    this(
        notification,
        receiver,
        config,
        secrets,
        deadline,
        egress,
        origin,
        progress,
        receiverEgress,
        RenderOptions.DEFAULT);
  }

  /** A first attempt: nothing delivered yet. */
  public SendRequest(
      Notification notification,
      R receiver,
      C config,
      Map<String, Secret> secrets,
      Instant deadline,
      EgressPolicy egress,
      String origin) {
    this(notification, receiver, config, secrets, deadline, egress, origin, SendProgress.NONE);
  }

  /**
   * A first attempt without egress restrictions or origin mark, as a host sending directly makes
   * it.
   */
  public SendRequest(
      Notification notification,
      R receiver,
      C config,
      Map<String, Secret> secrets,
      Instant deadline) {
    this(notification, receiver, config, secrets, deadline, EgressPolicy.UNRESTRICTED, "");
  }

  /** This request as the attempt after one that delivered {@code progress}. */
  public SendRequest<R, C> withProgress(SendProgress progress) {
    return new SendRequest<>(
        notification,
        receiver,
        config,
        secrets,
        deadline,
        egress,
        origin,
        progress,
        receiverEgress,
        rendering,
        settingsOptions);
  }

  /** This request rendered with {@code options}. */
  public SendRequest<R, C> withRendering(RenderOptions options) {
    return new SendRequest<>(
        notification,
        receiver,
        config,
        secrets,
        deadline,
        egress,
        origin,
        progress,
        receiverEgress,
        options,
        settingsOptions);
  }

  /** This request with {@code options} as its channel kind's options. */
  public SendRequest<R, C> withSettingsOptions(SettingsOptions options) {
    return new SendRequest<>(
        notification,
        receiver,
        config,
        secrets,
        deadline,
        egress,
        origin,
        progress,
        receiverEgress,
        rendering,
        options);
  }

  /**
   * The channel kind's options when they are of {@code type}, else {@code defaults} (no options
   * were given, or they were invalid).
   */
  public <O extends SettingsOptions> O settingsOptions(Class<O> type, O defaults) {
    return type.isInstance(settingsOptions) ? type.cast(settingsOptions) : defaults;
  }

  /**
   * The config for messages, e.g. {@code EmailConfig/team-a}, or {@code kind} when the notification
   * names none.
   */
  public String configName(String kind) {
    ObjectRef ref = notification.config();
    return ref == null ? kind : ref.toString();
  }

  /** The secret of a field path such as {@code spec.authPassword}, or {@code null} if unset. */
  public @Nullable Secret secret(String fieldPath) {
    return secrets.get(fieldPath);
  }

  @Override
  public String toString() {
    return "SendRequest[" + notification.receiver() + ", " + notification.id() + "]";
  }
}
