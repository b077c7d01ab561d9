package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.ObjectRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Changes of several receivers, or several configs, at once (a source delivering a burst of edits
 * as one set) give the snapshot a full build gives: adds, edits, removals, moves between tenants
 * and names reused after removal, one to four objects a change, with and without v2beta2 objects.
 * Some of them are applied in place, the others built; each is compared with a full build of its
 * set.
 */
class MultiObjectChangePropertyTest {
  private static final int SEEDS = 6;
  private static final int STEPS = 25;

  @Test
  void severalReceiversOrConfigsChangedAtOnceGiveWhatAFullBuildGives() {
    int inPlace = 0;
    int globalsInPlace = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      for (boolean v2beta2 : List.of(false, true)) {
        Random rnd = new Random(seed * 31 + (v2beta2 ? 1 : 0));
        IncrementalSnapshotPropertyTest.Generator gen =
            new IncrementalSnapshotPropertyTest.Generator(rnd, new Random(~seed), v2beta2);
        Map<ObjectRef, ConfigObject> objects = gen.configuration();
        Snapshot snapshot = IncrementalSnapshotPropertyTest.full(objects);
        int serial = 0;
        for (int step = 1; step <= STEPS; step++) {
          boolean receivers = rnd.nextInt(3) != 0;
          StringBuilder what = new StringBuilder();
          boolean global = false;
          for (int i = 1 + rnd.nextInt(4); i > 0; i--) {
            List<ObjectRef> candidates = new ArrayList<>();
            for (ObjectRef r : objects.keySet()) {
              if (isV1alpha1(r, receivers)) {
                candidates.add(r);
              }
            }
            String name =
                candidates.isEmpty() || rnd.nextInt(4) == 0
                    ? (receivers ? "rx" : "cx") + serial++
                    : candidates.get(rnd.nextInt(candidates.size())).name();
            ConfigObject o = receivers ? gen.receiver(name) : gen.config(name);
            ConfigObject was = objects.get(o.ref());
            global |=
                IncrementalSnapshotPropertyTest.isGlobalReceiver(o)
                    || (was != null && IncrementalSnapshotPropertyTest.isGlobalReceiver(was));
            if (objects.containsKey(o.ref()) && rnd.nextInt(3) == 0) {
              objects.remove(o.ref());
              what.append(" -").append(o.ref());
            } else {
              // The generator may pick another kind for the name: the old object goes.
              objects.keySet().removeIf(r -> r.name().equals(name) && isV1alpha1(r, receivers));
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
    // Global receivers among them: every namespace's targets are edited in place.
    assertThat(globalsInPlace).isGreaterThanOrEqualTo(2);
  }

  private static boolean isV1alpha1(ObjectRef ref, boolean receiver) {
    String kind = ref.kind();
    return kind.endsWith(receiver ? "Receiver" : "Config")
        && !kind.equals("Receiver")
        && !kind.equals("Config");
  }
}
