package io.nm4j.core.internal.v2beta2;

import io.nm4j.core.internal.snapshot.RoutingTables;
import io.nm4j.spi.LabelSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Which of an ordered list of selectors (the global silences, the routers) can match an alert, so
 * only those are evaluated. Each selector is filed under one requirement that every alert it
 * matches meets, on one label: an exact value ({@code matchLabels}, {@code In}), else the last
 * character of the text a {@code Match} pattern must end with, else the first character of the text
 * it must start with. A selector with none of these is a candidate for every alert.
 */
final class MatcherIndex {

  private final int[] unfiled;
  private final Filed[] byLabel;

  /** The selectors filed under one label key. */
  private static final class Filed {
    final String key;
    final Map<String, int[]> byValue = new HashMap<>();
    final Map<Character, int[]> byFirstChar = new HashMap<>();
    final Map<Character, int[]> byLastChar = new HashMap<>();

    Filed(String key) {
      this.key = key;
    }
  }

  /** Indexes {@code matchers}; a candidate is a position in this list. */
  MatcherIndex(List<AlertMatcher> matchers) {
    List<Integer> unfiledPositions = new ArrayList<>();
    Map<String, Filed> filed = new LinkedHashMap<>();
    for (int position = 0; position < matchers.size(); position++) {
      if (!file(matchers.get(position), position, filed)) {
        unfiledPositions.add(position);
      }
    }
    this.unfiled = unfiledPositions.stream().mapToInt(Integer::intValue).toArray();
    this.byLabel = filed.values().toArray(new Filed[0]);
  }

  private static boolean file(AlertMatcher matcher, int position, Map<String, Filed> filed) {
    LabelSelector labels = matcher.labels();
    for (Map.Entry<String, String> e : labels.matchLabels().entrySet()) {
      if (!e.getValue().isEmpty()) {
        Filed f = filed.computeIfAbsent(e.getKey(), Filed::new);
        f.byValue.merge(e.getValue(), new int[] {position}, RoutingTables::mergeSorted);
        return true;
      }
    }
    for (LabelSelector.Requirement r : labels.matchExpressions()) {
      if (r.operator() == LabelSelector.Operator.IN
          && r.values().stream().noneMatch(String::isEmpty)) {
        Filed f = filed.computeIfAbsent(r.key(), Filed::new);
        for (String value : r.values()) {
          f.byValue.merge(value, new int[] {position}, RoutingTables::mergeSorted);
        }
        return true;
      }
    }
    for (AlertMatcher.RegexRequirement r : matcher.matches()) {
      if (!r.requiredSuffix().isEmpty()) {
        Filed f = filed.computeIfAbsent(r.key(), Filed::new);
        String suffix = r.requiredSuffix();
        f.byLastChar.merge(
            suffix.charAt(suffix.length() - 1), new int[] {position}, RoutingTables::mergeSorted);
        return true;
      }
    }
    for (AlertMatcher.RegexRequirement r : matcher.matches()) {
      if (!r.requiredPrefix().isEmpty()) {
        Filed f = filed.computeIfAbsent(r.key(), Filed::new);
        f.byFirstChar.merge(
            r.requiredPrefix().charAt(0), new int[] {position}, RoutingTables::mergeSorted);
        return true;
      }
    }
    return false;
  }

  /** The positions of the selectors that may match {@code labels}, ascending. */
  int[] candidates(Map<String, String> labels) {
    int[] found = unfiled;
    for (Filed f : byLabel) {
      String value = labels.get(f.key);
      if (value == null || value.isEmpty()) {
        continue; // filed requirements need a value: an exact one, or text to start or end with
      }
      found = union(found, f.byValue.get(value));
      found = union(found, f.byFirstChar.get(value.charAt(0)));
      found = union(found, f.byLastChar.get(value.charAt(value.length() - 1)));
    }
    return found;
  }

  private static int[] union(int[] a, int @Nullable [] b) {
    if (b == null || b.length == 0) {
      return a;
    }
    return a.length == 0 ? b : RoutingTables.mergeSorted(a, b);
  }
}
