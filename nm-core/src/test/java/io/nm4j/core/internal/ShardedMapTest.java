package io.nm4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShardedMapTest {

  private static Map<String, Integer> entries(ShardedMap<Integer> map) {
    Map<String, Integer> out = new HashMap<>();
    map.forEach(out::put);
    return out;
  }

  @Test
  void randomPutsAndRemovalsHoldWhatAHashMapHolds() {
    Random rnd = new Random(7);
    Map<String, Integer> expected = new HashMap<>();
    for (int i = 0; i < 500; i++) {
      expected.put("ns-" + i, i);
    }
    ShardedMap<Integer> map = ShardedMap.of(expected);
    for (int step = 0; step < 2_000; step++) {
      String key = "ns-" + rnd.nextInt(700);
      if (rnd.nextInt(3) == 0) {
        expected.remove(key);
        map = map.without(key);
      } else {
        expected.put(key, step);
        map = map.with(key, step);
      }
      assertThat(map.size()).isEqualTo(expected.size());
      assertThat(map.get(key)).isEqualTo(expected.get(key));
      assertThat(map.containsKey(key)).isEqualTo(expected.containsKey(key));
    }
    assertThat(entries(map)).isEqualTo(expected);
  }

  @Test
  void aChangedCopyLeavesTheOriginalAsItWas() {
    ShardedMap<Integer> before = ShardedMap.of(Map.of("a", 1, "b", 2));
    ShardedMap<Integer> after = before.with("a", 10).without("b").with("c", 3);

    assertThat(entries(before)).isEqualTo(Map.of("a", 1, "b", 2));
    assertThat(entries(after)).isEqualTo(Map.of("a", 10, "c", 3));
    assertThat(ShardedMap.<Integer>empty().with("x", 1).get("x")).isEqualTo(1);
    assertThat(before.without("absent")).isSameAs(before);
  }

  @Test
  void aMapGrownByChangesIsSplitAgainSoAChangeStillCopiesASmallShard() {
    ShardedMap<Integer> map = ShardedMap.of(Map.of("k0", 0));
    for (int i = 1; i < 10_000; i++) {
      map = map.with("k" + i, i);
    }

    assertThat(map.size()).isEqualTo(10_000);
    assertThat(map.size() / map.shardCount()).isLessThanOrEqualTo(4 * 32);
    for (int i = 0; i < 10_000; i++) {
      assertThat(map.get("k" + i)).isEqualTo(i);
    }
  }
}
