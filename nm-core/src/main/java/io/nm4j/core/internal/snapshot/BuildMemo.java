package io.nm4j.core.internal.snapshot;

import io.nm4j.core.Destination;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSpec;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.ReceiverSpec;
import io.nm4j.spi.Scope;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What one snapshot build computed per object, kept with the snapshot so the build of the next set
 * redoes only what a change touches.
 *
 * <p>Two results are kept. An object's <em>reading</em> (a receiver's or config's typed spec, a
 * secret's values, with the problems found) depends on the object alone, so it is reused whenever
 * the next set holds the same object or one equal to it. A receiver's <em>resolution</em> (its
 * config and render options, with their problems) depends on the receiver, the settings, the
 * template {@code ConfigMap}s, its config kind's default and the configs its selector may choose
 * from; it is reused only when each of those is the same as in the previous build. Everything else
 * (owner checks, routing tables, v2beta2 routing stages) is recomputed from these results on every
 * build: it costs little per object, and redoing it keeps each rule in one place. A change of the
 * settings or of a template {@code ConfigMap} reaches every receiver (selectors, tenant key,
 * templates), so then no resolution is reused.
 *
 * <p>The memo holds only results of the objects of its own set: a build starts a new one rather
 * than adding to the previous, so memory stays bounded by the current configuration. A build keeps
 * its results in arrays by the objects' positions in its set ({@link ResultsOfSet}), not in a
 * record and a map entry per object: a cold build holds them while it runs, and every young
 * collection during the build copies what it holds. A change applied in place ({@link #withChange})
 * does not copy the build's arrays: it lays the changed objects' results over them in maps, and the
 * next build keeps what still holds of both in arrays of its own. The overlay is bounded ({@link
 * #MAX_CHANGED}); past it, a change takes a build.
 */
public final class BuildMemo {
  /** No previous build: everything is computed. */
  public static final BuildMemo NONE =
      new BuildMemo(new ResultsOfSet(List.of()), List.of(), List.of());

  /** Most objects changes applied in place may lay over a build's results before one builds. */
  public static final int MAX_CHANGED = 256;

  private final ResultsOfSet ofSet;
  private final List<ConfigObject> settingsObjects;
  private final List<ConfigObject> templateMaps;

  /** The readings changes applied in place replaced; {@code null} for an object they removed. */
  private final Map<ObjectRef, @Nullable Reading> changedReadings;

  private final Map<ParsedObject<ReceiverSpec>, Resolution> changedResolutions;

  private BuildMemo(
      ResultsOfSet ofSet, List<ConfigObject> settingsObjects, List<ConfigObject> templateMaps) {
    this(ofSet, settingsObjects, templateMaps, Map.of(), Map.of());
  }

  private BuildMemo(
      ResultsOfSet ofSet,
      List<ConfigObject> settingsObjects,
      List<ConfigObject> templateMaps,
      Map<ObjectRef, @Nullable Reading> changedReadings,
      Map<ParsedObject<ReceiverSpec>, Resolution> changedResolutions) {
    this.ofSet = ofSet;
    this.settingsObjects = settingsObjects;
    this.templateMaps = templateMaps;
    this.changedReadings = changedReadings;
    this.changedResolutions = changedResolutions;
  }

  private @Nullable Reading readingOf(ObjectRef ref) {
    return changedReadings.containsKey(ref)
        ? changedReadings.get(ref)
        : ofSet.reading(ref.kind(), ref.name());
  }

  /**
   * The reading of the object {@code kind}/{@code name}, as {@link #readingOf(ObjectRef)}; a build
   * looks up every object of its set, and needs no {@code ObjectRef} for it unless changes were
   * applied in place.
   */
  private @Nullable Reading readingOf(String kind, String name) {
    return changedReadings.isEmpty()
        ? ofSet.reading(kind, name)
        : readingOf(new ObjectRef(kind, name));
  }

  private @Nullable Resolution resolutionOf(ParsedObject<ReceiverSpec> receiver) {
    Resolution changed = changedResolutions.get(receiver);
    return changed != null ? changed : ofSet.resolution(receiver);
  }

  /**
   * Whether the receiver {@code object} was read, as it is, and resolved without problems (those
   * naming other objects too, such as the settings' templates it was rendered with): a receiver of
   * the set this memo was recorded for that a change may remove in place.
   */
  public boolean resolvedCleanly(ConfigObject object) {
    ParsedObject<ReceiverSpec> parsed = readCleanly(object) ? receiverRead(object.ref()) : null;
    Resolution resolution = parsed == null ? null : resolutionOf(parsed);
    return resolution != null && resolution.problems().problems().isEmpty();
  }

  /** Whether {@code object} was read, as it is, to a result and without problems. */
  public boolean readCleanly(ConfigObject object) {
    Reading r = readingOf(object.ref());
    return r != null
        && r.result() != null
        && r.problems().problems().isEmpty()
        && (r.object() == object || r.object().equals(object));
  }

  /** The valid receiver {@code ref} as read; {@code null} when there is none. */
  @SuppressWarnings("unchecked")
  public @Nullable ParsedObject<ReceiverSpec> receiverRead(ObjectRef ref) {
    Reading r = readingOf(ref);
    return r != null
            && r.result() instanceof ParsedObject<?> parsed
            && parsed.spec() instanceof ReceiverSpec
        ? (ParsedObject<ReceiverSpec>) parsed
        : null;
  }

  /** Whether an object named {@code ref} was read (valid or not). */
  public boolean hasReading(ObjectRef ref) {
    return readingOf(ref) != null;
  }

  /**
   * How many results changes applied in place laid over the build's: the objects read again, or the
   * receivers resolved again (a config change resolves receivers it did not read), whichever is
   * more.
   */
  public int changed() {
    return Math.max(changedReadings.size(), changedResolutions.size());
  }

  /**
   * This memo after a change applied in place: {@code change}'s readings and resolutions over this
   * one's, and no reading for the objects of {@code removed}.
   */
  public BuildMemo withChange(Recorder change, Collection<ObjectRef> removed) {
    Map<ObjectRef, @Nullable Reading> changed = new HashMap<>(changedReadings);
    removed.forEach(ref -> changed.put(ref, null));
    changed.putAll(change.readings);
    Map<ParsedObject<ReceiverSpec>, Resolution> resolved =
        new IdentityHashMap<>(changedResolutions);
    // A receiver read again replaces its earlier version: without this, editing one receiver over
    // and over would keep every version's resolution, and the overlay's bound would count it once.
    resolved
        .keySet()
        .removeIf(r -> removed.contains(r.ref()) || change.readings.containsKey(r.ref()));
    resolved.putAll(change.resolutions);
    return new BuildMemo(ofSet, settingsObjects, templateMaps, changed, resolved);
  }

  /**
   * An object's reading: its result ({@code null} when invalid) and the problems found. A build
   * keeps its readings in {@link ResultsOfSet}'s arrays; this record holds a change's, and is how
   * either is looked at.
   */
  private record Reading(
      ConfigObject object, @Nullable Object result, SnapshotProblems.Recorded problems) {}

  /**
   * A receiver's resolution and what it was resolved against. A build keeps its resolutions in
   * {@link ResultsOfSet}'s arrays; this record holds a change's, and is how either is looked at.
   */
  private record Resolution(
      Destination destination,
      SnapshotProblems.Recorded problems,
      @Nullable ParsedObject<ConfigSpec> defaultConfig,
      List<ParsedObject<ConfigSpec>> selectable) {}

  /**
   * The readings and resolutions of one build's set by the objects' positions in it, and the
   * position of each name's first definition, which is also the build's duplicate check. An object
   * costs a slot in an {@code int} table sized once for the set, probed by its name's hash, and a
   * place in each array: no record, map node or key per object. The building thread files the
   * objects and writes the readings until the build's memo is made; resolutions are written by the
   * building thread and its helper, each at the positions of the receivers it resolves (a receiver
   * the helper gave up is written again by the build, after the helper let go of it), once the
   * objects are filed.
   */
  private static final class ResultsOfSet {
    private final List<ConfigObject> objects;

    /** A reading's problems by position; {@code null} where no reading was made. */
    private final SnapshotProblems.@Nullable Recorded[] readingProblems;

    private final @Nullable Object[] results;

    /** A resolution's destination by the receiver's position; {@code null} where none was made. */
    private final @Nullable Destination[] destinations;

    private final SnapshotProblems.@Nullable Recorded[] resolutionProblems;
    private final @Nullable ParsedObject<ConfigSpec>[] defaultConfigs;
    private final @Nullable List<ParsedObject<ConfigSpec>>[] selectables;

    /** Open addressing by name: a first definition's position plus one; 0 for a free slot. */
    private final int[] firstDefinitions;

    @SuppressWarnings("unchecked")
    private ResultsOfSet(List<ConfigObject> objects) {
      int n = objects.size();
      this.objects = objects;
      this.readingProblems = new SnapshotProblems.Recorded[n];
      this.results = new Object[n];
      this.destinations = new Destination[n];
      this.resolutionProblems = new SnapshotProblems.Recorded[n];
      this.defaultConfigs = (ParsedObject<ConfigSpec>[]) new ParsedObject<?>[n];
      this.selectables = (List<ParsedObject<ConfigSpec>>[]) new List<?>[n];
      // At most half full, so that a probe for a name meets few others.
      this.firstDefinitions = new int[n == 0 ? 1 : Integer.highestOneBit(n * 2 - 1) << 1];
    }

    /**
     * Whether the object at {@code position} is the first of its kind and name in the set; if so,
     * it is found by its name from now on.
     */
    boolean addFirst(int position) {
      ConfigObject o = objects.get(position);
      int slot = slotOf(o.kind(), o.metadata().name());
      if (firstDefinitions[slot] != 0) {
        return false;
      }
      firstDefinitions[slot] = position + 1;
      return true;
    }

    /** The position of the first definition of {@code kind}/{@code name}; -1 when there is none. */
    int positionOf(String kind, String name) {
      return firstDefinitions[slotOf(kind, name)] - 1;
    }

    /**
     * The reading of the first definition of {@code kind}/{@code name}; {@code null} when it was
     * not read.
     */
    @Nullable Reading reading(String kind, String name) {
      int position = positionOf(kind, name);
      return position < 0 || readingProblems[position] == null
          ? null
          : new Reading(objects.get(position), results[position], readingProblems[position]);
    }

    void setReading(
        int position, @Nullable Object result, SnapshotProblems.Recorded problemsFound) {
      results[position] = result;
      readingProblems[position] = problemsFound;
    }

    /**
     * The resolution of {@code receiver}, the result of the reading of its first definition here;
     * {@code null} when none was made.
     */
    @Nullable Resolution resolution(ParsedObject<ReceiverSpec> receiver) {
      ObjectRef ref = receiver.ref();
      int position = positionOf(ref.kind(), ref.name());
      Destination destination = position < 0 ? null : destinations[position];
      return destination == null || results[position] != receiver
          ? null
          : new Resolution(
              destination,
              resolutionProblems[position],
              defaultConfigs[position],
              selectables[position]);
    }

    void setResolution(
        int position,
        Destination destination,
        SnapshotProblems.Recorded problemsFound,
        @Nullable ParsedObject<ConfigSpec> defaultConfig,
        List<ParsedObject<ConfigSpec>> selectable) {
      destinations[position] = destination;
      resolutionProblems[position] = problemsFound;
      defaultConfigs[position] = defaultConfig;
      selectables[position] = selectable;
    }

    int resolutionCount() {
      int count = 0;
      for (Destination d : destinations) {
        count += d == null ? 0 : 1;
      }
      return count;
    }

    /**
     * The slot holding the first definition of {@code kind}/{@code name}, or the free one for it.
     */
    private int slotOf(String kind, String name) {
      int mask = firstDefinitions.length - 1;
      for (int slot = hash(kind, name) & mask; ; slot = (slot + 1) & mask) {
        int held = firstDefinitions[slot];
        if (held == 0) {
          return slot;
        }
        ConfigObject o = objects.get(held - 1);
        if (o.metadata().name().equals(name) && o.kind().equals(kind)) {
          return slot;
        }
      }
    }

    /**
     * The hash of a kind and name, mixed so that names differing in their last characters (as a
     * set's generated names do) spread over the whole table.
     */
    private static int hash(String kind, String name) {
      int h = (kind.hashCode() * 31 + name.hashCode()) * 0x9E3779B9;
      return h ^ (h >>> 16);
    }
  }

  /**
   * The number of receiver resolutions kept, for tests and benchmarks: a build's, plus those of
   * changes applied in place since.
   */
  public int resolutions() {
    return ofSet.resolutionCount() + changedResolutions.size();
  }

  /**
   * Starts the memo of a new build that may reuse this one's results.
   *
   * @param problems where the new build records its problems; reused results replay theirs
   * @param objects the objects of the new build's set, in the order it reads them
   */
  public Recorder next(SnapshotProblems problems, List<ConfigObject> objects) {
    return new Recorder(this, problems, new ResultsOfSet(objects));
  }

  /**
   * Starts recording a change of a few objects applied in place, whose results {@link #withChange}
   * lays over this memo.
   */
  public Recorder change(SnapshotProblems problems) {
    return new Recorder(this, problems, null);
  }

  /** Records one build's results, reusing the previous build's where they still hold. */
  public static final class Recorder {
    /**
     * How {@link #resolve} resolves a receiver it cannot reuse: one instance per resolver, where a
     * lambda capturing the receiver would be made for each of a build's receivers.
     */
    @FunctionalInterface
    public interface Resolve {
      Destination destination(
          ParsedObject<ReceiverSpec> receiver, Scope scope, @Nullable String tenant);
    }

    private final BuildMemo previous;
    private final SnapshotProblems problems;

    /**
     * A build's readings and resolutions, by the objects' positions in its set, shared with its
     * helper; {@code null} for a change.
     */
    private final @Nullable ResultsOfSet ofSet;

    /** A change's readings, by name; unused by a build and its helper. */
    private final Map<ObjectRef, Reading> readings;

    /** A change's resolutions; unused by a build and its helper. */
    private final Map<ParsedObject<ReceiverSpec>, Resolution> resolutions;

    private List<ConfigObject> settingsObjects = List.of();
    private List<ConfigObject> templateMaps = List.of();
    private boolean resolutionsReusable;

    private Recorder(BuildMemo previous, SnapshotProblems problems, @Nullable ResultsOfSet ofSet) {
      this.previous = previous;
      this.problems = problems;
      this.ofSet = ofSet;
      this.readings = ofSet == null ? new HashMap<>() : Map.of();
      this.resolutions = ofSet == null ? new IdentityHashMap<>() : Map.of();
    }

    /**
     * A recorder for a helper thread resolving receivers beside the build: it reuses what this one
     * may reuse and writes the resolutions it makes into this build's, at the positions of the
     * receivers it resolves, with the problems it finds recorded in {@code found}.
     */
    public Recorder forHelper(SnapshotProblems found) {
      Recorder helper = new Recorder(previous, found, ofSet);
      helper.settingsObjects = settingsObjects;
      helper.templateMaps = templateMaps;
      helper.resolutionsReusable = resolutionsReusable;
      return helper;
    }

    /**
     * Whether the object at {@code position} of this build's set is the first definition of its
     * kind and name there: the build's duplicate check, which also files the object for the next
     * build to find by its name.
     */
    public boolean firstDefinition(int position) {
      return buildReadings().addFirst(position);
    }

    /**
     * Whether the previous build read {@code object} (the first definition at {@code position} of
     * this build's set), or one equal to it, so that its reading holds: then it is this build's
     * too, its problems are reported again, and {@link #result} gives it. Otherwise the build reads
     * the object and {@link #record}s the reading.
     */
    public boolean reuse(int position, ConfigObject object) {
      Reading before =
          reusable(object, previous.readingOf(object.kind(), object.metadata().name()));
      if (before != null) {
        buildReadings().setReading(position, before.result(), before.problems());
      }
      return before != null;
    }

    /** The result of the reading at {@code position} that {@link #reuse} found. */
    @SuppressWarnings("unchecked")
    public <T> @Nullable T result(int position) {
      ResultsOfSet read = buildReadings();
      Objects.requireNonNull(read.readingProblems[position]);
      return (T) read.results[position];
    }

    /**
     * Records the reading of {@code object} at {@code position} of this build's set: its result,
     * with the problems reported since {@code mark}.
     */
    public void record(int position, ConfigObject object, @Nullable Object result, int mark) {
      buildReadings().setReading(position, result, problems.since(mark));
    }

    /**
     * The reading of {@code object} in a change: the previous build's when it read the same or an
     * equal object (its problems reported again), else {@code read}'s, recording the problems it
     * reports.
     */
    @SuppressWarnings("unchecked")
    public <T> @Nullable T read(ConfigObject object, Supplier<@Nullable T> read) {
      ObjectRef ref = object.ref();
      Reading before = reusable(object, previous.readingOf(ref));
      if (before != null) {
        readings.put(ref, before);
        return (T) before.result();
      }
      int mark = problems.mark();
      T result = read.get();
      readings.put(ref, new Reading(object, result, problems.since(mark)));
      return result;
    }

    /**
     * {@code before}, the previous build's reading of the name of {@code object}, when it read the
     * same or an equal object (its problems reported again); {@code null} when the object is to be
     * read.
     */
    private @Nullable Reading reusable(ConfigObject object, @Nullable Reading before) {
      if (before == null || (before.object() != object && !before.object().equals(object))) {
        return null;
      }
      problems.replay(before.problems());
      return before;
    }

    private ResultsOfSet buildReadings() {
      if (ofSet == null) {
        throw new IllegalStateException("a change's recorder reads objects by name");
      }
      return ofSet;
    }

    /**
     * Notes the objects every resolution depends on: the settings and the template {@code
     * ConfigMap}s. When they are those of the previous build, its resolutions may be reused.
     */
    public void resolvingAgainst(List<ConfigObject> settings, List<ConfigObject> templates) {
      this.settingsObjects = List.copyOf(settings);
      this.templateMaps = List.copyOf(templates);
      this.resolutionsReusable =
          sameObjects(settingsObjects, previous.settingsObjects)
              && sameObjects(templateMaps, previous.templateMaps);
    }

    /**
     * The destination of {@code receiver}: the previous build's when it resolved the same receiver
     * against the same default and selectable configs (its problems reported again), else {@code
     * resolve}'s.
     *
     * @param receiver the receiver as read by this build
     * @param position the receiver's position in this build's set; -1 in a change
     * @param defaultConfig the default of its config kind
     * @param selectable the configs its selector may choose from; empty when it has no selector
     * @param scope its scope, for {@code resolve}
     * @param tenant its tenant, for {@code resolve}; {@code null} for a global receiver
     * @param resolve resolves it, reporting its problems
     */
    public Destination resolve(
        ParsedObject<ReceiverSpec> receiver,
        int position,
        @Nullable ParsedObject<ConfigSpec> defaultConfig,
        List<ParsedObject<ConfigSpec>> selectable,
        Scope scope,
        @Nullable String tenant,
        Resolve resolve) {
      Resolution before = resolutionsReusable ? previous.resolutionOf(receiver) : null;
      if (before != null
          && before.defaultConfig() == defaultConfig
          && sameConfigs(before.selectable(), selectable)) {
        problems.replay(before.problems());
        keep(
            receiver,
            position,
            before.destination(),
            before.problems(),
            before.defaultConfig(),
            before.selectable());
        return before.destination();
      }
      int mark = problems.mark();
      Destination resolved = resolve.destination(receiver, scope, tenant);
      keep(
          receiver,
          position,
          resolved,
          problems.since(mark),
          defaultConfig,
          List.copyOf(selectable));
      return resolved;
    }

    private void keep(
        ParsedObject<ReceiverSpec> receiver,
        int position,
        Destination destination,
        SnapshotProblems.Recorded problemsFound,
        @Nullable ParsedObject<ConfigSpec> defaultConfig,
        List<ParsedObject<ConfigSpec>> selectable) {
      if (ofSet != null) {
        if (position < 0 || ofSet.results[position] != receiver) {
          throw new IllegalStateException(
              receiver.ref() + ": resolved by a build at position " + position + ", not its own");
        }
        ofSet.setResolution(position, destination, problemsFound, defaultConfig, selectable);
      } else {
        resolutions.put(
            receiver, new Resolution(destination, problemsFound, defaultConfig, selectable));
      }
    }

    /** The memo of this build, for the next. */
    public BuildMemo finish() {
      return new BuildMemo(buildReadings(), settingsObjects, templateMaps);
    }
  }

  private static boolean sameObjects(List<ConfigObject> a, List<ConfigObject> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i) && !a.get(i).equals(b.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** The same configs by identity, in any order (a selector's choice sorts them by name). */
  private static boolean sameConfigs(
      List<ParsedObject<ConfigSpec>> a, List<ParsedObject<ConfigSpec>> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (ParsedObject<ConfigSpec> c : a) {
      boolean found = false;
      for (ParsedObject<ConfigSpec> d : b) {
        found |= c == d;
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }
}
