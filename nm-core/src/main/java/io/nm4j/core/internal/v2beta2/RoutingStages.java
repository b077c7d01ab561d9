package io.nm4j.core.internal.v2beta2;

import io.nm4j.core.Destination;
import io.nm4j.core.Routing;
import io.nm4j.core.Settings;
import io.nm4j.core.internal.ShardedMap;
import io.nm4j.core.internal.snapshot.Slots;
import io.nm4j.spi.ObjectRef;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The stages v2beta2 objects add to routing, precomputed per snapshot: global silences before
 * routing; routers (each with the receivers it names, as destination indexes) combined with the
 * tenants' receivers by the route policy; then, per receiver, tenant silences, {@code enabled} and
 * {@code alertSelector}. A snapshot without routers, silences, disabled blocks or alert selectors
 * has no stages and routes as before.
 *
 * <p>The cost per alert is kept near that of routing without stages: an index names the routers and
 * global silences that can match an alert, so the others are not tested; a selector that several
 * objects repeat is tested once per alert; which silences are active is computed once per span in
 * which none can change.
 */
public final class RoutingStages {
  private static final int[] NONE = new int[0];

  private final Receivers receivers;
  private final List<@Nullable Destination> destinations;
  private final boolean[] v2beta2;
  private final @Nullable ReceiverFilter[] filters;

  /** Per destination, the memo slot of its {@code alertSelector}, or -1. */
  private final int[] filterMemo;

  /** Per destination with an {@code alertSelector}, why an alert it does not match is dropped. */
  private final @Nullable String[] selectorMismatch;

  private final Router[] routers;

  /** The routers whose {@code alertSelector} may match an alert. */
  private final MatcherIndex routerIndex;

  /** Every silence, global and tenant; the arrays below hold positions here. */
  private final V2beta2Objects.SilenceRule[] silences;

  /** Per silence, the memo slot of its matcher, or -1. */
  private final int[] silenceMemo;

  private final int[] globalSilences;

  /** The global silences (by their order in {@link #globalSilences}) that may match an alert. */
  private final MatcherIndex globalSilenceIndex;

  /** Per tenant that has silences (its slot), the positions of its silences. */
  private final int[][] silencesOfTenant;

  /** Per destination, the slot of its tenant's silences, or -1 when its tenant has none. */
  private final int[] tenantSlot;

  /** Whether no silence depends on the time, so which ones are active never changes. */
  private final boolean timeless;

  /** Selectors used more than once, whose result is kept per alert; see {@link Batch}. */
  private final int sharedMatchers;

  private final Settings.RoutePolicy policy;

  /** The silences' activity last computed; replaced when a batch falls outside its span. */
  private volatile @Nullable Active active;

  /**
   * A router with the destination indexes it names, ascending.
   *
   * @param memo the memo slot of its {@code alertSelector}, or -1
   */
  private record Router(
      V2beta2Objects.RouterRule rule, int memo, int[] targets, List<ObjectRef> refs) {}

