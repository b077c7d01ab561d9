package io.nm4j.core.internal.snapshot;

import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** What changed between the set a snapshot was built from and the next one. */
public final class SetDelta {
  /**
   * Most objects removed and added that a comparison of two sets reports; a larger change is left
   * to a build, which compares object by object anyway.
   */
  private static final int MAX_CHANGED = 64;

  private SetDelta() {}

  /**
   * The change from {@code before} to {@code after}: the source's own when it follows {@code
   * before} (the same list instance), else found by comparing the sets by identity, which finds the
   * few objects a source that keeps its objects replaced, and an object that moved among the others
   * as removed and added again. {@code null} when neither tells.
   */
  public static ConfigSet.@Nullable Change between(List<ConfigObject> before, ConfigSet after) {
    ConfigSet.Change told = after.change();
    if (told != null && told.follows() == before) {
      return told;
    }
    List<ConfigObject> objects = after.objects();
    int start = 0;
    int limit = Math.min(before.size(), objects.size());
    while (start < limit && before.get(start) == objects.get(start)) {
      start++;
    }
    int endBefore = before.size();
    int endAfter = objects.size();
    while (endBefore > start
        && endAfter > start
        && before.get(endBefore - 1) == objects.get(endAfter - 1)) {
      endBefore--;
      endAfter--;
    }
    List<ConfigObject> gone = before.subList(start, endBefore);
    List<ConfigObject> come = objects.subList(start, endAfter);
    Map<ConfigObject, Integer> positionBefore = new IdentityHashMap<>(gone.size() * 2);
    for (int i = 0; i < gone.size(); i++) {
      if (positionBefore.put(gone.get(i), i) != null) {
        return null; // one object held twice is defined twice: a build says which copy counts
      }
    }
    // An object kept in the same order relative to the others is no change; one that moved among
    // them is removed and added again, since where an object stands can change an outcome (the
    // order of problems, which copy of a name counts). Taking each object kept in order as far as
    // the one before it may mark more objects moved than the fewest that explain the order, which
    // only costs work.
    Set<ConfigObject> keptInOrder = Collections.newSetFromMap(new IdentityHashMap<>());
    List<ConfigObject> added = new ArrayList<>();
    int last = -1;
    for (ConfigObject o : come) {
      Integer position = positionBefore.get(o);
      if (position != null && position > last && keptInOrder.add(o)) {
        last = position;
      } else {
        added.add(o);
        if (added.size() > MAX_CHANGED) {
          return null;
        }
      }
    }
    List<ConfigObject> removed = new ArrayList<>();
    for (ConfigObject o : gone) {
      if (!keptInOrder.contains(o)) {
        removed.add(o);
        if (removed.size() > MAX_CHANGED) {
          return null;
        }
      }
    }
    if (removed.size() + added.size() > MAX_CHANGED) {
      return null;
    }
    return new ConfigSet.Change(before, removed, added);
  }
}
