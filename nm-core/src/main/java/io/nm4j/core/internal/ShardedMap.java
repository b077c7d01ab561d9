package io.nm4j.core.internal;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * An immutable map from strings, split into shards so that a copy with one key changed copies one
 * small shard rather than the whole map: a snapshot after one change shares every other shard with
 * the snapshot before it. Lookups cost one hash more than a {@link HashMap}'s.
 *
 * @param <V> the values
 */
public final class ShardedMap<V> {
  /** Keys a shard holds on average when the map is built; a change copies about this many. */
  private static final int KEYS_PER_SHARD = 32;

  private static final ShardedMap<Object> EMPTY = emptyMap();

  private final Map<String, V>[] shards;
  private final int size;

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static ShardedMap<Object> emptyMap() {
    Map<String, Object>[] shards = new Map[] {Map.of()};
    return new ShardedMap<>(shards, 0);
  }

  private ShardedMap(Map<String, V>[] shards, int size) {
    this.shards = shards;
    this.size = size;
  }

  @SuppressWarnings("unchecked")
  public static <V> ShardedMap<V> empty() {
    return (ShardedMap<V>) EMPTY;
  }

  /** The entries of {@code entries}, copied. */
  public static <V> ShardedMap<V> of(Map<String, V> entries) {
    if (entries.isEmpty()) {
      return empty();
    }
    Builder<V> builder = builder(entries.size());
    entries.forEach(builder::put);
    return builder.build();
  }

  /**
   * A map filled in place and then frozen, for a caller that would otherwise fill a {@link HashMap}
   * only to copy it into one of these: the entries go straight into their shards.
   *
   * @param expectedSize about how many keys the map will hold: it starts split for that many, and
   *     splits again as it grows past it, so a low guess costs a copy and a high one smaller shards
   */
  public static <V> Builder<V> builder(int expectedSize) {
    return new Builder<>(expectedSize);
  }

  private static int shardsFor(int keys) {
    return Integer.highestOneBit(Math.max(1, keys / KEYS_PER_SHARD));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <V> Map<String, V>[] newShards(int count) {
    Map<String, V>[] shards = new Map[count];
    for (int i = 0; i < count; i++) {
      shards[i] = new HashMap<>(KEYS_PER_SHARD * 2);
    }
    return shards;
  }

  /**
   * The entries of a {@link ShardedMap} being built. Not thread-safe; {@link #build} hands its
   * shards over, so nothing may be put after it.
   *
   * @param <V> the values
   */
  public static final class Builder<V> {
    private Map<String, V>[] shards;
    private int size;
    private boolean built;

    private Builder(int expectedSize) {
      shards = newShards(shardsFor(expectedSize));
    }

    public @Nullable V get(String key) {
      return shards[index(key, shards.length)].get(key);
    }

    /** Maps {@code key} to {@code value}, replacing the value it had. */
    public void put(String key, V value) {
      checkNotBuilt();
      if (shards[index(key, shards.length)].put(key, value) == null
          && ++size >= shards.length * KEYS_PER_SHARD * 2) {
        // Split as of() splits a map of this size, so that shards stay as small as its own.
        Map<String, V>[] more = newShards(shards.length * 2);
        for (Map<String, V> shard : shards) {
          shard.forEach((k, v) -> more[index(k, more.length)].put(k, v));
        }
        shards = more;
      }
    }

    /** Replaces each value with what {@code function} gives for its key and it. */
    public void replaceAll(BiFunction<String, V, V> function) {
      checkNotBuilt();
      for (Map<String, V> shard : shards) {
        shard.replaceAll(function);
      }
    }

    /** The map of the entries put, without copying them. */
    public ShardedMap<V> build() {
      checkNotBuilt();
      built = true;
      return size == 0 ? empty() : new ShardedMap<>(shards, size);
    }

    private void checkNotBuilt() {
      if (built) {
        throw new IllegalStateException("ShardedMap.Builder: already built");
      }
    }
  }

  /**
   * The shard of {@code key}, from the top bits of its hash multiplied by the golden ratio: a
   * shard's {@link HashMap} picks its bin from the hash's low bits, and a shard taken from those
   * too would put every key of a shard in one bin (a tree, searched by comparing strings).
   */
  static int index(String key, int shards) {
    return shards == 1
        ? 0
        : (key.hashCode() * 0x9E3779B9) >>> (32 - Integer.numberOfTrailingZeros(shards));
  }

  public @Nullable V get(String key) {
    return shards[index(key, shards.length)].get(key);
  }

  public boolean containsKey(String key) {
    return shards[index(key, shards.length)].containsKey(key);
  }

  public int size() {
    return size;
  }

  /** How many shards hold the entries (for tests). */
  int shardCount() {
    return shards.length;
  }

  /** The keys, shard by shard. */
  public String[] keys() {
    String[] keys = new String[size];
    int n = 0;
    for (Map<String, V> shard : shards) {
      for (String key : shard.keySet()) {
        keys[n++] = key;
      }
    }
    return keys;
  }

  public void forEach(BiConsumer<String, V> action) {
    for (Map<String, V> shard : shards) {
      shard.forEach(action);
    }
  }

  /** This map with {@code key} mapped to {@code value}; this one is left as it is. */
  public ShardedMap<V> with(String key, V value) {
    return withAll(Collections.singletonMap(key, value));
  }

  /** This map without {@code key}. */
  public ShardedMap<V> without(String key) {
    return containsKey(key)
        ? withAll(Collections.<String, @Nullable V>singletonMap(key, null))
        : this;
  }

  /**
   * This map with each key of {@code changes} mapped to its value, or left out where the value is
   * {@code null}; this one is left as it is. Each shard a change touches is copied once, however
   * many of its keys change (a change may reach thousands of tenants).
   */
  public ShardedMap<V> withAll(Map<String, @Nullable V> changes) {
    if (changes.isEmpty()) {
      return this;
    }
    Map<String, V>[] copy = shards.clone();
    boolean[] copied = new boolean[shards.length];
    int count = size;
    for (Map.Entry<String, @Nullable V> e : changes.entrySet()) {
      int i = index(e.getKey(), shards.length);
      if (!copied[i]) {
        copy[i] = new HashMap<>(shards[i]);
        copied[i] = true;
      }
      V value = e.getValue();
      if (value == null) {
        count -= copy[i].remove(e.getKey()) == null ? 0 : 1;
      } else {
        count += copy[i].put(e.getKey(), value) == null ? 1 : 0;
      }
    }
    ShardedMap<V> changed = new ShardedMap<>(copy, count);
    if (count == 0) {
      return empty();
    }
    if (size == 0 || count >= shards.length * KEYS_PER_SHARD * 4) {
      // Grown by changes far past the size it was split for (or from nothing): split again for
      // the size it has now, so a change keeps copying small shards (the cost of this copy is
      // spread over the growth before it).
      Builder<V> all = builder(count);
      changed.forEach(all::put);
      return all.build();
    }
    return changed;
  }
}