  private RoutingStages(
      Receivers receivers,
      List<V2beta2Objects.RouterRule> routerRules,
      List<int[]> routerTargets,
      List<V2beta2Objects.SilenceRule> silences,
      Settings.RoutePolicy policy) {
    this.receivers = receivers;
    this.destinations = receivers.destinations;
    this.v2beta2 = receivers.v2beta2;
    this.filters = receivers.filters;
    this.selectorMismatch = receivers.selectorMismatch;
    this.policy = policy;
    this.silences = silences.toArray(new V2beta2Objects.SilenceRule[0]);
    SharedMatchers shared = new SharedMatchers();
    for (int position : receivers.selected) {
      shared.count(filters[position].alertSelector());
    }
    routerRules.forEach(r -> shared.count(r.alertSelector()));
    silences.forEach(s -> shared.count(s.matcher()));

    this.filterMemo = new int[filters.length];
    Arrays.fill(filterMemo, -1);
    for (int position : receivers.selected) {
      filterMemo[position] = shared.slotOf(filters[position].alertSelector());
    }
    this.routers = new Router[routerRules.size()];
    for (int i = 0; i < routers.length; i++) {
      V2beta2Objects.RouterRule rule = routerRules.get(i);
      int[] targets = routerTargets.get(i);
      List<ObjectRef> refs = new ArrayList<>(targets.length);
      for (int t : targets) {
        refs.add(destinations.get(t).receiver());
      }
      routers[i] =
          new Router(rule, shared.slotOf(rule.alertSelector()), targets, List.copyOf(refs));
    }
    this.routerIndex =
        new MatcherIndex(
            routerRules.stream().map(V2beta2Objects.RouterRule::alertSelector).toList());

    this.silenceMemo = new int[this.silences.length];
    List<Integer> global = new ArrayList<>();
    Map<String, List<Integer>> byTenant = new LinkedHashMap<>();
    boolean anyTimed = false;
    for (int i = 0; i < this.silences.length; i++) {
      V2beta2Objects.SilenceRule s = this.silences[i];
      silenceMemo[i] = shared.slotOf(s.matcher());
      anyTimed |= !timeless(s);
      if (s.tenant() == null) {
        global.add(i);
      } else {
        byTenant.computeIfAbsent(s.tenant(), t -> new ArrayList<>()).add(i);
      }
    }
    this.timeless = !anyTimed;
    this.globalSilences = global.stream().mapToInt(Integer::intValue).toArray();
    this.globalSilenceIndex =
        new MatcherIndex(global.stream().map(i -> this.silences[i].matcher()).toList());
    this.silencesOfTenant = new int[byTenant.size()][];
    this.tenantSlot = new int[destinations.size()];
    Arrays.fill(tenantSlot, -1);
    int slot = 0;
    for (Map.Entry<String, List<Integer>> e : byTenant.entrySet()) {
      silencesOfTenant[slot] = e.getValue().stream().mapToInt(Integer::intValue).toArray();
      int[] ofTenant = receivers.positionsOfTenant.get(e.getKey());
      for (int position : ofTenant == null ? NONE : ofTenant) {
        tenantSlot[position] = slot;
      }
      slot++;
    }
    this.sharedMatchers = shared.slots();
  }

  /**
   * Numbers the selectors that several routers, silences or receivers share (receivers of one
   * tenant often repeat one {@code alertSelector}), so each is evaluated once per alert.
   */
  private static final class SharedMatchers {
    private final Map<AlertMatcher.Structure, Integer> uses = new HashMap<>();
    private final Map<AlertMatcher.Structure, Integer> slots = new HashMap<>();

    void count(@Nullable AlertMatcher matcher) {
      if (matcher != null) {
        uses.merge(matcher.structure(), 1, Integer::sum);
      }
    }

    int slotOf(@Nullable AlertMatcher matcher) {
      if (matcher == null) {
        return -1;
      }
      AlertMatcher.Structure structure = matcher.structure();
      if (uses.getOrDefault(structure, 0) < 2) {
        return -1;
      }
      Integer slot = slots.get(structure);
      if (slot == null) {
        slot = slots.size();
        slots.put(structure, slot);
      }
      return slot;
    }

    int slots() {
      return slots.size();
    }
  }

  /**
   * Whether a silence is active or not whatever the time: a schedule without a duration, or neither
   * a schedule nor a start.
   */
  private static boolean timeless(V2beta2Objects.SilenceRule s) {
    return s.schedule() != null ? s.duration() == null : s.startsAt() == null;
  }

  /**
   * What the stages know of the snapshot's receivers, built once per set of receivers and shared by
   * the stages of every change of Routers and Silences alone: per destination whether it is a
   * v2beta2 block and its filter, and the blocks by name and by tenant, so a router finds the
   * receivers it names without walking every destination.
   */
  public static final class Receivers {
    private final List<@Nullable Destination> destinations;
    private final int @Nullable [] rankOfSlot;
    private final List<V2beta2Receivers.Resolved> resolved;
    private final int[] positions;
    private final boolean[] v2beta2;
    private final @Nullable ReceiverFilter[] filters;

    /** Per destination with an {@code alertSelector}, why an alert it does not match is dropped. */
    private final @Nullable String[] selectorMismatch;

