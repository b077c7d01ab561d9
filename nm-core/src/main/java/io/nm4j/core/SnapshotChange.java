package io.nm4j.core;

import io.nm4j.core.internal.OwnedSecrets;
import io.nm4j.core.internal.Owner;
import io.nm4j.core.internal.snapshot.BuildMemo;
import io.nm4j.core.internal.snapshot.ConfigsByOwner;
import io.nm4j.core.internal.snapshot.OwnerChecks;
import io.nm4j.core.internal.snapshot.ParsedObject;
import io.nm4j.core.internal.snapshot.ReceiverResolver;
import io.nm4j.core.internal.snapshot.RoutingTables;
import io.nm4j.core.internal.snapshot.SecretReader;
import io.nm4j.core.internal.snapshot.SetDelta;
import io.nm4j.core.internal.snapshot.Slots;
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
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Problem;
import io.nm4j.spi.ReceiverSpec;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The next snapshot after a change whose dependants are few enough to update in place: RoleBindings
 * (the namespaces they are in), rotated secret values (the secrets themselves), v2beta2 Routers and
 * Silences (the routing stages), tenant receivers (their tenants' namespaces), global receivers
 * (the global targets alone, which routing merges into each namespace it reads), configs (the
 * receivers that may select them; an edited default, the receivers bound to it, bound anew) and
 * v2beta2 Receivers and tenants' Configs (that tenant's Receivers; a global Receiver, the global
 * targets; one reachable only through a Router, the routing stages; an edited default Config, the
 * blocks bound to it, bound anew; an admin's, itself). Everything else the snapshot holds is shared
 * with the one before. Any other change, or one of these that may change an outcome beyond them (a
 * secret gaining an owner or a key, an object defined twice, a receiver with problems), is left to
 * {@link SnapshotBuilder}, which reuses each unchanged object's reading and resolution.
 */
final class SnapshotChange {
  private SnapshotChange() {}

  /** The snapshot of {@code set} after {@code previous}, or {@code null} when it takes a build. */
  static @Nullable Snapshot apply(Snapshot previous, ConfigSet set) {
    Snapshot.Basis basis = previous.basis();
    SnapshotBuilder.Inputs inputs = previous.inputs();
    if (inputs == null || !set.problems().equals(basis.setProblems())) {
      return null; // the source's problems lead the snapshot's; a build places them
    }
    ConfigSet.Change change = SetDelta.between(basis.objects(), set);
    if (change == null) {
      return null;
    }
    if (basis.definedTwice()) {
      return null; // even a reordering may change which copy is used
    }
    List<ConfigObject> removed = change.removed();
    List<ConfigObject> added = change.added();
    if (allRoleBindings(removed) && allRoleBindings(added)) {
      // RoleBindings are never read into problems: they only say who the tenants of a namespace
      // are.
      return previous.following(
          set, previous.tables().withRoleBindings(removed, added), previous.secrets());
    }
    if (allStaging(removed, inputs.namespace()) && allStaging(added, inputs.namespace())) {
      return SnapshotBuilder.restaged(previous, set, removed, added);
    }
    if (allV2beta2ReceiversOrConfigs(removed, inputs.namespace())
        && allV2beta2ReceiversOrConfigs(added, inputs.namespace())) {
      return v2beta2ReceiversChanged(previous, set, removed, added, inputs);
    }
    if (allChannelObjects(removed, inputs, true) && allChannelObjects(added, inputs, true)) {
      return receiversChanged(previous, set, removed, added, inputs);
    }
    if (allChannelObjects(removed, inputs, false) && allChannelObjects(added, inputs, false)) {
      return configsChanged(previous, set, removed, added, inputs);
    }
    OwnedSecrets secrets = rotatedSecrets(previous, inputs.namespace(), removed, added);
    return secrets == null ? null : previous.following(set, previous.tables(), secrets);
  }

  /**
   * Whether each object is a v1alpha1 receiver ({@code receivers}) or config of a known kind a
   * build would read.
   */
  private static boolean allChannelObjects(
      List<ConfigObject> objects, SnapshotBuilder.Inputs inputs, boolean receivers) {
    for (ConfigObject o : objects) {
      String ns = o.metadata().namespace();
      ChannelRegistry channels = inputs.channels();
      if (!o.apiVersion().equals(ConfigObject.API_VERSION)
          || (receivers ? channels.forReceiverKind(o.kind()) : channels.forConfigKind(o.kind()))
              == null
          || !(ns.isEmpty() || ns.equals(inputs.namespace()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The snapshot after v1alpha1 receivers were added, changed or removed, applied in place: only
   * the changed receivers are read and resolved (against the configs, templates and secrets of the
   * build before), a new receiver takes a new slot and a removed one leaves its slot empty (see
   * {@link Slots}), and only the namespaces of the changed receivers' tenants and the routing
   * stages' per-receiver tables are derived again; when a global receiver changes, the global
   * targets are edited (its slot dropped or merged in by rank) and no namespace is: each holds its
   * tenants' receivers alone, and routing merges the global ones in. {@code null}, for a build,
   * when the change may reach further or its problems may differ from the snapshot's:
   *
   * <ul>
   *   <li>a changed receiver has a problem, before or after (a build places problems; a change
   *       applied in place keeps the snapshot's as they are, so it must neither add nor drop one);
   *   <li>the settings' templates of a channel kind report problems (they are reported before the
   *       first receiver of the kind, which a change may move), or no receiver of the kind rendered
   *       without problems and template fields yet, or a changed receiver has template fields of
   *       its own or names a template {@code ConfigMap} (its templates are read and compiled by a
   *       build, which checks them in context);
   *   <li>an added receiver is named like an object the set has already (defined twice);
   *   <li>too many changes were applied in place since the last build ({@link
   *       BuildMemo#MAX_CHANGED}, {@link Slots#MAX_EMPTY}).
   * </ul>
   */
  private static @Nullable Snapshot receiversChanged(
      Snapshot previous,
      ConfigSet set,
      List<ConfigObject> removed,
      List<ConfigObject> added,
      SnapshotBuilder.Inputs inputs) {
    Snapshot.Resolving resolving = resolvingInPlace(previous, removed.size() + added.size());
    BuildMemo memo = previous.memo();
    Slots slots = previous.tables().slots();
    if (resolving == null || slots.empty() + removed.size() > Slots.MAX_EMPTY) {
      return null;
    }
    Set<String> changedRefs = new HashSet<>();
    Map<ObjectRef, ConfigObject> removedByRef = new HashMap<>();
    for (ConfigObject o : removed) {
      if (removedByRef.put(o.ref(), o) != null || !memo.resolvedCleanly(o)) {
        return null;
      }
      changedRefs.add(o.ref().toString());
    }
    Set<ObjectRef> addedRefs = new HashSet<>();
    for (ConfigObject o : added) {
      if (!addedRefs.add(o.ref())
          || (!removedByRef.containsKey(o.ref()) && memo.hasReading(o.ref()))) {
        return null; // defined twice
      }
      changedRefs.add(o.ref().toString());
    }
    if (settingsTemplatesReportedProblems(previous, resolving)) {
      return null;
    }
    for (Problem p : previous.problems()) {
      if (changedRefs.contains(p.object())) {
        return null;
      }
    }
    Settings settings = previous.settings();
    SnapshotProblems found = new SnapshotProblems();
    BuildMemo.Recorder change = memo.change(found);
    SpecParser parser = new SpecParser(inputs.channels(), inputs.namespace(), found);
    ReceiverResolver resolver =
        new ReceiverResolver(
            settings,
            resolving.configs(),
            new OwnerChecks(previous.secrets(), inputs.egress(), found),
            resolving.templates(),
            found,
            change);
    List<Destination> resolved = new ArrayList<>(added.size());
    for (ConfigObject o : added) {
      ChannelProvider<?, ?> provider =
          Objects.requireNonNull(inputs.channels().forReceiverKind(o.kind()));
      ParsedObject<ReceiverSpec> receiver = change.read(o, () -> parser.receiver(o, provider));
      if (receiver == null || !found.all().isEmpty()) {
        return null;
      }
      Set<String> namedSets = new HashSet<>();
      TemplateSets.addNamedBy(receiver, namedSets);
      if (!namedSets.isEmpty()
          || !resolving.templates().rendersShared(provider, "spec", o.spec())) {
        return null;
      }
      Destination d = resolver.resolveOne(receiver);
      if (d == null || !found.all().isEmpty()) {
        return null;
      }
      resolved.add(d);
    }
    Slots.TenantEdits edits = new Slots.TenantEdits();
    List<Integer> replacedSlots = new ArrayList<>();
    List<Destination> replacements = new ArrayList<>();
    List<Integer> emptied = new ArrayList<>();
    for (ConfigObject o : removed) {
      int slot = slots.slotOf(o.ref());
      Destination before = slot < 0 ? null : slots.at(slot);
      if (before == null) {
        return null;
      }
      edits.remove(before, slot);
      if (!addedRefs.contains(o.ref())) {
        emptied.add(slot);
      }
    }
    List<Destination> fresh = new ArrayList<>();
    for (Destination d : resolved) {
      if (removedByRef.containsKey(d.receiver())) {
        replacedSlots.add(slots.slotOf(d.receiver()));
        replacements.add(d);
      } else {
        fresh.add(d);
      }
    }
    Slots after = slots.with(ints(replacedSlots), replacements, ints(emptied), fresh);
    for (int i = 0; i < replacedSlots.size(); i++) {
      edits.add(replacements.get(i), replacedSlots.get(i));
    }
    for (int i = 0; i < fresh.size(); i++) {
      edits.add(fresh.get(i), slots.size() + i);
    }
    Set<ObjectRef> gone = new HashSet<>(removedByRef.keySet());
    gone.removeAll(addedRefs);
    return withReceivers(previous, set, after, edits, memo.withChange(change, gone), resolving);
  }

  /**
   * The snapshot after v2beta2 {@code Receiver}s (a tenant's, global or reachable only through a
   * {@code Router}) or tenants' {@code Config}s were added, changed or removed, applied in place:
   * only the changed Receivers are read and their blocks resolved (against the {@code Config}
   * blocks of their tenant and the defaults, the templates and the secrets of the build before); a
   * changed {@code Config} is read and checked, and every Receiver of its tenant, before and after,
   * is read and resolved again, as no other Receiver may select it (a global or router-only one
   * selects among the defaults alone). Each block takes a slot as a changed v1alpha1 receiver does
   * ({@link Slots}), the namespaces of the changed blocks' tenants are derived again (for a global
   * block, the global targets alone, as for a global v1alpha1 receiver; for a router-only block,
   * labelled neither global nor a tenant's, neither, as it is in no namespace's targets), and the
   * routing stages are built again on the edited receivers' tables, every router's targets computed
   * anew (a router may name a changed block by name, pattern, labels or tenant). Their readings,
   * which report nothing, take their place in the set's order. {@code null}, for a build, when the
   * change may reach further or its problems may differ from the snapshot's:
   *
   * <ul>
   *   <li>a changed Receiver has a problem, before or after, reading or resolving it (among them a
   *       selector that matches none of its tenant's configs, or no config at all);
   *   <li>a changed {@code Config} is a default, before or after (every Receiver whose tenant has
   *       none of its own may take it), or neither a default nor a tenant's (a notice says no one
   *       selects it), and {@link #defaultOrAdminConfigsEdited} cannot apply it; or a tenant's has
   *       a problem before or after;
   *   <li>it holds a credential value inline (that becomes a secret of the snapshot);
   *   <li>a block, before or after, has template fields of its own (naming a template {@code
   *       ConfigMap} among them), or one after renders with options no receiver of its channel
   *       computed yet; or the settings' templates of a channel kind report problems;
   *   <li>an added Receiver is named like one the set has already (defined twice);
   *   <li>too many slots were left empty since the last build ({@link Slots#MAX_EMPTY}).
   * </ul>
   */
  private static @Nullable Snapshot v2beta2ReceiversChanged(
      Snapshot previous,
      ConfigSet set,
      List<ConfigObject> removedObjects,
      List<ConfigObject> addedObjects,
      SnapshotBuilder.Inputs inputs) {
    Snapshot.Staging staging = previous.basis().staging();
    Snapshot.Resolving resolving = previous.basis().resolving();
    if (staging == null
        || resolving == null
        || settingsTemplatesReportedProblems(previous, resolving)) {
      return null;
    }
    Settings settings = previous.settings();
    List<ConfigObject> removed = removedObjects;
    List<ConfigObject> added = addedObjects;
    Set<String> configTenants = new HashSet<>();
    for (List<ConfigObject> objects : List.of(removed, added)) {
      for (ConfigObject o : objects) {
        if (!o.kind().equals(V2beta2Objects.CONFIG)) {
          continue;
        }
        String tenant = tenantOfConfig(o, settings);
        if (tenant == null) {
          return defaultOrAdminConfigsEdited(
              previous, set, removedObjects, addedObjects, inputs, staging, resolving);
        }
        configTenants.add(tenant);
      }
    }
    if (!configTenants.isEmpty()) {
      // Every Receiver of those tenants may select a changed Config, before or after: each is
      // read and resolved again, as if removed and added unchanged.
      List<ConfigObject> selecting = receiversOf(configTenants, staging, removed, settings);
      removed = new ArrayList<>(removedObjects);
      removed.addAll(selecting);
      added = new ArrayList<>(addedObjects);
      added.addAll(selecting);
    }
    Map<ConfigObject, V2beta2Objects.Reading> kept = new IdentityHashMap<>();
    Set<ObjectRef> keptRefs = new HashSet<>();
    for (V2beta2Objects.Reading r : staging.readings()) {
      kept.put(r.object(), r);
      keptRefs.add(r.object().ref());
    }
    Set<String> changedRefs = new HashSet<>();
    Set<ObjectRef> removedRefs = new HashSet<>();
    for (ConfigObject o : removed) {
      V2beta2Objects.Reading before = kept.remove(o);
      if (before == null || !before.problems().isEmpty() || !removedRefs.add(o.ref())) {
        return null;
      }
      keptRefs.remove(o.ref());
      changedRefs.add(o.ref().toString());
    }
    Set<ObjectRef> addedRefs = new HashSet<>();
    for (ConfigObject o : added) {
      if (!addedRefs.add(o.ref()) || keptRefs.contains(o.ref())) {
        return null; // defined twice
      }
      changedRefs.add(o.ref().toString());
    }
    for (Problem p : previous.problems()) {
      if (changedRefs.contains(objectOf(p))) {
        return null;
      }
    }
    SnapshotProblems found = new SnapshotProblems();
    ReadCleanly read = ReadCleanly.of(removed, added, inputs, settings, found);
    if (read == null) {
      return null;
    }
    V2beta2Objects before = read.before();
    V2beta2Objects after = read.after();
    List<V2beta2Objects.Reading> readings = new ArrayList<>(kept.size() + added.size());
    Map<ConfigObject, V2beta2Objects.Reading> now = new IdentityHashMap<>(kept);
    after.readings().forEach(r -> now.put(r.object(), r));
    for (ConfigObject o : SnapshotBuilder.inSetOrder(set, staging.readings(), kept, added)) {
      readings.add(Objects.requireNonNull(now.get(o)));
    }
    for (V2beta2Objects.ReceiverBlock b : before.receivers()) {
      if (!b.templates().isEmpty()) {
        return null; // the template ConfigMap it named may no longer be read by a build
      }
    }
    List<V2beta2Objects.ConfigBlock> configs =
        configTenants.isEmpty()
            ? staging.configs()
            : configsAfter(staging.configs(), before, after, readings);
    // A changed Config's tenant is passed even without Receivers: its Configs are checked.
    Set<String> tenants = new HashSet<>(configTenants);
    for (V2beta2Objects.ReceiverBlock b : after.receivers()) {
      String block = b.receiver().provider().description().block();
      Map<String, String> labels = b.receiver().labels();
      if (!b.templates().isEmpty()
          || !resolving
              .templates()
              .rendersShared(b.receiver().provider(), "spec." + block, Map.of())) {
        return null;
      }
      String tenant = labels.get(settings.tenantKey());
      if (tenant != null && settings.tenantReceiverSelector().matches(labels)) {
        tenants.add(tenant);
      }
    }
    List<V2beta2Receivers.Resolved> resolved =
        new V2beta2Receivers(
                settings,
                new OwnerChecks(previous.secrets(), inputs.egress(), found),
                resolving.templates(),
                found)
            .resolve(selectableBy(configs, tenants, settings), after.receivers());
    if (!found.all().isEmpty()) {
      return null;
    }
    Slots slots = previous.tables().slots();
    Slots.TenantEdits edits = new Slots.TenantEdits();
    Set<ObjectRef> gone = new HashSet<>();
    Set<ObjectRef> kept2 = new HashSet<>();
    for (V2beta2Receivers.Resolved r : resolved) {
      kept2.add(r.destination().receiver());
    }
    List<Integer> emptied = new ArrayList<>();
    for (V2beta2Objects.ReceiverBlock b : before.receivers()) {
      ObjectRef ref = b.receiver().ref();
      int slot = slots.slotOf(ref);
      Destination was = slot < 0 ? null : slots.at(slot);
      if (was == null) {
        return null;
      }
      gone.add(ref);
      if (was.tenant() != null || isGlobal(previous.tables(), slot)) {
        edits.remove(was, slot); // a router-only block is in no tenant's slots nor the globals
      }
      if (!kept2.contains(ref)) {
        emptied.add(slot);
      }
    }
    if (slots.empty() + emptied.size() > Slots.MAX_EMPTY) {
      return null;
    }
    List<Integer> replacedSlots = new ArrayList<>();
    List<Destination> replacements = new ArrayList<>();
    List<Destination> fresh = new ArrayList<>();
    int[] positions = new int[resolved.size()];
    for (int i = 0; i < resolved.size(); i++) {
      Destination d = resolved.get(i).destination();
      if (gone.contains(d.receiver())) {
        positions[i] = slots.slotOf(d.receiver());
        replacedSlots.add(positions[i]);
        replacements.add(d);
      } else {
        positions[i] = slots.size() + fresh.size();
        fresh.add(d);
      }
      if (resolved.get(i).tenantRouted()) {
        edits.add(d, positions[i]);
      }
    }
    Slots next = slots.with(ints(replacedSlots), replacements, ints(emptied), fresh);
    RoutingStages.Receivers receivers =
        staging.receivers().withV2beta2(next, edits, gone, resolved, positions);
    List<V2beta2Objects.RouterRule> routers = new ArrayList<>();
    List<V2beta2Objects.SilenceRule> silences = new ArrayList<>();
    for (V2beta2Objects.Reading r : readings) {
      if (r.router() != null) {
        routers.add(r.router());
      }
      if (r.silence() != null) {
        silences.add(r.silence());
      }
    }
    return previous.withReceivers(
        set,
        previous.tables().withEdits(next, edits),
        RoutingStages.of(receivers, routers, silences, settings),
        new Snapshot.Staging(
            receivers, readings, configs, staging.problemsFrom(), staging.problemsTo()),
        previous.memo(),
        resolving);
  }

  /**
   * The snapshot after default or admin v2beta2 {@code Config}s were edited, applied in place: each
   * is read and checked as a build reads and checks it, and the receiver blocks bound to one of its
   * blocks are bound to the edited block in their slots ({@link #rebound}), nothing else resolved
   * again. A block chooses among the defaults by their labels (the default selector, {@code
   * priority}) and names alone, and an admin's {@code Config} is never chosen, so when each edited
   * one keeps its name, labels and channel blocks every block chooses the config it chose before
   * and reports what it reported; its scope, tenant, rendering and checks depend on its receiver
   * alone. An admin's {@code Config} keeps its one notice per block (no receiver selects it), in
   * the same place. {@code null}, for a build, when:
   *
   * <ul>
   *   <li>the change holds anything but such edits: another object, a {@code Config} added,
   *       removed, renamed or relabelled, an admin's moved in the set's order (a default has no
   *       problem to move), or one that gains or loses a channel block (which blocks take a
   *       default, or which notices are reported and where, may change);
   *   <li>an edited {@code Config} has a problem, before or after, reading or checking it (but an
   *       admin's notice that no receiver selects it), or holds a credential value inline (that
   *       becomes a secret of the snapshot).
   * </ul>
   */
  private static @Nullable Snapshot defaultOrAdminConfigsEdited(
      Snapshot previous,
      ConfigSet set,
      List<ConfigObject> removed,
      List<ConfigObject> added,
      SnapshotBuilder.Inputs inputs,
      Snapshot.Staging staging,
      Snapshot.Resolving resolving) {
    Settings settings = previous.settings();
    if (removed.size() != added.size()) {
      return null;
    }
    Map<ObjectRef, ConfigObject> removedByRef = new HashMap<>();
    for (ConfigObject o : removed) {
      if (!o.kind().equals(V2beta2Objects.CONFIG)
          || tenantOfConfig(o, settings) != null
          || removedByRef.put(o.ref(), o) != null) {
        return null;
      }
    }
    Set<String> changedRefs = new HashSet<>();
    Set<String> adminRefs = new HashSet<>();
    for (ConfigObject o : added) {
      ConfigObject was = removedByRef.remove(o.ref());
      if (was == null
          || !o.kind().equals(V2beta2Objects.CONFIG)
          || !was.metadata().labels().equals(o.metadata().labels())) {
        return null;
      }
      changedRefs.add(o.ref().toString());
      if (!ConfigsByOwner.isDefault(o.metadata().labels(), settings)) {
        adminRefs.add(o.ref().toString());
      }
    }
    Map<ConfigObject, V2beta2Objects.Reading> kept = new IdentityHashMap<>();
    for (V2beta2Objects.Reading r : staging.readings()) {
      kept.put(r.object(), r);
    }
    for (ConfigObject o : removed) {
      V2beta2Objects.Reading before = kept.remove(o);
      if (before == null || !before.problems().isEmpty()) {
        return null;
      }
    }
    for (Problem p : previous.problems()) {
      String ref = objectOf(p);
      if (changedRefs.contains(ref)
          && !(adminRefs.contains(ref)
              && p.severity() == Problem.Severity.NOTICE
              && p.field().equals("metadata.labels"))) {
        return null;
      }
    }
    SnapshotProblems found = new SnapshotProblems();
    ReadCleanly read = ReadCleanly.of(removed, added, inputs, settings, found);
    if (read == null || !blocksByConfig(read.before()).equals(blocksByConfig(read.after()))) {
      return null;
    }
    V2beta2Objects before = read.before();
    V2beta2Objects after = read.after();
    Map<ConfigObject, V2beta2Objects.Reading> now = new IdentityHashMap<>(kept);
    after.readings().forEach(r -> now.put(r.object(), r));
    List<V2beta2Objects.Reading> readings = new ArrayList<>(staging.readings().size());
    for (ConfigObject o : SnapshotBuilder.inSetOrder(set, staging.readings(), kept, added)) {
      V2beta2Objects.Reading r = Objects.requireNonNull(now.get(o));
      if (adminRefs.contains(o.ref().toString())
          && !o.ref().equals(staging.readings().get(readings.size()).object().ref())) {
        return null; // an admin's moved in the set's order: its notices may move among the problems
      }
      readings.add(r);
    }
    OwnerChecks checks = new OwnerChecks(previous.secrets(), inputs.egress(), found);
    Map<ObjectRef, Rebinding> rebindings = new HashMap<>();
    for (V2beta2Objects.ConfigBlock c : after.configs()) {
      ParsedObject<ConfigSpec> config = c.config();
      Owner owner = Owner.ofConfig(config.labels(), settings);
      checks.check(
          config.object().ref(),
          "spec." + config.provider().description().block(),
          config.spec(),
          owner);
      rebindings.put(config.ref(), new Rebinding(V2beta2Objects.RECEIVER, config, owner.tenant()));
    }
    if (!found.all().isEmpty()) {
      return null;
    }
    Slots slots = previous.tables().slots();
    List<Integer> replacedSlots = new ArrayList<>();
    List<Destination> replacements = new ArrayList<>();
    Slots.TenantEdits edits = new Slots.TenantEdits();
    rebound(slots, rebindings, replacedSlots, replacements, edits);
    return withReceivers(
        previous,
        set,
        slots.with(ints(replacedSlots), replacements, new int[0], List.of()),
        edits,
        previous.memo(),
        resolving,
        readings,
        configsAfter(staging.configs(), before, after, readings));
  }

  /** The object a problem names: a block's problem ({@code Config/x[slack]}) names its object. */
  private static String objectOf(Problem p) {
    String object = p.object();
    int block = object.indexOf('[');
    return block < 0 ? object : object.substring(0, block);
  }

  /** Changed v2beta2 objects read as a build reads them, before and after the change. */
  private record ReadCleanly(V2beta2Objects before, V2beta2Objects after) {
    /**
     * {@code removed} and {@code added} read; {@code null} when reading reports a problem into
     * {@code found} or finds a credential value inline (that becomes a secret of the snapshot).
     */
    static @Nullable ReadCleanly of(
        List<ConfigObject> removed,
        List<ConfigObject> added,
        SnapshotBuilder.Inputs inputs,
        Settings settings,
        SnapshotProblems found) {
      SpecParser parser = new SpecParser(inputs.channels(), inputs.namespace(), found);
      V2beta2Objects before =
          V2beta2Objects.read(
              removed, inputs.channels(), settings, inputs.namespace(), parser, found);
      V2beta2Objects after =
          V2beta2Objects.read(
              added, inputs.channels(), settings, inputs.namespace(), parser, found);
      return found.all().isEmpty()
              && before.inlineSecrets().isEmpty()
              && after.inlineSecrets().isEmpty()
          ? new ReadCleanly(before, after)
          : null;
    }
  }

  /** The refs of the channel blocks each {@code Config} read holds, in its order. */
  private static Map<ObjectRef, List<ObjectRef>> blocksByConfig(V2beta2Objects read) {
    Map<ObjectRef, List<ObjectRef>> out = new HashMap<>();
    for (V2beta2Objects.ConfigBlock c : read.configs()) {
      out.computeIfAbsent(c.config().object().ref(), o -> new ArrayList<>()).add(c.config().ref());
    }
    return out;
  }

  /** Whether {@code slot} holds one of the global receivers of {@code tables}. */
  private static boolean isGlobal(RoutingTables tables, int slot) {
    for (int global : tables.globals().indexes()) {
      if (global == slot) {
        return true;
      }
    }
    return false;
  }

  /**
   * The tenant that owns the v2beta2 {@code Config} {@code config}; {@code null} for a default or
   * one of the admin's.
   */
  private static @Nullable String tenantOfConfig(ConfigObject config, Settings settings) {
    Map<String, String> labels = config.metadata().labels();
    return ConfigsByOwner.isDefault(labels, settings)
        ? null
        : Owner.ofConfig(labels, settings).tenant();
  }

  /**
   * The {@code Receiver}s of {@code staging} labelled as tenant receivers of one of {@code
   * tenants}, but those {@code removed} already: those that may select a Config of those tenants.
   */
  private static List<ConfigObject> receiversOf(
      Set<String> tenants,
      Snapshot.Staging staging,
      List<ConfigObject> removed,
      Settings settings) {
    Set<ConfigObject> changing = Collections.newSetFromMap(new IdentityHashMap<>());
    changing.addAll(removed);
    List<ConfigObject> out = new ArrayList<>();
    for (V2beta2Objects.Reading r : staging.readings()) {
      ConfigObject o = r.object();
      Map<String, String> labels = o.metadata().labels();
      if (o.kind().equals(V2beta2Objects.RECEIVER)
          && !changing.contains(o)
          && settings.tenantReceiverSelector().matches(labels)
          && tenants.contains(labels.get(settings.tenantKey()))) {
        out.add(o);
      }
    }
    return out;
  }

  /**
   * The {@code Config} blocks after a change, in the set's order as a build reads them: {@code
   * configs}' without those of the Configs {@code removed} read, with those {@code added} read.
   */
  private static List<V2beta2Objects.ConfigBlock> configsAfter(
      List<V2beta2Objects.ConfigBlock> configs,
      V2beta2Objects removed,
      V2beta2Objects added,
      List<V2beta2Objects.Reading> readings) {
    Map<ConfigObject, List<V2beta2Objects.ConfigBlock>> byObject = new IdentityHashMap<>();
    for (V2beta2Objects.ConfigBlock c : configs) {
      byObject.computeIfAbsent(c.config().object(), o -> new ArrayList<>()).add(c);
    }
    removed.configs().forEach(c -> byObject.remove(c.config().object()));
    for (V2beta2Objects.ConfigBlock c : added.configs()) {
      byObject.computeIfAbsent(c.config().object(), o -> new ArrayList<>()).add(c);
    }
    List<V2beta2Objects.ConfigBlock> out = new ArrayList<>();
    for (V2beta2Objects.Reading r : readings) {
      out.addAll(byObject.getOrDefault(r.object(), List.of()));
    }
    return out;
  }

  /**
   * The config blocks a tenant receiver of {@code tenants}, or a global one, may select: the
   * defaults and those tenants' own (a global receiver selects among the defaults alone). Another
   * tenant's config or the admin's is never a candidate, so it is not passed (passing it would also
   * check and report it again).
   */
  private static List<V2beta2Objects.ConfigBlock> selectableBy(
      List<V2beta2Objects.ConfigBlock> configs, Set<String> tenants, Settings settings) {
    List<V2beta2Objects.ConfigBlock> out = new ArrayList<>();
    for (V2beta2Objects.ConfigBlock c : configs) {
      Map<String, String> labels = c.config().labels();
      if (ConfigsByOwner.isDefault(labels, settings)) {
        out.add(c);
        continue;
      }
      Owner owner = Owner.ofConfig(labels, settings);
      if (!owner.isAdmin() && tenants.contains(owner.tenant())) {
        out.add(c);
      }
    }
    return out;
  }

  /** Whether each object is a v2beta2 {@code Receiver} or {@code Config} a build would read. */
  private static boolean allV2beta2ReceiversOrConfigs(
      List<ConfigObject> objects, String namespace) {
    for (ConfigObject o : objects) {
      String ns = o.metadata().namespace();
      if (!o.apiVersion().equals(ConfigObject.API_VERSION_V2BETA2)
          || !(o.kind().equals(V2beta2Objects.RECEIVER) || o.kind().equals(V2beta2Objects.CONFIG))
          || !(ns.isEmpty() || ns.equals(namespace))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the settings' templates reported problems: those of a channel kind's options are
   * reported before the first receiver of the kind, and a {@code tmplText} the settings name is
   * checked (and a problem reported on its field) once for each channel and path that receivers
   * render with, so a change that adds or removes the first or last receiver of a kind, or the
   * first or last v2beta2 block of a channel, moves or adds or drops such a problem. A build places
   * them.
   */
  private static boolean settingsTemplatesReportedProblems(
      Snapshot previous, Snapshot.Resolving resolving) {
    if (resolving.templates().kindLevelReportedProblems()) {
      return true;
    }
    for (Problem p : previous.problems()) {
      if (p.object().startsWith(Settings.KIND + "/")
          && (p.field().startsWith("spec.template.") || p.field().startsWith("spec.receivers."))
          && (p.field().endsWith(".tmplText") || p.field().endsWith(".tmplText.key"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * What {@code previous} resolved receivers against, when a change of {@code changed} objects may
   * be applied to it in place: {@code null} when it has none, or when the memo's overlay would grow
   * past its bound (then a build folds it).
   */
  private static Snapshot.@Nullable Resolving resolvingInPlace(Snapshot previous, int changed) {
    return previous.memo().changed() + changed > BuildMemo.MAX_CHANGED
        ? null
        : previous.basis().resolving();
  }

  /**
   * The snapshot of {@code set} after receivers changed in place: {@code after} holds them, {@code
   * edits} says which slots each changed tenant gained and lost; the namespaces of those tenants
   * and the routing stages' per-receiver tables are derived again, the rest is shared.
   */
  private static Snapshot withReceivers(
      Snapshot previous,
      ConfigSet set,
      Slots after,
      Slots.TenantEdits edits,
      BuildMemo memo,
      Snapshot.Resolving resolving) {
    Snapshot.Staging staging = previous.basis().staging();
    return withReceivers(
        previous,
        set,
        after,
        edits,
        memo,
        resolving,
        staging == null ? List.of() : staging.readings(),
        staging == null ? List.of() : staging.configs());
  }

  /**
   * The same, after v2beta2 objects that no routing stage holds were edited as well: {@code
   * readings} and {@code configs} are the set's v2beta2 readings and {@code Config} blocks after
   * the change, in its order.
   */
  private static Snapshot withReceivers(
      Snapshot previous,
      ConfigSet set,
      Slots after,
      Slots.TenantEdits edits,
      BuildMemo memo,
      Snapshot.Resolving resolving,
      List<V2beta2Objects.Reading> readings,
      List<V2beta2Objects.ConfigBlock> configs) {
    Snapshot.Staging staging = previous.basis().staging();
    RoutingStages stages = previous.stages();
    if (staging != null) {
      RoutingStages.Receivers receivers = staging.receivers().withBlocksInTheirSlots(after, edits);
      staging =
          new Snapshot.Staging(
              receivers, readings, configs, staging.problemsFrom(), staging.problemsTo());
      stages = stages == null ? null : stages.withReceivers(receivers, previous.settings());
    }
    return previous.withReceivers(
        set, previous.tables().withEdits(after, edits), stages, staging, memo, resolving);
  }

  /**
   * The snapshot after configs were added, changed or removed, applied in place: only the changed
   * configs are read, and only the receivers that depend on them are resolved again or bound to
   * them again, then applied as {@link #receiversChanged} applies changed receivers.
   *
   * <p>A tenant's or the admin's config (not a default) may be selected by its tenant's receivers
   * of the config kind whose selector matches it, before or after (for the admin's, such global
   * receivers, which are few): those are resolved again, the others' candidates are the configs
   * they were.
   *
   * <p>A default config may be taken by every receiver of its kind (those without a selector, those
   * whose selector matches none of their candidates, those whose selector matches the default): it
   * is applied in place when it is edited, keeping its name and labels, and it was the one default
   * of its kind. Then every receiver chooses the config it chose before, by the same name, and
   * reports the same problems (a problem names the default, never its spec), so each receiver bound
   * to it is bound to the new one without being resolved again: its scope, tenant, render options
   * and checks depend on the receiver alone. The default itself is read and checked as a build
   * checks it.
   *
   * <p>{@code null}, for a build, under the same conditions for the changed configs and the
   * receivers resolved again (any problem before or after, template fields of their own); for a
   * default added, removed, renamed or relabelled (which receivers take it, and whether one reports
   * having none, may change), for a kind with several defaults (another may win, and the others are
   * reported), and for a config that gains or loses the default's labels.
   */
  private static @Nullable Snapshot configsChanged(
      Snapshot previous,
      ConfigSet set,
      List<ConfigObject> removed,
      List<ConfigObject> added,
      SnapshotBuilder.Inputs inputs) {
    Snapshot.Resolving resolving = resolvingInPlace(previous, removed.size() + added.size());
    if (resolving == null) {
      return null;
    }
    BuildMemo memo = previous.memo();
    Slots slots = previous.tables().slots();
    Settings settings = previous.settings();
    ConfigsByOwner configsBefore = resolving.configs();
    Set<String> changedRefs = new HashSet<>();
    Set<ObjectRef> removedRefs = new HashSet<>();
    Map<String, ConfigObject> defaultsRemoved = new HashMap<>();
    for (ConfigObject o : removed) {
      if (!removedRefs.add(o.ref()) || !memo.readCleanly(o)) {
        return null;
      }
      if (ConfigsByOwner.isDefault(o.metadata().labels(), settings)) {
        ParsedObject<ConfigSpec> current = configsBefore.defaultOf(o.kind());
        if (current == null
            || !current.ref().equals(o.ref())
            || configsBefore.hasSeveralDefaults(o.kind())
            || defaultsRemoved.put(o.kind(), o) != null) {
          return null;
        }
      } else if (ConfigsByOwner.selectableConfigOwner(o.metadata().labels(), settings) == null) {
        return null;
      }
      changedRefs.add(o.ref().toString());
    }
    Map<String, ConfigObject> defaultsAdded = new HashMap<>();
    Set<ObjectRef> addedRefs = new HashSet<>();
    for (ConfigObject o : added) {
      if (!addedRefs.add(o.ref()) || (!removedRefs.contains(o.ref()) && memo.hasReading(o.ref()))) {
        return null; // defined twice
      }
      if (ConfigsByOwner.isDefault(o.metadata().labels(), settings)) {
        ConfigObject was = defaultsRemoved.get(o.kind());
        if (was == null
            || !was.ref().equals(o.ref())
            || !was.metadata().labels().equals(o.metadata().labels())
            || defaultsAdded.put(o.kind(), o) != null) {
          return null;
        }
      } else if (ConfigsByOwner.selectableConfigOwner(o.metadata().labels(), settings) == null) {
        return null;
      }
      changedRefs.add(o.ref().toString());
    }
    if (!defaultsAdded.keySet().equals(defaultsRemoved.keySet())) {
      return null; // a default removed, or one that was a tenant's or the admin's before
    }
    SnapshotProblems found = new SnapshotProblems();
    BuildMemo.Recorder change = memo.change(found);
    SpecParser parser = new SpecParser(inputs.channels(), inputs.namespace(), found);
    OwnerChecks checks = new OwnerChecks(previous.secrets(), inputs.egress(), found);
    Map<String, Map<Owner, List<ParsedObject<ConfigSpec>>>> changed = new HashMap<>();
    Map<String, Map<Owner, List<Map<String, String>>>> changedLabels = new HashMap<>();
    Map<String, ParsedObject<ConfigSpec>> defaults = new HashMap<>();
    for (ConfigObject o : removed) {
      if (defaultsRemoved.get(o.kind()) == o) {
        continue;
      }
      Owner owner =
          Objects.requireNonNull(
              ConfigsByOwner.selectableConfigOwner(o.metadata().labels(), settings));
      configsOf(changed, configsBefore, o.kind(), owner).removeIf(c -> c.ref().equals(o.ref()));
      labelsOf(changedLabels, o.kind(), owner).add(o.metadata().labels());
    }
    for (ConfigObject o : added) {
      ChannelProvider<?, ?> provider =
          Objects.requireNonNull(inputs.channels().forConfigKind(o.kind()));
      ParsedObject<ConfigSpec> config = change.read(o, () -> parser.config(o, provider));
      if (config == null || !found.all().isEmpty()) {
        return null;
      }
      boolean isDefault = defaultsAdded.get(o.kind()) == o;
      // A default is the admin's, as a build sorts it.
      Owner owner =
          isDefault
              ? Owner.ADMIN
              : Objects.requireNonNull(
                  ConfigsByOwner.selectableConfigOwner(o.metadata().labels(), settings));
      checks.check(o.ref(), config.spec(), owner);
      if (!found.all().isEmpty()) {
        return null;
      }
      if (isDefault) {
        defaults.put(o.kind(), config);
        continue;
      }
      configsOf(changed, configsBefore, o.kind(), owner).add(config);
      labelsOf(changedLabels, o.kind(), owner).add(o.metadata().labels());
    }
    ConfigsByOwner configs = configsBefore.withConfigs(changed, defaults);
    ReceiverResolver resolver =
        new ReceiverResolver(settings, configs, checks, resolving.templates(), found, change);
    List<Integer> replacedSlots = new ArrayList<>();
    List<Destination> replacements = new ArrayList<>();
    Slots.TenantEdits edits = new Slots.TenantEdits();
    RoutingTables tables = previous.tables();
    for (Map.Entry<String, Map<Owner, List<ParsedObject<ConfigSpec>>>> kind : changed.entrySet()) {
      for (Owner owner : kind.getValue().keySet()) {
        String tenant = owner.tenant();
        int[] own =
            tenant == null ? tables.globals().indexes() : tables.slotsOfTenant().get(tenant);
        for (int slot : own == null ? new int[0] : own) {
          Destination before = Objects.requireNonNull(slots.at(slot));
          ParsedObject<ReceiverSpec> receiver = memo.receiverRead(before.receiver());
          LabelSelector selector = receiver == null ? null : receiver.spec().configSelector();
          if (receiver == null
              || selector == null
              || !before.provider().configKind().equals(kind.getKey())) {
            continue; // a v2beta2 block, one that takes the default or another kind's receiver
          }
          if (!anyMatches(selector, changedLabels.get(kind.getKey()).get(owner))) {
            continue; // its candidates are the same configs: its resolution holds
          }
          if (!memo.resolvedCleanly(receiver.object())
              || !resolving
                  .templates()
                  .rendersShared(receiver.provider(), "spec", receiver.object().spec())) {
            return null;
          }
          changedRefs.add(before.receiver().toString());
          Destination now = resolver.resolveOne(receiver);
          if (now == null || !found.all().isEmpty()) {
            return null;
          }
          if (!now.equals(before)) {
            replacedSlots.add(slot);
            replacements.add(now);
            edits.remove(before, slot);
            edits.add(now, slot);
          }
        }
      }
    }
    for (Problem p : previous.problems()) {
      if (changedRefs.contains(p.object())) {
        return null;
      }
    }
    Map<ObjectRef, Rebinding> rebindings = new HashMap<>();
    for (ParsedObject<ConfigSpec> now : defaults.values()) {
      ObjectRef before = Objects.requireNonNull(configsBefore.defaultOf(now.object().kind())).ref();
      // A default is the admin's, as a build sorts it: its receivers' config has no tenant owner.
      rebindings.put(before, new Rebinding(now.provider().receiverKind(), now, null));
    }
    rebound(slots, rebindings, replacedSlots, replacements, edits);
    Slots after = slots.with(ints(replacedSlots), replacements, new int[0], List.of());
    Set<ObjectRef> gone = new HashSet<>(removedRefs);
    gone.removeAll(addedRefs);
    return withReceivers(
        previous,
        set,
        after,
        edits,
        memo.withChange(change, gone),
        new Snapshot.Resolving(configs, resolving.templates()));
  }

  /**
   * A config edited in place, keeping what decides which receivers take it (its name, labels and
   * channel blocks): each receiver of {@code receiverKind} bound to it before is bound to {@code
   * now}, owned by {@code owner}.
   */
  private record Rebinding(
      String receiverKind, ParsedObject<ConfigSpec> now, @Nullable String owner) {}

  /**
   * Binds each receiver bound to a config edited in place ({@code rebindings}, by the config's ref
   * before) to the edited one, adding its slot to the replacements and recording the rebinding in
   * the edits; a receiver resolved again already ({@code replacedSlots}) keeps its resolution. The
   * destination is the receiver's as before with the new config's spec: {@link #configsChanged} and
   * {@link #defaultOrAdminConfigsEdited} say why that is what resolving it gives. A v1alpha1
   * receiver's resolution in the memo stays the one before, recorded against the old config, so a
   * build resolves it again rather than reusing it.
   *
   * <p>Receivers sort by kind first, so those of one kind hold one run of ranks ({@link
   * Slots#ranksOfKind}): only the runs of the kinds that can be bound to the edited configs are
   * read, in rank order. Nothing is recorded per tenant: the receivers keep their slots, so no
   * namespace changes (see {@link io.nm4j.core.internal.snapshot.NamespaceTargets}).
   */
  private static void rebound(
      Slots slots,
      Map<ObjectRef, Rebinding> rebindings,
      List<Integer> replacedSlots,
      List<Destination> replacements,
      Slots.TenantEdits edits) {
    if (rebindings.isEmpty()) {
      return;
    }
    BitSet resolvedAgain = new BitSet();
    replacedSlots.forEach(resolvedAgain::set);
    List<Destination> sorted = slots.sorted();
    Set<String> kinds = new HashSet<>();
    rebindings.values().forEach(r -> kinds.add(r.receiverKind()));
    for (String kind : kinds) {
      Slots.Ranks ranks = slots.ranksOfKind(kind);
      for (int rank = ranks.from(); rank < ranks.to(); rank++) {
        Destination receiver = sorted.get(rank);
        ObjectRef config = receiver.config();
        Rebinding rebinding = config == null ? null : rebindings.get(config);
        if (rebinding == null) {
          continue;
        }
        int slot = slots.slotOfRank(rank);
        if (!resolvedAgain.get(slot)) {
          ParsedObject<ConfigSpec> now = rebinding.now();
          replacedSlots.add(slot);
          replacements.add(receiver.withConfig(now.ref(), now.spec(), rebinding.owner()));
          edits.rebind();
        }
      }
    }
  }

  private static List<Map<String, String>> labelsOf(
      Map<String, Map<Owner, List<Map<String, String>>>> labels, String kind, Owner owner) {
    return labels
        .computeIfAbsent(kind, k -> new HashMap<>())
        .computeIfAbsent(owner, o -> new ArrayList<>());
  }

  private static boolean anyMatches(LabelSelector selector, List<Map<String, String>> labels) {
    for (Map<String, String> l : labels) {
      if (selector.matches(l)) {
        return true;
      }
    }
    return false;
  }

  /** {@code owner}'s configs of {@code kind} as changed so far, starting from {@code configs}'. */
  private static List<ParsedObject<ConfigSpec>> configsOf(
      Map<String, Map<Owner, List<ParsedObject<ConfigSpec>>>> changed,
      ConfigsByOwner configs,
      String kind,
      Owner owner) {
    return changed
        .computeIfAbsent(kind, k -> new HashMap<>())
        .computeIfAbsent(owner, o -> new ArrayList<>(configs.selectableBy(o.tenant(), kind)));
  }

  private static int[] ints(List<Integer> list) {
    return list.stream().mapToInt(Integer::intValue).toArray();
  }

  private static boolean allRoleBindings(List<ConfigObject> objects) {
    for (ConfigObject o : objects) {
      if (!o.kind().equals(SnapshotBuilder.ROLE_BINDING_KIND)
          || !o.apiVersion().equals(SnapshotBuilder.RBAC_API_VERSION)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether each object is a v2beta2 Router or Silence a build would read: only stages use them.
   */
  private static boolean allStaging(List<ConfigObject> objects, String namespace) {
    for (ConfigObject o : objects) {
      String ns = o.metadata().namespace();
      if (!o.apiVersion().equals(ConfigObject.API_VERSION_V2BETA2)
          || !(o.kind().equals(V2beta2Objects.ROUTER) || o.kind().equals(V2beta2Objects.SILENCE))
          || !(ns.isEmpty() || ns.equals(namespace))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The secrets after {@code added} replaced {@code removed} one for one, each keeping its name,
   * namespace, owner and keys and read without problems: then every secret reference resolves as it
   * did, so no check, resolution or problem changes. {@code null} for any other change.
   */
  private static @Nullable OwnedSecrets rotatedSecrets(
      Snapshot previous, String namespace, List<ConfigObject> removed, List<ConfigObject> added) {
    if (removed.size() != added.size() || removed.isEmpty()) {
      return null;
    }
    Map<String, ConfigObject> before = new HashMap<>();
    for (ConfigObject o : removed) {
      if (!isSecret(o, namespace) || before.put(o.metadata().name(), o) != null) {
        return null;
      }
    }
    OwnedSecrets secrets = previous.secrets();
    Settings settings = previous.settings();
    SnapshotProblems problems = new SnapshotProblems();
    for (ConfigObject now : added) {
      ConfigObject then = before.remove(now.metadata().name());
      if (then == null
          || !isSecret(now, namespace)
          || !then.metadata().namespace().equals(now.metadata().namespace())) {
        return null;
      }
      Owner owner = Owner.ofSecret(now.metadata().labels(), settings);
      if (!owner.equals(Owner.ofSecret(then.metadata().labels(), settings))) {
        return null;
      }
      SecretReader.read(then, problems);
      Map<String, byte[]> values = SecretReader.read(now, problems);
      if (!problems.all().isEmpty()) {
        return null; // a secret's read errors are problems of the snapshot: a build reports them
      }
      secrets = secrets.rotated(now.metadata().name(), owner, values);
      if (secrets == null) {
        return null;
      }
    }
    return secrets;
  }

  private static boolean isSecret(ConfigObject o, String namespace) {
    String ns = o.metadata().namespace();
    return o.kind().equals(SnapshotBuilder.SECRET_KIND)
        && o.apiVersion().equals("v1")
        && (ns.isEmpty() || ns.equals(namespace));
  }
}
