package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.ObjectRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Changes of several receivers, several configs, or several v2beta2 Receivers, at once (a source
 * delivering a burst of edits as one set) give the snapshot a full build gives: adds, edits,
 * removals, moves between tenants and to or from the global receivers, and names reused after
 * removal, one to four objects a change, with and without v2beta2 objects, default configs and
 * v2beta2 {@code Config}s among the configs. Some of them are applied in place, the others built;
 * each is compared with a full build of its set.
 */
class MultiObjectChangePropertyTest {
  private static final int SEEDS = 6;
  private static final int STEPS = 25;

  @Test
  void severalReceiversOrConfigsChangedAtOnceGiveWhatAFullBuildGives() {
    int inPlace = 0;
    int globalsInPlace = 0;
    int globalV2ReceiversInPlace = 0;
    int defaultsInPlace = 0;
    int untenantedV2InPlace = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      for (boolean v2beta2 : List.of(false, true)) {
        Random rnd = new Random(seed * 31 + (v2beta2 ? 1 : 0));
        Random kinds = new Random(seed * 7);
        IncrementalSnapshotPropertyTest.Generator gen =
            new IncrementalSnapshotPropertyTest.Generator(rnd, new Random(~seed), v2beta2);
        Map<ObjectRef, ConfigObject> objects = gen.configuration();
        // One default per kind to begin with, so that editing it may be applied in place.
        Set<String> defaulted = new HashSet<>();
        objects
            .values()
            .removeIf(c -> isV1alpha1(c.ref(), false) && isDefault(c) && !defaulted.add(c.kind()));
        Snapshot snapshot = IncrementalSnapshotPropertyTest.full(objects);
        int serial = 0;
        for (int step = 1; step <= STEPS; step++) {
          boolean v2Receivers = v2beta2 && kinds.nextInt(2) == 0;
          boolean receivers = v2Receivers || rnd.nextInt(3) != 0;
          StringBuilder what = new StringBuilder();
          boolean global = false;
          boolean globalV2 = false;
          boolean defaults = false;
          // Now and then the default or an admin's v2beta2 Config alone, which is applied in place.
          boolean untenantedV2 = v2beta2 && !receivers && kinds.nextInt(4) == 0;
          if (untenantedV2) {
            ConfigObject o = gen.v2DefaultOrAdminConfig();
            objects.put(o.ref(), o);
            what.append(" +").append(o.ref()).append(o.metadata().labels());
          }
          for (int i = untenantedV2 ? 0 : 1 + rnd.nextInt(4); i > 0; i--) {
            List<ObjectRef> candidates = new ArrayList<>();
            for (ObjectRef r : objects.keySet()) {
              if (changing(r, receivers, v2Receivers)) {
                candidates.add(r);
              }
            }
            String name =
                candidates.isEmpty() || rnd.nextInt(4) == 0
                    ? (v2Receivers ? "vx" : receivers ? "rx" : "cx") + serial++
                    : candidates.get(rnd.nextInt(candidates.size())).name();
            ConfigObject o =
                v2Receivers
                    ? gen.v2Receiver(name)
                    : receivers ? gen.receiver(name) : gen.config(name);
            List<ConfigObject> defaultConfigs = new ArrayList<>();
            objects.forEach(
                (r, c) -> {
                  if (isV1alpha1(r, false) && isDefault(c)) {
                    defaultConfigs.add(c);
                  }
                });
            if (v2beta2 && !receivers && rnd.nextInt(3) == 0) {
              o = gen.v2ConfigChange();
            } else if (!receivers && !defaultConfigs.isEmpty() && rnd.nextInt(3) == 0) {
              o = edited(defaultConfigs.get(rnd.nextInt(defaultConfigs.size())), rnd);
              i = 1; // the step ends with it: fewer changes beside it that take a build
            }
            defaults |=
                isV1alpha1(o.ref(), false) && "default".equals(o.metadata().labels().get("type"));
            ConfigObject was = objects.get(o.ref());
            global |=
                IncrementalSnapshotPropertyTest.isGlobalReceiver(o)
                    || (was != null && IncrementalSnapshotPropertyTest.isGlobalReceiver(was));
            globalV2 |=
                IncrementalSnapshotPropertyTest.isGlobalV2beta2Receiver(o)
                    || (was != null
                        && IncrementalSnapshotPropertyTest.isGlobalV2beta2Receiver(was));
            if (objects.containsKey(o.ref()) && rnd.nextInt(3) == 0) {
              objects.remove(o.ref());
              what.append(" -").append(o.ref());
            } else {
              // The generator may pick another kind for the name: the old object goes.
              String named = o.metadata().name();
              objects
                  .keySet()
                  .removeIf(r -> r.name().equals(named) && changing(r, receivers, v2Receivers));
              objects.put(o.ref(), o);
              what.append(" +").append(o.ref()).append(o.metadata().labels());
            }
          }
          ConfigSet set = IncrementalSnapshotPropertyTest.set(objects);
          Snapshot previous = snapshot;
          snapshot = snapshot.next(set);
          if (snapshot.memo() != previous.memo() && snapshot.memo().changed() > 0) {
            inPlace++;
            globalsInPlace += global ? 1 : 0;
            defaultsInPlace += defaults ? 1 : 0;
          }
          if (untenantedV2 && snapshot.basis().resolving() == previous.basis().resolving()) {
            untenantedV2InPlace++;
          }
          // v2beta2 Receivers changed in place keep the memo; only a build resolves anew.
          if (v2Receivers && snapshot.basis().resolving() == previous.basis().resolving()) {
            inPlace++;
            globalV2ReceiversInPlace += globalV2 ? 1 : 0;
          }
          assertThat(IncrementalSnapshotPropertyTest.view(snapshot))
              .as("seed %d, v2beta2 %s, step %d:%s", seed, v2beta2, step, what)
              .isEqualTo(
                  IncrementalSnapshotPropertyTest.view(IncrementalSnapshotPropertyTest.full(set)));
        }
      }
    }
    // Without changes applied in place this would compare builds with builds.
    assertThat(inPlace).isGreaterThanOrEqualTo(10);
    // Global receivers among them, v1alpha1 and v2beta2: only the global targets are edited.
    assertThat(globalsInPlace).isGreaterThanOrEqualTo(2);
    assertThat(globalV2ReceiversInPlace).isGreaterThanOrEqualTo(2);
    // Default configs edited, bound in place to the receivers that take them.
    assertThat(defaultsInPlace).isGreaterThanOrEqualTo(1);
    // A default or admin's v2beta2 Config edited, its blocks bound in place.
    assertThat(untenantedV2InPlace).isGreaterThanOrEqualTo(1);
  }

  /** Whether a step changing v2beta2 Receivers, v1alpha1 receivers or configs picks {@code ref}. */
  private static boolean changing(ObjectRef ref, boolean receivers, boolean v2Receivers) {
    return v2Receivers ? ref.kind().equals("Receiver") : isV1alpha1(ref, receivers);
  }

  private static boolean isDefault(ConfigObject config) {
    return "default".equals(config.metadata().labels().get("type"));
  }

  /**
   * {@code config} with another spec, its name and labels kept: without a secret reference, or with
   * one to a random secret (which its owner may not own).
   */
  private static ConfigObject edited(ConfigObject config, Random rnd) {
    Map<String, Object> spec =
        config.spec().isEmpty()
            ? Map.of(
                "token",
                Map.of(
                    "name",
                    "sec-" + rnd.nextInt(IncrementalSnapshotPropertyTest.Generator.SECRETS),
                    "key",
                    "token"))
            : Map.of();
    return new ConfigObject(
        config.apiVersion(), config.kind(), config.metadata(), Map.of("spec", spec), "edited");
  }

  private static boolean isV1alpha1(ObjectRef ref, boolean receiver) {
    String kind = ref.kind();
    return kind.endsWith(receiver ? "Receiver" : "Config")
        && !kind.equals("Receiver")
        && !kind.equals("Config");
  }
}