    /** The destinations with an {@code alertSelector}, ascending. */
    private final int[] selected;

    /** Whether a block is disabled or has an {@code alertSelector}: stages even without objects. */
    private final boolean filtering;

    /** The blocks (indexes in {@link #resolved}) by receiver name. */
    private final Map<String, int[]> blocksByName;

    /** The blocks (indexes in {@link #resolved}) by tenant. */
    private final Map<String, int[]> blocksByTenant;

    /** The destinations of each tenant, listed by rank. */
    private final ShardedMap<int[]> positionsOfTenant;

    private Receivers(
        Slots slots,
        ShardedMap<int[]> routedOfTenant,
        List<V2beta2Receivers.Resolved> resolved,
        int[] positions) {
      this.destinations = slots.bySlot();
      this.rankOfSlot = slots.rankOfSlot();
      this.resolved = resolved;
      this.positions = positions;
      this.v2beta2 = new boolean[destinations.size()];
      this.filters = new ReceiverFilter[destinations.size()];
      this.selectorMismatch = new String[destinations.size()];
      for (int i = 0; i < resolved.size(); i++) {
        ReceiverFilter f = resolved.get(i).filter();
        v2beta2[positions[i]] = true;
        filters[positions[i]] = f;
        selectorMismatch[positions[i]] = mismatch(f);
      }
      this.filtering = filtering(resolved);
      this.selected = positionsOf(selectorMismatch);
      this.blocksByName = blocksBy(resolved, V2beta2Receivers.Resolved::name);
      this.blocksByTenant = blocksBy(resolved, r -> r.destination().tenant());
      // A build's routed receivers of each tenant are all its destinations: a v2beta2 block has a
      // tenant only when it is a tenant object, routed by tenancy (V2beta2Receivers), so the
      // tables are shared rather than derived again from every destination.
      this.positionsOfTenant = routedOfTenant;
    }

    /**
     * These receivers after a change that kept each v2beta2 block in its slot, with its name,
     * labels, tenant and filter: v1alpha1 receivers of {@code tenants} changed in place, or
     * receivers bound anew in their slots. A block takes the destination its slot holds now. The
     * per-destination tables are never written after they are made, so with as many slots as before
     * (receivers replaced or bound anew in theirs) they are shared, not copied.
     */
    private Receivers(Receivers before, Slots slots, Slots.TenantEdits tenants) {
      this.destinations = slots.bySlot();
      this.rankOfSlot = slots.rankOfSlot();
      this.resolved = inTheirSlots(before.resolved, before.positions, destinations);
      this.positions = before.positions;
      int size = destinations.size();
      boolean sameSlots = size == before.v2beta2.length;
      this.v2beta2 = sameSlots ? before.v2beta2 : Arrays.copyOf(before.v2beta2, size);
      this.filters = sameSlots ? before.filters : Arrays.copyOf(before.filters, size);
      this.selectorMismatch =
          sameSlots ? before.selectorMismatch : Arrays.copyOf(before.selectorMismatch, size);
      this.filtering = before.filtering;
      this.selected = before.selected;
      this.blocksByName = before.blocksByName;
      this.blocksByTenant = before.blocksByTenant;
      this.positionsOfTenant = edited(before.positionsOfTenant, tenants, slots);
    }

