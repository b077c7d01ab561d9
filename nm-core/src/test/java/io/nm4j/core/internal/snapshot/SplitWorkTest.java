package io.nm4j.core.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class SplitWorkTest {
  private static final int ITEMS = 10_000;

  /** Takes every item in order as a build does, doing itself what the helper left. */
  private static List<String> takeAll(SplitWork<String> split, IntFunction<String> work) {
    List<String> results = new ArrayList<>(ITEMS);
    for (int i = 0; i < ITEMS; i++) {
      String helped = split.take(i);
      results.add(helped != null ? helped : work.apply(i));
    }
    split.finish();
    return results;
  }

  private static List<String> expected() {
    List<String> expected = new ArrayList<>(ITEMS);
    for (int i = 0; i < ITEMS; i++) {
      expected.add("item-" + i);
    }
    return expected;
  }

  @Test
  void aHelperFromTheEndAndTheBuildDoEachItemOnceAndTheBuildGetsThemInOrder()
      throws InterruptedException {
    AtomicIntegerArray done = new AtomicIntegerArray(ITEMS);
    CountDownLatch helped = new CountDownLatch(1);
    IntFunction<String> work =
        i -> {
          done.incrementAndGet(i);
          return "item-" + i;
        };
    SplitWork<String> split =
        SplitWork.startFromTheEnd(
            "split-test",
            ITEMS,
            i -> {
              helped.countDown();
              return work.apply(i);
            });
    assertThat(helped.await(30, TimeUnit.SECONDS)).as("the helper did an item").isTrue();

    List<String> results = takeAll(split, work);

    assertThat(results).isEqualTo(expected());
    for (int i = 0; i < ITEMS; i++) {
      assertThat(done.get(i)).as("item %d done", i).isEqualTo(1);
    }
  }

  @Test
  void aHelperFromTheMiddleDoesItsItemsInOrderAndNeverOneBeforeItsStart() {
    AtomicIntegerArray done = new AtomicIntegerArray(ITEMS);
    List<Integer> helperOrder = new ArrayList<>();
    IntFunction<String> work =
        i -> {
          done.incrementAndGet(i);
          return "item-" + i;
        };
    IntFunction<String> helper =
        i -> {
          synchronized (helperOrder) {
            helperOrder.add(i);
          }
          return work.apply(i);
        };

    SplitWork<String> split = SplitWork.start("split-test", ITEMS, ITEMS / 2, helper);
    await().atMost(Duration.ofSeconds(30)).until(() -> done.get(ITEMS / 2) == 1);

    List<String> results = takeAll(split, work);

    assertThat(results).isEqualTo(expected());
    for (int i = 0; i < ITEMS; i++) {
      assertThat(done.get(i)).as("item %d done", i).isEqualTo(1);
    }
    synchronized (helperOrder) {
      assertThat(helperOrder).isSorted().allMatch(i -> i >= ITEMS / 2);
    }
  }

  @Test
  void aHelperThatFailsLeavesItsItemAndEveryLaterOneToTheBuild() throws InterruptedException {
    CountDownLatch failed = new CountDownLatch(1);
    IntFunction<String> helper =
        i -> {
          failed.countDown();
          throw new IllegalStateException("helper fails on item " + i);
        };
    SplitWork<String> split = SplitWork.startFromTheEnd("split-test", ITEMS, helper);
    assertThat(failed.await(30, TimeUnit.SECONDS)).isTrue();

    assertThat(takeAll(split, i -> "item-" + i)).isEqualTo(expected());
  }

  @Test
  void aHelpersPlaceIsFreeAgainOnceItsBuildFinished() throws InterruptedException {
    for (int round = 0; round < SplitWork.HELPERS + 2; round++) {
      CountDownLatch started = new CountDownLatch(1);
      SplitWork<String> split =
          SplitWork.startFromTheEnd(
              "split-test",
              ITEMS,
              i -> {
                started.countDown();
                return "item-" + i;
              });
      assertThat(started.await(30, TimeUnit.SECONDS)).as("round %d has a helper", round).isTrue();
      assertThat(takeAll(split, i -> "item-" + i)).isEqualTo(expected());
    }
  }
}
