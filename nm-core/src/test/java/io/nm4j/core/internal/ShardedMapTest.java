package io.nm4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ShardedMapTest {

  private static Map<String, Integer> entries(ShardedMap<Integer> map) {
    Map<String, Integer> out = new HashMap<>();
    map.forEach(out::put);
    return out;
  }

  @Test
  void theKeysOfAShardSpreadOverItsBinsAndTheShardsStayEven() {
    Map<String, Integer> namespaces = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      namespaces.put(String.format(Locale.ROOT, "ns-%05d", i), i);
    }
    int shards = ShardedMap.of(namespaces).shardCount();
    // A shard's HashMap (64 bins at this size) picks a key's bin from the low bits of its spread
    // hash; 8 keys in one bin would turn it into a tree searched by comparing strings.
    Map<Integer, Integer> keysPerShard = new HashMap<>();
    Map<List<Integer>, Integer> keysPerBin = new HashMap<>();
    for (String key : namespaces.keySet()) {
      int shard = ShardedMap.index(key, shards);
      int h = key.hashCode();
      keysPerShard.merge(shard, 1, Integer::sum);
      keysPerBin.merge(List.of(shard, (h ^ (h >>> 16)) & 63), 1, Integer::sum);
    }
    assertThat(shards).isEqualTo(256);
    assertThat(keysPerShard).hasSize(shards);
    assertThat(keysPerShard.values()).allSatisfy(n -> assertThat(n).isBetween(16, 80));
    assertThat(keysPerBin.values()).allSatisfy(n -> assertThat(n).isLessThan(8));
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

  @Test
  void changesOfManyKeysAtOnceHoldWhatAHashMapHoldsAndLeaveTheOriginalAsItWas() {
    Random rnd = new Random(11);
    Map<String, Integer> expected = new HashMap<>();
    ShardedMap<Integer> map = ShardedMap.empty();
    for (int step = 0; step < 200; step++) {
      Map<String, Integer> before = new HashMap<>(expected);
      ShardedMap<Integer> was = map;
      Map<String, @Nullable Integer> changes = new HashMap<>();
      for (int i = rnd.nextInt(step < 20 ? 400 : 60); i >= 0; i--) {
        String key = "ns-" + rnd.nextInt(3_000);
        Integer value = rnd.nextInt(4) == 0 ? null : step;
        changes.put(key, value);
      }
      changes.forEach(
          (k, v) -> {
            if (v == null) {
              expected.remove(k);
            } else {
              expected.put(k, v);
            }
          });

      map = map.withAll(changes);

      assertThat(map.size()).isEqualTo(expected.size());
      assertThat(entries(map)).isEqualTo(expected);
      assertThat(entries(was)).isEqualTo(before);
    }
    assertThat(map.size() / map.shardCount()).isLessThanOrEqualTo(4 * 32);
  }

  @Test
  void aBuilderGuessingLowSplitsAsItGrowsAndHoldsWhatOfHolds() {
    Map<String, Integer> expected = new HashMap<>();
    ShardedMap.Builder<Integer> builder = ShardedMap.builder(10);
    for (int i = 0; i < 10_000; i++) {
      String key = String.format(Locale.ROOT, "ns-%05d", i);
      expected.put(key, i);
      builder.put(key, i);
      builder.put(key, i); // a key put again is counted once
    }

    ShardedMap<Integer> built = builder.build();

    assertThat(built.size()).isEqualTo(10_000);
    assertThat(built.shardCount()).isEqualTo(ShardedMap.of(expected).shardCount());
    assertThat(entries(built)).isEqualTo(expected);
    assertThat(built.keys()).containsExactlyInAnyOrderElementsOf(expected.keySet());
  }

  @Test
  void aBuilderReplacesValuesInPlaceAndRefusesChangesOnceBuilt() {
    ShardedMap.Builder<Integer> builder = ShardedMap.builder(2);
    builder.put("a", 1);
    builder.put("b", 2);
    builder.replaceAll((key, value) -> key.equals("a") ? value * 10 : value);

    ShardedMap<Integer> built = builder.build();

    assertThat(entries(built)).isEqualTo(Map.of("a", 10, "b", 2));
    assertThat(ShardedMap.<Integer>builder(100).build()).isSameAs(ShardedMap.empty());
    assertThatThrownBy(() -> builder.put("c", 3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ShardedMap.Builder");
  }
}
