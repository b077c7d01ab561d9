package io.nm4j.core.internal.snapshot;

import io.nm4j.core.internal.ShardedMap;
import io.nm4j.spi.ConfigObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** KubeSphere tenancy: the distinct {@code User} subjects of each namespace's RoleBindings. */
public final class RoleBindingTenants {
  private RoleBindingTenants() {}

  /** Namespace: its RoleBindings; a RoleBinding without namespace binds nobody and is left out. */
  public static ShardedMap<List<ConfigObject>> byNamespace(List<ConfigObject> roleBindings) {
    // Most namespaces have a RoleBinding or two: at most one key per RoleBinding.
    ShardedMap.Builder<List<ConfigObject>> out = ShardedMap.builder(roleBindings.size());
    for (int i = 0, n = roleBindings.size(); i < n; i++) {
      ConfigObject rb = roleBindings.get(i);
      String ns = rb.metadata().namespace();
      if (!ns.isEmpty()) {
        out.put(ns, appended(out.get(ns), rb));
      }
    }
    return out.build();
  }

  /**
   * {@code list}, {@code null} or a list this method returned, with {@code element} at its end: a
   * list of one is immutable, so that the many keys holding one element hold one small object; from
   * two elements on the list is a growing one, appended to in place.
   */
  static <T> List<T> appended(@Nullable List<T> list, T element) {
    if (list == null) {
      return List.of(element);
    }
    if (list.size() == 1) {
      List<T> grown = new ArrayList<>(4);
      grown.add(list.get(0));
      grown.add(element);
      return grown;
    }
    list.add(element);
    return list;
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
