package io.nm4j.core;

import io.nm4j.core.internal.OwnedSecrets;
import io.nm4j.core.internal.Owner;
import io.nm4j.core.internal.snapshot.BuildMemo;
import io.nm4j.core.internal.snapshot.ConfigsByOwner;
import io.nm4j.core.internal.snapshot.ReceiverTemplates;
import io.nm4j.core.internal.snapshot.RoutingTables;
import io.nm4j.core.internal.snapshot.Targets;
import io.nm4j.core.internal.v2beta2.RoutingStages;
import io.nm4j.core.internal.v2beta2.V2beta2Objects;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.Problem;
import io.nm4j.spi.TemplateEngine;
import io.nm4j.spi.TenantResolver;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One immutable, validated view of the configuration with everything routing needs precomputed: for
 * each namespace the receivers its alerts reach, each with its resolved config. Routing an alert is
 * one map lookup (the first after the global receivers changed also merges them into the
 * namespace's). A change in the source builds a new snapshot; a batch is routed entirely on one.
 */
public final class Snapshot {
  /** Most namespaces a host resolver's answers are remembered for, per snapshot. */
  private static final int MAX_RESOLVED_NAMESPACES = 100_000;

  /** Most label sets whose one-alert routing through the v2beta2 stages is kept, per snapshot. */
  private static final int MAX_CACHED_LABEL_SETS = 16_384;

  private final Settings settings;
  private final List<Destination> destinations;
  private final int @Nullable [] rankOfSlot;
  private final Targets globals;
  private final RoutingTables tables;
  private final @Nullable Function<String, Targets> resolveUnknown;
  private final Map<String, Targets> resolvedByHost = new ConcurrentHashMap<>();
  private final Map<String, Routing> oneAlertRoutingByNamespace = new ConcurrentHashMap<>();
  private final Map<String, StagedRouting> oneAlertRoutingByFingerprint = new ConcurrentHashMap<>();
  private final @Nullable Routing globalsOnlyRouting;
  private final OwnedSecrets secrets;
  private final List<Problem> problems;
  private final Instant builtAt;
  private final Clock clock;
  private final @Nullable RoutingStages stages;
  private final SnapshotBuilder.@Nullable Inputs inputs;
  private final BuildMemo memo;
  private final Basis basis;

  /** Assembled by {@link SnapshotBuilder}; use {@link #build}. */
  Snapshot(
      Settings settings,
      RoutingTables tables,
      OwnedSecrets secrets,
      List<Problem> problems,
      Clock clock,
      @Nullable RoutingStages stages,
      SnapshotBuilder.@Nullable Inputs inputs,
      BuildMemo memo,
      Basis basis) {
    this.settings = settings;
    this.tables = tables;
    this.destinations = tables.slots().sorted();
    this.rankOfSlot = tables.slots().rankOfSlot();
    this.globals = tables.globals();
    this.resolveUnknown = tables.resolveUnknown();
    this.secrets = secrets;
    this.problems = List.copyOf(problems);
    this.clock = clock;
    this.builtAt = clock.instant();
    this.stages = stages;
    this.inputs = inputs;
    this.memo = memo;
    this.basis = basis;
    this.globalsOnlyRouting = globals.isEmpty() ? null : oneAlertRouting(null);
  }

  /**
   * What a snapshot was built from, for the change that follows it.
   *
   * @param objects the set's objects, the same list instance: a change that follows it names it
   * @param setProblems the problems the source reported with the set
   * @param definedTwice whether an object of the set was defined twice (then only the first is
   *     used, and which one that is after a change takes a build to tell)
   */
  record Basis(
      List<ConfigObject> objects,
      List<Problem> setProblems,
      boolean definedTwice,
      @Nullable Staging staging,
      @Nullable Resolving resolving) {
    static final Basis NONE = new Basis(List.of(), List.of(), false, null, null);

    Basis following(ConfigSet set, @Nullable Staging staging) {
      return new Basis(set.objects(), set.problems(), definedTwice, staging, resolving);
    }
  }

  /**
   * What the build resolved receivers against besides the settings and secrets, so a change of
   * receivers alone resolves just the changed ones.
   *
   * @param configs the configs by owner
   * @param templates the render options as the build computed them (read, never added to, after the
   *     build)
   */
  record Resolving(ConfigsByOwner configs, ReceiverTemplates templates) {}

  /**
   * What the routing stages were built on besides the v2beta2 Routers and Silences, so a change of
   * those reads the changed objects and builds the stages alone.
   *
   * @param receivers the receivers' tables the stages index, built once per set of receivers
   * @param readings the set's v2beta2 objects in its order, each as read
   * @param configs the {@code Config} blocks read without problems, which a changed {@code
   *     Receiver} applied in place selects among
   * @param problemsFrom where the problems of reading the v2beta2 objects start in {@link
   *     #problems()}
   * @param problemsTo where they end
   */
  record Staging(
      RoutingStages.Receivers receivers,
      List<V2beta2Objects.Reading> readings,
      List<V2beta2Objects.ConfigBlock> configs,
      int problemsFrom,
      int problemsTo) {}

  /**
   * The snapshot of {@code set} after a change that left everything but {@code tables} and {@code
   * secrets} as this one has it (the same receivers, configs, routing stages and problems).
   */
  Snapshot following(ConfigSet set, RoutingTables tables, OwnedSecrets secrets) {
    return derived(set, tables, secrets, problems, stages, basis.staging());
  }

  /**
   * The snapshot of {@code set} after a change of v2beta2 Routers and Silences: new routing stages
   * and the problems of reading them, everything else shared with this one.
   */
  Snapshot restaged(
      ConfigSet set, @Nullable RoutingStages stages, List<Problem> problems, Staging staging) {
    return derived(set, tables, secrets, problems, stages, staging);
  }

  /**
   * The snapshot of {@code set} after a change of receivers or configs applied in place: new
   * tables, memo, stages and configs, everything else (settings, secrets, problems) shared with
   * this one.
   */
  Snapshot withReceivers(
      ConfigSet set,
      RoutingTables tables,
      @Nullable RoutingStages stages,
      @Nullable Staging staging,
      BuildMemo memo,
      Resolving resolving) {
    return derived(
        tables,
        secrets,
        problems,
        stages,
        memo,
        new Basis(set.objects(), set.problems(), basis.definedTwice(), staging, resolving));
  }

  BuildMemo memo() {
    return memo;
  }

  private Snapshot derived(
      ConfigSet set,
      RoutingTables tables,
      OwnedSecrets secrets,
      List<Problem> problems,
      @Nullable RoutingStages stages,
      @Nullable Staging staging) {
    return derived(tables, secrets, problems, stages, memo, basis.following(set, staging));
  }

  private Snapshot derived(
      RoutingTables tables,
      OwnedSecrets secrets,
      List<Problem> problems,
      @Nullable RoutingStages stages,
      BuildMemo memo,
      Basis basis) {
    return new Snapshot(settings, tables, secrets, problems, clock, stages, inputs, memo, basis);
  }

  Basis basis() {
    return basis;
  }

  /** The routing stages, or {@code null} when the snapshot has none. */
  @Nullable RoutingStages stages() {
    return stages;
  }

  RoutingTables tables() {
    return tables;
  }

  SnapshotBuilder.@Nullable Inputs inputs() {
    return inputs;
  }

  /**
   * Validates a config set and builds its snapshot. Invalid objects become problems and are left
   * out; everything valid is routed.
   *
   * @param set the objects of a source
   * @param channels the channel providers, which parse and validate their kinds
   * @param namespace the namespace receivers, configs and secrets live in
   * @param tenantResolver a host's resolver, or {@code null} for the one the tenant key implies
   */
  public static Snapshot build(
      ConfigSet set,
      ChannelRegistry channels,
      String namespace,
      @Nullable TenantResolver tenantResolver) {
    return build(set, channels, namespace, tenantResolver, Clock.systemUTC());
  }

  /**
   * The same on {@code clock}: it dates the snapshot, and silences are evaluated on it when a batch
   * is routed, in its time zone (a {@code schedule} may name its own with {@code CRON_TZ=}).
   */
  public static Snapshot build(
      ConfigSet set,
      ChannelRegistry channels,
      String namespace,
      @Nullable TenantResolver tenantResolver,
      Clock clock) {
    return build(set, channels, namespace, tenantResolver, clock, MessageDefaults.DEFAULT);
  }

  /**
   * The same with the server-wide language and time zone {@code messageDefaults}, as {@code nm4j
   * render} previews what a server started with them sends.
   */
  public static Snapshot build(
      ConfigSet set,
      ChannelRegistry channels,
      String namespace,
      @Nullable TenantResolver tenantResolver,
      Clock clock,
      MessageDefaults messageDefaults) {
    return SnapshotBuilder.build(
        set,
        channels,
        namespace,
        tenantResolver,
        clock,
        Owner.Egress.DEFAULTS,
        classPathEngine(),
        messageDefaults);
  }

  /**
   * Validates one object as a snapshot would, in the context of a set (for the rules that look at
   * other objects, such as secret references that must exist and hold their key): the errors of
   * {@code candidate}, empty when it is valid. Routing outcomes (which of two defaults wins, an
   * ambiguous selector, a receiver without a config yet) are not errors of the object. Egress is
   * checked against the default policies; {@link NotificationManager#validate} uses the manager's.
   *
   * @param candidate the object, replacing the one of its kind and name in {@code context}
   * @param context the other objects
   * @param channels the channel providers, which parse and validate their kinds
   * @param namespace the namespace receivers, configs and secrets live in
   */
  public static List<Problem> validate(
      ConfigObject candidate, ConfigSet context, ChannelRegistry channels, String namespace) {
    return SnapshotBuilder.validate(
        candidate,
        context,
        channels,
        namespace,
        Instant.now(),
        Owner.Egress.DEFAULTS,
        classPathEngine(),
        MessageDefaults.DEFAULT);
  }

  /** The template engine on the class path, if exactly one; custom templates need one. */
  private static @Nullable TemplateEngine classPathEngine() {
    return TemplateEngine.discover(Snapshot.class.getClassLoader()).orElse(null);
  }

  /** An empty snapshot: nothing routes. */
  public static Snapshot empty() {
    return new Snapshot(
        Settings.DEFAULTS,
        RoutingTables.EMPTY,
        OwnedSecrets.EMPTY,
        List.of(),
        Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
        null,
        null,
        BuildMemo.NONE,
        Basis.NONE);
  }

  /**
   * The snapshot of {@code set}, the source's objects after a change, built the way this one was
   * (the same channels, namespace, tenant resolver, clock, egress policies and template engine). It
   * reuses what this snapshot's build computed for every object the change left alone (the same
   * object, or an equal one), so one changed receiver, config, secret or RoleBinding does not parse
   * and resolve the whole set again; the result is the snapshot a full build of {@code set} makes.
   * What changed is taken from the set's {@link ConfigSet#change()} when it follows this snapshot's
   * set, else found by comparing the sets; a change of RoleBindings only, of secret values only, of
   * v2beta2 Routers and Silences only, of a tenant's receivers or configs only, of tenant or global
   * v2beta2 Receivers only, or of global receivers or the admin's configs only, then updates just
   * the namespaces, secrets, receivers or routing stages it touches (for a global receiver, the
   * global receivers alone: routing merges them into each namespace it reads).
   *
   * @throws IllegalStateException for a snapshot not built from a set ({@link #empty()})
   */
  public Snapshot next(ConfigSet set) {
    if (inputs == null) {
      throw new IllegalStateException("an empty snapshot has no build to continue");
    }
    Snapshot changed = SnapshotChange.apply(this, set);
    return changed != null ? changed : SnapshotBuilder.build(set, inputs, memo);
  }

  public Settings settings() {
    return settings;
  }

  /** Every valid receiver with its resolved config, sorted by kind and name. */
  public List<Destination> destinations() {
    return destinations;
  }

  /** Every problem found while building, errors and notices. */
  public List<Problem> problems() {
    return problems;
  }

  public Instant builtAt() {
    return builtAt;
  }

  /**
   * The receivers an alert of {@code namespace} reaches, sorted by receiver: the global ones and
   * the receivers of the namespace's tenants, each once. {@code null} means no namespace.
   */
  public List<Destination> destinationsFor(@Nullable String namespace) {
    return lookup(namespace).destinations();
  }

  private Targets lookup(@Nullable String namespace) {
    if (namespace == null) {
      return globals;
    }
    Targets found = tables.targetsOf(namespace);
    if (found != null) {
      return found;
    }
    if (resolveUnknown == null) {
      return globals;
    }
    Targets cached = resolvedByHost.get(namespace);
    if (cached == null) {
      cached = resolveUnknown.apply(namespace);
      if (resolvedByHost.size() < MAX_RESOLVED_NAMESPACES) {
        resolvedByHost.put(namespace, cached);
      }
    }
    return cached;
  }

  /**
   * Routes a batch: one route per receiver, the unrouted alerts, and this snapshot's problems.
   * Silences are evaluated now, on this snapshot's clock.
   */
  public Routing route(AlertBatch batch) {
    return stages == null
        ? routeByTables(batch.alerts())
        : routeThroughStages(batch.alerts(), stages, stages.activeAt(clock));
  }

  /**
   * Routes a batch as {@link #route(AlertBatch)} does, with silences evaluated at {@code now} (in
   * the time zone of this snapshot's clock): for a caller that has read the time already, such as
   * intake, which dates each batch it receives, so the batch's time is read once.
   */
  public Routing route(AlertBatch batch, Instant now) {
    return stages == null
        ? routeByTables(batch.alerts())
        : routeThroughStages(batch.alerts(), stages, stages.activeAt(now, clock.getZone()));
  }

  private Routing routeByTables(List<Alert> alerts) {
    if (alerts.size() == 1) {
      return routeOne(alerts.get(0).namespace());
    }
    Pairs pairs = new Pairs(alerts.size(), rankOfSlot);
    List<Routing.Unrouted> unrouted = new ArrayList<>(0);
    for (int i = 0; i < alerts.size(); i++) {
      String namespace = alerts.get(i).namespace();
      int[] targets = lookup(namespace).indexes();
      if (targets.length == 0) {
        unrouted.add(new Routing.Unrouted(i, unroutedReason(namespace)));
        continue;
      }
      pairs.add(targets, i);
    }
    return new Routing(pairs.routes(destinations), unrouted, problems);
  }

  /**
   * Routes a batch through the v2beta2 stages with the silences {@code active} for the whole batch:
   * each alert's receivers come from its tenants and the routers, then each receiver's filters.
   */
  private Routing routeThroughStages(
      List<Alert> alerts, RoutingStages stages, RoutingStages.Active active) {
    if (alerts.size() == 1) {
      Alert alert = alerts.get(0);
      // Keyed by the fingerprint, whose hash a String keeps, and checked against the labels: a
      // label set's own hash is recomputed on every call, the cost this cache exists to avoid. The
      // fingerprint is the sender's word, so two label sets under one fingerprint are both routed
      // in full; only the last one is kept.
      String key = alert.fingerprint();
      StagedRouting cached = oneAlertRoutingByFingerprint.get(key);
      if (cached != null
          && cached.silencesOn() == active.silencesOn()
          && (cached.labels() == alert.labels() || cached.labels().equals(alert.labels()))) {
        return cached.routing();
      }
      Routing computed = routeEachThroughStages(alerts, stages, active);
      if (!key.isEmpty()
          && (cached != null || oneAlertRoutingByFingerprint.size() < MAX_CACHED_LABEL_SETS)) {
        oneAlertRoutingByFingerprint.put(
            key, new StagedRouting(alert.labels(), active.silencesOn(), computed));
      }
      return computed;
    }
    return routeEachThroughStages(alerts, stages, active);
  }

  /**
   * A one-alert batch routed through the stages: it depends only on the alert's labels and on which
   * silences are active ({@link RoutingStages.Active#silencesOn()}), so it is kept per alert
   * (fingerprint and labels) while they stay so, across spans in which no silence starts or stops
   * (Alertmanager re-sends the same alerts every group interval).
   */
  private record StagedRouting(Map<String, String> labels, Object silencesOn, Routing routing) {}

  private Routing routeEachThroughStages(
      List<Alert> alerts, RoutingStages stages, RoutingStages.Active active) {
    RoutingStages.Batch batch = stages.batch(active);
    Pairs pairs = new Pairs(alerts.size(), rankOfSlot);
    List<Routing.Unrouted> unrouted = new ArrayList<>(0);
    for (int i = 0; i < alerts.size(); i++) {
      Alert alert = alerts.get(i);
      String namespace = alert.namespace();
      int[] targets = batch.targets(i, alert.labels(), lookup(namespace).indexes());
      if (targets == null) {
        unrouted.add(new Routing.Unrouted(i, unroutedReason(namespace)));
        continue;
      }
      pairs.add(targets, i);
    }
    RoutingStages.Decisions decisions = batch.decisions();
    return new Routing(
        pairs.routes(destinations),
        unrouted,
        problems,
        decisions.silenced(),
        decisions.routers(),
        decisions.filtered());
  }

  /**
   * (destination rank << 32 | alert index) pairs: sorting them groups each receiver's alerts in
   * receiver order, alerts ascending, with no per-receiver bookkeeping.
   */
  private static final class Pairs {
    private final int @Nullable [] rankOfSlot;
    private long[] pairs;
    private int n;

    /**
     * @param rankOfSlot the rank of each slot the targets name; {@code null} when each is its own
     */
    Pairs(int alerts, int @Nullable [] rankOfSlot) {
      this.rankOfSlot = rankOfSlot;
      pairs = new long[Math.max(16, alerts * 4)];
    }

    void add(int[] targets, int alert) {
      if (n + targets.length > pairs.length) {
        pairs = Arrays.copyOf(pairs, Math.max(n * 2, n + targets.length));
      }
      int[] ranks = rankOfSlot;
      if (ranks == null) {
        for (int target : targets) {
          pairs[n++] = ((long) target << 32) | alert;
        }
      } else {
        for (int target : targets) {
          pairs[n++] = ((long) ranks[target] << 32) | alert;
        }
      }
    }

    /** One route per destination, alerts ascending; {@code destinations} sorted, by rank. */
    List<Routing.Route> routes(List<Destination> destinations) {
      Arrays.sort(pairs, 0, n);
      List<Routing.Route> routes = new ArrayList<>();
      int start = 0;
      while (start < n) {
        int dest = (int) (pairs[start] >>> 32);
        int end = start + 1;
        while (end < n && (int) (pairs[end] >>> 32) == dest) {
          end++;
        }
        routes.add(new Routing.Route(destinations.get(dest), alertsOf(start, end)));
        start = end;
      }
      return routes;
    }

    /**
     * The alert indexes of pairs {@code from} to {@code to}, as the immutable list a route keeps
     * without copying it: most receivers of a batch over many namespaces get one alert of it.
     */
    private List<Integer> alertsOf(int from, int to) {
      int size = to - from;
      if (size == 1) {
        return List.of((int) pairs[from]);
      }
      if (size == 2) {
        return List.of((int) pairs[from], (int) pairs[from + 1]);
      }
      Integer[] indexes = new Integer[size];
      for (int i = 0; i < size; i++) {
        indexes[i] = (int) pairs[from + i];
      }
      return List.of(indexes);
    }
  }

  /**
   * A one-alert batch (Alertmanager's most common shape with {@code group_by: [namespace,
   * alertname]}): its routing depends only on the namespace, so it is computed once per namespace
   * and shared (it is immutable).
   */
  private Routing routeOne(@Nullable String namespace) {
    if (namespace == null) {
      return globalsOnlyRouting != null ? globalsOnlyRouting : oneAlertRouting(null);
    }
    Routing cached = oneAlertRoutingByNamespace.get(namespace);
    if (cached != null) {
      return cached;
    }
    if (!tables.byNamespace().containsKey(namespace)
        && resolveUnknown == null
        && globalsOnlyRouting != null) {
      return globalsOnlyRouting; // an unknown namespace reaches the global receivers only
    }
    Routing computed = oneAlertRouting(namespace);
    if (oneAlertRoutingByNamespace.size() < MAX_RESOLVED_NAMESPACES) {
      oneAlertRoutingByNamespace.put(namespace, computed);
    }
    return computed;
  }

  private Routing oneAlertRouting(@Nullable String namespace) {
    List<Destination> targets = lookup(namespace).destinations();
    if (targets.isEmpty()) {
      return new Routing(
          List.of(), List.of(new Routing.Unrouted(0, unroutedReason(namespace))), problems);
    }
    List<Integer> first = List.of(0);
    List<Routing.Route> routes = new ArrayList<>(targets.size());
    for (Destination d : targets) {
      routes.add(new Routing.Route(d, first));
    }
    return new Routing(routes, List.of(), problems);
  }

  private String unroutedReason(@Nullable String namespace) {
    if (namespace == null) {
      return "no namespace label and no global receiver";
    }
    if (Settings.TENANT_KEY_NAMESPACE.equals(settings.tenantKey())) {
      return "no global receiver and no tenant receiver for namespace " + namespace;
    }
    return "no global receiver and no receiver of the tenants of namespace " + namespace;
  }

  /**
   * The secrets with their owners; the channel runtime resolves a send's secrets here, and only
   * under the ownership rule.
   */
  OwnedSecrets secrets() {
    return secrets;
  }

  @Override
  public String toString() {
    return "Snapshot[receivers="
        + destinations.size()
        + ", namespaces="
        + tables.byNamespace().size()
        + ", problems="
        + problems.size()
        + "]";
  }
}