    /**
     * These receivers after v2beta2 blocks (a tenant's, global or router-only) changed in place:
     * the blocks whose destinations {@code removed} names are dropped (their slots hold a new block
     * or are empty in {@code slots}), {@code added} are added at {@code addedPositions}, and the
     * per-block tables are derived again from the blocks; the per-destination tables are copied and
     * edited only where a block changed.
     */
    private Receivers(
        Receivers before,
        Slots slots,
        Slots.TenantEdits tenants,
        java.util.Set<ObjectRef> removed,
        List<V2beta2Receivers.Resolved> added,
        int[] addedPositions) {
      this.destinations = slots.bySlot();
      this.rankOfSlot = slots.rankOfSlot();
      List<V2beta2Receivers.Resolved> blocks = new ArrayList<>(before.resolved.size());
      int[] at = new int[before.resolved.size() + added.size()];
      int size = destinations.size();
      this.v2beta2 = Arrays.copyOf(before.v2beta2, size);
      this.filters = Arrays.copyOf(before.filters, size);
      this.selectorMismatch = Arrays.copyOf(before.selectorMismatch, size);
      for (int i = 0; i < before.resolved.size(); i++) {
        V2beta2Receivers.Resolved r = before.resolved.get(i);
        if (removed.contains(r.destination().receiver())) {
          int position = before.positions[i];
          v2beta2[position] = false;
          filters[position] = null;
          selectorMismatch[position] = null;
        } else {
          at[blocks.size()] = before.positions[i];
          blocks.add(r);
        }
      }
      for (int i = 0; i < added.size(); i++) {
        V2beta2Receivers.Resolved r = added.get(i);
        int position = addedPositions[i];
        at[blocks.size()] = position;
        blocks.add(r);
        v2beta2[position] = true;
        filters[position] = r.filter();
        selectorMismatch[position] = mismatch(r.filter());
      }
      this.resolved = List.copyOf(blocks);
      this.positions = Arrays.copyOf(at, blocks.size());
      this.filtering = filtering(resolved);
      this.selected = positionsOf(selectorMismatch);
      this.blocksByName = blocksBy(resolved, V2beta2Receivers.Resolved::name);
      this.blocksByTenant = blocksBy(resolved, r -> r.destination().tenant());
      this.positionsOfTenant = edited(before.positionsOfTenant, tenants, slots);
    }

    /**
     * The receivers of a snapshot.
     *
     * @param slots every receiver of the snapshot; an index is a slot here
     * @param routedOfTenant the slots of each tenant's receivers that route by tenancy, ascending
     * @param resolved the v2beta2 receiver blocks, each at {@code positions} of the same index
     * @param positions the slot of each of {@code resolved}
     */
    public static Receivers of(
        Slots slots,
        ShardedMap<int[]> routedOfTenant,
        List<V2beta2Receivers.Resolved> resolved,
        int[] positions) {
      return new Receivers(slots, routedOfTenant, resolved, positions);
    }

    /**
     * These receivers after a change applied in place that kept each v2beta2 block in its slot
     * (v1alpha1 receivers changed, or receivers bound anew to an edited config): {@code slots}
     * holds them after it, {@code tenants} the slots each tenant gained and lost.
     */
    public Receivers withBlocksInTheirSlots(Slots slots, Slots.TenantEdits tenants) {
      return new Receivers(this, slots, tenants);
    }

    /**
     * {@code resolved} with each block's destination the one its slot holds: the same list when no
     * block was bound anew, as after a change of v1alpha1 receivers alone.
     */
    private static List<V2beta2Receivers.Resolved> inTheirSlots(
        List<V2beta2Receivers.Resolved> resolved,
        int[] positions,
        List<@Nullable Destination> destinations) {
      List<V2beta2Receivers.Resolved> out = null;
      for (int i = 0; i < resolved.size(); i++) {
        V2beta2Receivers.Resolved r = resolved.get(i);
        Destination now = Objects.requireNonNull(destinations.get(positions[i]));
        if (now != r.destination()) {
          if (out == null) {
            out = new ArrayList<>(resolved);
          }
          out.set(
              i,
              new V2beta2Receivers.Resolved(
                  now, r.tenantRouted(), r.name(), r.block(), r.labels(), r.filter()));
        }
      }
      return out == null ? resolved : List.copyOf(out);
    }

    /**
     * These receivers after v2beta2 blocks (a tenant's, global or router-only) changed in place.
     *
     * @param slots every receiver after the change
     * @param tenants the slots each tenant gained and lost
     * @param removed the destinations of the blocks removed or replaced
     * @param added the blocks added or replacing others, each at {@code addedPositions} of the same
     *     index
     */
    public Receivers withV2beta2(
        Slots slots,
        Slots.TenantEdits tenants,
        java.util.Set<ObjectRef> removed,
        List<V2beta2Receivers.Resolved> added,
        int[] addedPositions) {
      return new Receivers(this, slots, tenants, removed, added, addedPositions);
    }

