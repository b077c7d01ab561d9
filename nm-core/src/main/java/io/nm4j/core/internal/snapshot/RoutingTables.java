package io.nm4j.core.internal.snapshot;

import io.nm4j.core.Destination;
import io.nm4j.core.Settings;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.Problem;
import io.nm4j.spi.TenantResolver;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 */
public record RoutingTables(
    List<Destination> destinations,
    Targets globals,
    Map<String, Targets> byNamespace,
    @Nullable Function<String, Targets> resolveUnknown) {

  /** No receivers. */
  public static final RoutingTables EMPTY =
      new RoutingTables(List.of(), Targets.NONE, Map.of(), null);

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
    List<Destination> all = receivers.destinations();
    int[] globals = receivers.globals().stream().mapToInt(Integer::intValue).toArray();
    Map<String, int[]> byTenant = new HashMap<>();
    receivers
        .byTenant()
        .forEach((t, list) -> byTenant.put(t, list.stream().mapToInt(Integer::intValue).toArray()));
    Function<List<String>, Targets> forTenants =
        tenants -> Targets.of(merge(globals, tenants, byTenant), all);
    Map<String, Targets> byNamespace = Map.of();
    Function<String, Targets> resolveUnknown = null;
    if (hostResolver != null) {
      resolveUnknown = ns -> forTenants.apply(hostResolver.tenantsOf(ns));
    } else if (Settings.TENANT_KEY_NAMESPACE.equals(tenantKey)) {
      byNamespace = new HashMap<>();
      for (String ns : byTenant.keySet()) {
        byNamespace.put(ns, forTenants.apply(List.of(ns)));
      }
    } else if (Settings.TENANT_KEY_USER.equals(tenantKey)) {
      Map<String, Targets> byUsers = new HashMap<>();
      RoleBindingTenants.of(roleBindings)
          .forEach((ns, users) -> byUsers.put(ns, forTenants.apply(users)));
      byNamespace = byUsers;
    } else {
      problems.add(
          new Problem(
              Settings.KIND,
              "spec.receivers.tenantKey",
              "tenant key \""
                  + tenantKey
                  + "\" needs a TenantResolver from the host (built in: namespace, user); only"
                  + " global receivers get alerts",
              Problem.Severity.ERROR));
    }
    return new RoutingTables(all, Targets.of(globals, all), byNamespace, resolveUnknown);
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
