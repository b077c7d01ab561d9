package io.nm4j.core;

import io.nm4j.core.internal.SettingsSchema;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.KindDescription;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.MessageTemplates;
import io.nm4j.spi.SettingsOptions;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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
 * @param routePolicy how {@code Router}s and the tenants' receivers combine for v2beta2 receivers
 * @param templates {@code spec.template}: the language, time zone and templates of every receiver
 *     that chooses none of its own (nor does its channel kind's options)
 * @param channelOptions each channel kind's options from {@code spec.receivers.options}, as its
 *     provider parsed them, by channel name; a kind without valid options is absent
 */
public record Settings(
    String tenantKey,
    LabelSelector globalReceiverSelector,
    LabelSelector tenantReceiverSelector,
    LabelSelector defaultConfigSelector,
    Map<String, Object> options,
    RoutePolicy routePolicy,
    MessageTemplates templates,
    Map<String, SettingsOptions> channelOptions) {

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
          Map.of(),
          RoutePolicy.ALL,
          MessageTemplates.NONE,
          Map.of());

  /** The settings with no channel kind's options parsed. */
  public Settings(
      String tenantKey,
      LabelSelector globalReceiverSelector,
      LabelSelector tenantReceiverSelector,
      LabelSelector defaultConfigSelector,
      Map<String, Object> options,
      RoutePolicy routePolicy,
      MessageTemplates templates) {
    this(
        tenantKey,
        globalReceiverSelector,
        tenantReceiverSelector,
        defaultConfigSelector,
        options,
        routePolicy,
        templates,
        Map.of());
  }

  /** The options of {@code provider}'s channel kind; {@link SettingsOptions#NONE} for none. */
  public SettingsOptions channelOptions(ChannelProvider<?, ?> provider) {
    return channelOptions.getOrDefault(provider.name(), SettingsOptions.NONE);
  }

  /** The settings with the default route policy, {@link RoutePolicy#ALL}. */
  public Settings(
      String tenantKey,
      LabelSelector globalReceiverSelector,
      LabelSelector tenantReceiverSelector,
      LabelSelector defaultConfigSelector,
      Map<String, Object> options) {
    this(
        tenantKey,
        globalReceiverSelector,
        tenantReceiverSelector,
        defaultConfigSelector,
        options,
        RoutePolicy.ALL);
  }

  /** The settings with the built-in templates, English and UTC. */
  public Settings(
      String tenantKey,
      LabelSelector globalReceiverSelector,
      LabelSelector tenantReceiverSelector,
      LabelSelector defaultConfigSelector,
      Map<String, Object> options,
      RoutePolicy routePolicy) {
    this(
        tenantKey,
        globalReceiverSelector,
        tenantReceiverSelector,
        defaultConfigSelector,
        options,
        routePolicy,
        MessageTemplates.NONE);
  }

  /**
   * notification-manager's {@code spec.routePolicy}: which v2beta2 receivers an alert reaches when
   * {@code Router}s match it. v1alpha1 receivers are not reached by routers and always get their
   * tenants' alerts.
   */
  public enum RoutePolicy {
    /** The receivers of matching routers and the alert's tenants' receivers (global ones too). */
    ALL("All"),
    /** The receivers of matching routers; the tenants' receivers only when no router gives one. */
    ROUTER_FIRST("RouterFirst"),
    /** Only the receivers of matching routers. */
    ROUTER_ONLY("RouterOnly");

    private final String wireName;

    RoutePolicy(String wireName) {
      this.wireName = wireName;
    }

    /** The spelling in manifests, e.g. {@code RouterFirst}. */
    public String wireName() {
      return wireName;
    }

    /** The policy spelled {@code name}, or {@code null}. */
    public static @Nullable RoutePolicy fromWire(String name) {
      for (RoutePolicy p : values()) {
        if (p.wireName.equals(name)) {
          return p;
        }
      }
      return null;
    }
  }

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
    Objects.requireNonNull(routePolicy, "routePolicy");
    Objects.requireNonNull(templates, "templates");
    channelOptions = Map.copyOf(channelOptions);
  }
}
