package io.nm4j.core;

import io.nm4j.core.internal.v2beta2.V2beta2Schema;
import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.KindDescription;
import io.nm4j.spi.Schema;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The channel providers a manager knows, by receiver kind and config kind, with the descriptions of
 * their kinds. Providers come from {@link ServiceLoader} discovery, explicit registration, or both.
 * Two providers claiming one kind, plural or name is an error naming both, never a silent pick; so
 * is a description that contradicts its provider (other kind names, a receiver schema without the
 * selector field).
 */
public final class ChannelRegistry {
  /** The resources of the settings, Secrets and the v2beta2 kinds, which no channel may name. */
  private static final java.util.Set<String> RESERVED_PLURALS =
      java.util.Set.of(
          KindDescription.defaultPlural(Settings.KIND),
          "secrets",
          "receivers",
          "configs",
          "routers",
          "silences");

  private final Map<String, ChannelProvider<?, ?>> byReceiverKind;
  private final Map<String, ChannelProvider<?, ?>> byConfigKind;
  private final List<ChannelProvider<?, ?>> providers;
  private final Map<String, KindDescription> descriptions;

  private ChannelRegistry(List<ChannelProvider<?, ?>> providers) {
    Map<String, ChannelProvider<?, ?>> receivers = new LinkedHashMap<>();
    Map<String, ChannelProvider<?, ?>> configs = new LinkedHashMap<>();
    Map<String, ChannelProvider<?, ?>> names = new LinkedHashMap<>();
    Map<String, ChannelProvider<?, ?>> plurals = new LinkedHashMap<>();
    Map<String, ChannelProvider<?, ?>> blocks = new LinkedHashMap<>();
    Map<String, KindDescription> described = new LinkedHashMap<>();
    for (ChannelProvider<?, ?> p : providers) {
      claim(names, p.name(), "channel name", p);
      claim(receivers, p.receiverKind(), "receiver kind", p);
      claim(configs, p.configKind(), "config kind", p);
      if (receivers.containsKey(p.configKind()) || configs.containsKey(p.receiverKind())) {
        throw new IllegalStateException(
            "channel provider " + describe(p) + " uses one kind both as receiver and config kind");
      }
      ChannelDescription d = description(p);
      claim(blocks, d.block(), "block name", p);
      for (KindDescription kind : List.of(d.config(), d.receiver())) {
        if (RESERVED_PLURALS.contains(kind.plural())) {
          throw new IllegalStateException(
              "channel provider "
                  + describe(p)
                  + " claims the plural \""
                  + kind.plural()
                  + "\" of a kind the core reads itself");
        }
        claim(plurals, kind.plural(), "plural", p);
        described.put(kind.kind(), kind);
      }
    }
    this.byReceiverKind = Collections.unmodifiableMap(receivers);
    this.byConfigKind = Collections.unmodifiableMap(configs);
    this.providers = List.copyOf(providers);
    this.descriptions = Collections.unmodifiableMap(described);
  }

  /** The provider's description, checked against the provider. */
  private static ChannelDescription description(ChannelProvider<?, ?> p) {
    ChannelDescription d;
    try {
      d = p.description();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "channel provider " + describe(p) + " cannot describe its kinds: " + e.getMessage(), e);
    }
    if (!d.receiver().kind().equals(p.receiverKind())
        || !d.config().kind().equals(p.configKind())) {
      throw new IllegalStateException(
          "channel provider "
              + describe(p)
              + " describes the kinds "
              + d.receiver().kind()
              + " and "
              + d.config().kind()
              + " but provides "
              + p.receiverKind()
              + " and "
              + p.configKind());
    }
    Schema receiver = d.receiver().spec();
    if (receiver != null) {
      List<String> selectors = new ArrayList<>(List.of(p.selectorField()));
      selectors.addAll(p.selectorFieldAliases());
      for (String field : selectors) {
        if (!receiver.properties().containsKey(field)) {
          throw new IllegalStateException(
              "channel provider "
                  + describe(p)
                  + ": the schema of "
                  + p.receiverKind()
                  + " has no selector field "
                  + field);
        }
      }
    }
    return d;
  }

  private static void claim(
      Map<String, ChannelProvider<?, ?>> map, String key, String what, ChannelProvider<?, ?> p) {
    ChannelProvider<?, ?> previous = map.putIfAbsent(key, p);
    if (previous != null) {
      throw new IllegalStateException(
          "two channel providers claim the "
              + what
              + " \""
              + key
              + "\": "
              + describe(previous)
              + " and "
              + describe(p)
              + "; remove one of them from the classpath or register only one");
    }
  }

  /** A provider's class and the jar it came from, for error messages. */
  static String describe(ChannelProvider<?, ?> p) {
    Class<?> c = p.getClass();
    CodeSource source = c.getProtectionDomain().getCodeSource();
    String where =
        source == null || source.getLocation() == null ? "" : " (" + source.getLocation() + ")";
    return c.getName() + where;
  }

  /** A registry of exactly these providers. */
  public static ChannelRegistry of(Collection<? extends ChannelProvider<?, ?>> providers) {
    return new ChannelRegistry(new ArrayList<>(providers));
  }

  /** Discovers providers with {@link ServiceLoader} in {@code loader}, plus {@code explicit}. */
  public static ChannelRegistry discover(
      ClassLoader loader, Collection<? extends ChannelProvider<?, ?>> explicit) {
    List<ChannelProvider<?, ?>> all = new ArrayList<>(explicit);
    Map<Class<?>, Boolean> seen = new LinkedHashMap<>();
    explicit.forEach(p -> seen.put(p.getClass(), true));
    @SuppressWarnings("rawtypes")
    ServiceLoader<ChannelProvider> loaded = ServiceLoader.load(ChannelProvider.class, loader);
    for (ChannelProvider<?, ?> p : loaded) {
      // The same class registered explicitly and found on the classpath is one provider.
      if (seen.putIfAbsent(p.getClass(), true) == null) {
        all.add(p);
      }
    }
    return new ChannelRegistry(all);
  }

  public @Nullable ChannelProvider<?, ?> forReceiverKind(String kind) {
    return byReceiverKind.get(kind);
  }

  public @Nullable ChannelProvider<?, ?> forConfigKind(String kind) {
    return byConfigKind.get(kind);
  }

  public List<ChannelProvider<?, ?>> providers() {
    return providers;
  }

  /** The description of a channel's receiver or config kind, or {@code null} for another kind. */
  public @Nullable KindDescription description(String kind) {
    return descriptions.get(kind);
  }

  /**
   * Every kind a manager with these channels reads from a Kubernetes-style store, described: the
   * settings kind, then each channel's config and receiver kind in the providers' order, then the
   * cluster-scoped v2beta2 {@code Receiver}, {@code Config} (with a block per channel), {@code
   * Router} and {@code Silence}. What the CRDs, the RBAC rules and the reference pages are made
   * from.
   */
  public List<KindDescription> kindDescriptions() {
    List<KindDescription> all = new ArrayList<>();
    all.add(Settings.description(this));
    all.addAll(descriptions.values());
    all.addAll(V2beta2Schema.kinds(providers));
    return List.copyOf(all);
  }

  /** Every kind the registry knows, sorted, for messages about unknown kinds. */
  public List<String> kinds() {
    TreeSet<String> kinds = new TreeSet<>(byReceiverKind.keySet());
    kinds.addAll(byConfigKind.keySet());
    return List.copyOf(kinds);
  }
}
