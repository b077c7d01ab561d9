package io.nm4j.k8s.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoalescingTriggerTest {

  @Test
  void firesDuringARunScheduleExactlyOneMoreRun() throws InterruptedException {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch firstRunStarted = new CountDownLatch(1);
    CountDownLatch releaseFirstRun = new CountDownLatch(1);
    try (CoalescingTrigger trigger =
        new CoalescingTrigger(
            "test-trigger",
            Duration.ZERO,
            () -> {
              if (runs.incrementAndGet() == 1) {
                firstRunStarted.countDown();
                try {
                  releaseFirstRun.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            })) {
      trigger.fire();
      assertThat(firstRunStarted.await(10, TimeUnit.SECONDS)).isTrue();

      // The first run is blocked: these changes must neither be lost nor each cause a run.
      for (int i = 0; i < 50; i++) {
        trigger.fire();
      }
      releaseFirstRun.countDown();

      await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 2);
      // One more fire after everything settled runs again: the trigger is not stuck.
      trigger.fire();
      await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 3);
    }
  }

  @Test
  void firesBeforeTheDelayElapsesJoinOneRun() throws InterruptedException {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch ran = new CountDownLatch(1);
    // A delay far longer than the loop below, so every fire lands before the run.
    try (CoalescingTrigger trigger =
        new CoalescingTrigger(
            "test-trigger",
            Duration.ofSeconds(2),
            () -> {
              runs.incrementAndGet();
              ran.countDown();
            })) {
      for (int i = 0; i < 100; i++) {
        trigger.fire();
      }
      assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(runs.get()).isEqualTo(1);
    }
  }
}
