package io.nm4j.core.internal.snapshot;

import io.nm4j.spi.ConfigObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** KubeSphere tenancy: the distinct {@code User} subjects of each namespace's RoleBindings. */
public final class RoleBindingTenants {
  private RoleBindingTenants() {}

  /** Namespace: its RoleBindings; a RoleBinding without namespace binds nobody and is left out. */
  public static Map<String, List<ConfigObject>> byNamespace(List<ConfigObject> roleBindings) {
    Map<String, List<ConfigObject>> out = new HashMap<>();
    for (ConfigObject rb : roleBindings) {
      String ns = rb.metadata().namespace();
      if (!ns.isEmpty()) {
        out.computeIfAbsent(ns, n -> new ArrayList<>(1)).add(rb);
      }
    }
    return out;
  }

  /** The users bound by {@code roleBindings} (those of one namespace), sorted, each once. */
  public static List<String> usersOf(Collection<ConfigObject> roleBindings) {
    TreeSet<String> users = new TreeSet<>();
    for (ConfigObject rb : roleBindings) {
      if (rb.body().get("subjects") instanceof List<?> subjects) {
        for (Object s : subjects) {
          if (s instanceof Map<?, ?> subject
              && "User".equals(subject.get("kind"))
              && subject.get("name") instanceof String name
              && !name.isEmpty()) {
            users.add(name);
          }
        }
      }
    }
    return List.copyOf(users);
  }
}
