package io.nm4j.core.internal.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SharedStringsTest {
  private final SharedStrings shared = new SharedStrings();

  @Test
  void anEqualStringReturnsTheOneKept() {
    String kept = shared.of(new String("smartHost"));
    assertThat(shared.of(new String("smartHost"))).isSameAs(kept);
  }

  @Test
  void aStringLongerThanTheLimitIsNeverKept() {
    String longName = "x".repeat(SharedStrings.MAX_LENGTH + 1);
    shared.of(longName);
    String equal = new String(longName);
    assertThat(shared.of(equal)).isSameAs(equal);
  }

  @Test
  void aFloodOfDistinctStringsIsAnsweredWithEqualOnesAndTheTableSharesAgainAfterIt() {
    for (int i = 0; i < SharedStrings.SLOTS * 4; i++) {
      String s = "field-" + i;
      assertThat(shared.of(new String(s))).isEqualTo(s);
    }
    String kept = shared.of(new String("spec"));
    assertThat(shared.of(new String("spec"))).isSameAs(kept);
  }
}
