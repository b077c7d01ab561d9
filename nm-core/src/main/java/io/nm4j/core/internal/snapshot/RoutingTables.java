package io.nm4j.core.internal.snapshot;

import io.nm4j.core.Destination;
import io.nm4j.core.Settings;
import io.nm4j.core.internal.ShardedMap;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.Problem;
import io.nm4j.spi.TenantResolver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The last step of routing a set: for each namespace, the receivers its alerts reach (the global
 * ones and those of the namespace's tenants), computed once when the configuration changes.
 *
 * @param destinations every receiver that routes, sorted by kind and name
 * @param globals the global receivers: what an alert without namespace, or of a namespace without
 *     tenants, reaches
 * @param byNamespace the targets of each namespace known when the snapshot is built
 * @param resolveUnknown the targets of a namespace not in {@code byNamespace}, through a host's
 *     resolver; {@code null} when such a namespace reaches the global receivers only
 * @param roleBindings what a RoleBinding change re-derives its namespace from, when the tenants are
 *     the users of RoleBindings; {@code null} when RoleBindings do not route
 */
public record RoutingTables(
    List<Destination> destinations,
    Targets globals,
    ShardedMap<Targets> byNamespace,
    @Nullable Function<String, Targets> resolveUnknown,
    @Nullable RoleBindingIndex roleBindings) {

  /** No receivers. */
  public static final RoutingTables EMPTY =
      new RoutingTables(List.of(), Targets.NONE, ShardedMap.empty(), null, null);

  /**
   * The receivers of each tenant and the RoleBindings of each namespace, kept so that a RoleBinding
   * change re-derives only the namespaces it is in.
   *
   * @param byTenant tenant: indexes of its receivers, ascending
   * @param byNamespace namespace: its RoleBindings
   */
  public record RoleBindingIndex(
      Map<String, int[]> byTenant, ShardedMap<List<ConfigObject>> byNamespace) {}

  /**
   * Indexes the receivers by namespace the way the tenant key says: a host's resolver, asked when a
   * namespace is first seen; the namespace itself as tenant; or the users of each namespace's
   * RoleBindings. Any other tenant key without a host resolver is reported, and only global
   * receivers get alerts.
   */
  public static RoutingTables index(
      ResolvedReceivers receivers,
      String tenantKey,
      @Nullable TenantResolver hostResolver,
      List<ConfigObject> roleBindings,
      SnapshotProblems problems) {
    List<Destination> all = List.copyOf(receivers.destinations());
    int[] globals = receivers.globals().stream().mapToInt(Integer::intValue).toArray();
    Map<String, int[]> byTenant = new HashMap<>();
    receivers
        .byTenant()
        .forEach((t, list) -> byTenant.put(t, list.stream().mapToInt(Integer::intValue).toArray()));
    Targets globalTargets = Targets.of(globals, all);
    if (hostResolver != null) {
      Function<String, Targets> resolveUnknown =
          ns -> Targets.of(merge(globals, hostResolver.tenantsOf(ns), byTenant), all);
      return new RoutingTables(all, globalTargets, ShardedMap.empty(), resolveUnknown, null);
    }
    if (Settings.TENANT_KEY_NAMESPACE.equals(tenantKey)) {
      Map<String, Targets> byNamespace = new HashMap<>();
      for (String ns : byTenant.keySet()) {
        byNamespace.put(ns, Targets.of(merge(globals, List.of(ns), byTenant), all));
      }
      return new RoutingTables(all, globalTargets, ShardedMap.of(byNamespace), null, null);
    }
    if (Settings.TENANT_KEY_USER.equals(tenantKey)) {
      Map<String, List<ConfigObject>> bindings = RoleBindingTenants.byNamespace(roleBindings);
      Map<String, Targets> byNamespace = new HashMap<>();
      bindings.forEach(
          (ns, list) ->
              byNamespace.put(
                  ns, Targets.of(merge(globals, RoleBindingTenants.usersOf(list), byTenant), all)));
      return new RoutingTables(
          all,
          globalTargets,
          ShardedMap.of(byNamespace),
          null,
          new RoleBindingIndex(byTenant, ShardedMap.of(bindings)));
    }
    problems.add(
        new Problem(
            Settings.KIND,
            "spec.receivers.tenantKey",
            "tenant key \""
                + tenantKey
                + "\" needs a TenantResolver from the host (built in: namespace, user); only"
                + " global receivers get alerts",
            Problem.Severity.ERROR));
    return new RoutingTables(all, globalTargets, ShardedMap.empty(), null, null);
  }

  /**
   * These tables after RoleBindings changed: only the namespaces of {@code removed} and {@code
   * added} are derived again, the rest is shared with these tables.
   *
   * @param removed RoleBindings that are gone or replaced, the instances these tables were indexed
   *     with
   * @param added RoleBindings that are new or replace one
   */
  public RoutingTables withRoleBindings(List<ConfigObject> removed, List<ConfigObject> added) {
    if (roleBindings == null) {
      return this; // the tenants are not RoleBinding users: RoleBindings route nothing
    }
    Set<String> namespaces = new LinkedHashSet<>();
    removed.forEach(rb -> namespaces.add(rb.metadata().namespace()));
    added.forEach(rb -> namespaces.add(rb.metadata().namespace()));
    namespaces.remove("");
    ShardedMap<List<ConfigObject>> bindings = roleBindings.byNamespace();
    ShardedMap<Targets> targets = byNamespace;
    int[] globalIndexes = globals.indexes();
    for (String ns : namespaces) {
      List<ConfigObject> list = new ArrayList<>();
      List<ConfigObject> before = bindings.get(ns);
      if (before != null) {
        for (ConfigObject rb : before) {
          if (!containsInstance(removed, rb)) {
            list.add(rb);
          }
        }
      }
      for (ConfigObject rb : added) {
        if (rb.metadata().namespace().equals(ns)) {
          list.add(rb);
        }
      }
      if (list.isEmpty()) {
        bindings = bindings.without(ns);
        targets = targets.without(ns);
      } else {
        bindings = bindings.with(ns, List.copyOf(list));
        int[] merged =
            merge(globalIndexes, RoleBindingTenants.usersOf(list), roleBindings.byTenant());
        targets = targets.with(ns, Targets.of(merged, destinations));
      }
    }
    return new RoutingTables(
        destinations,
        globals,
        targets,
        resolveUnknown,
        new RoleBindingIndex(roleBindings.byTenant(), bindings));
  }

  private static boolean containsInstance(List<ConfigObject> objects, ConfigObject o) {
    for (ConfigObject candidate : objects) {
      if (candidate == o) {
        return true;
      }
    }
    return false;
  }

  private static int[] merge(int[] globals, List<String> tenants, Map<String, int[]> byTenant) {
    int[] merged = globals;
    for (String t : tenants) {
      int[] own = byTenant.get(t);
      if (own != null) {
        merged = mergeSorted(merged, own);
      }
    }
    return merged;
  }

  /** Merges two ascending index arrays into one, each index once. */
  public static int[] mergeSorted(int[] a, int[] b) {
    int[] out = new int[a.length + b.length];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < a.length || j < b.length) {
      int next = (j == b.length || (i < a.length && a[i] <= b[j])) ? a[i++] : b[j++];
      // A receiver belongs to one tenant, but a host resolver may name a tenant twice.
      if (n == 0 || out[n - 1] != next) {
        out[n++] = next;
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }
}
