package io.nm4j.core.internal.v2beta2;

import io.nm4j.core.Destination;
import io.nm4j.core.Routing;
import io.nm4j.core.Settings;
import io.nm4j.core.internal.snapshot.RoutingTables;
import io.nm4j.spi.ObjectRef;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The stages v2beta2 objects add to routing, precomputed per snapshot: global silences before
 * routing; routers (each with the receivers it names, as destination indexes) combined with the
 * tenants' receivers by the route policy; then, per receiver, tenant silences, {@code enabled} and
 * {@code alertSelector}. A snapshot without routers, silences, disabled blocks or alert selectors
 * has no stages and routes as before.
 */
public final class RoutingStages {
  private final List<Destination> destinations;
  private final boolean[] v2beta2;
  private final @Nullable ReceiverFilter[] filters;
  private final List<Router> routers;
  private final List<V2beta2Objects.SilenceRule> globalSilences;
  private final Map<String, List<V2beta2Objects.SilenceRule>> tenantSilences;
  private final Settings.RoutePolicy policy;

  /** The silences' activity last computed; replaced when a batch falls outside its span. */
  private volatile @Nullable Active active;

  /** A router with the destination indexes it names, ascending. */
  private record Router(V2beta2Objects.RouterRule rule, int[] targets, List<ObjectRef> refs) {}

  private RoutingStages(
      List<Destination> destinations,
      boolean[] v2beta2,
      @Nullable ReceiverFilter[] filters,
      List<Router> routers,
      List<V2beta2Objects.SilenceRule> globalSilences,
      Map<String, List<V2beta2Objects.SilenceRule>> tenantSilences,
      Settings.RoutePolicy policy) {
    this.destinations = destinations;
    this.v2beta2 = v2beta2;
    this.filters = filters;
    this.routers = routers;
    this.globalSilences = globalSilences;
    this.tenantSilences = tenantSilences;
    this.policy = policy;
  }

  /**
   * The stages of a snapshot, or {@code null} when it has none.
   *
   * @param destinations every receiver of the snapshot, sorted; an index is a position here
   * @param resolved the v2beta2 receiver blocks, each at {@code positions} of the same index
   * @param positions where each of {@code resolved} is in {@code destinations}
   */
  public static @Nullable RoutingStages of(
      List<Destination> destinations,
      List<V2beta2Receivers.Resolved> resolved,
      int[] positions,
      V2beta2Objects objects,
      Settings settings) {
    boolean needed = !objects.routers().isEmpty() || !objects.silences().isEmpty();
    for (V2beta2Receivers.Resolved r : resolved) {
      needed |= !r.filter().enabled() || r.filter().alertSelector() != null;
    }
    if (!needed) {
      return null;
    }
    boolean[] v2beta2 = new boolean[destinations.size()];
    ReceiverFilter[] filters = new ReceiverFilter[destinations.size()];
    for (int i = 0; i < resolved.size(); i++) {
      v2beta2[positions[i]] = true;
      filters[positions[i]] = resolved.get(i).filter();
    }
    List<Router> routers = new ArrayList<>();
    for (V2beta2Objects.RouterRule rule : objects.routers()) {
      List<Integer> targets = new ArrayList<>();
      for (int i = 0; i < resolved.size(); i++) {
        V2beta2Receivers.Resolved r = resolved.get(i);
        if (r.filter().enabled() && names(rule, r)) {
          targets.add(positions[i]);
        }
      }
      int[] sorted = targets.stream().mapToInt(Integer::intValue).sorted().toArray();
      List<ObjectRef> refs = new ArrayList<>(sorted.length);
      for (int t : sorted) {
        refs.add(destinations.get(t).receiver());
      }
      routers.add(new Router(rule, sorted, List.copyOf(refs)));
    }
    List<V2beta2Objects.SilenceRule> global = new ArrayList<>();
    Map<String, List<V2beta2Objects.SilenceRule>> byTenant = new HashMap<>();
    for (V2beta2Objects.SilenceRule s : objects.silences()) {
      if (s.tenant() == null) {
        global.add(s);
      } else {
        byTenant.computeIfAbsent(s.tenant(), t -> new ArrayList<>()).add(s);
      }
    }
    return new RoutingStages(
        destinations, v2beta2, filters, routers, global, byTenant, settings.routePolicy());
  }

