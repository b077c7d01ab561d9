package io.nm4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The walk that times a read goes through the whole array, one read after another. */
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
  void theWalkIsNotInOrder() {
    int[] next = MemoryLatency.cycle(10_000, new SplittableRandom(7));

    // a walk in order would read neighbouring memory, which the prefetcher hides
    int sequential = 0;
    for (int i = 0; i < next.length; i++) {
      if (next[i] == i + 1) {
        sequential++;
      }
    }
    assertThat(sequential).isLessThan(10);
  }
}
