package io.nm4j.core;

import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.ConfigSpec;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.ReceiverSpec;
import io.nm4j.spi.RenderOptions;
import io.nm4j.spi.Scope;
import io.nm4j.spi.SettingsOptions;
import org.jspecify.annotations.Nullable;

/**
 * A valid receiver of a snapshot with the config it resolved to: where a notification goes.
 *
 * @param receiver {@code Kind/name}
 * @param scope global or tenant
 * @param tenant the tenant of a tenant receiver; {@code null} for a global one
 * @param provider the channel provider of the receiver's kind
 * @param receiverSpec the receiver's typed spec
 * @param config the resolved config; {@code null} when there is none
 * @param configSpec the resolved config's typed spec; {@code null} with {@code config}
 * @param configReason why there is no config; {@code null} when there is one
 * @param configTenant the tenant that owns the config; {@code null} when the admin owns it (a
 *     default or admin-owned config) or there is none. A send resolves the config's secrets and
 *     takes its egress policy as this owner's
 * @param rendering how its notifications are rendered: language, time zone and the templates chosen
 *     for it, compiled once per snapshot
 * @param settingsOptions its channel kind's options in the settings
 */
public record Destination(
    ObjectRef receiver,
    Scope scope,
    @Nullable String tenant,
    ChannelProvider<?, ?> provider,
    ReceiverSpec receiverSpec,
    @Nullable ObjectRef config,
    @Nullable ConfigSpec configSpec,
    @Nullable String configReason,
    @Nullable String configTenant,
    RenderOptions rendering,
    SettingsOptions settingsOptions) {

  /** A destination rendering with the built-in templates, in English and UTC. */
  public Destination(
      ObjectRef receiver,
      Scope scope,
      @Nullable String tenant,
      ChannelProvider<?, ?> provider,
      ReceiverSpec receiverSpec,
      @Nullable ObjectRef config,
      @Nullable ConfigSpec configSpec,
      @Nullable String configReason,
      @Nullable String configTenant) {
    this(
        receiver,
        scope,
        tenant,
        provider,
        receiverSpec,
        config,
        configSpec,
        configReason,
        configTenant,
        RenderOptions.DEFAULT,
        SettingsOptions.NONE);
  }

  /**
   * This destination bound to another config, {@code config} with {@code configSpec} owned by
   * {@code configTenant} ({@code null}: the admin).
   */
  public Destination withConfig(
      ObjectRef config, ConfigSpec configSpec, @Nullable String configTenant) {
    return new Destination(
        receiver,
        scope,
        tenant,
        provider,
        receiverSpec,
        config,
        configSpec,
        configReason,
        configTenant,
        rendering,
        settingsOptions);
  }

  /** This destination rendering with {@code options}. */
  public Destination withRendering(RenderOptions options) {
    return new Destination(
        receiver,
        scope,
        tenant,
        provider,
        receiverSpec,
        config,
        configSpec,
        configReason,
        configTenant,
        options,
        settingsOptions);
  }

  /** This destination with {@code options} as its channel kind's options. */
  public Destination withSettingsOptions(SettingsOptions options) {
    return new Destination(
        receiver,
        scope,
        tenant,
        provider,
        receiverSpec,
        config,
        configSpec,
        configReason,
        configTenant,
        rendering,
        options);
  }

  @Override
  public String toString() {
    return receiver + (config == null ? " (no config)" : " -> " + config);
  }
}
