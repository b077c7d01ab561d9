package io.nm4j.core.internal.snapshot;

import io.nm4j.core.Destination;
import io.nm4j.core.Settings;
import io.nm4j.core.internal.Owner;
import io.nm4j.spi.ConfigSpec;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.ReceiverSpec;
import io.nm4j.spi.RenderOptions;
import io.nm4j.spi.Scope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The second step of routing a set: each valid receiver as global or of one tenant, with the config
 * it resolves to among those it may select.
 */
public final class ReceiverResolver {
  private final Settings settings;
  private final ConfigsByOwner configs;
  private final OwnerChecks checks;
  private final SnapshotProblems problems;
  private final ReceiverTemplates templates;
  private final BuildMemo.Recorder memo;
  private final LabelMatcher globalReceivers;
  private final LabelMatcher tenantReceivers;
  private final BuildMemo.Recorder.Resolve resolveDestination = this::destination;

  public ReceiverResolver(
      Settings settings,
      ConfigsByOwner configs,
      OwnerChecks checks,
      ReceiverTemplates templates,
      SnapshotProblems problems,
      BuildMemo.Recorder memo) {
    this.templates = templates;
    this.memo = memo;
    this.settings = settings;
    this.configs = configs;
    this.checks = checks;
    this.problems = problems;
    this.globalReceivers = LabelMatcher.of(settings.globalReceiverSelector());
    this.tenantReceivers = LabelMatcher.of(settings.tenantReceiverSelector());
  }

  /**
   * The receivers that route, sorted by kind and name; a receiver matching both or neither receiver
   * selector, or a tenant receiver without its tenant label, is reported and left out.
   *
   * <p>Receivers are resolved in runs of {@link #RUN} in sorted order; in a cold build of {@link
   * SplitWork#FROM_OBJECTS} receivers or more, a helper thread resolves the runs of the second half
   * ({@link SplitWork}) with its own problems and templates read, which the build takes as it
   * reaches each run, so that destinations and problems (in their order) are those of one thread;
   * the helper writes its resolutions into the build's memo, at its receivers' positions.
   *
   * @param cold whether the build starts from nothing: a build after a change reuses most
   *     resolutions and stays on one thread, as its reading does
   */
  public ResolvedReceivers resolve(Sorting receivers, boolean cold) {
    Sorted bySetPosition = receivers.sorted();
    List<ParsedObject<ReceiverSpec>> sorted = bySetPosition.receivers();
    int[] positions = bySetPosition.positions();
    List<Destination> destinations = new ArrayList<>(sorted.size());
    int runs = (sorted.size() + RUN - 1) / RUN;
    ReceiverResolver helper = null;
    SplitWork<ResolvedRun> split = SplitWork.none();
    if (cold && sorted.size() >= SplitWork.FROM_OBJECTS) {
      SnapshotProblems found = new SnapshotProblems();
      ReceiverResolver forHelper =
          new ReceiverResolver(
              settings,
              configs,
              checks.reportingTo(found),
              templates.forHelper(found),
              found,
              memo.forHelper(found));
      helper = forHelper;
      split =
          SplitWork.start(
              "nm4j-snapshot-resolve",
              runs,
              runs / 2,
              run -> forHelper.resolveRun(sorted, positions, run));
    }
    try {
      for (int run = 0; run < runs; run++) {
        ResolvedRun resolved = split.take(run);
        if (resolved == null) {
          int to = Math.min(sorted.size(), (run + 1) * RUN);
          for (int i = run * RUN; i < to; i++) {
            Destination d = resolveOne(sorted.get(i), positions[i]);
            if (d != null) {
              destinations.add(d);
            }
          }
        } else {
          adopt(resolved, destinations);
        }
      }
    } finally {
      split.finish();
    }
    if (helper != null) {
      templates.adoptShared(helper.templates);
    }
    return ResolvedReceivers.of(destinations, i -> true);
  }

  /**
   * How many receivers one item of the helper's work resolves: enough that taking a run costs
   * little beside resolving it, few enough that a helper running late leaves the build little to
   * wait for.
   */
  static final int RUN = 512;

  /**
   * A run of receivers a helper resolved: the destinations of those used, the problems found (from
   * the helper's {@code mark} on), and the channel kinds' templates read on the way.
   */
  private record ResolvedRun(
      List<Destination> destinations,
      SnapshotProblems.Recorded problems,
      int mark,
      List<ReceiverTemplates.KindLevelRead> kindLevelReads) {}

