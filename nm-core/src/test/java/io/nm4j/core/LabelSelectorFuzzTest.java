package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.nm4j.spi.LabelSelector;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the label selector string syntax: any text either parses to a selector
 * whose string form parses back to the same selector, or is refused with an {@link
 * IllegalArgumentException} quoting the part it cannot read.
 */
class LabelSelectorFuzzTest {
  private static final Map<String, String> LABELS =
      Map.of("type", "tenant", "namespace", "team-a", "tier", "a");

  @FuzzTest(maxDuration = "10s")
  void anySelectorTextParsesAndRoundTripsOrIsRefusedNamingThePart(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    LabelSelector selector;
    try {
      selector = LabelSelector.parse(text);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).contains("\"");
      return;
    }
    assertThat(LabelSelector.parse(selector.toString()))
        .as(selector.toString())
        .isEqualTo(selector);
    selector.matches(LABELS);
  }
}
