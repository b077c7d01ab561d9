package io.nm4j.core;

import io.nm4j.core.internal.SettingsSchema;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.KindDescription;
import io.nm4j.spi.LabelSelector;
import java.util.Map;
import java.util.Objects;

/**
 * The routing settings of the {@code NotificationManager} object, with the defaults of {@link
 * #DEFAULTS} for what it leaves out.
 *
 * @param tenantKey the receiver label naming a tenant, and how alerts map to tenants: {@code
 *     namespace} (the alert's namespace is the tenant) or {@code user} (the users bound by
 *     RoleBindings in it)
 * @param globalReceiverSelector which receivers are global
 * @param tenantReceiverSelector which receivers (and configs) belong to a tenant
 * @param defaultConfigSelector which configs are defaults
 * @param options {@code spec.receivers.options} as given (per-channel options)
 */
public record Settings(
    String tenantKey,
    LabelSelector globalReceiverSelector,
    LabelSelector tenantReceiverSelector,
    LabelSelector defaultConfigSelector,
    Map<String, Object> options) {

  /** The kind of the settings object. */
  public static final String KIND = "NotificationManager";

  public static final String TENANT_KEY_NAMESPACE = "namespace";
  public static final String TENANT_KEY_USER = "user";

  public static final Settings DEFAULTS =
      new Settings(
          TENANT_KEY_NAMESPACE,
          LabelSelector.of(Map.of("type", "global")),
          LabelSelector.of(Map.of("type", "tenant")),
          LabelSelector.of(Map.of("type", "default")),
          Map.of());

  /**
   * The settings kind as described for its CRD, its reference page and the check of unknown fields:
   * what nm4j reads, and under {@code spec.receivers.options} the block of every channel in {@code
   * channels} that describes one.
   */
  public static KindDescription description(ChannelRegistry channels) {
    return KindDescription.of(
        KIND,
        "The settings: tenant key, receiver and default-config selectors, channel options.",
        SettingsSchema.of(
            channels.providers().stream().map(ChannelProvider::description).toList()));
  }

  public Settings {
    Objects.requireNonNull(tenantKey, "tenantKey");
    Objects.requireNonNull(globalReceiverSelector, "globalReceiverSelector");
    Objects.requireNonNull(tenantReceiverSelector, "tenantReceiverSelector");
    Objects.requireNonNull(defaultConfigSelector, "defaultConfigSelector");
    options = Map.copyOf(options);
  }
}
