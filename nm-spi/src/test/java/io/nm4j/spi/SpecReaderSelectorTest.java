package io.nm4j.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpecReaderSelectorTest {

  private static SpecReader reader(Map<String, Object> spec) {
    return SpecReader.of(spec, "ns");
  }

  @Test
  void anExpressionsErrorsNameTheItemsFullPath() {
    SpecReader spec =
        reader(
            Map.of(
                "emailConfigSelector",
                Map.of(
                    "matchExpressions",
                    List.of(
                        Map.of("key", "tier", "operator", "In", "values", List.of("gold")),
                        Map.of("key", "tier", "operator", "Near"),
                        "not an object"))));

    assertThat(spec.selector("emailConfigSelector")).isNull();
    assertThat(spec.errors())
        .containsExactly(
            new FieldError(
                "spec.emailConfigSelector.matchExpressions[1].operator",
                "unknown operator \"Near\"; use In, NotIn, Exists or DoesNotExist"),
            new FieldError(
                "spec.emailConfigSelector.matchExpressions[2]",
                "must be an object {key, operator, values}"));
  }

  @Test
  void anUnknownSelectorFieldIsAnErrorBesideKnownOnesEvenNull() {
    Map<String, Object> selector = new HashMap<>();
    selector.put("matchLabels", null);
    selector.put("matchExpressions", List.of(Map.of("key", "tier", "operator", "Exists")));
    selector.put("matchFields", Map.of());
    SpecReader spec = reader(Map.of("sel", selector));

    assertThat(spec.selector("sel")).isNull();
    assertThat(spec.errors())
        .containsExactly(
            new FieldError(
                "spec.sel.matchFields",
                "unknown selector field; use matchLabels or matchExpressions"));
  }

  @Test
  void aSelectorOfKnownFieldsOnlyIsRead() {
    Map<String, Object> selector = new HashMap<>();
    selector.put("matchLabels", null);
    selector.put("matchExpressions", List.of(Map.of("key", "tier", "operator", "Exists")));
    SpecReader spec = reader(Map.of("sel", selector));

    LabelSelector read = spec.selector("sel");

    assertThat(spec.errors()).isEmpty();
    assertThat(read).isNotNull();
    assertThat(read.matches(Map.of("tier", "gold"))).isTrue();
    assertThat(read.matches(Map.of("team", "ops"))).isFalse();
  }

  @Test
  void aSelectorOfOneLabelAndOneExpressionIsReadAsTheSelectorItWrites() {
    SpecReader spec =
        reader(
            Map.of(
                "sel",
                Map.of(
                    "matchLabels",
                    Map.of("type", "tenant"),
                    "matchExpressions",
                    List.of(Map.of("key", "tier", "operator", "In", "values", List.of("gold"))))));

    LabelSelector read = spec.selector("sel");

    assertThat(spec.errors()).isEmpty();
    assertThat(read)
        .isEqualTo(
            new LabelSelector(
                Map.of("type", "tenant"),
                List.of(
                    new LabelSelector.Requirement(
                        "tier", LabelSelector.Operator.IN, Set.of("gold")))));
  }

  @Test
  void aSingleLabelThatIsNotAStringIsAnErrorOfItsField() {
    SpecReader spec = reader(Map.of("sel", Map.of("matchLabels", Map.of("tier", 3))));

    assertThat(spec.selector("sel")).isNull();
    assertThat(spec.errors())
        .containsExactly(new FieldError("spec.sel.matchLabels.tier", "must be a string, was 3"));
  }

  @Test
  void aSelectorMatchesItsLabelsAndItsExpressionsBoth() {
    LabelSelector selector =
        new LabelSelector(
            Map.of("type", "tenant"),
            List.of(
                new LabelSelector.Requirement("tier", LabelSelector.Operator.IN, Set.of("gold"))));

    assertThat(selector.matches(Map.of("type", "tenant", "tier", "gold"))).isTrue();
    assertThat(selector.matches(Map.of("type", "global", "tier", "gold"))).isFalse();
    assertThat(selector.matches(Map.of("type", "tenant", "tier", "silver"))).isFalse();
    assertThat(LabelSelector.EVERYTHING.matches(Map.of())).isTrue();
  }
}
