package io.nm4j.core.internal.snapshot;

import io.nm4j.core.internal.ShardedMap;
import io.nm4j.spi.ConfigObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** KubeSphere tenancy: the distinct {@code User} subjects of each namespace's RoleBindings. */
public final class RoleBindingTenants {
  private RoleBindingTenants() {}

  /** Namespace: its RoleBindings; a RoleBinding without namespace binds nobody and is left out. */
  public static ShardedMap<List<ConfigObject>> byNamespace(List<ConfigObject> roleBindings) {
    // Most namespaces have a RoleBinding or two: at most one key per RoleBinding.
    ListsByKey<ConfigObject> out = new ListsByKey<>(roleBindings.size());
    for (int i = 0, n = roleBindings.size(); i < n; i++) {
      ConfigObject rb = roleBindings.get(i);
      String ns = rb.metadata().namespace();
      if (!ns.isEmpty()) {
        out.add(ns, rb);
      }
    }
    return out.build();
  }

  /**
   * Lists of values by key, built in the form a snapshot keeps: each list unmodifiable, and the
   * many lists of one to three values immutable ones of their size, with no spare room. A key given
   * a fourth value gets a growing list, appended to in place and made unmodifiable once all values
   * are in; few keys have that many, so only those are visited again.
   */
  static final class ListsByKey<T> {
    private static final int MOST_HELD_IMMUTABLE = 3;

    private final ShardedMap.Builder<List<T>> lists;
    private final List<String> keysOfGrowingLists = new ArrayList<>();

    ListsByKey(int expectedKeys) {
      this.lists = ShardedMap.builder(expectedKeys);
    }

    /** Appends {@code value} to the list of {@code key}. */
    void add(String key, T value) {
      List<T> list = lists.get(key);
      if (list != null && list.size() > MOST_HELD_IMMUTABLE) {
        list.add(value);
        return;
      }
      List<T> grown;
      if (list == null) {
        grown = List.of(value);
      } else if (list.size() == 1) {
        grown = List.of(list.get(0), value);
      } else if (list.size() == 2) {
        grown = List.of(list.get(0), list.get(1), value);
      } else {
        grown = new ArrayList<>(list.size() * 2);
        grown.addAll(list);
        grown.add(value);
        keysOfGrowingLists.add(key);
      }
      lists.put(key, grown);
    }

    /** The lists by key, each unmodifiable; this builder is not used again. */
    ShardedMap<List<T>> build() {
      for (String key : keysOfGrowingLists) {
        lists.put(key, Collections.unmodifiableList(Objects.requireNonNull(lists.get(key))));
      }
      return lists.build();
    }
  }

  /**
   * The users bound by {@code roleBindings} (those of one namespace), sorted, each once. Collected
   * in an array rather than a sorted set, and that only from a second name on: most namespaces bind
   * one user.
   */
  public static List<String> usersOf(List<ConfigObject> roleBindings) {
    @Nullable String first = null;
    String @Nullable [] all = null;
    int count = 0;
    for (int i = 0, n = roleBindings.size(); i < n; i++) {
      if (roleBindings.get(i).body().get("subjects") instanceof List<?> subjects) {
        for (int j = 0, m = subjects.size(); j < m; j++) {
          if (subjects.get(j) instanceof Map<?, ?> subject
              && "User".equals(subject.get("kind"))
              && subject.get("name") instanceof String name
              && !name.isEmpty()) {
            if (count == 0) {
              first = name;
            } else {
              if (all == null) {
                all = new String[4];
                all[0] = first;
              } else if (count == all.length) {
                all = Arrays.copyOf(all, count * 2);
              }
              all[count] = name;
            }
            count++;
          }
        }
      }
    }
    if (all == null) {
      return first == null ? List.of() : List.of(first);
    }
    Arrays.sort(all, 0, count);
    int distinct = 1;
    for (int i = 1; i < count; i++) {
      if (!all[i].equals(all[distinct - 1])) {
        all[distinct++] = all[i];
      }
    }
    return List.of(Arrays.copyOf(all, distinct));
  }
}
