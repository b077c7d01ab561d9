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
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * The last step of routing a set: for each namespace, the receivers its alerts reach (the global
 * ones and those of the namespace's tenants). Each namespace holds its tenants' receivers only,
 * derived when the configuration changes; the global receivers are held once and merged in when
 * routing reads a namespace ({@link NamespaceTargets}), so a change of them edits no namespace.
 *
 * @param slots every receiver that routes, by slot and sorted by kind and name
 * @param globals the global receivers: what an alert without namespace, or of a namespace without
 *     tenants, reaches
 * @param byNamespace the receivers of the tenants of each namespace known when the snapshot is
 *     built (see {@link #targetsOf})
 * @param resolveUnknown the targets of a namespace not in {@code byNamespace}, through a host's
 *     resolver; {@code null} when such a namespace reaches the global receivers only
 * @param slotsOfTenant tenant: the slots of its receivers, listed by rank
 * @param tenancy how namespaces find their tenants
 * @param roleBindings what a RoleBinding change re-derives its namespace from, when the tenants are
 *     the users of RoleBindings; {@code null} when RoleBindings do not route
 */
public record RoutingTables(
    Slots slots,
    Targets globals,
    ShardedMap<NamespaceTargets> byNamespace,
    @Nullable Function<String, Targets> resolveUnknown,
    ShardedMap<int[]> slotsOfTenant,
    Tenancy tenancy,
    @Nullable RoleBindingIndex roleBindings) {

  private static final int[] NO_SLOTS = new int[0];

  /** No receivers. */
  public static final RoutingTables EMPTY =
      new RoutingTables(
          Slots.of(List.of()),
          Targets.NONE,
          ShardedMap.empty(),
          null,
          ShardedMap.empty(),
          new Tenancy(null, false, false),
          null);

  /**
   * How the namespaces of these tables find their tenants.
   *
   * @param hostResolver a host's resolver, asked per namespace; {@code null} when built in
   * @param byNamespace the namespace is the tenant
   * @param byUser the users of the namespace's RoleBindings are its tenants
   */
  public record Tenancy(
      @Nullable TenantResolver hostResolver, boolean byNamespace, boolean byUser) {}

  /**
   * The RoleBindings of each namespace and the namespaces of each user they bind, kept so that a
   * RoleBinding change re-derives only the namespaces it is in, and a change of a user's receivers
   * only the namespaces that user is bound in.
   *
   * @param byNamespace namespace: its RoleBindings
   * @param namespacesOfUser user: the namespaces whose RoleBindings bind it, each once, in no order
   *     that matters
   */
  public record RoleBindingIndex(
      ShardedMap<List<ConfigObject>> byNamespace, ShardedMap<List<String>> namespacesOfUser) {}

  /** The receivers in their slots, the tables a full build makes. */
  public List<Destination> destinations() {
    return slots.sorted();
  }

  /**
   * The receivers an alert of {@code namespace} reaches, when these tables know the namespace: the
   * global ones and its tenants', merged on the first read since the global receivers changed.
   * {@code null} for a namespace not in {@link #byNamespace}.
   */
  public @Nullable Targets targetsOf(String namespace) {
    NamespaceTargets own = byNamespace.get(namespace);
    return own == null ? null : own.withGlobals(globals, slots);
  }

  /**
   * Indexes the receivers by namespace the way the tenant key says: a host's resolver, asked when a
   * namespace is first seen; the namespace itself as tenant; or the users of each namespace's
   * RoleBindings. Any other tenant key without a host resolver is reported, and only global
   * receivers get alerts.
   *
   * @param split whether a helper thread may derive the namespaces' targets beside the build (a
   *     cold build; see {@link #tenantsOfNamespaces})
   */
  public static RoutingTables index(
      ResolvedReceivers receivers,
      String tenantKey,
      @Nullable TenantResolver hostResolver,
      List<ConfigObject> roleBindings,
      SnapshotProblems problems,
      boolean split) {
    Slots slots = Slots.of(receivers.destinations());
    int[] globals = receivers.globals();
    ShardedMap<int[]> slotsOfTenant = receivers.byTenant();
    ShardedMap<NamespaceTargets> byNamespace = ShardedMap.empty();
    Function<String, Targets> resolveUnknown = null;
    Tenancy tenancy = new Tenancy(hostResolver, false, false);
    RoleBindingIndex index = null;
    if (hostResolver != null) {
      resolveUnknown = resolver(hostResolver, globals, slotsOfTenant, slots);
    } else if (Settings.TENANT_KEY_NAMESPACE.equals(tenantKey)) {
      String[] namespaces = slotsOfTenant.keys();
      TenantsOfNamespace[] tenants =
          tenantsOfNamespaces(namespaces, i -> List.of(namespaces[i]), slotsOfTenant, slots, split);
      byNamespace = targetsOfNamespaces(namespaces, tenants);
      tenancy = new Tenancy(null, true, false);
    } else if (Settings.TENANT_KEY_USER.equals(tenantKey)) {
      ShardedMap<List<ConfigObject>> bindings = RoleBindingTenants.byNamespace(roleBindings);
      String[] namespaces = bindings.keys();
      TenantsOfNamespace[] tenants =
          tenantsOfNamespaces(
              namespaces,
              i -> RoleBindingTenants.usersOf(Objects.requireNonNull(bindings.get(namespaces[i]))),
              slotsOfTenant,
              slots,
              split);
      byNamespace = targetsOfNamespaces(namespaces, tenants);
      tenancy = new Tenancy(null, false, true);
      index = new RoleBindingIndex(bindings, namespacesOfUsers(namespaces, tenants));
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
    return new RoutingTables(
        slots,
        Targets.of(globals, slots),
        byNamespace,
        resolveUnknown,
        slotsOfTenant,
        tenancy,
        index);
  }

  private static ShardedMap<NamespaceTargets> targetsOfNamespaces(
      String[] namespaces, TenantsOfNamespace[] tenants) {
    ShardedMap.Builder<NamespaceTargets> out = ShardedMap.builder(namespaces.length);
    for (int i = 0; i < namespaces.length; i++) {
      out.put(namespaces[i], new NamespaceTargets(tenants[i].slots()));
    }
    return out.build();
  }

  /**
   * User: the namespaces among {@code namespaces} whose {@code tenants} it is. Each namespace is
   * visited once and its tenants are distinct, so a user's list holds each of its namespaces once
   * without a set to check it.
   */
  private static ShardedMap<List<String>> namespacesOfUsers(
      String[] namespaces, TenantsOfNamespace[] tenants) {
    RoleBindingTenants.ListsByKey<String> out =
        new RoleBindingTenants.ListsByKey<>(namespaces.length);
    for (int i = 0; i < namespaces.length; i++) {
      String ns = namespaces[i];
      List<String> users = tenants[i].tenants();
      for (int u = 0, n = users.size(); u < n; u++) {
        out.add(users.get(u), ns);
      }
    }
    return out.build();
  }

  /**
   * The tenants of one namespace, sorted, each once, and the slots of their receivers, listed by
   * rank.
   */
  private record TenantsOfNamespace(List<String> tenants, int[] slots) {}

  /**
   * The tenants of each of {@code namespaces}, which {@code tenantsOf} gives by index, and their
   * receivers' slots. In a cold build of {@link SplitWork#FROM_OBJECTS} receivers or more ({@code
   * split}), a helper thread derives them from the last namespace down while the build derives them
   * from the first up ({@link SplitWork}): each namespace's tenants and slots depend on nothing but
   * the receivers and RoleBindings, so both threads give the same, and the build puts them in its
   * maps in the one order either way.
   */
  private static TenantsOfNamespace[] tenantsOfNamespaces(
      String[] namespaces,
      IntFunction<List<String>> tenantsOf,
      ShardedMap<int[]> slotsOfTenant,
      Slots slots,
      boolean split) {
    IntFunction<TenantsOfNamespace> derive =
        i -> {
          List<String> tenants = tenantsOf.apply(i);
          return new TenantsOfNamespace(tenants, slotsOf(tenants, slotsOfTenant, null));
        };
    SplitWork<TenantsOfNamespace> helper =
        split && slots.size() >= SplitWork.FROM_OBJECTS
            ? SplitWork.startFromTheEnd("nm4j-snapshot-route", namespaces.length, derive)
            : SplitWork.none();
    try {
      TenantsOfNamespace[] out = new TenantsOfNamespace[namespaces.length];
      for (int i = 0; i < out.length; i++) {
        TenantsOfNamespace helped = helper.take(i);
        out[i] = helped != null ? helped : derive.apply(i);
      }
      return out;
    } finally {
      helper.finish();
    }
  }

  /**
   * The targets of a namespace a host's resolver names the tenants of: computed per snapshot, when
   * routing first sees the namespace, so it merges the global receivers right away.
   */
  private static Function<String, Targets> resolver(
      TenantResolver hostResolver, int[] globals, ShardedMap<int[]> slotsOfTenant, Slots slots) {
    int[] ranks = slots.rankOfSlot();
    return ns -> {
      int[] own = slotsOf(hostResolver.tenantsOf(ns), slotsOfTenant, ranks);
      return Targets.of(Slots.mergeByRank(globals, own, ranks), slots);
    };
  }

  /**
   * These tables after the receivers {@code edits} recorded changed in place: {@code slots} holds
   * the receivers after the change. Each changed tenant's slots are edited, and only its namespaces
   * derived again ({@link #withReceivers}); every other namespace keeps its tenants' slots, the
   * same instance, whether a global receiver changed or receivers were bound anew in their slots.
   */
  public RoutingTables withEdits(Slots slots, Slots.TenantEdits edits) {
    Map<String, int[]> changed = new HashMap<>();
    for (String tenant : edits.tenants()) {
      changed.put(tenant, edits.apply(tenant, slotsOfTenant.get(tenant), slots));
    }
    return withReceivers(
        slots, changed, edits.globalsGone(), edits.globalsAdded(), edits.rebound());
  }

  /**
   * These tables after receivers changed in place, global ones among them: {@code slots} holds the
   * receivers after the change, {@code changed} each changed tenant's slots after it, {@code
   * globalsGone} the slots that held a global receiver before (removed, replaced, or now a
   * tenant's) and {@code globalsAdded} those that hold one after (new, replacing, or a tenant's
   * before), {@code rebound} whether receivers, tenants' or global ones, hold new destinations in
   * their slots. Only the global targets and the changed tenants' namespaces are derived again: a
   * namespace holds its tenants' slots alone, and routing merges the global targets after the
   * change into each namespace it reads ({@link NamespaceTargets}). After receivers were bound anew
   * the global targets are a new instance even when they hold the same receivers: a namespace's
   * kept merge holds the destinations it was made with, and is made again only when it was tagged
   * with other global targets than those it is read with.
   */
  private RoutingTables withReceivers(
      Slots slots,
      Map<String, int[]> changed,
      int[] globalsGone,
      int[] globalsAdded,
      boolean rebound) {
    Map<String, int @Nullable []> tenantsChanged = new HashMap<>(changed.size() * 2);
    changed.forEach((tenant, own) -> tenantsChanged.put(tenant, own.length == 0 ? null : own));
    ShardedMap<int[]> tenants = slotsOfTenant.withAll(tenantsChanged);
    int[] ranks = slots.rankOfSlot();
    boolean globalsChanged = globalsGone.length > 0 || globalsAdded.length > 0 || rebound;
    int[] globalSlots =
        globalsChanged
            ? editedGlobals(globals.indexes(), globalsGone, globalsAdded, ranks)
            : globals.indexes();
    Targets globalsNow = globalsChanged ? Targets.of(globalSlots, slots) : globals;
    if (tenancy.hostResolver() != null) {
      return new RoutingTables(
          slots,
          globalsNow,
          byNamespace,
          resolver(tenancy.hostResolver(), globalSlots, tenants, slots),
          tenants,
          tenancy,
          roleBindings);
    }
    Map<String, @Nullable NamespaceTargets> derived = new HashMap<>();
    if (tenancy.byNamespace()) {
      for (String ns : changed.keySet()) {
        int[] own = tenants.get(ns);
        derived.put(ns, own == null ? null : new NamespaceTargets(own));
      }
    } else if (tenancy.byUser() && roleBindings != null) {
      Set<String> namespaces = new TreeSet<>();
      for (String user : changed.keySet()) {
        List<String> bound = roleBindings.namespacesOfUser().get(user);
        if (bound != null) {
          namespaces.addAll(bound);
        }
      }
      for (String ns : namespaces) {
        List<ConfigObject> bindings = Objects.requireNonNull(roleBindings.byNamespace().get(ns));
        int[] own = slotsOf(RoleBindingTenants.usersOf(bindings), tenants, ranks);
        derived.put(ns, new NamespaceTargets(own));
      }
    }
    return new RoutingTables(
        slots,
        globalsNow,
        byNamespace.withAll(derived),
        resolveUnknown,
        tenants,
        tenancy,
        roleBindings);
  }

  /** The global slots without {@code gone}, with {@code added} merged in by rank. */
  private static int[] editedGlobals(
      int[] globals, int[] gone, int[] added, int @Nullable [] rankOfSlot) {
    int[] out = withoutAny(globals, gone);
    for (int slot : added) {
      out = Slots.insertByRank(out, slot, rankOfSlot);
    }
    return out;
  }

  /** {@code slots} without any of {@code gone} (a handful). */
  private static int[] withoutAny(int[] slots, int[] gone) {
    int[] out = slots;
    for (int slot : gone) {
      out = Slots.remove(out, slot);
    }
    return out;
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
    ShardedMap<List<String>> namespacesOfUser = roleBindings.namespacesOfUser();
    ShardedMap<NamespaceTargets> targets = byNamespace;
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
      List<String> usersBefore = before == null ? List.of() : RoleBindingTenants.usersOf(before);
      List<String> users = RoleBindingTenants.usersOf(list);
      namespacesOfUser = withNamespaceOfUsers(namespacesOfUser, ns, usersBefore, users);
      if (list.isEmpty()) {
        bindings = bindings.without(ns);
        targets = targets.without(ns);
      } else {
        bindings = bindings.with(ns, List.copyOf(list));
        targets =
            targets.with(
                ns, new NamespaceTargets(slotsOf(users, slotsOfTenant, slots.rankOfSlot())));
      }
    }
    return new RoutingTables(
        slots,
        globals,
        targets,
        resolveUnknown,
        slotsOfTenant,
        tenancy,
        new RoleBindingIndex(bindings, namespacesOfUser));
  }

  /**
   * The index of users' namespaces after the users bound in {@code ns} went from one list to
   * another.
   */
  private static ShardedMap<List<String>> withNamespaceOfUsers(
      ShardedMap<List<String>> index, String ns, List<String> before, List<String> after) {
    ShardedMap<List<String>> out = index;
    for (String user : before) {
      if (!after.contains(user)) {
        List<String> namespaces = orEmpty(out.get(user));
        namespaces.remove(ns);
        out = namespaces.isEmpty() ? out.without(user) : out.with(user, List.copyOf(namespaces));
      }
    }
    for (String user : after) {
      if (!before.contains(user)) {
        // Not bound in ns before: the index does not list ns for it yet.
        List<String> namespaces = orEmpty(out.get(user));
        namespaces.add(ns);
        out = out.with(user, List.copyOf(namespaces));
      }
    }
    return out;
  }

  private static List<String> orEmpty(@Nullable List<String> namespaces) {
    return namespaces == null ? new ArrayList<>() : new ArrayList<>(namespaces);
  }

  private static boolean containsInstance(List<ConfigObject> objects, ConfigObject o) {
    for (ConfigObject candidate : objects) {
      if (candidate == o) {
        return true;
      }
    }
    return false;
  }

  /**
   * The slots of the receivers of {@code tenants}, listed by rank, each once: the one tenant's own
   * array when only one has receivers (most namespaces), so a namespace holds no copy of it.
   */
  private static int[] slotsOf(
      List<String> tenants, ShardedMap<int[]> slotsOfTenant, int @Nullable [] rankOfSlot) {
    int[] merged = NO_SLOTS;
    for (int i = 0, n = tenants.size(); i < n; i++) {
      int[] own = slotsOfTenant.get(tenants.get(i));
      if (own != null) {
        merged = merged.length == 0 ? own : Slots.mergeByRank(merged, own, rankOfSlot);
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
