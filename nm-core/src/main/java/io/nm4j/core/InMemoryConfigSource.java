package io.nm4j.core;

import io.nm4j.core.internal.StoreSupport;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.ConfigStore;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.ObjectRef;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A config source held in memory, for tests and for hosts that keep their configuration elsewhere.
 * Every change notifies the watchers synchronously, on the caller's thread. Holds no durability:
 * what is put here is gone when the process ends. As a {@link ConfigStore} it stamps uid, creation
 * time and a resourceVersion, and checks versions on update.
 */
public final class InMemoryConfigSource implements ConfigStore {
  private final Map<ObjectRef, ConfigObject> objects = new LinkedHashMap<>();
  private final List<Consumer<ConfigSet>> watchers = new CopyOnWriteArrayList<>();
  private final Clock clock;
  private long version;

  public InMemoryConfigSource() {
    this(Clock.systemUTC());
  }

  /** A source whose store operations take creation times from {@code clock}. */
  public InMemoryConfigSource(Clock clock) {
    this.clock = clock;
  }

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

  @Override
  public ConfigObject create(ConfigObject object) {
    ConfigObject stored;
    synchronized (objects) {
      if (objects.containsKey(object.ref())) {
        throw StoreSupport.alreadyExists(object);
      }
      stored =
          StoreSupport.created(
              object, object.metadata().namespace(), clock.instant(), nextVersion());
      objects.put(stored.ref(), stored);
    }
    publish();
    return stored;
  }

  @Override
  public ConfigObject update(ConfigObject object) {
    ConfigObject stored;
    synchronized (objects) {
      ConfigObject current = objects.get(object.ref());
      if (current == null) {
        throw StoreSupport.notFound(object.kind(), object.metadata().name());
      }
      stored = StoreSupport.updated(object, current, nextVersion());
      objects.put(stored.ref(), stored);
    }
    publish();
    return stored;
  }

  @Override
  public Optional<ConfigObject> get(String kind, String name) {
    synchronized (objects) {
      return Optional.ofNullable(objects.get(new ObjectRef(kind, name)));
    }
  }

  @Override
  public List<ConfigObject> list(String kind, LabelSelector selector) {
    synchronized (objects) {
      return StoreSupport.select(objects.values(), kind, selector);
    }
  }

  @Override
  public ConfigObject delete(String kind, String name) {
    ConfigObject removed;
    synchronized (objects) {
      removed = objects.remove(new ObjectRef(kind, name));
    }
    if (removed == null) {
      throw StoreSupport.notFound(kind, name);
    }
    publish();
    return removed;
  }

  private long nextVersion() {
    version = Math.max(version, StoreSupport.maxVersion(objects.values())) + 1;
    return version;
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
