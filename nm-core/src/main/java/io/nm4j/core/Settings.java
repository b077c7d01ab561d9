package io.nm4j.core;

import io.nm4j.spi.LabelSelector;
import java.util.Map;
import java.util.Objects;

/**
 * The routing settings of the {@code NotificationManager} object, with the defaults of {@code
 * SEMANTICS.md} for what it leaves out.
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

  public static final String TENANT_KEY_NAMESPACE = "namespace";
  public static final String TENANT_KEY_USER = "user";

  public static final Settings DEFAULTS =
      new Settings(
          TENANT_KEY_NAMESPACE,
          LabelSelector.of(Map.of("type", "global")),
          LabelSelector.of(Map.of("type", "tenant")),
          LabelSelector.of(Map.of("type", "default")),
          Map.of());

  public Settings {
    Objects.requireNonNull(tenantKey, "tenantKey");
    Objects.requireNonNull(globalReceiverSelector, "globalReceiverSelector");
    Objects.requireNonNull(tenantReceiverSelector, "tenantReceiverSelector");
    Objects.requireNonNull(defaultConfigSelector, "defaultConfigSelector");
    options = Map.copyOf(options);
  }
}