  private ResolvedRun resolveRun(
      List<ParsedObject<ReceiverSpec>> sorted, int[] positions, int run) {
    int mark = problems.mark();
    int kindLevelsRead = templates.kindLevelReadCount();
    int to = Math.min(sorted.size(), (run + 1) * RUN);
    List<Destination> destinations = new ArrayList<>(to - run * RUN);
    for (int i = run * RUN; i < to; i++) {
      Destination d = resolveOne(sorted.get(i), positions[i]);
      if (d != null) {
        destinations.add(d);
      }
    }
    return new ResolvedRun(
        destinations, problems.since(mark), mark, templates.kindLevelReadsSince(kindLevelsRead));
  }

  /**
   * Takes a run the helper resolved. A channel kind's templates are reported where the first
   * receiver of the kind is resolved: the helper reported them where it first met the kind, and
   * they are left out here when the build met the kind first.
   */
  private void adopt(ResolvedRun run, List<Destination> destinations) {
    destinations.addAll(run.destinations());
    SnapshotProblems.Recorded found = run.problems();
    if (run.kindLevelReads().isEmpty()) {
      problems.replay(found);
      return;
    }
    int at = 0;
    for (ReceiverTemplates.KindLevelRead read : run.kindLevelReads()) {
      int from = read.problemsFrom() - run.mark();
      int to = read.problemsTo() - run.mark();
      problems.replay(found, at, from);
      if (templates.adopt(read)) {
        problems.replay(found, from, to);
      }
      at = to;
    }
    problems.replay(found, at, found.problems().size());
  }

  /**
   * One receiver as {@link #resolve} resolves it among the others: global or of its tenant, with
   * its config; {@code null} (reported) when it is not used.
   */
  public @Nullable Destination resolveOne(ParsedObject<ReceiverSpec> r) {
    return resolveOne(r, -1);
  }

  /**
   * As {@link #resolveOne(ParsedObject)}, for a build that knows the receiver's {@code position} in
   * its set, where its memo keeps the resolution; -1 for a change's receiver.
   */
  private @Nullable Destination resolveOne(ParsedObject<ReceiverSpec> r, int position) {
    Scope scope = scopeOf(r);
    if (scope == null) {
      return null;
    }
    String tenant = null;
    if (scope == Scope.TENANT) {
      tenant = tenantLabel(r.ref(), r.labels(), settings, problems);
      if (tenant == null) {
        return null;
      }
    }
    // The owner Owner.ofObject gives, from the tenant label read above rather than again.
    checks.check(r.ref(), r.spec(), Owner.of(tenant));
    return resolve(r, position, scope, tenant);
  }

  /**
   * The tenant a tenant receiver names in its tenant label (v1alpha1 receivers and v2beta2 {@code
   * Receiver}s alike); {@code null}, reported, when it has none.
   */
  public static @Nullable String tenantLabel(
      ObjectRef receiver,
      Map<String, String> labels,
      Settings settings,
      SnapshotProblems problems) {
    String tenant = labels.get(settings.tenantKey());
    if (tenant == null || tenant.isEmpty()) {
      problems.error(
          receiver,
          "metadata.labels",
          "a tenant receiver needs the label \""
              + settings.tenantKey()
              + "\" naming its tenant; not used");
      return null;
    }
    return tenant;
  }

  /**
   * Receivers being sorted by kind and name ({@link #sort}): on a helper thread in a cold build of
   * {@link SplitWork#FROM_OBJECTS} receivers or more, while the build reads what resolving them
   * needs, or else by the build when it asks for them.
   */
  public static final class Sorting {
    private final List<ParsedObject<ReceiverSpec>> receivers;
    private final IntList positions;
    private final SplitWork<Sorted> split;

    private Sorting(
        List<ParsedObject<ReceiverSpec>> receivers, IntList positions, SplitWork<Sorted> split) {
      this.receivers = receivers;
      this.positions = positions;
      this.split = split;
    }

    /** The receivers by kind and name: the helper's sort, or this thread's when it had none. */
    Sorted sorted() {
      Sorted sorted = split.take(0);
      finish();
      return sorted != null ? sorted : byKindAndName(receivers, positions);
    }

    /** Ends the helper, if any: for a build that fails before it resolves the receivers. */
    public void finish() {
      split.finish();
    }
  }

  /**
   * Starts sorting {@code receivers} by kind and name, which depends on nothing else: a large cold
   * build sorts them on a helper thread while it reads the settings, configs and templates.
   *
   * @param receivers the valid receivers, which no one changes from here on
   * @param positions the position of each receiver in the set
   * @param cold whether the build starts from nothing
   */
  public static Sorting sort(
      List<ParsedObject<ReceiverSpec>> receivers, IntList positions, boolean cold) {
    return new Sorting(
        receivers,
        positions,
        cold && receivers.size() >= SplitWork.FROM_OBJECTS
            ? SplitWork.start(
                "nm4j-snapshot-sort", 1, 0, item -> byKindAndName(receivers, positions))
            : SplitWork.none());
  }

