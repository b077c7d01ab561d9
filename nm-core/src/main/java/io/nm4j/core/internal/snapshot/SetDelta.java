package io.nm4j.core.internal.snapshot;

import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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
   * few objects a source that keeps its objects replaced. {@code null} when neither tells.
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
    // Counted by identity, so an object a set holds twice (defined twice: a build must say which
    // wins) is a change too; a moved object (a source that re-inserts what changed) cancels out.
    Map<ConfigObject, Integer> counts = new IdentityHashMap<>(gone.size() * 2);
    gone.forEach(o -> counts.merge(o, 1, Integer::sum));
    List<ConfigObject> added = new ArrayList<>();
    for (ConfigObject o : come) {
      Integer n = counts.get(o);
      if (n == null) {
        added.add(o);
        if (added.size() > MAX_CHANGED) {
          return null;
        }
      } else if (n == 1) {
        counts.remove(o);
      } else {
        counts.put(o, n - 1);
      }
    }
    List<ConfigObject> removed = new ArrayList<>();
    for (ConfigObject o : gone) {
      Integer n = counts.get(o);
      if (n != null) {
        removed.add(o);
        if (n == 1) {
          counts.remove(o);
        } else {
          counts.put(o, n - 1);
        }
      }
    }
    if (removed.size() + added.size() > MAX_CHANGED) {
      return null;
    }
    return new ConfigSet.Change(before, removed, added);
  }
}
