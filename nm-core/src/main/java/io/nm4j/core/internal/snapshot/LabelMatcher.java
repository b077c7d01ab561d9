package io.nm4j.core.internal.snapshot;

import io.nm4j.spi.LabelSelector;
import java.util.Map;

/**
 * A {@link LabelSelector} prepared for matching many label sets: its pairs and requirements in
 * arrays, each label read with one {@code get}. Matching through the selector itself walks its
 * immutable map's entry view, which creates an entry per pair on every call; a build matches the
 * settings' selectors against every receiver and config, so it matches through this instead. It
 * answers exactly what {@link LabelSelector#matches} answers.
 */
final class LabelMatcher {
  private final String[] keys;
  private final String[] values;
  private final LabelSelector.Requirement[] requirements;

  private LabelMatcher(String[] keys, String[] values, LabelSelector.Requirement[] requirements) {
    this.keys = keys;
    this.values = values;
    this.requirements = requirements;
  }

  static LabelMatcher of(LabelSelector selector) {
    Map<String, String> pairs = selector.matchLabels();
    String[] keys = new String[pairs.size()];
    String[] values = new String[pairs.size()];
    int i = 0;
    for (Map.Entry<String, String> e : pairs.entrySet()) {
      keys[i] = e.getKey();
      values[i] = e.getValue();
      i++;
    }
    return new LabelMatcher(
        keys, values, selector.matchExpressions().toArray(LabelSelector.Requirement[]::new));
  }

  /** Whether {@code labels} satisfy every pair and requirement of the selector. */
  boolean matches(Map<String, String> labels) {
    for (int i = 0; i < keys.length; i++) {
      if (!values[i].equals(labels.get(keys[i]))) {
        return false;
      }
    }
    for (LabelSelector.Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }
}