  /**
   * A growing list of {@code int}s without a box each: a build's receivers' positions in its set,
   * in the order they were read (a build's memo keeps a receiver's resolution at its position,
   * which the receiver itself does not know: a reading is reused by the next build, where the
   * position may differ), and the sort's indexes of the receivers of one kind.
   */
  public static final class IntList {
    private int[] values;
    private int size;

    public IntList() {
      this(64);
    }

    /** A list with room for {@code capacity} values before it grows. */
    public IntList(int capacity) {
      this.values = new int[Math.max(1, capacity)];
    }

    public void add(int position) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = position;
    }

    int get(int index) {
      return values[index];
    }

    int[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }

  /** Receivers sorted by kind and name, with the position in the set of each. */
  record Sorted(List<ParsedObject<ReceiverSpec>> receivers, int[] positions) {}

  /**
   * The receivers sorted by kind, then name. They are put in a list per kind first and each list is
   * sorted by name alone: a set holds a handful of kinds, and a source lists the objects of a kind
   * in name order (Kubernetes lists by namespace and name), so each list is mostly one ascending
   * run that the sort only confirms, where one sort by kind and name would merge the kinds'
   * interleaved runs with a comparison of kinds in most steps.
   */
  private static Sorted byKindAndName(
      List<ParsedObject<ReceiverSpec>> receivers, IntList positions) {
    Map<String, IntList> byKind = new TreeMap<>();
    String lastKind = null;
    IntList ofLastKind = null;
    for (int i = 0, n = receivers.size(); i < n; i++) {
      String kind = receivers.get(i).kind();
      if (!kind.equals(lastKind)) {
        lastKind = kind;
        ofLastKind = byKind.computeIfAbsent(kind, k -> new IntList());
      }
      ofLastKind.add(i);
    }
    List<ParsedObject<ReceiverSpec>> sorted = new ArrayList<>(receivers.size());
    int[] sortedPositions = new int[receivers.size()];
    for (IntList ofKind : byKind.values()) {
      for (int i : byName(ofKind, receivers)) {
        sortedPositions[sorted.size()] = positions.get(i);
        sorted.add(receivers.get(i));
      }
    }
    return new Sorted(sorted, sortedPositions);
  }

  /**
   * The {@code indexes} of receivers of one kind, sorted by the receivers' names. Mostly they are
   * in order already, which one pass confirms without boxing an index.
   */
  private static int[] byName(IntList indexes, List<ParsedObject<ReceiverSpec>> receivers) {
    int[] ordered = indexes.toArray();
    for (int i = 1; i < ordered.length; i++) {
      if (receivers.get(ordered[i - 1]).name().compareTo(receivers.get(ordered[i]).name()) > 0) {
        String[] names = new String[ordered.length];
        Arrays.setAll(names, k -> receivers.get(ordered[k]).name());
        mergeByName(
            ordered, names, new int[ordered.length], new String[ordered.length], 0, names.length);
        break;
      }
    }
    return ordered;
  }

  /**
   * Sorts {@code indexes[from, to)} by their {@code names} (kept in step), stably, as {@link
   * Arrays#sort(Object[], Comparator)} would, without boxing an index: a merge sort that leaves
   * halves already in order as they are, so a list of a few ascending runs costs little more than
   * the pass that found it out of order.
   */
  private static void mergeByName(
      int[] indexes, String[] names, int[] indexesCopy, String[] namesCopy, int from, int to) {
    if (to - from < 2) {
      return;
    }
    int middle = (from + to) >>> 1;
    mergeByName(indexes, names, indexesCopy, namesCopy, from, middle);
    mergeByName(indexes, names, indexesCopy, namesCopy, middle, to);
    if (names[middle - 1].compareTo(names[middle]) <= 0) {
      return;
    }
    System.arraycopy(indexes, from, indexesCopy, from, to - from);
    System.arraycopy(names, from, namesCopy, from, to - from);
    int left = from;
    int right = middle;
    for (int at = from; at < to; at++) {
      // The left one on a tie: equal names keep their order.
      boolean takeRight =
          left == middle || (right < to && namesCopy[right].compareTo(namesCopy[left]) < 0);
      int taken = takeRight ? right++ : left++;
      indexes[at] = indexesCopy[taken];
      names[at] = namesCopy[taken];
    }
  }

