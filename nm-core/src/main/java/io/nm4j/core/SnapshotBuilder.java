package io.nm4j.core;

import io.nm4j.core.internal.OwnedSecrets;
import io.nm4j.core.internal.Owner;
import io.nm4j.core.internal.snapshot.BuildMemo;
import io.nm4j.core.internal.snapshot.ConfigsByOwner;
import io.nm4j.core.internal.snapshot.LanguagePacks;
import io.nm4j.core.internal.snapshot.OwnerChecks;
import io.nm4j.core.internal.snapshot.ParsedObject;
import io.nm4j.core.internal.snapshot.ReadAhead;
import io.nm4j.core.internal.snapshot.ReceiverResolver;
import io.nm4j.core.internal.snapshot.ReceiverTemplates;
import io.nm4j.core.internal.snapshot.ResolvedReceivers;
import io.nm4j.core.internal.snapshot.RoutingTables;
import io.nm4j.core.internal.snapshot.SecretReader;
import io.nm4j.core.internal.snapshot.SettingsReader;
import io.nm4j.core.internal.snapshot.SnapshotProblems;
import io.nm4j.core.internal.snapshot.SpecParser;
import io.nm4j.core.internal.snapshot.TemplateSets;
import io.nm4j.core.internal.v2beta2.RoutingStages;
import io.nm4j.core.internal.v2beta2.V2beta2Objects;
import io.nm4j.core.internal.v2beta2.V2beta2Receivers;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.ConfigSpec;
import io.nm4j.spi.ObjectMeta;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Problem;
import io.nm4j.spi.ReceiverSpec;
import io.nm4j.spi.TemplateEngine;
import io.nm4j.spi.TenantResolver;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Validates a {@link ConfigSet} and precomputes the routing tables of a {@link Snapshot}, in named
 * steps: {@link #readObjects} sorts the set by kind and parses receivers and configs; {@link
 * #ownSecrets} reads the secrets with their owners; then {@link ConfigsByOwner#sort}, {@link
 * ReceiverResolver#resolve} and {@link RoutingTables#index} route it.
 *
 * <p>A build given the {@link BuildMemo} of the previous one reuses what that build computed for
 * the objects a change did not touch (see {@link BuildMemo} for what is reused and when), so the
 * next snapshot after one change costs little more than the steps that index the whole set. The
 * result is the snapshot a build from nothing makes: the same destinations, routing and problems.
 */
final class SnapshotBuilder {
  static final String SECRET_KIND = SecretReader.KIND;
  static final String ROLE_BINDING_KIND = "RoleBinding";
  static final String RBAC_API_VERSION = "rbac.authorization.k8s.io/v1";

  private final ChannelRegistry channels;
  private final String namespace;
  private final Owner.Egress egress;
  private final SnapshotProblems problems = new SnapshotProblems();
  private final SpecParser parser;
  private final @Nullable TemplateEngine templateEngine;
  private final Set<String> alsoReadSets = new HashSet<>();
  private final Inputs inputs;
  private final BuildMemo.Recorder memo;
  private final boolean cold;
  private boolean definedTwice;

  private SnapshotBuilder(Inputs inputs, BuildMemo previous, List<ConfigObject> objects) {
    this.inputs = inputs;
    this.templateEngine = inputs.templateEngine();
    this.channels = inputs.channels();
    this.namespace = inputs.namespace();
    this.egress = inputs.egress();
    this.parser = new SpecParser(channels, namespace, problems);
    this.memo = previous.next(problems, objects);
    this.cold = previous == BuildMemo.NONE;
  }

  /**
   * How a manager builds its snapshots: everything a build uses besides the set, kept with each
   * snapshot so the next one is built the same way.
   */
  record Inputs(
      ChannelRegistry channels,
      String namespace,
      @Nullable TenantResolver hostResolver,
      Clock clock,
      Owner.Egress egress,
      @Nullable TemplateEngine templateEngine,
      MessageDefaults messageDefaults) {}

  /**
   * The objects of a set by what they are, receivers and configs parsed, with the names of the
   * template sets the valid receivers name.
   *
   * @param receiverPositions the position in the set of each of {@code receivers}
   */
  private record ObjectsByKind(
      List<ConfigObject> settings,
      List<ConfigObject> roleBindings,
      List<ConfigObject> configMaps,
      List<SecretValues> secrets,
      List<ParsedObject<ReceiverSpec>> receivers,
      ReceiverResolver.IntList receiverPositions,
      List<ParsedObject<ConfigSpec>> configs,
      List<ConfigObject> v2beta2,
      Set<String> templateSetNames) {}

  /** A secret's values, read before the settings tell who owns it. */
  private record SecretValues(ConfigObject object, Map<String, byte[]> values) {}

  static Snapshot build(
      ConfigSet set,
      ChannelRegistry channels,
      String namespace,
      @Nullable TenantResolver hostResolver,
      Clock clock,
      Owner.Egress egress,
      @Nullable TemplateEngine templateEngine,
      MessageDefaults messageDefaults) {
    return build(
        set,
        new Inputs(
            channels, namespace, hostResolver, clock, egress, templateEngine, messageDefaults),
        BuildMemo.NONE);
  }

  /** The snapshot of {@code set}, reusing what {@code previous} computed where it still holds. */
  static Snapshot build(ConfigSet set, Inputs inputs, BuildMemo previous) {
    return new SnapshotBuilder(inputs, previous, set.objects())
        .run(set, inputs.hostResolver(), inputs.clock());
  }

  /**
   * The errors of one object in the context of a set: the set with {@code candidate} in place of
   * the object of its kind and name (or added), validated exactly as a snapshot validates it.
   * Problems of routing (which default wins, ambiguous selectors, a receiver without config) are
   * not errors of the object and are left out.
   */
  static List<Problem> validate(
      ConfigObject candidate,
      ConfigSet context,
      ChannelRegistry channels,
      String namespace,
      Instant now,
      Owner.Egress egress,
      @Nullable TemplateEngine templateEngine,
      MessageDefaults messageDefaults) {
    List<ConfigObject> objects = new ArrayList<>();
    for (ConfigObject o : context.objects()) {
      if (!o.ref().equals(candidate.ref())) {
        objects.add(o);
      }
    }
    objects.add(candidate);
    ConfigSet set = ConfigSet.of(objects);
    SnapshotBuilder b =
        new SnapshotBuilder(
            new Inputs(
                channels,
                namespace,
                null,
                Clock.fixed(now, ZoneOffset.UTC),
                egress,
                templateEngine,
                messageDefaults),
            BuildMemo.NONE,
            set.objects());
    if (candidate.kind().equals(TemplateSets.KIND)) {
      // A template set is checked when written, before any receiver names it.
      b.alsoReadSets.add(candidate.metadata().name());
      TemplateSets.checkWrite(candidate, templateEngine, b.problems);
    }
    b.run(set, null, Clock.fixed(now, ZoneOffset.UTC));
    return b.problems.errorsOf(candidate.ref());
  }

  private Snapshot run(ConfigSet set, @Nullable TenantResolver hostResolver, Clock clock) {
    problems.addAll(set.problems());
    ObjectsByKind objects = readObjects(set);
    ReceiverResolver.Sorting sorting =
        ReceiverResolver.sort(objects.receivers(), objects.receiverPositions(), cold);
    try {
      return route(set, objects, sorting, hostResolver, clock);
    } finally {
      sorting.finish();
    }
  }

  /**
   * The steps after reading: settings, v2beta2 objects, secrets, configs and templates, then the
   * receivers ({@code sorting} meanwhile, see {@link ReceiverResolver#sort}) and the routing
   * tables.
   */
  private Snapshot route(
      ConfigSet set,
      ObjectsByKind objects,
      ReceiverResolver.Sorting sorting,
      @Nullable TenantResolver hostResolver,
      Clock clock) {
    Settings settings =
        SettingsReader.read(
            objects.settings(),
            channels,
            namespace,
            parser,
            problems,
            inputs.messageDefaults().asTemplates());
    int v2beta2From = problems.mark();
    V2beta2Objects v2beta2 =
        V2beta2Objects.read(objects.v2beta2(), channels, settings, namespace, parser, problems);
    int v2beta2To = problems.mark();
    OwnedSecrets secrets = ownSecrets(objects.secrets(), v2beta2.inlineSecrets(), settings);
    OwnerChecks checks = new OwnerChecks(secrets, egress, problems);
    ConfigsByOwner configs = ConfigsByOwner.sort(objects.configs(), settings, checks, problems);
    memo.resolvingAgainst(objects.settings(), objects.configMaps());
    Set<String> namedSets = objects.templateSetNames();
    TemplateSets.addNamedIn(objects.settings(), objects.v2beta2(), namedSets);
    namedSets.addAll(alsoReadSets);
    TemplateSets sets = TemplateSets.read(objects.configMaps(), namedSets, settings, problems);
    ConfigObject settingsObject =
        objects.settings().stream()
            .min(Comparator.comparing(o -> o.metadata().name()))
            .orElse(null);
    ReceiverTemplates templates =
        new ReceiverTemplates(
            templateEngine,
            settings,
            sets,
            LanguagePacks.read(settingsObject, sets, problems),
            namespace,
            settingsObject == null ? null : settingsObject.ref(),
            problems);
    ResolvedReceivers receivers =
        new ReceiverResolver(settings, configs, checks, templates, problems, memo)
            .resolve(sorting, cold);
    List<V2beta2Receivers.Resolved> blocks =
        new V2beta2Receivers(settings, checks, templates, problems).resolve(v2beta2);
    V2beta2Receivers.Merged merged = V2beta2Receivers.merge(receivers, blocks);
    RoutingTables tables =
        RoutingTables.index(
            merged.receivers(),
            settings.tenantKey(),
            hostResolver,
            objects.roleBindings(),
            problems,
            cold);
    RoutingStages.Receivers stagedReceivers =
        RoutingStages.Receivers.of(
            tables.slots(), tables.slotsOfTenant(), blocks, merged.positions());
    RoutingStages stages = RoutingStages.of(stagedReceivers, v2beta2, settings);
    return new Snapshot(
        settings,
        tables,
        secrets,
        problems.all(),
        clock,
        stages,
        inputs,
        memo.finish(),
        new Snapshot.Basis(
            set.objects(),
            set.problems(),
            definedTwice,
            new Snapshot.Staging(
                stagedReceivers, v2beta2.readings(), v2beta2.configs(), v2beta2From, v2beta2To),
            new Snapshot.Resolving(configs, templates)));
  }

  /**
   * The routing stages after a change of v2beta2 Routers and Silences only, which nothing but the
   * stages depends on: only the changed Routers and Silences are read (every other v2beta2 object
   * keeps its reading and problems, in the set's order) and the stages are built on the receivers'
   * tables of the previous build, each unchanged router keeping the receivers it named. {@code
   * null} when the previous snapshot was not built with stages to reuse, or when a Router or
   * Silence is now defined twice.
   *
   * @param removed the Routers and Silences the change removed
   * @param added the Routers and Silences the change added
   */
  static @Nullable Snapshot restaged(
      Snapshot previous, ConfigSet set, List<ConfigObject> removed, List<ConfigObject> added) {
    Snapshot.Staging staging = previous.basis().staging();
    Inputs inputs = previous.inputs();
    if (staging == null || inputs == null) {
      return null;
    }
    Map<ConfigObject, V2beta2Objects.Reading> kept = new IdentityHashMap<>();
    for (V2beta2Objects.Reading r : staging.readings()) {
      kept.put(r.object(), r);
    }
    removed.forEach(kept::remove);
    List<ConfigObject> objects = inSetOrder(set, staging.readings(), kept, added);
    Set<ObjectRef> seen = new HashSet<>();
    for (ConfigObject o : objects) {
      if (!seen.add(o.ref())) {
        return null; // now defined twice: a build says which one is used
      }
    }
    List<V2beta2Objects.Reading> readings =
        V2beta2Objects.readAgain(
            objects,
            kept,
            inputs.channels(),
            previous.settings(),
            inputs.namespace(),
            read -> new SpecParser(inputs.channels(), inputs.namespace(), read));
    List<V2beta2Objects.RouterRule> routers = new ArrayList<>();
    List<V2beta2Objects.SilenceRule> silences = new ArrayList<>();
    List<Problem> before = previous.problems();
    List<Problem> problems = new ArrayList<>(before.size() + added.size());
    problems.addAll(before.subList(0, staging.problemsFrom()));
    for (V2beta2Objects.Reading r : readings) {
      problems.addAll(r.problems());
      if (r.router() != null) {
        routers.add(r.router());
      }
      if (r.silence() != null) {
        silences.add(r.silence());
      }
    }
    int problemsTo = problems.size();
    problems.addAll(before.subList(staging.problemsTo(), before.size()));
    RoutingStages previousStages = previous.stages();
    RoutingStages stages =
        previousStages != null
            ? previousStages.withRoutersAndSilences(routers, silences, previous.settings())
            : RoutingStages.of(staging.receivers(), routers, silences, previous.settings());
    return previous.restaged(
        set,
        stages,
        problems,
        new Snapshot.Staging(
            staging.receivers(), readings, staging.configs(), staging.problemsFrom(), problemsTo));
  }

  /**
   * The set's v2beta2 objects after a change, in the set's order. A change keeps the order of the
   * objects it did not touch (as the problems it keeps from the build before assume), so only where
   * the added ones lie needs finding: the set is walked from both ends at once until every added
   * object is found, which stops early where a source puts new and changed objects (at the end, or
   * in place near it), and the kept objects between the two walks keep the order they had.
   */
  static List<ConfigObject> inSetOrder(
      ConfigSet set,
      List<V2beta2Objects.Reading> before,
      Map<ConfigObject, V2beta2Objects.Reading> kept,
      List<ConfigObject> added) {
    List<ConfigObject> all = set.objects();
    Set<ConfigObject> missing = Collections.newSetFromMap(new IdentityHashMap<>());
    missing.addAll(added);
    List<ConfigObject> head = new ArrayList<>();
    List<ConfigObject> tail = new ArrayList<>();
    Set<ConfigObject> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    int from = 0;
    int to = all.size();
    while (!missing.isEmpty() && from < to) {
      ConfigObject first = all.get(from++);
      if (missing.remove(first) || kept.containsKey(first)) {
        head.add(first);
        seen.add(first);
      }
      if (from < to) {
        ConfigObject last = all.get(--to);
        if (missing.remove(last) || kept.containsKey(last)) {
          tail.add(last);
          seen.add(last);
        }
      }
    }
    List<ConfigObject> objects = new ArrayList<>(kept.size() + added.size());
    objects.addAll(head);
    for (V2beta2Objects.Reading r : before) {
      if (kept.containsKey(r.object()) && !seen.contains(r.object())) {
        objects.add(r.object());
      }
    }
    Collections.reverse(tail);
    objects.addAll(tail);
    return objects;
  }

  /**
   * Sorts the set's objects by kind, parsing receivers and configs; an object defined twice, in
   * another namespace, of another API version or of an unknown kind is reported and left out.
   */
  private ObjectsByKind readObjects(ConfigSet set) {
    List<ConfigObject> all = set.objects();
    // Receivers are most of a large set: their lists get room for the whole set at once rather
    // than growing through a copy after copy of tens of thousands of entries.
    ObjectsByKind objects =
        new ObjectsByKind(
            new ArrayList<>(),
            new ArrayList<>(),
            new ArrayList<>(),
            new ArrayList<>(),
            new ArrayList<>(all.size()),
            new ReceiverResolver.IntList(all.size()),
            new ArrayList<>(),
            new ArrayList<>(),
            new HashSet<>());
    // Receivers name template sets only to choose which ConfigMaps are read, and most large sets
    // have none: the names are taken as receivers are read once the set has shown a ConfigMap, and
    // from the receivers read before it at the end.
    int receiversBeforeConfigMaps = -1;
    // A build after a change reuses most readings, so only a cold build parses ahead.
    ReadAhead ahead = cold ? ReadAhead.start(all, channels, namespace) : ReadAhead.none();
    try {
      for (int i = 0; i < all.size(); i++) {
        ConfigObject o = all.get(i);
        String kind = o.kind();
        if (kind.equals(ROLE_BINDING_KIND) && o.apiVersion().equals(RBAC_API_VERSION)) {
          objects.roleBindings().add(o);
          continue;
        }
        // An ObjectRef is made only where a problem is reported: most objects have none.
        if (!memo.firstDefinition(i)) {
          definedTwice = true;
          problems.error(
              o.ref(),
              "metadata.name",
              "defined twice (again in " + o.origin() + "); the first is used");
          continue;
        }
        if (!inNamespace(o)) {
          continue;
        }
        ChannelProvider<?, ?> receiverChannel = channels.forReceiverKind(kind);
        // Only a kind no receiver has can be a config's: most objects of a set need one lookup.
        ChannelProvider<?, ?> configChannel =
            receiverChannel == null ? channels.forConfigKind(kind) : null;
        if (o.apiVersion().equals(ConfigObject.API_VERSION_V2BETA2)
            && V2beta2Objects.KINDS.contains(kind)) {
          objects.v2beta2().add(o);
        } else if (kind.equals(TemplateSets.KIND) && o.apiVersion().equals("v1")) {
          if (receiversBeforeConfigMaps < 0) {
            receiversBeforeConfigMaps = objects.receivers().size();
          }
          objects.configMaps().add(o);
        } else if (kind.equals(SECRET_KIND) && o.apiVersion().equals("v1")) {
          Map<String, byte[]> values = read(i, o, ahead, null, null);
          objects.secrets().add(new SecretValues(o, Objects.requireNonNull(values)));
        } else if (kind.equals(Settings.KIND)) {
          if (o.apiVersion().equals(ConfigObject.API_VERSION_V2BETA2) || checkApiVersion(o)) {
            objects.settings().add(o);
          }
        } else if (receiverChannel != null) {
          if (checkApiVersion(o)) {
            ParsedObject<ReceiverSpec> receiver = read(i, o, ahead, receiverChannel, null);
            if (receiver != null) {
              objects.receivers().add(receiver);
              objects.receiverPositions().add(i);
              if (receiversBeforeConfigMaps >= 0) {
                TemplateSets.addNamedBy(receiver, objects.templateSetNames());
              }
            }
          }
        } else if (configChannel != null) {
          if (checkApiVersion(o)) {
            addIfValid(read(i, o, ahead, null, configChannel), objects.configs());
          }
        } else {
          problems.error(
              o.ref(),
              "kind",
              "unknown kind \""
                  + kind
                  + "\" ("
                  + o.apiVersion()
                  + "); known kinds: "
                  + String.join(", ", knownKinds()));
        }
      }
    } finally {
      ahead.finish();
    }
    for (int i = 0; i < receiversBeforeConfigMaps; i++) {
      TemplateSets.addNamedBy(objects.receivers().get(i), objects.templateSetNames());
    }
    return objects;
  }

  /**
   * The reading of the receiver, config or secret at {@code index} of the set: the previous build's
   * when it still holds, else the one read ahead or read here, recorded in the memo. Written out
   * rather than passed as a function, so that reading an object allocates only what it reads.
   *
   * @param receiverChannel the channel of a receiver; {@code null} for a config or secret
   * @param configChannel the channel of a config; {@code null} for a receiver or secret
   */
  @SuppressWarnings("unchecked")
  private <T> @Nullable T read(
      int index,
      ConfigObject o,
      ReadAhead ahead,
      @Nullable ChannelProvider<?, ?> receiverChannel,
      @Nullable ChannelProvider<?, ?> configChannel) {
    if (memo.reuse(index, o)) {
      return memo.result(index);
    }
    int mark = problems.mark();
    ReadAhead.Read readAhead = ahead.take(index);
    Object result;
    if (readAhead != null) {
      problems.replay(readAhead.problems());
      result = readAhead.result();
    } else if (receiverChannel != null) {
      result = parser.receiver(o, receiverChannel);
    } else if (configChannel != null) {
      result = parser.config(o, configChannel);
    } else {
      result = SecretReader.read(o, problems);
    }
    memo.record(index, o, result, mark);
    return (T) result;
  }

  private static <T> void addIfValid(@Nullable T parsed, List<T> into) {
    if (parsed != null) {
      into.add(parsed);
    }
  }

  /** The secrets' values with their owners, which the settings' tenant key decides. */
  private static OwnedSecrets ownSecrets(
      List<SecretValues> secrets, Map<String, Map<String, byte[]>> inline, Settings settings) {
    OwnedSecrets.Builder owned = OwnedSecrets.builder(inline.size() + secrets.size());
    inline.forEach((name, values) -> owned.addInline(name, Owner.ADMIN, values));
    for (SecretValues s : secrets) {
      ObjectMeta meta = s.object().metadata();
      owned.add(meta.name(), Owner.ofSecret(meta.labels(), settings), s.values());
    }
    return owned.build();
  }

  private List<String> knownKinds() {
    List<String> kinds = new ArrayList<>(channels.kinds());
    kinds.add(Settings.KIND);
    V2beta2Objects.KINDS.stream()
        .sorted()
        .forEach(k -> kinds.add(ConfigObject.API_VERSION_V2BETA2 + "/" + k));
    kinds.add("v1/" + SECRET_KIND);
    kinds.add("v1/" + TemplateSets.KIND);
    kinds.add(RBAC_API_VERSION + "/" + ROLE_BINDING_KIND);
    return kinds;
  }

  private boolean inNamespace(ConfigObject o) {
    String ns = o.metadata().namespace();
    if (ns.isEmpty() || ns.equals(namespace)) {
      return true;
    }
    problems.error(
        o.ref(),
        "metadata.namespace",
        "must be \"" + namespace + "\" (the namespace nm4j reads), was \"" + ns + "\"");
    return false;
  }

  private boolean checkApiVersion(ConfigObject o) {
    if (o.apiVersion().equals(ConfigObject.API_VERSION)) {
      return true;
    }
    problems.error(
        o.ref(),
        "apiVersion",
        "must be " + ConfigObject.API_VERSION + ", was \"" + o.apiVersion() + "\"");
    return false;
  }
}
