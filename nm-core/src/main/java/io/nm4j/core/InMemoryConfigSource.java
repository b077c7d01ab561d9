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
  // The set last published, which load() hands out too: the next change follows it.
  private ConfigSet published = ConfigSet.EMPTY;
  private final Object publishing = new Object();
  // guarded by publishing: the set the watchers were handed last
  private ConfigSet delivered = ConfigSet.EMPTY;

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
      Change change = new Change();
      added.forEach(change::put);
      change.publish();
    }
    publish();
  }

  public void put(ConfigObject object) {
    putAll(List.of(object));
  }

  /** Removes an object; returns whether it was there. */
  public boolean remove(String kind, String name) {
    synchronized (objects) {
      Change change = new Change();
      if (!change.remove(new ObjectRef(kind, name))) {
        return false;
      }
      change.publish();
    }
    publish();
    return true;
  }

  /** Replaces everything with {@code set}'s objects. */
  public void replaceAll(Collection<ConfigObject> all) {
    synchronized (objects) {
      Change change = new Change();
      new ArrayList<>(objects.keySet()).forEach(change::remove);
      all.forEach(change::put);
      change.publish();
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
      Change change = new Change();
      change.put(stored);
      change.publish();
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
      Change change = new Change();
      change.put(stored);
      change.publish();
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
      removed = objects.get(new ObjectRef(kind, name));
      if (removed == null) {
        throw StoreSupport.notFound(kind, name);
      }
      Change change = new Change();
      change.remove(removed.ref());
      change.publish();
    }
    publish();
    return removed;
  }

  private long nextVersion() {
    version = Math.max(version, StoreSupport.maxVersion(objects.values())) + 1;
    return version;
  }

  /**
   * Hands the watchers the newest set, one delivery at a time: two writers publishing at once could
   * otherwise deliver their sets in the wrong order and leave the watchers on the older one.
   */
  private void publish() {
    synchronized (publishing) {
      ConfigSet latest = load();
      if (latest == delivered) {
        return; // a later writer delivered it already
      }
      delivered = latest;
      watchers.forEach(w -> w.accept(latest));
    }
  }

  /**
   * One change to the objects, under their lock: what it removed and added, so the set it publishes
   * says what changed and a snapshot updates only that.
   */
  private final class Change {
    private final List<ConfigObject> removed = new ArrayList<>();
    private final List<ConfigObject> added = new ArrayList<>();

    void put(ConfigObject object) {
      ConfigObject before = objects.put(object.ref(), object);
      if (before != null && !added.removeIf(o -> o == before)) {
        removed.add(before);
      }
      added.add(object);
    }

    boolean remove(ObjectRef ref) {
      ConfigObject before = objects.remove(ref);
      if (before != null && !added.removeIf(o -> o == before)) {
        removed.add(before);
      }
      return before != null;
    }

    void publish() {
      published =
          ConfigSet.following(
              published, new ArrayList<>(objects.values()), List.of(), removed, added);
    }
  }

  @Override
  public ConfigSet load() {
    synchronized (objects) {
      return published;
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