    /** Why an alert a block's {@code alertSelector} does not match is dropped; {@code null}. */
    private static @Nullable String mismatch(ReceiverFilter f) {
      return f.alertSelector() == null
          ? null
          : "alertSelector " + f.selectorText() + " does not match";
    }

    /** Whether a block is disabled or has an {@code alertSelector}. */
    private static boolean filtering(List<V2beta2Receivers.Resolved> resolved) {
      for (V2beta2Receivers.Resolved r : resolved) {
        if (!r.filter().enabled() || r.filter().alertSelector() != null) {
          return true;
        }
      }
      return false;
    }

    /** The blocks (indexes in {@code resolved}) by {@code key}; a block without one is left out. */
    private static Map<String, int[]> blocksBy(
        List<V2beta2Receivers.Resolved> resolved,
        java.util.function.Function<V2beta2Receivers.Resolved, @Nullable String> key) {
      Map<String, List<Integer>> by = new HashMap<>();
      for (int i = 0; i < resolved.size(); i++) {
        String k = key.apply(resolved.get(i));
        if (k != null) {
          by.computeIfAbsent(k, n -> new ArrayList<>()).add(i);
        }
      }
      return arrays(by);
    }

    /** Each tenant's destinations after {@code tenants}' edits, listed by rank in {@code slots}. */
    private static ShardedMap<int[]> edited(
        ShardedMap<int[]> ofTenant, Slots.TenantEdits tenants, Slots slots) {
      Map<String, int @Nullable []> changed = new HashMap<>(tenants.tenants().size() * 2);
      for (String tenant : tenants.tenants()) {
        int[] own = tenants.apply(tenant, ofTenant.get(tenant), slots);
        changed.put(tenant, own.length == 0 ? null : own);
      }
      return ofTenant.withAll(changed);
    }

    private static int[] positionsOf(@Nullable String[] values) {
      int n = 0;
      for (String v : values) {
        n += v == null ? 0 : 1;
      }
      int[] out = new int[n];
      for (int i = 0, k = 0; i < values.length; i++) {
        if (values[i] != null) {
          out[k++] = i;
        }
      }
      return out;
    }

    private static Map<String, int[]> arrays(Map<String, List<Integer>> lists) {
      Map<String, int[]> out = new HashMap<>(lists.size() * 2);
      lists.forEach((k, v) -> out.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
      return out;
    }

    /**
     * The destinations a router names (enabled blocks only), ascending: the blocks of the names and
     * tenants it lists; every block only when it matches by {@code regexName} or {@code selector}.
     */
    int[] targetsOf(V2beta2Objects.RouterRule rule) {
      List<Integer> targets = new ArrayList<>();
      if (rule.regexName() != null || rule.selector() != null) {
        for (int i = 0; i < resolved.size(); i++) {
          addIfNamed(rule, i, targets);
        }
      } else {
        // A block a name and a tenant both list is one candidate: tested, and added, once.
        BitSet candidates = new BitSet(resolved.size());
        for (String name : rule.names()) {
          for (int i : blocksByName.getOrDefault(name, NONE)) {
            candidates.set(i);
          }
        }
        for (V2beta2Objects.TenantChannels c : rule.channels()) {
          for (int i : blocksByTenant.getOrDefault(c.tenant(), NONE)) {
            candidates.set(i);
          }
        }
        for (int i = candidates.nextSetBit(0); i >= 0; i = candidates.nextSetBit(i + 1)) {
          addIfNamed(rule, i, targets);
        }
      }
      int[] ranks = rankOfSlot;
      return targets.stream()
          .sorted(ranks == null ? Integer::compare : (x, y) -> Integer.compare(ranks[x], ranks[y]))
          .mapToInt(Integer::intValue)
          .toArray();
    }

    private void addIfNamed(V2beta2Objects.RouterRule rule, int block, List<Integer> targets) {
      V2beta2Receivers.Resolved r = resolved.get(block);
      if (r.filter().enabled() && names(rule, r)) {
        targets.add(positions[block]);
      }
    }
  }

