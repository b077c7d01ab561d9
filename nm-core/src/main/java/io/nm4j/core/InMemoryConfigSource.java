package io.nm4j.core;

import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.ConfigSource;
import io.nm4j.spi.ObjectRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A config source held in memory, for tests and for hosts that keep their configuration elsewhere.
 * Every change notifies the watchers synchronously, on the caller's thread. Holds no durability:
 * what is put here is gone when the process ends.
 */
public final class InMemoryConfigSource implements ConfigSource {
  private final Map<ObjectRef, ConfigObject> objects = new LinkedHashMap<>();
  private final List<Consumer<ConfigSet>> watchers = new CopyOnWriteArrayList<>();

  public InMemoryConfigSource() {}

  /** A source holding these objects. */
  public static InMemoryConfigSource of(Collection<ConfigObject> objects) {
    InMemoryConfigSource source = new InMemoryConfigSource();
    source.putAll(objects);
    return source;
  }

  /** Adds or replaces objects (by kind and name), then notifies watchers once. */
  public void putAll(Collection<ConfigObject> added) {
    synchronized (objects) {
      added.forEach(o -> objects.put(o.ref(), o));
    }
    publish();
  }

  public void put(ConfigObject object) {
    putAll(List.of(object));
  }

  /** Removes an object; returns whether it was there. */
  public boolean remove(String kind, String name) {
    boolean removed;
    synchronized (objects) {
      removed = objects.remove(new ObjectRef(kind, name)) != null;
    }
    if (removed) {
      publish();
    }
    return removed;
  }

  /** Replaces everything with {@code set}'s objects. */
  public void replaceAll(Collection<ConfigObject> all) {
    synchronized (objects) {
      objects.clear();
      all.forEach(o -> objects.put(o.ref(), o));
    }
    publish();
  }

  private void publish() {
    ConfigSet set = load();
    watchers.forEach(w -> w.accept(set));
  }

  @Override
  public ConfigSet load() {
    synchronized (objects) {
      return ConfigSet.of(new ArrayList<>(objects.values()));
    }
  }

  @Override
  public Subscription watch(Consumer<ConfigSet> listener) {
    watchers.add(listener);
    return () -> watchers.remove(listener);
  }

  @Override
  public String describe() {
    return "memory";
  }
}
