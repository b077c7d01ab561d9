package io.nm4j.core.internal.snapshot;

import io.nm4j.spi.ConfigObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** KubeSphere tenancy: the distinct {@code User} subjects of each namespace's RoleBindings. */
public final class RoleBindingTenants {
  private RoleBindingTenants() {}

  /** Namespace: the users bound in it, sorted, each once. */
  public static Map<String, List<String>> of(List<ConfigObject> roleBindings) {
    Map<String, TreeSet<String>> users = new LinkedHashMap<>();
    for (ConfigObject rb : roleBindings) {
      String ns = rb.metadata().namespace();
      if (ns.isEmpty()) {
        continue;
      }
      TreeSet<String> set = users.computeIfAbsent(ns, n -> new TreeSet<>());
      if (rb.body().get("subjects") instanceof List<?> subjects) {
        for (Object s : subjects) {
          if (s instanceof Map<?, ?> subject
              && "User".equals(subject.get("kind"))
              && subject.get("name") instanceof String name
              && !name.isEmpty()) {
            set.add(name);
          }
        }
      }
    }
    Map<String, List<String>> out = new HashMap<>();
    users.forEach((ns, set) -> out.put(ns, List.copyOf(set)));
    return out;
  }
}