  /**
   * The stages of a snapshot, or {@code null} when it has none.
   *
   * @param receivers the snapshot's receivers, as the stages index them
   */
  public static @Nullable RoutingStages of(
      Receivers receivers, V2beta2Objects objects, Settings settings) {
    return of(receivers, objects.routers(), objects.silences(), settings);
  }

  /** The stages of a snapshot with these routers and silences, or {@code null} when it has none. */
  public static @Nullable RoutingStages of(
      Receivers receivers,
      List<V2beta2Objects.RouterRule> routers,
      List<V2beta2Objects.SilenceRule> silences,
      Settings settings) {
    return build(receivers, routers, silences, settings, Map.of());
  }

  /**
   * The stages after a change of Routers and Silences alone: the receivers' tables are these
   * stages' own, and a router that is unchanged (the same rule) keeps the receivers it named.
   */
  public @Nullable RoutingStages withRoutersAndSilences(
      List<V2beta2Objects.RouterRule> routers,
      List<V2beta2Objects.SilenceRule> silences,
      Settings settings) {
    Map<V2beta2Objects.RouterRule, int[]> targets = new IdentityHashMap<>();
    for (Router r : this.routers) {
      targets.put(r.rule(), r.targets());
    }
    return build(receivers, routers, silences, settings, targets);
  }

  /**
   * These stages on new receivers' tables whose v2beta2 blocks are those of these stages' (a change
   * of v1alpha1 receivers alone): each router keeps the receivers it named.
   */
  public @Nullable RoutingStages withReceivers(Receivers changed, Settings settings) {
    Map<V2beta2Objects.RouterRule, int[]> targets = new IdentityHashMap<>();
    List<V2beta2Objects.RouterRule> rules = new ArrayList<>(routers.length);
    for (Router r : this.routers) {
      targets.put(r.rule(), r.targets());
      rules.add(r.rule());
    }
    return build(changed, rules, Arrays.asList(silences), settings, targets);
  }

  /** The receivers' tables these stages were built on. */
  public Receivers receivers() {
    return receivers;
  }

  /**
   * @param known the receivers each router of earlier stages on the same receivers named, by rule
   *     (identity)
   */
  private static @Nullable RoutingStages build(
      Receivers receivers,
      List<V2beta2Objects.RouterRule> routers,
      List<V2beta2Objects.SilenceRule> silences,
      Settings settings,
      Map<V2beta2Objects.RouterRule, int[]> known) {
    // RouterOnly without a single Router still decides: no v2beta2 receiver is routed.
    boolean needed =
        !routers.isEmpty()
            || !silences.isEmpty()
            || (settings.routePolicy() == Settings.RoutePolicy.ROUTER_ONLY
                && !receivers.resolved.isEmpty())
            || receivers.filtering;
    if (!needed) {
      return null;
    }
    List<int[]> routerTargets = new ArrayList<>(routers.size());
    for (V2beta2Objects.RouterRule rule : routers) {
      int[] targets = known.get(rule);
      routerTargets.add(targets != null ? targets : receivers.targetsOf(rule));
    }
    return new RoutingStages(receivers, routers, routerTargets, silences, settings.routePolicy());
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
   * later) or an earlier start or end of a window; never, when no silence depends on the time.
   * Batches routed within that span share it, so the per-alert cost does not grow with the number
   * of silences.
   */
  public static final class Active {
    private static final Instant LAST_MILLI = Instant.ofEpochMilli(Long.MAX_VALUE);

    private final Instant from;
    private final Instant until;

    /**
     * The whole milliseconds within {@code [from, until)}: the first and the one after the last.
     */
    private final long fromMillis;

    private final long untilMillis;

    /** Per global silence (by its order in {@link #globalSilences}), whether it is active. */
    private final boolean[] globalOn;

    private final boolean anyGlobalOn;

    /** Per tenant slot, positions of its active silences; {@code null} when none is. */
    private final int[] @Nullable [] byTenant;

