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
  void aStringForTheSameSlotTakesItSoTheTableNeverHoldsMoreThanItsSlots() {
    String first = shared.of(new String("spec"));
    String rival = rivalOf("spec");

    assertThat(shared.of(rival)).isSameAs(rival);
    assertThat(shared.of(new String(rival))).isSameAs(rival);
    String again = new String("spec");
    assertThat(shared.of(again)).isSameAs(again).isNotSameAs(first);
  }

  @Test
  void everyStringsSlotIsWithinTheTable() {
    for (int i = 0; i < SharedStrings.SLOTS * 4; i++) {
      assertThat(SharedStrings.slotOf("field-" + i)).isBetween(0, SharedStrings.SLOTS - 1);
    }
  }

  /** A different string that hashes to the slot of {@code name}. */
  private static String rivalOf(String name) {
    for (int i = 0; ; i++) {
      String candidate = "field-" + i;
      if (SharedStrings.slotOf(candidate) == SharedStrings.slotOf(name)) {
        return candidate;
      }
    }
  }
}