  /** Whether a router names a receiver block, the ways notification-manager allows. */
  private static boolean names(V2beta2Objects.RouterRule rule, V2beta2Receivers.Resolved r) {
    boolean typeOk = rule.types().isEmpty() || rule.types().contains(r.block());
    if (typeOk
        && (rule.names().contains(r.name())
            || (rule.regexName() != null && rule.regexName().matcher(r.name()).find()))) {
      return true;
    }
    if (typeOk && rule.selector() != null && rule.selector().matches(r.labels())) {
      return true;
    }
    for (V2beta2Objects.TenantChannels c : rule.channels()) {
      if (c.tenant().equals(r.destination().tenant())
          && (c.types().isEmpty() || c.types().contains(r.block()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The silences active from one instant until the next instant any of them may change: the next
   * whole minute (when a silence has a schedule, which fires on minute boundaries; else an hour
   * later) or an earlier start or end of a window. Batches routed within that span share it, so the
   * per-alert cost does not grow with the number of silences.
   */
  public static final class Active {
    private final Instant from;
    private final Instant until;
    private final List<V2beta2Objects.SilenceRule> global;
    private final Map<String, List<V2beta2Objects.SilenceRule>> byTenant;

    private Active(
        ZonedDateTime now,
        List<V2beta2Objects.SilenceRule> globalSilences,
        Map<String, List<V2beta2Objects.SilenceRule>> tenantSilences) {
      this.from = now.toInstant();
      Instant[] next = {
        scheduled(globalSilences, tenantSilences)
            ? from.truncatedTo(ChronoUnit.MINUTES).plusSeconds(60)
            : from.plusSeconds(3600)
      };
      this.global = activeOf(globalSilences, now, next);
      Map<String, List<V2beta2Objects.SilenceRule>> active = new HashMap<>();
      for (Map.Entry<String, List<V2beta2Objects.SilenceRule>> e : tenantSilences.entrySet()) {
        List<V2beta2Objects.SilenceRule> on = activeOf(e.getValue(), now, next);
        if (!on.isEmpty()) {
          active.put(e.getKey(), on);
        }
      }
      this.byTenant = active;
      this.until = next[0];
    }

    private static boolean scheduled(
        List<V2beta2Objects.SilenceRule> global,
        Map<String, List<V2beta2Objects.SilenceRule>> byTenant) {
      for (V2beta2Objects.SilenceRule s : global) {
        if (s.schedule() != null) {
          return true;
        }
      }
      for (List<V2beta2Objects.SilenceRule> list : byTenant.values()) {
        for (V2beta2Objects.SilenceRule s : list) {
          if (s.schedule() != null) {
            return true;
          }
        }
      }
      return false;
    }

    private static List<V2beta2Objects.SilenceRule> activeOf(
        List<V2beta2Objects.SilenceRule> silences, ZonedDateTime now, Instant[] next) {
      List<V2beta2Objects.SilenceRule> on = new ArrayList<>(0);
      for (V2beta2Objects.SilenceRule s : silences) {
        if (s.isActive(now)) {
          on.add(s);
        }
        Instant change = s.nextChangeAfter(now);
        if (change != null && change.isBefore(next[0])) {
          next[0] = change;
        }
      }
      return on;
    }

    boolean covers(Instant now) {
      return !now.isBefore(from) && now.isBefore(until);
    }
  }

  /** The silences active at {@code now}, evaluated in {@code zone}. */
  public Active activeAt(Instant now, ZoneId zone) {
    Active cached = active;
    if (cached != null && cached.covers(now)) {
      return cached;
    }
    Active computed = new Active(now.atZone(zone), globalSilences, tenantSilences);
    active = computed;
    return computed;
  }

  /** What the stages decided for a batch, for explain. */
  public static final class Decisions {
    final List<Routing.Silenced> silenced = new ArrayList<>(0);
    final List<Routing.RouterMatch> routers = new ArrayList<>(0);
    final List<Routing.Filtered> filtered = new ArrayList<>(0);

    public List<Routing.Silenced> silenced() {
      return silenced;
    }

    public List<Routing.RouterMatch> routers() {
      return routers;
    }

    public List<Routing.Filtered> filtered() {
      return filtered;
    }
  }

  /** An alert a global silence muted: no receiver gets it. */
  public static final int[] MUTED = new int[0];

  /**
   * The receivers (destination indexes, ascending) that get alert {@code index}: {@link #MUTED}
   * when a global silence muted it, {@code null} when nothing routed it (no tenant receiver, no
   * router), else the routed receivers left after the per-receiver stages (possibly none).
   */
  public int @Nullable [] targets(
      int index,
      Map<String, String> labels,
      int[] tenantTargets,
      Active active,
      Decisions decisions) {
    for (V2beta2Objects.SilenceRule s : active.global) {
      if (s.matcher().matches(labels)) {
        decisions.silenced.add(new Routing.Silenced(index, s.ref(), null));
        return MUTED;
      }
    }
    int[] routed = null;
    for (Router r : routers) {
      if (r.rule().alertSelector().matches(labels)) {
        decisions.routers.add(new Routing.RouterMatch(index, r.rule().ref(), r.refs()));
        routed = routed == null ? r.targets() : union(routed, r.targets());
      }
    }
    int[] selected = combine(tenantTargets, routed == null ? MUTED : routed);
    if (selected.length == 0) {
      return null;
    }
    int n = 0;
    int[] kept = new int[selected.length];
    for (int t : selected) {
      if (keeps(index, t, labels, active, decisions)) {
        kept[n++] = t;
      }
    }
    return n == kept.length ? kept : Arrays.copyOf(kept, n);
  }

  /**
   * The route policy: v1alpha1 receivers always keep their tenants' alerts; v2beta2 receivers get
   * the routers' ones and, by the policy, the tenants' ones.
   */
  private int[] combine(int[] tenantTargets, int[] routed) {
    return switch (policy) {
      case ALL -> union(tenantTargets, routed);
      case ROUTER_FIRST ->
          routed.length > 0 ? union(only(tenantTargets, false), routed) : tenantTargets;
      case ROUTER_ONLY -> union(only(tenantTargets, false), routed);
    };
  }

  private int[] only(int[] targets, boolean ofV2beta2) {
    int n = 0;
    int[] out = new int[targets.length];
    for (int t : targets) {
      if (v2beta2[t] == ofV2beta2) {
        out[n++] = t;
      }
    }
    return n == out.length ? targets : Arrays.copyOf(out, n);
  }

  private boolean keeps(
      int index, int target, Map<String, String> labels, Active active, Decisions decisions) {
    Destination d = destinations.get(target);
    ReceiverFilter filter = filters[target];
    if (filter != null && !filter.enabled()) {
      decisions.filtered.add(
          new Routing.Filtered(index, d.receiver(), filter.object(), "enabled: false"));
      return false;
    }
    if (d.tenant() != null) {
      List<V2beta2Objects.SilenceRule> silences = active.byTenant.get(d.tenant());
      if (silences != null) {
        for (V2beta2Objects.SilenceRule s : silences) {
          if (s.matcher().matches(labels)) {
            decisions.silenced.add(new Routing.Silenced(index, s.ref(), d.receiver()));
            return false;
          }
        }
      }
    }
    if (filter != null && !filter.keeps(labels)) {
      decisions.filtered.add(
          new Routing.Filtered(
              index,
              d.receiver(),
              filter.object(),
              "alertSelector " + filter.selectorText() + " does not match"));
      return false;
    }
    return true;
  }

  /** Merges two ascending index arrays, each index once. */
  private static int[] union(int[] a, int[] b) {
    if (b.length == 0) {
      return a;
    }
    return a.length == 0 ? b : RoutingTables.mergeSorted(a, b);
  }
}
