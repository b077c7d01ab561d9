package io.nm4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import java.util.SplittableRandom;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;

/**
 * The walk that times a read goes through the whole array, one read after another, and the median
 * the harnesses report.
 */
class MemoryLatencyTest {
  @Test
  void theWalkVisitsEveryIndexOnceBeforeItComesBack() {
    int n = 10_000;
    int[] next = MemoryLatency.cycle(n, new SplittableRandom(7));

    BitSet seen = new BitSet(n);
    int at = 0;
    for (int step = 0; step < n; step++) {
      assertThat(seen.get(at)).as("index %d seen twice, at step %d", at, step).isFalse();
      seen.set(at);
      at = next[at];
    }
    assertThat(at).isZero();
    assertThat(seen.cardinality()).isEqualTo(n);
  }

  @Test
  void theWalkRarelyStepsToANearbyIndex() {
    int[] next = MemoryLatency.cycle(10_000, new SplittableRandom(7));

    // steps of a fixed small stride, up or down, read memory the prefetcher brings in ahead
    int near = 0;
    for (int i = 0; i < next.length; i++) {
      if (Math.abs(next[i] - i) < 16) {
        near++;
      }
    }
    // a random successor is within 15 places about 31 times in 10,000
    assertThat(near).isLessThan(100);
  }

  @Test
  void theMedianIsTheMiddleValueOrTheMeanOfTheTwoMiddleOnes() {
    assertThat(Medians.of(DoubleStream.of(3, 1, 2))).isEqualTo(2);
    assertThat(Medians.of(DoubleStream.of(4, 1, 3, 2))).isEqualTo(2.5);
    assertThatThrownBy(() -> Medians.of(DoubleStream.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
