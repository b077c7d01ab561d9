package io.nm4j.spi.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * An immutable map of strings to strings that iterates in the keys' natural order: an alert's
 * labels and annotations as Alertmanager writes them (Go's encoder sorts map keys), so a renderer
 * writing them in that order need not sort them again for every alert and receiver.
 *
 * <p>Keys and values are held in two arrays sorted by key; a lookup is a binary search. Equality
 * and hash code are those of every {@link Map}: an alert holding one equals an alert holding any
 * other map of the same pairs. Like {@link Map#copyOf}, it refuses null keys and values, and two
 * equal keys (from a map that compares keys by identity), when built; a lookup of {@code null}
 * finds nothing.
 */
public final class SortedStringMap extends AbstractMap<String, String>
    implements SortedMap<String, String> {
  private static final SortedStringMap EMPTY = new SortedStringMap(new String[0], new String[0]);

  private final String[] keys;
  private final String[] values;

  private SortedStringMap(String[] keys, String[] values) {
    this.keys = keys;
    this.values = values;
  }

  /**
   * The pairs of {@code map} in key order: {@code map} itself when it is one already. A map that
   * iterates in key order (a decoded Alertmanager body read into a {@code LinkedHashMap}) is copied
   * without sorting.
   *
   * @throws NullPointerException naming the key of a null value, or for a null key
   * @throws IllegalArgumentException naming a key {@code map} holds twice
   * @throws ConcurrentModificationException when {@code map} changes while copied
   */
  public static SortedStringMap copyOf(Map<String, String> map) {
    if (map instanceof SortedStringMap sorted) {
      return sorted;
    }
    int size = map.size();
    if (size == 0) {
      return EMPTY;
    }
    String[] keys = new String[size];
    String[] values = new String[size];
    int n = 0;
    boolean inOrder = true;
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (n == size) {
        throw new ConcurrentModificationException();
      }
      String key = Objects.requireNonNull(e.getKey(), "label or annotation name");
      String value = Objects.requireNonNull(e.getValue(), () -> "value of " + key);
      if (n > 0 && keys[n - 1].compareTo(key) >= 0) {
        inOrder = false;
      }
      keys[n] = key;
      values[n++] = value;
    }
    if (n != size) {
      throw new ConcurrentModificationException();
    }
    if (!inOrder) {
      sortByKey(keys, values);
      for (int i = 1; i < size; i++) {
        if (keys[i].equals(keys[i - 1])) {
          // Binary search needs each key once.
          throw new IllegalArgumentException("label or annotation name given twice: " + keys[i]);
        }
      }
    }
    return new SortedStringMap(keys, values);
  }

  private static void sortByKey(String[] keys, String[] values) {
    Integer[] order = new Integer[keys.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparing(i -> keys[i]));
    String[] k = keys.clone();
    String[] v = values.clone();
    for (int i = 0; i < order.length; i++) {
      keys[i] = k[order[i]];
      values[i] = v[order[i]];
    }
  }

  private int indexOf(@Nullable Object key) {
    return key instanceof String s ? Arrays.binarySearch(keys, s) : -1;
  }

  @Override
  public @Nullable String get(@Nullable Object key) {
    int i = indexOf(key);
    return i >= 0 ? values[i] : null;
  }

  @Override
  public boolean containsKey(@Nullable Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public int size() {
    return keys.length;
  }

  @Override
  public boolean isEmpty() {
    return keys.length == 0;
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super String> action) {
    for (int i = 0; i < keys.length; i++) {
      action.accept(keys[i], values[i]);
    }
  }

  @Override
  public int hashCode() {
    int hash = 0;
    for (int i = 0; i < keys.length; i++) {
      hash += keys[i].hashCode() ^ values[i].hashCode();
    }
    return hash;
  }

  @Override
  public Set<Map.Entry<String, String>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, String>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < keys.length;
          }

          @Override
          public Map.Entry<String, String> next() {
            if (next >= keys.length) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new AbstractMap.SimpleImmutableEntry<>(keys[i], values[i]);
          }
        };
      }

      @Override
      public int size() {
        return keys.length;
      }
    };
  }

  /** Null: the keys' natural order. */
  @Override
  public @Nullable Comparator<? super String> comparator() {
    return null;
  }

  @Override
  public SortedMap<String, String> subMap(String fromKey, String toKey) {
    if (fromKey.compareTo(toKey) > 0) {
      throw new IllegalArgumentException("fromKey " + fromKey + " is after toKey " + toKey);
    }
    return range(insertionPoint(fromKey), insertionPoint(toKey));
  }

  @Override
  public SortedMap<String, String> headMap(String toKey) {
    return range(0, insertionPoint(toKey));
  }

  @Override
  public SortedMap<String, String> tailMap(String fromKey) {
    return range(insertionPoint(fromKey), keys.length);
  }

  @Override
  public String firstKey() {
    if (keys.length == 0) {
      throw new NoSuchElementException();
    }
    return keys[0];
  }

  @Override
  public String lastKey() {
    if (keys.length == 0) {
      throw new NoSuchElementException();
    }
    return keys[keys.length - 1];
  }

  /** Where {@code key} is, or would be: the index of the first key not before it. */
  private int insertionPoint(String key) {
    int i = Arrays.binarySearch(keys, Objects.requireNonNull(key, "key"));
    return i >= 0 ? i : -i - 1;
  }

  private SortedStringMap range(int from, int to) {
    if (from == 0 && to == keys.length) {
      return this;
    }
    return new SortedStringMap(
        Arrays.copyOfRange(keys, from, to), Arrays.copyOfRange(values, from, to));
  }
}
