package io.nm4j.core.internal.v2beta2;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.LabelSelector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The index of routers and global silences: every selector that matches an alert is among its
 * candidates, in order, and selectors filed under a requirement the alert fails are left out.
 */
class MatcherIndexTest {
  private static AlertMatcher regex(String key, String regex) {
    return new AlertMatcher(
        LabelSelector.EVERYTHING,
        List.of(AlertMatcher.RegexRequirement.of(key, SafeRegex.compile(regex))),
        key + "=~" + regex);
  }

  private static AlertMatcher labels(LabelSelector selector) {
    return new AlertMatcher(selector, List.of(), selector.toString());
  }

  private static final List<AlertMatcher> MATCHERS =
      List.of(
          regex("alertname", "^Kube(Pod|Job)3$"),
          regex("alertname", "^Maintenance"),
          regex("alertname", "Down"),
          labels(LabelSelector.of(Map.of("severity", "critical"))),
          labels(
              new LabelSelector(
                  Map.of(),
                  List.of(
                      new LabelSelector.Requirement(
                          "team", LabelSelector.Operator.IN, Set.of("db", "web"))))),
          labels(
              new LabelSelector(
                  Map.of(),
                  List.of(
                      new LabelSelector.Requirement(
                          "team", LabelSelector.Operator.NOT_IN, Set.of("db"))))),
          labels(LabelSelector.of(Map.of("severity", ""))),
          regex("pod", "^api-.*-x$"),
          AlertMatcher.EVERYTHING);

  private static final List<Map<String, String>> ALERTS =
      List.of(
          Map.of(),
          Map.of("alertname", "KubePod3"),
          Map.of("alertname", "KubeJob3\n"),
          Map.of("alertname", "KubePod4"),
          Map.of("alertname", "MaintenanceWindow", "severity", "critical"),
          Map.of("alertname", "NodeDown", "team", "web"),
          Map.of("alertname", "", "team", "db", "severity", ""),
          Map.of("pod", "api-7f-x", "severity", "warning"),
          Map.of("pod", "api-7f-y", "team", "ops"));

  @Test
  void everySelectorThatMatchesIsACandidateInOrder() {
    MatcherIndex index = new MatcherIndex(MATCHERS);
    for (Map<String, String> alert : ALERTS) {
      int[] candidates = index.candidates(alert);
      List<Integer> matching = new ArrayList<>();
      for (int i = 0; i < MATCHERS.size(); i++) {
        if (MATCHERS.get(i).matches(alert)) {
          matching.add(i);
        }
      }
      assertThat(candidates).as("%s", alert).isSorted();
      assertThat(Arrays.stream(candidates).boxed().toList()).as("%s", alert).containsAll(matching);
    }
  }

  @Test
  void selectorsFiledUnderARequirementTheAlertFailsAreNotCandidates() {
    MatcherIndex index = new MatcherIndex(MATCHERS);
    // Only the selectors that no label requirement files are left for an alert with no labels.
    assertThat(index.candidates(Map.of())).containsExactly(2, 5, 6, 8);
    assertThat(index.candidates(Map.of("alertname", "KubePod4", "severity", "warning")))
        .containsExactly(2, 5, 6, 8);
    assertThat(index.candidates(Map.of("alertname", "KubePod3", "team", "db")))
        .containsExactly(0, 2, 4, 5, 6, 8);
  }
}