    /**
     * The first of the spans in a row that have the same silences active as this one (this one when
     * they changed at its start): what a routing depends on, so a routing kept for one span stays
     * valid in the next when no silence started or stopped at the edge between them.
     */
    private final Active sameSilencesSince;

    private Active(RoutingStages stages, ZonedDateTime now, @Nullable Active previous) {
      this.from = now.toInstant();
      Instant[] next = {
        stages.timeless
            ? Instant.MAX
            : scheduled(stages.silences)
                ? from.truncatedTo(ChronoUnit.MINUTES).plusSeconds(60)
                : from.plusSeconds(3600)
      };
      this.globalOn = new boolean[stages.globalSilences.length];
      int[] global = activeOf(stages.silences, stages.globalSilences, now, next);
      for (int k = 0, g = 0; k < globalOn.length && g < global.length; k++) {
        if (stages.globalSilences[k] == global[g]) {
          globalOn[k] = true;
          g++;
        }
      }
      this.anyGlobalOn = global.length > 0;
      this.byTenant = new int[stages.silencesOfTenant.length][];
      for (int slot = 0; slot < byTenant.length; slot++) {
        int[] on = activeOf(stages.silences, stages.silencesOfTenant[slot], now, next);
        byTenant[slot] = on.length == 0 ? null : on;
      }
      this.until = next[0];
      this.sameSilencesSince =
          previous != null
                  && Arrays.equals(globalOn, previous.globalOn)
                  && Arrays.deepEquals(byTenant, previous.byTenant)
              ? previous.sameSilencesSince
              : this;
      this.fromMillis = from.toEpochMilli() + (from.getNano() % 1_000_000 == 0 ? 0 : 1);
      this.untilMillis = until.isAfter(LAST_MILLI) ? Long.MAX_VALUE : until.toEpochMilli();
    }

    private static boolean scheduled(V2beta2Objects.SilenceRule[] silences) {
      for (V2beta2Objects.SilenceRule s : silences) {
        if (s.schedule() != null) {
          return true;
        }
      }
      return false;
    }

    private static int[] activeOf(
        V2beta2Objects.SilenceRule[] silences, int[] positions, ZonedDateTime now, Instant[] next) {
      int n = 0;
      int[] on = new int[positions.length];
      for (int position : positions) {
        V2beta2Objects.SilenceRule s = silences[position];
        if (s.isActive(now)) {
          on[n++] = position;
        }
        Instant change = s.nextChangeAfter(now);
        if (change != null && change.isBefore(next[0])) {
          next[0] = change;
        }
      }
      return n == on.length ? on : Arrays.copyOf(on, n);
    }

    /** Whether the whole millisecond {@code millis} lies within the span. */
    boolean coversMillis(long millis) {
      return millis >= fromMillis && millis < untilMillis;
    }

    boolean covers(Instant now) {
      return !now.isBefore(from) && now.isBefore(until);
    }

    /**
     * Stands for which silences are active: two spans return the same object only when the same
     * silences are active in both, so a routing computed in one holds in the other.
     */
    public Object silencesOn() {
      return sameSilencesSince;
    }
  }

  /**
   * The silences active now on {@code clock}, in its time zone. Within the span of the last answer
   * this costs one read of {@link Clock#millis} and a comparison; when no silence depends on the
   * time, not even the read.
   */
  public Active activeAt(Clock clock) {
    Active cached = active;
    if (cached != null && (timeless || cached.coversMillis(clock.millis()))) {
      return cached;
    }
    return activeAt(clock.instant(), clock.getZone());
  }