  /**
   * The receiver with its config and render options, reused from the previous build when nothing
   * they depend on changed. Its channel kind's templates in the settings are read first, so their
   * problems are the settings' whether or not this receiver is reused.
   */
  private Destination resolve(
      ParsedObject<ReceiverSpec> r, int position, Scope scope, @Nullable String tenant) {
    String configKind = r.provider().configKind();
    templates.readKindLevel(r.provider());
    return memo.resolve(
        r,
        position,
        configs.defaultOf(configKind),
        r.spec().configSelector() == null ? List.of() : configs.selectableBy(tenant, configKind),
        scope,
        tenant,
        resolveDestination);
  }

  /** Global or tenant; {@code null} (reported) when the receiver matches both or neither. */
  private @Nullable Scope scopeOf(ParsedObject<ReceiverSpec> r) {
    Map<String, String> labels = r.labels();
    boolean isGlobal = globalReceivers.matches(labels);
    boolean isTenant = tenantReceivers.matches(labels);
    if (isGlobal != isTenant) {
      return isGlobal ? Scope.GLOBAL : Scope.TENANT;
    }
    problems.error(
        r.ref(),
        "metadata.labels",
        "matches "
            + (isGlobal ? "both" : "neither")
            + " the global receiver selector ("
            + settings.globalReceiverSelector()
            + ") "
            + (isGlobal ? "and" : "nor")
            + " the tenant receiver selector ("
            + settings.tenantReceiverSelector()
            + "); not used");
    return null;
  }

  /**
   * The receiver with the config its selector picks among those it may select and its render and
   * settings options, made once (a receiver resolved is one destination, not three copies).
   *
   * <p>The config's owner is known without looking it up: the default is the admin's, and every
   * other config a receiver may select is its own owner's ({@link ConfigsByOwner#selectableBy}).
   */
  private Destination destination(
      ParsedObject<ReceiverSpec> r, Scope scope, @Nullable String tenant) {
    String configKind = r.provider().configKind();
    ParsedObject<ConfigSpec> defaultConfig = configs.defaultOf(configKind);
    LabelSelector selector = r.spec().configSelector();
    ParsedObject<ConfigSpec> chosen;
    if (selector == null) {
      chosen = defaultConfig;
    } else {
      chosen = select(r, selector, configs.selectableBy(tenant, configKind), defaultConfig);
    }
    String reason = null;
    if (chosen == null) {
      reason =
          selector == null
              ? "no " + configKind + " selected and no default"
              : "selector matched no " + configKind + " and there is no default";
      problems.routingError(r.ref(), "spec", reason + "; its notifications fail with NO_CONFIG");
    }
    RenderOptions rendering =
        templates.of(r.ref(), "spec", r.provider(), tenant, r.object().spec());
    return new Destination(
        r.ref(),
        scope,
        tenant,
        r.provider(),
        r.spec(),
        chosen == null ? null : chosen.ref(),
        chosen == null ? null : chosen.spec(),
        reason,
        chosen == null || chosen == defaultConfig ? null : tenant,
        rendering,
        settings.channelOptions(r.provider()));
  }

  /**
   * The config a selector picks: the one candidate; the first by name of several (an ambiguous
   * selector, reported); the default when none matches (a notice).
   */
  private @Nullable ParsedObject<ConfigSpec> select(
      ParsedObject<ReceiverSpec> r,
      LabelSelector selector,
      List<ParsedObject<ConfigSpec>> selectable,
      @Nullable ParsedObject<ConfigSpec> defaultConfig) {
    // Most selectors match one config: a list is made only when a second one matches.
    ParsedObject<ConfigSpec> first = null;
    List<ParsedObject<ConfigSpec>> candidates = null;
    for (int i = 0, n = selectable.size(); i <= n; i++) {
      ParsedObject<ConfigSpec> c = i < n ? selectable.get(i) : defaultConfig;
      if (c == null || !selector.matches(c.labels())) {
        continue;
      }
      if (first == null) {
        first = c;
      } else {
        if (candidates == null) {
          candidates = new ArrayList<>();
          candidates.add(first);
        }
        candidates.add(c);
      }
    }
    if (first != null && candidates == null) {
      return first;
    }
    String field = "spec." + r.provider().selectorField();
    if (candidates != null) {
      candidates.sort(Comparator.comparing(ParsedObject::name));
      ParsedObject<ConfigSpec> chosen = candidates.get(0);
      List<String> names = new ArrayList<>();
      candidates.forEach(c -> names.add(c.ref().toString()));
      problems.routingError(
          r.ref(),
          field,
          "ambiguous selector: matches "
              + String.join(", ", names)
              + "; using "
              + chosen.ref()
              + " (first by name)");
      return chosen;
    }
    problems.notice(
        r.ref(),
        field,
        defaultConfig == null
            ? "selector matched nothing and there is no default " + r.provider().configKind()
            : "selector matched nothing; using default " + defaultConfig.ref());
    return defaultConfig;
  }
}
