package io.nm4j.core.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ScheduledTimerTest {
  @Test
  void aCalledOffTaskLeavesTheQueueAtOnceAndNeverRuns() {
    ScheduledTimer timer = new ScheduledTimer(Clock.systemUTC());
    try {
      AtomicInteger ran = new AtomicInteger();
      Instant inAnHour = Instant.now().plus(Duration.ofHours(1));
      List<Timer.Cancellable> watchdogs = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        watchdogs.add(timer.schedule(inAnHour, ran::incrementAndGet));
      }
      assertThat(timer.pending()).isEqualTo(1_000);

      watchdogs.forEach(Timer.Cancellable::cancel);

      assertThat(timer.pending()).isZero();
      assertThat(ran).hasValue(0);
    } finally {
      timer.close();
    }
  }

  @Test
  void aTaskDueNowRunsAndOneStillDueStaysQueued() {
    ScheduledTimer timer = new ScheduledTimer(Clock.systemUTC());
    try {
      AtomicInteger ran = new AtomicInteger();
      timer.schedule(Instant.now().plus(Duration.ofHours(1)), ran::incrementAndGet);
      timer.schedule(Instant.EPOCH, ran::incrementAndGet);

      await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == 1);
      assertThat(timer.pending()).isEqualTo(1);
    } finally {
      timer.close();
    }
  }
}