  /**
   * The silences active at {@code now}, in {@code zone}: for a caller that has read the time
   * already (intake, for the batch it received), so routing reads no clock. Within the span of the
   * last answer this costs a comparison.
   */
  public Active activeAt(Instant now, ZoneId zone) {
    Active cached = active;
    if (cached != null && (timeless || cached.covers(now))) {
      return cached;
    }
    Active computed = new Active(this, now.atZone(zone), cached);
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

  /** Routing one batch through the stages with the silences active at {@code active}. */
  public Batch batch(Active active) {
    return new Batch(active);
  }

  /**
   * One batch on its way through the stages: its decisions, and the result of each shared selector
   * for the alert at hand, so receivers and silences that repeat a selector evaluate it once per
   * alert.
   */
  public final class Batch {
    private final Active active;
    private final Decisions decisions = new Decisions();

    /** Per shared selector, the alert (index + 1) its result in {@link #memoResult} is for. */
    private final int[] memoAlert;

    private final boolean[] memoResult;

    private Batch(Active active) {
      this.active = active;
      this.memoAlert = new int[sharedMatchers];
      this.memoResult = new boolean[sharedMatchers];
    }

    public Decisions decisions() {
      return decisions;
    }

    /**
     * The receivers (destination indexes, ascending) that get alert {@code index}: {@link #MUTED}
     * when a global silence muted it, {@code null} when nothing routed it (no tenant receiver, no
     * router), else the routed receivers left after the per-receiver stages (possibly none).
     */
    public int @Nullable [] targets(int index, Map<String, String> labels, int[] tenantTargets) {
      if (active.anyGlobalOn) {
        for (int k : globalSilenceIndex.candidates(labels)) {
          int position = globalSilences[k];
          V2beta2Objects.SilenceRule s = silences[position];
          if (active.globalOn[k] && matches(s.matcher(), silenceMemo[position], labels, index)) {
            decisions.silenced.add(new Routing.Silenced(index, s.ref(), null));
            return MUTED;
          }
        }
      }
      int[] routed = null;
      for (int k : routerIndex.candidates(labels)) {
        Router r = routers[k];
        if (matches(r.rule().alertSelector(), r.memo(), labels, index)) {
          decisions.routers.add(new Routing.RouterMatch(index, r.rule().ref(), r.refs()));
          routed = routed == null ? r.targets() : union(routed, r.targets());
        }
      }
      int[] selected = combine(tenantTargets, routed == null ? MUTED : routed);
      if (selected.length == 0) {
        return null;
      }
      int[] kept = null;
      int n = 0;
      for (int i = 0; i < selected.length; i++) {
        boolean keep = keeps(index, selected[i], labels);
        if (!keep && kept == null) {
          kept = Arrays.copyOf(selected, selected.length);
          n = i;
        } else if (keep && kept != null) {
          kept[n++] = selected[i];
        }
      }
      return kept == null ? selected : Arrays.copyOf(kept, n);
    }

    private boolean keeps(int index, int target, Map<String, String> labels) {
      ReceiverFilter filter = filters[target];
      if (filter != null && !filter.enabled()) {
        decisions.filtered.add(
            new Routing.Filtered(
                index, destinations.get(target).receiver(), filter.object(), "enabled: false"));
        return false;
      }
      int slot = tenantSlot[target];
      int[] silenced = slot < 0 ? null : active.byTenant[slot];
      if (silenced != null) {
        for (int position : silenced) {
          V2beta2Objects.SilenceRule s = silences[position];
          if (matches(s.matcher(), silenceMemo[position], labels, index)) {
            decisions.silenced.add(
                new Routing.Silenced(index, s.ref(), destinations.get(target).receiver()));
            return false;
          }
        }
      }
      AlertMatcher selector = filter == null ? null : filter.alertSelector();
      if (selector != null && !matches(selector, filterMemo[target], labels, index)) {
        decisions.filtered.add(
            new Routing.Filtered(
                index,
                destinations.get(target).receiver(),
                filter.object(),
                selectorMismatch[target]));
        return false;
      }
      return true;
    }

    private boolean matches(AlertMatcher matcher, int memo, Map<String, String> labels, int index) {
      if (memo < 0) {
        return matcher.matches(labels);
      }
      if (memoAlert[memo] == index + 1) {
        return memoResult[memo];
      }
      boolean result = matcher.matches(labels);
      memoAlert[memo] = index + 1;
      memoResult[memo] = result;
      return result;
    }
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

  /** Merges two arrays of slots listed by rank, each slot once. */
  private int[] union(int[] a, int[] b) {
    if (b.length == 0) {
      return a;
    }
    return a.length == 0 ? b : Slots.mergeByRank(a, b, receivers.rankOfSlot);
  }
}
