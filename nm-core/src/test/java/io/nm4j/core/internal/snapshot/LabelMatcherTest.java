package io.nm4j.core.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.LabelSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A prepared selector answers exactly what the selector answers, for any labels. */
class LabelMatcherTest {
  private static final String[] KEYS = {"type", "namespace", "tier", "team"};
  private static final String[] VALUES = {"global", "tenant", "a", "b", ""};

  @Test
  void matchesExactlyWhatTheSelectorMatchesOverRandomSelectorsAndLabels() {
    SplittableRandom random = new SplittableRandom(22);
    int matched = 0;
    for (int i = 0; i < 20_000; i++) {
      LabelSelector selector = selector(random);
      Map<String, String> labels = Map.copyOf(pairs(random, random.nextInt(5)));

      boolean expected = selector.matches(labels);

      assertThat(LabelMatcher.of(selector).matches(labels))
          .as("%s on %s", selector, labels)
          .isEqualTo(expected);
      matched += expected ? 1 : 0;
    }
    // Both answers occur often, so the comparison covers matches and misses alike.
    assertThat(matched).isBetween(1_000, 19_000);
  }

  @Test
  void theEmptySelectorMatchesEveryLabelSet() {
    LabelMatcher everything = LabelMatcher.of(LabelSelector.EVERYTHING);

    assertThat(everything.matches(Map.of())).isTrue();
    assertThat(everything.matches(Map.of("type", "tenant"))).isTrue();
  }

  private static LabelSelector selector(SplittableRandom random) {
    Map<String, String> matchLabels = pairs(random, random.nextInt(3));
    List<LabelSelector.Requirement> requirements = new ArrayList<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      LabelSelector.Operator operator =
          LabelSelector.Operator.values()[random.nextInt(LabelSelector.Operator.values().length)];
      Set<String> values = new HashSet<>();
      if (operator == LabelSelector.Operator.IN || operator == LabelSelector.Operator.NOT_IN) {
        for (int v = 1 + random.nextInt(2); v > 0; v--) {
          values.add(pick(random, VALUES));
        }
      }
      requirements.add(new LabelSelector.Requirement(pick(random, KEYS), operator, values));
    }
    return new LabelSelector(matchLabels, requirements);
  }

  private static Map<String, String> pairs(SplittableRandom random, int count) {
    Map<String, String> pairs = new HashMap<>();
    for (int i = 0; i < count; i++) {
      pairs.put(pick(random, KEYS), pick(random, VALUES));
    }
    return pairs;
  }

  private static String pick(SplittableRandom random, String[] from) {
    return from[random.nextInt(from.length)];
  }
}
