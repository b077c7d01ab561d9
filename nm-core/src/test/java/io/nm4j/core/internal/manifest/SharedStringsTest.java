package io.nm4j.core.internal.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedStringsTest {

  @Test
  void anEqualStringReturnsTheOneKept() {
    String kept = SharedStrings.of(new String("smartHost"));
    assertThat(SharedStrings.of(new String("smartHost"))).isSameAs(kept);
  }

  @Test
  void aStringLongerThanTheLimitIsNeverKept() {
    String longName = "x".repeat(SharedStrings.MAX_LENGTH + 1);
    SharedStrings.of(longName);
    String equal = new String(longName);
    assertThat(SharedStrings.of(equal)).isSameAs(equal);
  }

  @Test
  void moreDistinctStringsThanSlotsOnlyShareLessAndEveryAnswerIsEqualToItsQuestion() {
    List<String> asked = new ArrayList<>();
    for (int i = 0; i < SharedStrings.SLOTS * 4; i++) {
      asked.add("field-" + i);
    }
    for (int round = 0; round < 2; round++) {
      for (String s : asked) {
        assertThat(SharedStrings.of(new String(s))).isEqualTo(s);
      }
    }
  }
}
