package io.nm4j.core;

import io.nm4j.spi.ChannelProvider;
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
 * The channel providers a manager knows, by receiver kind and config kind. Providers come from
 * {@link ServiceLoader} discovery, explicit registration, or both. Two providers claiming one kind
 * (or one name) is an error naming both, never a silent pick.
 */
public final class ChannelRegistry {
  private final Map<String, ChannelProvider<?, ?>> byReceiverKind;
  private final Map<String, ChannelProvider<?, ?>> byConfigKind;
  private final List<ChannelProvider<?, ?>> providers;

  private ChannelRegistry(List<ChannelProvider<?, ?>> providers) {
    Map<String, ChannelProvider<?, ?>> receivers = new LinkedHashMap<>();
    Map<String, ChannelProvider<?, ?>> configs = new LinkedHashMap<>();
    Map<String, ChannelProvider<?, ?>> names = new LinkedHashMap<>();
    for (ChannelProvider<?, ?> p : providers) {
      claim(names, p.name(), "channel name", p);
      claim(receivers, p.receiverKind(), "receiver kind", p);
      claim(configs, p.configKind(), "config kind", p);
      if (receivers.containsKey(p.configKind()) || configs.containsKey(p.receiverKind())) {
        throw new IllegalStateException(
            "channel provider " + describe(p) + " uses one kind both as receiver and config kind");
      }
    }
    this.byReceiverKind = Collections.unmodifiableMap(receivers);
    this.byConfigKind = Collections.unmodifiableMap(configs);
    this.providers = List.copyOf(providers);
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

  /** Every kind the registry knows, sorted, for messages about unknown kinds. */
  public List<String> kinds() {
    TreeSet<String> kinds = new TreeSet<>(byReceiverKind.keySet());
    kinds.addAll(byConfigKind.keySet());
    return List.copyOf(kinds);
  }
}
