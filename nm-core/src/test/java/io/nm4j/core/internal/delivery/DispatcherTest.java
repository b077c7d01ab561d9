package io.nm4j.core.internal.delivery;

import static io.nm4j.core.internal.delivery.Deliveries.delivery;
import static io.nm4j.core.internal.delivery.Deliveries.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nm4j.core.delivery.DeliveryOptions;
import io.nm4j.core.delivery.DeliveryOutcome;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.DeliveryListener;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.RatePermits;
import io.nm4j.spi.SendProgress;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DispatcherTest {
  /** Always draws the largest jitter, so backoff delays are exactly their caps. */
  private static final RandomGenerator MAX_JITTER = () -> -1L;

  private final ManualClock clock = new ManualClock();
  private final ManualTimer timer = new ManualTimer(clock);
  private final Deliveries.Recorder recorder = new Deliveries.Recorder();
  private final List<CountDownLatch> latches = new CopyOnWriteArrayList<>();
  private @Nullable Dispatcher dispatcher;

  private Dispatcher start(DeliveryOptions.Builder options) {
    return start(options, recorder, MAX_JITTER);
  }

  private Dispatcher start(
      DeliveryOptions.Builder options, DeliveryListener listener, RandomGenerator random) {
    dispatcher =
        Dispatcher.builder()
            .options(options.build())
            .clock(clock)
            .timer(timer)
            .listener(listener)
            .random(random)
            .build();
    return dispatcher;
  }

  private CountDownLatch latch() {
    CountDownLatch l = new CountDownLatch(1);
    latches.add(l);
    return l;
  }

  @AfterEach
  void shutDown() {
    latches.forEach(CountDownLatch::countDown);
    Dispatcher d = dispatcher;
    if (d != null) {
      CompletableFuture<Void> closed = CompletableFuture.runAsync(d::close);
      await()
          .atMost(10, TimeUnit.SECONDS)
          .until(
              () -> {
                timer.advance(Duration.ofMinutes(1));
                return closed.isDone();
              });
    }
  }

  /** Runs the dispatcher on the manual clock until every future is done. */
  private void drive(Dispatcher d, List<CompletableFuture<DeliveryOutcome>> futures) {
    CompletableFuture<Void> all =
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
    while (!all.isDone()) {
      await()
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(1))
          .atMost(10, TimeUnit.SECONDS)
          .until(() -> d.isIdle() || all.isDone());
      if (!all.isDone() && !timer.advanceToNext()) {
        // a worker may have gone idle just before completing the last future outside the lock
        await()
            .atMost(10, TimeUnit.SECONDS)
            .alias("work left but nothing scheduled")
            .until(all::isDone);
      }
    }
  }

  private static List<CompletableFuture<DeliveryOutcome>> enqueued(
      @Nullable List<CompletableFuture<DeliveryOutcome>> futures) {
    assertThat(futures).isNotNull();
    return futures;
  }

  private static DeliveryOutcome outcome(CompletableFuture<DeliveryOutcome> f) {
    return f.join();
  }

  /** An attempt failing retryably {@code failures} times, then succeeding. */
  private static Delivery.Attempt failing(int failures, AtomicInteger calls) {
    return (deadline, progress) ->
        calls.incrementAndGet() <= failures
            ? SendResult.retryable(Reason.REMOTE_ERROR, "HTTP 502 #" + calls.get())
            : SendResult.delivered();
  }

  @Test
  void failingThreeTimesThenSucceedingIsDeliveredOnTheFourthAttempt() {
    Dispatcher d = start(DeliveryOptions.builder());
    AtomicInteger calls = new AtomicInteger();
    var futures =
        enqueued(d.tryEnqueue(List.of(delivery("EmailReceiver/alice", "t1", failing(3, calls)))));

    drive(d, futures);

    DeliveryOutcome o = outcome(futures.get(0));
    assertThat(o.status()).isEqualTo(DeliveryOutcome.Status.DELIVERED);
    assertThat(o.attempts()).isEqualTo(4);
    assertThat(o.lastFailure()).isNotNull();
    assertThat(o.lastFailure().detail()).isEqualTo("HTTP 502 #3");
    assertThat(calls).hasValue(4);
    String id = o.notification().id();
    assertThat(recorder.events)
        .containsExactly(
            "attempt " + id + " #1 REMOTE_ERROR",
            "attempt " + id + " #2 REMOTE_ERROR",
            "attempt " + id + " #3 REMOTE_ERROR",
            "attempt " + id + " #4 DELIVERED",
            "delivered " + id + " after 4");
  }

  @Test
  void alwaysRetryableFailureIsADeadLetterAfterMaxAttemptsWithTheLastReason() {
    Dispatcher d = start(DeliveryOptions.builder().maxAttempts(5));
    AtomicInteger calls = new AtomicInteger();
    var futures =
        enqueued(
            d.tryEnqueue(
                List.of(delivery("WebhookReceiver/ops", null, failing(Integer.MAX_VALUE, calls)))));

    drive(d, futures);

    DeliveryOutcome o = outcome(futures.get(0));
    assertThat(o.status()).isEqualTo(DeliveryOutcome.Status.DEAD_LETTER);
    assertThat(o.attempts()).isEqualTo(5);
    assertThat(o.lastFailure().reason()).isEqualTo(Reason.REMOTE_ERROR);
    assertThat(o.lastFailure().detail()).isEqualTo("HTTP 502 #5");
    assertThat(calls).hasValue(5);
    assertThat(recorder.deadLetters).hasValue(1);
    assertThat(recorder.attempts).hasSize(5);
  }

  @Test
  void permanentFailureIsAttemptedOnceAndBecomesADeadLetter() {
    Dispatcher d = start(DeliveryOptions.builder());
    AtomicInteger calls = new AtomicInteger();
    Delivery.Attempt rejected =
        (deadline, progress) -> {
          calls.incrementAndGet();
          return SendResult.permanent(Reason.AUTH_REJECTED, "invalid token");
        };
    var futures = enqueued(d.tryEnqueue(List.of(delivery("SlackReceiver/dev", "t1", rejected))));

    drive(d, futures);

    DeliveryOutcome o = outcome(futures.get(0));
    assertThat(o.status()).isEqualTo(DeliveryOutcome.Status.DEAD_LETTER);
    assertThat(o.attempts()).isEqualTo(1);
    assertThat(o.lastFailure().reason()).isEqualTo(Reason.AUTH_REJECTED);
    assertThat(calls).hasValue(1);
  }

  @Test
  void retryAfterIsHonouredNoAttemptHappensBeforeIt() {
    Dispatcher d = start(DeliveryOptions.builder());
    List<Instant> times = new CopyOnWriteArrayList<>();
    Delivery.Attempt limited =
        (deadline, progress) -> {
          times.add(clock.instant());
          return times.size() == 1
              ? SendResult.retryAfter(Reason.RATE_LIMITED, Duration.ofSeconds(120), "HTTP 429")
              : SendResult.delivered();
        };
    Instant start = clock.instant();
    var futures = enqueued(d.tryEnqueue(List.of(delivery("SlackReceiver/dev", "t1", limited))));
    await().until(d::isIdle);
    assertThat(times).hasSize(1);

    timer.advance(Duration.ofSeconds(119));
    await().until(d::isIdle);
    assertThat(times).as("no attempt before Retry-After").hasSize(1);
    assertThat(futures.get(0)).isNotDone();

    timer.advance(Duration.ofSeconds(1));
    drive(d, futures);
    assertThat(times).containsExactly(start, start.plusSeconds(120));
    assertThat(outcome(futures.get(0)).status()).isEqualTo(DeliveryOutcome.Status.DELIVERED);
  }

  @Test
  void waitingForAnEndpointsPermitIsRetriedWhenItFreesAndCostsNoAttempt() {
    Dispatcher d = start(DeliveryOptions.builder().maxAttempts(2));
    List<Instant> times = new CopyOnWriteArrayList<>();
    Delivery.Attempt held =
        (deadline, progress) -> {
          times.add(clock.instant());
          return times.size() <= 5
              ? RatePermits.waitFor("chatbot", clock.instant().plusSeconds(600), clock.instant())
              : SendResult.delivered();
        };
    Instant start = clock.instant();
    var futures = enqueued(d.tryEnqueue(List.of(delivery("DingTalkReceiver/ops", "t1", held))));

    drive(d, futures);

    DeliveryOutcome o = outcome(futures.get(0));
    assertThat(o.status()).isEqualTo(DeliveryOutcome.Status.DELIVERED);
    assertThat(o.attempts()).isEqualTo(1);
    assertThat(times)
        .containsExactly(
            start,
            start.plusSeconds(600),
            start.plusSeconds(1200),
            start.plusSeconds(1800),
            start.plusSeconds(2400),
            start.plusSeconds(3000));
    String id = o.notification().id();
    assertThat(recorder.events)
        .containsExactly("attempt " + id + " #1 DELIVERED", "delivered " + id + " after 1");
  }

  @Test
  void waitingForAPermitPastTheMaxAgeExpires() {
    Dispatcher d = start(DeliveryOptions.builder().maxAge(Duration.ofMinutes(15)));
    Delivery.Attempt held =
        (deadline, progress) ->
            RatePermits.waitFor("chatbot", clock.instant().plusSeconds(600), clock.instant());
    var futures = enqueued(d.tryEnqueue(List.of(delivery("DingTalkReceiver/ops", "t1", held))));

    drive(d, futures);

    DeliveryOutcome o = outcome(futures.get(0));
    assertThat(o.status()).isEqualTo(DeliveryOutcome.Status.DEAD_LETTER);
    assertThat(o.lastFailure().reason()).isEqualTo(Reason.EXPIRED);
    assertThat(o.lastFailure().detail()).contains("after 0 attempt(s)").contains("AWAITING_PERMIT");
  }

  @Test
  void retriesBackOffExponentiallyUpToMaxBackoff() {
    Dispatcher d =
        start(
            DeliveryOptions.builder()
                .maxAttempts(7)
                .initialBackoff(Duration.ofSeconds(1))
                .maxBackoff(Duration.ofSeconds(8)));
    List<Instant> times = new CopyOnWriteArrayList<>();
    Delivery.Attempt failing =
        (deadline, progress) -> {
          times.add(clock.instant());
          return SendResult.retryable(Reason.CONNECTION_FAILED, "refused");
        };
    var futures = enqueued(d.tryEnqueue(List.of(delivery("WebhookReceiver/ops", null, failing))));

    drive(d, futures);

    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < times.size(); i++) {
      gaps.add(Duration.between(times.get(i - 1), times.get(i)).toSeconds());
    }
    assertThat(gaps).containsExactly(1L, 2L, 4L, 8L, 8L, 8L);
  }

  @Test
  void fullJitterCanRetryAtOnceWhenTheDrawIsZero() {
    Dispatcher d = start(DeliveryOptions.builder().maxAttempts(3), recorder, () -> 0L);
    List<Instant> times = new CopyOnWriteArrayList<>();
    Delivery.Attempt failing =
        (deadline, progress) -> {
          times.add(clock.instant());
          return SendResult.retryable(Reason.CONNECTION_FAILED, "refused");
        };
    Instant start = clock.instant();
    var futures = enqueued(d.tryEnqueue(List.of(delivery("WebhookReceiver/ops", null, failing))));

    drive(d, futures);

    assertThat(times).containsExactly(start, start, start);
  }

  @Test
  void retriesStopAtMaxAgeAsExpiredNamingTheLastFailure() {
    Dispatcher d =
        start(
            DeliveryOptions.builder()
                .maxAge(Duration.ofSeconds(10))
                .initialBackoff(Duration.ofSeconds(4))
                .maxBackoff(Duration.ofSeconds(4)));
    AtomicInteger calls = new AtomicInteger();
    var futures =
        enqueued(
            d.tryEnqueue(
                List.of(delivery("WebhookReceiver/ops", null, failing(Integer.MAX_VALUE, calls)))));

    drive(d, futures);

    DeliveryOutcome o = outcome(futures.get(0));
    assertThat(o.status()).isEqualTo(DeliveryOutcome.Status.DEAD_LETTER);
    assertThat(calls).as("attempts at 0s, 4s, 8s; 12s is past the max age").hasValue(3);
    assertThat(o.attempts()).isEqualTo(3);
    assertThat(o.lastFailure().reason()).isEqualTo(Reason.EXPIRED);
    assertThat(o.lastFailure().detail()).contains("REMOTE_ERROR: HTTP 502 #3");
  }

  @Test
  void aNotificationQueuedPastItsMaxAgeExpiresWithoutAnAttempt() {
    Dispatcher d =
        start(
            DeliveryOptions.builder()
                .maxAge(Duration.ofMinutes(10))
                .sendTimeout(Duration.ofMinutes(5))
                .initialBackoff(Duration.ofSeconds(1))
                .maxBackoff(Duration.ofSeconds(1)));
    AtomicInteger headCalls = new AtomicInteger();
    Delivery.Attempt head =
        (deadline, progress) -> {
          if (headCalls.incrementAndGet() == 1) {
            return SendResult.retryAfter(Reason.RATE_LIMITED, Duration.ofMinutes(9), "429");
          }
          clock.advance(Duration.ofMinutes(2)); // a slow but successful send
          return SendResult.delivered();
        };
    AtomicInteger behindCalls = new AtomicInteger();
    var futures =
        enqueued(
            d.tryEnqueue(
                List.of(
                    delivery("SlackReceiver/dev", "t1", head),
                    delivery("SlackReceiver/dev", "t1", failing(0, behindCalls)))));

    drive(d, futures);

    // the head is retried at 9 min and done at 11; the one behind it expired at 10
    assertThat(outcome(futures.get(0)).status()).isEqualTo(DeliveryOutcome.Status.DELIVERED);
    DeliveryOutcome behind = outcome(futures.get(1));
    assertThat(behind.status()).isEqualTo(DeliveryOutcome.Status.DEAD_LETTER);
    assertThat(behind.lastFailure().reason()).isEqualTo(Reason.EXPIRED);
    assertThat(behind.attempts()).isZero();
    assertThat(behindCalls).hasValue(0);
  }

  @Test
  void aResultArrivingAfterTheSendTimeoutCountsAsTimeout() {
    Dispatcher d = start(DeliveryOptions.builder().sendTimeout(Duration.ofSeconds(30)));
    AtomicInteger calls = new AtomicInteger();
    Delivery.Attempt slowThenFast =
        (deadline, progress) -> {
          if (calls.incrementAndGet() == 1) {
            clock.advance(Duration.ofSeconds(31));
          }
          return SendResult.delivered();
        };
    var futures =
        enqueued(d.tryEnqueue(List.of(delivery("EmailReceiver/bob", "t1", slowThenFast))));

    drive(d, futures);

    assertThat(recorder.attempts)
        .first()
        .isInstanceOfSatisfying(
            SendResult.Failed.class,
            f -> {
              assertThat(f.reason()).isEqualTo(Reason.TIMEOUT);
              assertThat(f.retryable()).isTrue();
            });
    assertThat(outcome(futures.get(0)).attempts()).isEqualTo(2);
    assertThat(outcome(futures.get(0)).status()).isEqualTo(DeliveryOutcome.Status.DELIVERED);
  }

  @Test
  void aSendHangingPastItsDeadlineIsInterruptedAndCountsAsTimeout() {
    Dispatcher d = start(DeliveryOptions.builder().sendTimeout(Duration.ofSeconds(30)));
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch never = latch();
    AtomicInteger calls = new AtomicInteger();
    List<Instant> deadlines = new CopyOnWriteArrayList<>();
    Delivery.Attempt hangsOnce =
        (deadline, progress) -> {
          deadlines.add(deadline);
          if (calls.incrementAndGet() == 1) {
            started.countDown();
            try {
              never.await();
            } catch (InterruptedException e) {
              throw new IllegalStateException("interrupted", e);
            }
          }
          return SendResult.delivered();
        };
    Instant start = clock.instant();
    var futures = enqueued(d.tryEnqueue(List.of(delivery("EmailReceiver/bob", "t1", hangsOnce))));
    await().until(() -> started.getCount() == 0);

    timer.advance(Duration.ofSeconds(30));
    drive(d, futures);

    assertThat(deadlines.get(0)).isEqualTo(start.plusSeconds(30));
    assertThat(recorder.attempts.peek())
        .isInstanceOfSatisfying(
            SendResult.Failed.class, f -> assertThat(f.reason()).isEqualTo(Reason.TIMEOUT));
    assertThat(outcome(futures.get(0)).status()).isEqualTo(DeliveryOutcome.Status.DELIVERED);
    assertThat(outcome(futures.get(0)).attempts()).isEqualTo(2);
  }

  @Test
  void eachRetryGetsWhatEveryEarlierAttemptReportedDelivered() {
    Dispatcher d = start(DeliveryOptions.builder());
    List<SendProgress> given = new CopyOnWriteArrayList<>();
    Delivery.Attempt partOfItEachTime =
        (deadline, progress) -> {
          given.add(progress);
          return switch (given.size()) {
            case 1 ->
                SendResult.retryable(Reason.REMOTE_ERROR, "part 2 failed").withProgress(keys("p1"));
            // Reports only what it delivered itself: the dispatcher adds it up.
            case 2 ->
                SendResult.retryable(Reason.REMOTE_ERROR, "part 3 failed").withProgress(keys("p2"));
            case 3 -> SendResult.retryable(Reason.TIMEOUT, "token fetch timed out");
            default -> SendResult.delivered("part 3 posted");
          };
        };
    var futures =
        enqueued(d.tryEnqueue(List.of(delivery("SlackReceiver/ops", "t1", partOfItEachTime))));

    drive(d, futures);

    assertThat(outcome(futures.get(0)).status()).isEqualTo(DeliveryOutcome.Status.DELIVERED);
    assertThat(given)
        .containsExactly(SendProgress.NONE, keys("p1"), keys("p1", "p2"), keys("p1", "p2"));
    assertThat(d.progressKeys()).isZero();
  }

  @Test
  void progressOfAFailureThatEndsTheDeliveryIsNotKept() {
    Dispatcher d = start(DeliveryOptions.builder().maxAttempts(2));
    List<SendProgress> given = new CopyOnWriteArrayList<>();
    Delivery.Attempt failsTwice =
        (deadline, progress) -> {
          given.add(progress);
          return SendResult.retryable(Reason.REMOTE_ERROR, "HTTP 503")
              .withProgress(keys("p" + given.size()));
        };
    var futures = enqueued(d.tryEnqueue(List.of(delivery("SlackReceiver/ops", "t1", failsTwice))));

    drive(d, futures);

    assertThat(outcome(futures.get(0)).status()).isEqualTo(DeliveryOutcome.Status.DEAD_LETTER);
    assertThat(given).containsExactly(SendProgress.NONE, keys("p1"));
    assertThat(d.progressKeys()).isZero();
  }

  @Test
  void whatALateFailureSaysItDeliveredIsKeptThoughTheAttemptCountsAsATimeout() {
    Dispatcher d = start(DeliveryOptions.builder().sendTimeout(Duration.ofSeconds(30)));
    List<SendProgress> given = new CopyOnWriteArrayList<>();
    Delivery.Attempt slowFailure =
        (deadline, progress) -> {
          given.add(progress);
          if (given.size() == 1) {
            clock.set(deadline.plusSeconds(1));
            return SendResult.retryable(Reason.REMOTE_ERROR, "part 2 failed")
                .withProgress(keys("p1"));
          }
          return SendResult.delivered();
        };
    var futures = enqueued(d.tryEnqueue(List.of(delivery("SlackReceiver/ops", "t1", slowFailure))));

    drive(d, futures);

    assertThat(recorder.attempts.peek())
        .isInstanceOfSatisfying(
            SendResult.Failed.class, f -> assertThat(f.reason()).isEqualTo(Reason.TIMEOUT));
    assertThat(given).containsExactly(SendProgress.NONE, keys("p1"));
  }

  @Test
  void progressBeyondTheDispatchersBudgetIsNotKeptSoThatRetryResendsIt() {
    int full = SendProgress.MAX_KEYS;
    int fits = Dispatcher.MAX_PROGRESS_KEYS / full;
    Dispatcher d = start(DeliveryOptions.builder().workers(4));
    List<SendProgress> retries = new CopyOnWriteArrayList<>();
    AtomicInteger firstAttempts = new AtomicInteger();
    List<Delivery> all = new ArrayList<>();
    for (int i = 0; i <= fits; i++) {
      String prefix = "n" + i + "-";
      AtomicInteger calls = new AtomicInteger();
      all.add(
          delivery(
              "SlackReceiver/r" + i,
              "t1",
              (deadline, progress) -> {
                if (calls.incrementAndGet() == 1) {
                  firstAttempts.incrementAndGet();
                  SendProgress.Builder b = SendProgress.NONE.toBuilder();
                  for (int k = 0; k < full; k++) {
                    b.add(prefix + k);
                  }
                  return SendResult.retryable(Reason.REMOTE_ERROR, "last part failed")
                      .withProgress(b.build());
                }
                retries.add(progress);
                return SendResult.delivered();
              }));
    }
    var futures = enqueued(d.tryEnqueue(all));
    await().until(() -> firstAttempts.get() == fits + 1 && d.isIdle());
    assertThat(d.progressKeys()).isEqualTo(Dispatcher.MAX_PROGRESS_KEYS);

    drive(d, futures);

    assertThat(retries).hasSize(fits + 1);
    assertThat(retries).filteredOn(SendProgress::isEmpty).hasSize(1);
    assertThat(retries).filteredOn(p -> p.size() == full).hasSize(fits);
    assertThat(d.progressKeys()).isZero();
  }

  private static SendProgress keys(String... keys) {
    return new SendProgress(Set.of(keys));
  }

  @Test
  void anExceptionFromTheAttemptIsAPermanentInternalFailureNeverLost() {
    Dispatcher d = start(DeliveryOptions.builder());
    AtomicInteger calls = new AtomicInteger();
    Delivery.Attempt buggy =
        (deadline, progress) -> {
          calls.incrementAndGet();
          throw new IllegalStateException("template blew up");
        };
    var futures = enqueued(d.tryEnqueue(List.of(delivery("DingTalkReceiver/bot", "t1", buggy))));

    drive(d, futures);

    DeliveryOutcome o = outcome(futures.get(0));
    assertThat(o.status()).isEqualTo(DeliveryOutcome.Status.DEAD_LETTER);
    assertThat(o.lastFailure().reason()).isEqualTo(Reason.INTERNAL);
    assertThat(o.lastFailure().retryable()).isFalse();
    // The type only: an exception's message may hold anything, a secret included.
    assertThat(o.lastFailure().detail())
        .isEqualTo("the send failed unexpectedly (java.lang.IllegalStateException)")
        .doesNotContain("template blew up");
    assertThat(calls).hasValue(1);
  }

  @Test
  void deliveredPlusDeadLetteredEqualsAcceptedOverARandomMixOfAThousand() {
    Dispatcher d =
        start(
            DeliveryOptions.builder().workers(4).maxAttempts(4), recorder, new SplittableRandom(7));
    SplittableRandom plan = new SplittableRandom(42);
    List<Delivery> all = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String tenant = "t" + plan.nextInt(4);
      String receiver = "WebhookReceiver/" + tenant + "-r" + plan.nextInt(5);
      AtomicInteger calls = new AtomicInteger();
      int kind = plan.nextInt(6);
      Delivery.Attempt attempt =
          switch (kind) {
            case 0 -> ok();
            case 1 -> failing(2, calls);
            case 2 -> (deadline, progress) -> SendResult.permanent(Reason.REJECTED, "HTTP 400");
            case 3 -> failing(Integer.MAX_VALUE, calls);
            case 4 ->
                (deadline, progress) -> {
                  throw new IllegalArgumentException("bug");
                };
            default ->
                (deadline, progress) ->
                    calls.incrementAndGet() == 1
                        ? SendResult.retryAfter(Reason.RATE_LIMITED, Duration.ofSeconds(30), "429")
                        : SendResult.delivered();
          };
      expected.add(
          switch (kind) {
            case 0 -> "DELIVERED 1";
            case 1 -> "DELIVERED 3";
            case 2 -> "DEAD_LETTER 1 REJECTED";
            case 3 -> "DEAD_LETTER 4 REMOTE_ERROR";
            case 4 -> "DEAD_LETTER 1 INTERNAL";
            default -> "DELIVERED 2";
          });
      all.add(delivery(receiver, tenant, attempt));
    }
    List<CompletableFuture<DeliveryOutcome>> futures = new ArrayList<>();
    for (int i = 0; i < all.size(); i += 10) {
      futures.addAll(enqueued(d.tryEnqueue(all.subList(i, i + 10))));
    }

    drive(d, futures);

    List<String> actual = new ArrayList<>();
    for (CompletableFuture<DeliveryOutcome> f : futures) {
      DeliveryOutcome o = f.join();
      actual.add(
          o.status()
              + " "
              + o.attempts()
              + (o.status() == DeliveryOutcome.Status.DEAD_LETTER
                  ? " " + o.lastFailure().reason()
                  : ""));
    }
    assertThat(actual).isEqualTo(expected);
    assertThat(recorder.delivered.get() + recorder.deadLetters.get()).isEqualTo(1000);
    assertThat(d.queued()).isZero();
  }

  @Test
  void aBlockedReceiverDoesNotStopOthersFromCompleting() {
    Dispatcher d = start(DeliveryOptions.builder().workers(2));
    CountDownLatch release = latch();
    Delivery.Attempt blocked =
        (deadline, progress) -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          return SendResult.delivered();
        };
    var slow =
        enqueued(
            d.tryEnqueue(
                List.of(
                    delivery("EmailReceiver/slow", "t1", blocked),
                    delivery("EmailReceiver/slow", "t1", ok()))));
    List<Delivery> others = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      others.add(delivery("SlackReceiver/fast-" + (i % 5), i % 2 == 0 ? "t1" : "t2", ok()));
    }
    var fast = enqueued(d.tryEnqueue(others));

    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> fast.stream().allMatch(CompletableFuture::isDone));

    assertThat(fast)
        .allSatisfy(f -> assertThat(f.join().status()).isEqualTo(DeliveryOutcome.Status.DELIVERED));
    assertThat(slow).noneMatch(CompletableFuture::isDone);
    release.countDown();
    drive(d, slow);
    assertThat(slow).allMatch(f -> f.join().status() == DeliveryOutcome.Status.DELIVERED);
  }

  @Test
  void aReceiverWaitingForARetryHoldsNoWorker() {
    Dispatcher d = start(DeliveryOptions.builder().workers(1));
    AtomicInteger calls = new AtomicInteger();
    var failingOne =
        enqueued(d.tryEnqueue(List.of(delivery("WebhookReceiver/down", "t1", failing(1, calls)))));
    await().until(() -> calls.get() == 1);
    List<Delivery> others = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      others.add(delivery("WebhookReceiver/up", "t1", ok()));
    }
    var fine = enqueued(d.tryEnqueue(others));

    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> fine.stream().allMatch(CompletableFuture::isDone));

    assertThat(failingOne.get(0)).as("still waiting for its retry").isNotDone();
    drive(d, failingOne);
    assertThat(outcome(failingOne.get(0)).attempts()).isEqualTo(2);
  }

  @Test
  void oneTenantsFloodDoesNotStarveAnother() {
    Dispatcher d = start(DeliveryOptions.builder().workers(1));
    List<String> sent = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch bEnqueued = latch();
    AtomicInteger aCalls = new AtomicInteger();
    List<Delivery> flood = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      flood.add(
          delivery(
              "EmailReceiver/a-" + (i % 10),
              "tenant-a",
              (deadline, progress) -> {
                if (aCalls.incrementAndGet() == 1) {
                  // hold the first send until B has enqueued, so the flood is queued ahead of B
                  try {
                    bEnqueued.await();
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                }
                sent.add("A");
                return SendResult.delivered();
              }));
    }
    var a = enqueued(d.tryEnqueue(flood));
    List<Delivery> few = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      few.add(
          delivery(
              "EmailReceiver/b",
              "tenant-b",
              (deadline, progress) -> {
                sent.add("B");
                return SendResult.delivered();
              }));
    }
    var b = enqueued(d.tryEnqueue(few));
    bEnqueued.countDown();

    List<CompletableFuture<DeliveryOutcome>> all = new ArrayList<>(a);
    all.addAll(b);
    drive(d, all);

    List<String> order = List.copyOf(sent);
    int lastB = order.lastIndexOf("B");
    int hundredthA = -1;
    for (int i = 0, seen = 0; i < order.size(); i++) {
      if (order.get(i).equals("A") && ++seen == 100) {
        hundredthA = i;
        break;
      }
    }
    assertThat(order).hasSize(1010);
    assertThat(lastB).isLessThan(hundredthA);
    assertThat(lastB).as("B alternates with A").isLessThan(25);
  }

  @Test
  void rateLimitDeliversAllButNeverMoreThanTwentyInAnyMinute() {
    Dispatcher d = start(DeliveryOptions.builder().workers(4));
    ChannelLimits.Rate rate = new ChannelLimits.Rate(20, Duration.ofMinutes(1));
    List<Instant> sends = new CopyOnWriteArrayList<>();
    List<Delivery> batch = new ArrayList<>();
    for (int i = 0; i < 45; i++) {
      // three receivers share one robot, and so its limit
      Notification n = Deliveries.notification("DingTalkReceiver/r" + (i % 3), "t1");
      batch.add(
          new Delivery(
              n,
              "t1",
              "DingTalkConfig/team-bot",
              rate,
              (deadline, progress) -> {
                sends.add(clock.instant());
                return SendResult.delivered();
              }));
    }
    Instant start = clock.instant();
    var futures = enqueued(d.tryEnqueue(batch));

    drive(d, futures);

    assertThat(futures).allMatch(f -> f.join().status() == DeliveryOutcome.Status.DELIVERED);
    assertThat(sends).hasSize(45);
    for (Instant t : sends) {
      long inWindow =
          sends.stream().filter(s -> !s.isBefore(t) && s.isBefore(t.plusSeconds(60))).count();
      assertThat(inWindow).as("sends in [%s, +1 min)", t).isLessThanOrEqualTo(20);
    }
    assertThat(sends.stream().filter(start::equals)).hasSize(20);
    assertThat(sends.stream().filter(start.plusSeconds(60)::equals)).hasSize(20);
    assertThat(sends.stream().filter(start.plusSeconds(120)::equals)).hasSize(5);
  }

  @Test
  void aFullReceiverQueueRejectsTheWholeListAndEnqueuesNothingOfIt() {
    Dispatcher d = start(DeliveryOptions.builder().maxQueuedPerReceiver(3));
    CountDownLatch release = latch();
    Delivery.Attempt blocked =
        (deadline, progress) -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          return SendResult.delivered();
        };
    var first =
        enqueued(
            d.tryEnqueue(
                List.of(
                    delivery("EmailReceiver/full", "t1", blocked),
                    delivery("EmailReceiver/full", "t1", ok()),
                    delivery("EmailReceiver/full", "t1", ok()))));

    var rejected =
        d.tryEnqueue(
            List.of(
                delivery("EmailReceiver/other", "t1", ok()),
                delivery("EmailReceiver/full", "t1", ok())));

    assertThat(rejected).isNull();
    assertThat(d.queued(new ObjectRef("EmailReceiver", "other"))).isZero();
    assertThat(d.queued(new ObjectRef("EmailReceiver", "full"))).isEqualTo(3);
    assertThat(d.queued()).isEqualTo(3);
    release.countDown();
    drive(d, first);
    assertThat(recorder.delivered).hasValue(3);
  }

  @Test
  void aListGivingOneNewReceiverMoreThanItsLimitIsRejectedAndLeavesNoQueueBehind() {
    Dispatcher d = start(DeliveryOptions.builder().maxQueuedPerReceiver(3));
    List<Delivery> four = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      four.add(delivery("EmailReceiver/new", "t-new", ok()));
    }

    assertThat(d.tryEnqueue(four)).isNull();
    assertThat(d.queued(new ObjectRef("EmailReceiver", "new"))).isZero();
    assertThat(d.queued()).isZero();

    // the counts of the refused list are gone: three fit again
    var accepted = enqueued(d.tryEnqueue(four.subList(0, 3)));
    drive(d, accepted);
    assertThat(recorder.delivered).hasValue(3);
  }

  @Test
  void theTotalCapRejectsAListThatWouldExceedIt() {
    Dispatcher d = start(DeliveryOptions.builder().maxQueuedTotal(4));
    CountDownLatch release = latch();
    Delivery.Attempt blocked =
        (deadline, progress) -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          return SendResult.delivered();
        };
    List<Delivery> three = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      three.add(delivery("EmailReceiver/r" + i, "t" + i, blocked));
    }
    var first = enqueued(d.tryEnqueue(three));

    assertThat(
            d.tryEnqueue(
                List.of(
                    delivery("EmailReceiver/x", "t9", ok()),
                    delivery("EmailReceiver/y", "t9", ok()))))
        .isNull();
    assertThat(d.queued()).isEqualTo(3);
    var fits = enqueued(d.tryEnqueue(List.of(delivery("EmailReceiver/x", "t9", blocked))));
    assertThat(d.queued()).isEqualTo(4);

    release.countDown();
    List<CompletableFuture<DeliveryOutcome>> all = new ArrayList<>(first);
    all.addAll(fits);
    drive(d, all);
    assertThat(recorder.delivered).hasValue(4);
  }

  @Test
  void closeStopsAcceptingAndDrainsWhatIsQueued() {
    Dispatcher d = start(DeliveryOptions.builder().workers(1));
    CountDownLatch release = latch();
    Delivery.Attempt blocked =
        (deadline, progress) -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          return SendResult.delivered();
        };
    List<Delivery> four = new ArrayList<>();
    four.add(delivery("EmailReceiver/a", "t1", blocked));
    for (int i = 0; i < 3; i++) {
      four.add(delivery("EmailReceiver/b", "t2", ok()));
    }
    var futures = enqueued(d.tryEnqueue(four));
    await().until(() -> timer.pending() == 1); // the send timeout of the blocked send

    CompletableFuture<Void> closed = CompletableFuture.runAsync(d::close);
    await().until(() -> timer.pending() == 2); // and the drain timeout: close is waiting

    assertThat(d.tryEnqueue(List.of(delivery("EmailReceiver/c", "t1", ok())))).isNull();
    assertThat(closed).isNotDone();
    release.countDown();
    await().atMost(10, TimeUnit.SECONDS).until(closed::isDone);

    assertThat(futures)
        .allSatisfy(f -> assertThat(f.join().status()).isEqualTo(DeliveryOutcome.Status.DELIVERED));
  }

  @Test
  void closeDeadLettersWhatIsLeftAfterTheDrainTimeoutAsShutdown() {
    Dispatcher d =
        start(
            DeliveryOptions.builder()
                .drainTimeout(Duration.ofSeconds(10))
                .initialBackoff(Duration.ofMinutes(1)));
    AtomicInteger calls = new AtomicInteger();
    var futures =
        enqueued(
            d.tryEnqueue(
                List.of(
                    delivery("WebhookReceiver/down", "t1", failing(Integer.MAX_VALUE, calls)),
                    delivery("WebhookReceiver/down", "t1", ok()))));
    await().until(d::isIdle);

    CompletableFuture<Void> closed = CompletableFuture.runAsync(d::close);
    await().until(() -> timer.pending() == 2); // the retry and the drain timeout
    timer.advance(Duration.ofSeconds(10));
    await().atMost(10, TimeUnit.SECONDS).until(closed::isDone);

    DeliveryOutcome retried = futures.get(0).join();
    assertThat(retried.status()).isEqualTo(DeliveryOutcome.Status.DEAD_LETTER);
    assertThat(retried.attempts()).isEqualTo(1);
    assertThat(retried.lastFailure().reason()).isEqualTo(Reason.SHUTDOWN);
    assertThat(retried.lastFailure().detail()).contains("REMOTE_ERROR: HTTP 502 #1");
    DeliveryOutcome waiting = futures.get(1).join();
    assertThat(waiting.lastFailure().reason()).isEqualTo(Reason.SHUTDOWN);
    assertThat(waiting.attempts()).isZero();
    assertThat(calls).hasValue(1);
    assertThat(recorder.deadLetters).hasValue(2);
  }

  @Test
  void aThrowingListenerNeverLosesTheOutcome() {
    DeliveryListener broken =
        new DeliveryListener() {
          @Override
          public void onAttempt(Notification n, int attempt, SendResult result) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void onDelivered(Notification n, int attempts) {
            throw new IllegalStateException("listener bug");
          }
        };
    Dispatcher d = start(DeliveryOptions.builder(), broken, MAX_JITTER);
    var futures = enqueued(d.tryEnqueue(List.of(delivery("EmailReceiver/a", "t1", ok()))));

    drive(d, futures);

    assertThat(futures.get(0).join().status()).isEqualTo(DeliveryOutcome.Status.DELIVERED);
  }

  @Test
  void anEmptyListIsAcceptedWithNoFutures() {
    Dispatcher d = start(DeliveryOptions.builder());
    assertThat(d.tryEnqueue(List.of())).isEmpty();
    assertThat(d.isIdle()).isTrue();
  }

  @Test
  void aReceiverSendsItsNotificationsInOrderOneAtATime() {
    Dispatcher d = start(DeliveryOptions.builder().workers(8));
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    List<String> order = new CopyOnWriteArrayList<>();
    List<Delivery> batch = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String label = "m" + i;
      batch.add(
          delivery(
              "EmailReceiver/one",
              "t1",
              (deadline, progress) -> {
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                order.add(label);
                inFlight.decrementAndGet();
                return SendResult.delivered();
              }));
    }
    var futures = enqueued(d.tryEnqueue(batch));

    drive(d, futures);

    assertThat(maxInFlight).hasValue(1);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      expected.add("m" + i);
    }
    assertThat(order).isEqualTo(expected);
  }

  /** An attempt that waits for {@code release}, counting itself in flight meanwhile. */
  private static Delivery.Attempt held(
      String label,
      CountDownLatch release,
      List<String> started,
      AtomicInteger inFlight,
      AtomicInteger maxInFlight) {
    return (deadline, progress) -> {
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      started.add(label);
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      } finally {
        inFlight.decrementAndGet();
      }
      return SendResult.delivered();
    };
  }

  @Test
  void differentGroupsOfOneReceiverAreInFlightTogetherUpToTheLimitAndNeverMore() {
    Dispatcher d = start(DeliveryOptions.builder().workers(8).maxInFlightPerReceiver(3));
    List<String> started = new CopyOnWriteArrayList<>();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    List<CountDownLatch> releases = new ArrayList<>();
    List<Delivery> batch = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      CountDownLatch release = latch();
      releases.add(release);
      batch.add(
          delivery(
              "WebhookReceiver/global",
              null,
              "{}:{namespace=\"ns-" + i + "\"}",
              held("g" + i, release, started, inFlight, maxInFlight)));
    }
    var futures = enqueued(d.tryEnqueue(batch));

    await().until(() -> started.size() == 3 && d.isSettled());
    assertThat(started).containsExactlyInAnyOrder("g0", "g1", "g2");
    assertThat(inFlight).hasValue(3);

    releases.get(1).countDown();
    await().until(() -> started.size() == 4 && d.isSettled());
    assertThat(started).as("the next in arrival order takes the freed place").endsWith("g3");
    assertThat(inFlight).hasValue(3);

    releases.forEach(CountDownLatch::countDown);
    drive(d, futures);
    assertThat(futures).allMatch(f -> f.join().status() == DeliveryOutcome.Status.DELIVERED);
    assertThat(maxInFlight).hasValue(3);
  }

  @Test
  void withOnePlaceAGroupQueuedBeforeTheReceiversSecondGroupArrivedStillStartsFirst() {
    Dispatcher d = start(DeliveryOptions.builder().workers(1).maxInFlightPerReceiver(1));
    List<String> started = new CopyOnWriteArrayList<>();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    CountDownLatch releaseOther = latch();
    CountDownLatch release = latch();
    String receiver = "WebhookReceiver/global";
    var futures =
        new ArrayList<>(
            enqueued(
                d.tryEnqueue(
                    List.of(
                        delivery(
                            "WebhookReceiver/other",
                            "t1",
                            held("other", releaseOther, started, inFlight, maxInFlight))))));
    await().until(() -> started.size() == 1 && d.isSettled());
    // The only worker is busy, so the receiver's one group waits queued, not in progress, when
    // the second group arrives.
    futures.addAll(
        enqueued(
            d.tryEnqueue(
                List.of(
                    delivery(
                        receiver,
                        null,
                        "{}:{a}",
                        held("a1", release, started, inFlight, maxInFlight)),
                    delivery(
                        receiver,
                        null,
                        "{}:{a}",
                        held("a2", release, started, inFlight, maxInFlight))))));
    futures.addAll(
        enqueued(
            d.tryEnqueue(
                List.of(
                    delivery(
                        receiver,
                        null,
                        "{}:{b}",
                        held("b1", release, started, inFlight, maxInFlight))))));

    releaseOther.countDown();
    release.countDown();
    drive(d, futures);

    assertThat(started).containsExactly("other", "a1", "a2", "b1");
    assertThat(futures).allMatch(f -> f.join().status() == DeliveryOutcome.Status.DELIVERED);
  }

  /** An attempt that records its label and is delivered. */
  private static Delivery.Attempt recording(String label, List<String> sent) {
    return (deadline, progress) -> {
      sent.add(label);
      return SendResult.delivered();
    };
  }

  @Test
  void anEqualReceiverAndTenantOfALaterSnapshotFindTheQueueAndWaitBehindItsLane() {
    Dispatcher d = start(DeliveryOptions.builder().workers(4));
    List<String> sent = new CopyOnWriteArrayList<>();
    List<String> started = new CopyOnWriteArrayList<>();
    CountDownLatch release = latch();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    var first =
        enqueued(
            d.tryEnqueue(
                List.of(
                    delivery(
                        "WebhookReceiver/team-a",
                        "team-a",
                        "{}:{a}",
                        held("x1", release, started, inFlight, maxInFlight)))));
    await().atMost(10, TimeUnit.SECONDS).until(() -> started.contains("x1"));

    // a later snapshot's receiver and tenant: equal, but other objects than the queue's keys
    String tenant = new String("team-a".toCharArray());
    var second =
        enqueued(
            d.tryEnqueue(
                List.of(
                    delivery(
                        "WebhookReceiver/" + tenant, tenant, "{}:{a}", recording("x2", sent)))));

    assertThat(d.queued(new ObjectRef("WebhookReceiver", new String("team-a".toCharArray()))))
        .isEqualTo(2);
    await().atMost(10, TimeUnit.SECONDS).until(d::isSettled);
    assertThat(sent).isEmpty();
    release.countDown();
    drive(d, first);
    drive(d, second);
    assertThat(sent).containsExactly("x2");
    assertThat(maxInFlight).hasValue(1);
    assertThat(d.queued()).isZero();
  }

  @Test
  void receiversAndTenantsWhoseNamesHashAlikeKeepTheirOwnQueuesAndTakeTurns() {
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
    assertThat(new ObjectRef("WebhookReceiver", "Aa").hashCode())
        .isEqualTo(new ObjectRef("WebhookReceiver", "BB").hashCode());
    Dispatcher d = start(DeliveryOptions.builder().workers(1));
    List<String> sent = new CopyOnWriteArrayList<>();
    CountDownLatch release = latch();
    var held =
        enqueued(
            d.tryEnqueue(
                List.of(
                    delivery(
                        "WebhookReceiver/other",
                        "other",
                        (deadline, progress) -> {
                          try {
                            release.await();
                          } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                          }
                          return SendResult.delivered();
                        }))));
    var colliding =
        enqueued(
            d.tryEnqueue(
                List.of(
                    delivery("WebhookReceiver/Aa", "Aa", "{}:{a}", recording("a1", sent)),
                    delivery("WebhookReceiver/Aa", "Aa", "{}:{a}", recording("a2", sent)),
                    delivery("WebhookReceiver/Aa", "Aa", "{}:{a}", recording("a3", sent)),
                    delivery("WebhookReceiver/BB", "BB", "{}:{b}", recording("b1", sent)),
                    delivery("WebhookReceiver/BB", "BB", "{}:{b}", recording("b2", sent)))));

    assertThat(d.queued(new ObjectRef("WebhookReceiver", "Aa"))).isEqualTo(3);
    assertThat(d.queued(new ObjectRef("WebhookReceiver", "BB"))).isEqualTo(2);
    release.countDown();
    drive(d, held);
    drive(d, colliding);
    assertThat(sent).containsExactly("a1", "b1", "a2", "b2", "a3");
    assertThat(d.queued()).isZero();
  }

  @Test
  void aReceiverDrainedAndRefilledKeepsItsOrderAndTakesTurnsWithAnotherTenant() {
    Dispatcher d = start(DeliveryOptions.builder().workers(1));
    List<String> sent = new CopyOnWriteArrayList<>();
    String receiver = "WebhookReceiver/team-a";
    var first =
        enqueued(
            d.tryEnqueue(
                List.of(
                    delivery(receiver, "team-a", "{}:{a}", recording("x1", sent)),
                    delivery(receiver, "team-a", "{}:{a}", recording("x2", sent)))));
    drive(d, first);
    assertThat(d.queued(new ObjectRef("WebhookReceiver", "team-a"))).isZero();

    var again =
        enqueued(
            d.tryEnqueue(
                List.of(
                    delivery(receiver, "team-a", "{}:{a}", recording("y1", sent)),
                    delivery(receiver, "team-a", "{}:{a}", recording("y2", sent)),
                    delivery(receiver, "team-a", "{}:{a}", recording("y3", sent)),
                    delivery("WebhookReceiver/team-b", "team-b", "{}:{b}", recording("z1", sent)),
                    delivery(
                        "WebhookReceiver/team-b", "team-b", "{}:{b}", recording("z2", sent)))));
    drive(d, again);

    assertThat(sent).containsExactly("x1", "x2", "y1", "z1", "y2", "z2", "y3");
    assertThat(again).allMatch(f -> f.join().status() == DeliveryOutcome.Status.DELIVERED);
    assertThat(d.queued()).isZero();
  }

  @Test
  void byDefaultAReceiverReachedByManyGroupsSendsOnEveryWorkerAndAnotherTenantStillGoesNext() {
    // What Alertmanager does with group_by [namespace]: one notification per group, all at once,
    // and the global receiver gets every one of them.
    Dispatcher d = start(DeliveryOptions.builder());
    int workers = DeliveryOptions.defaults().workers();
    List<String> started = new CopyOnWriteArrayList<>();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    CountDownLatch releaseGlobal = latch();
    CountDownLatch releaseOne = latch();
    List<Delivery> burst = new ArrayList<>();
    for (int i = 0; i < workers + 4; i++) {
      burst.add(
          delivery(
              "WebhookReceiver/global",
              null,
              "{}:{namespace=\"ns-" + i + "\"}",
              held("g" + i, i == 0 ? releaseOne : releaseGlobal, started, inFlight, maxInFlight)));
    }
    var futures = new ArrayList<>(enqueued(d.tryEnqueue(burst)));

    await().until(() -> started.size() == workers && d.isSettled());
    assertThat(inFlight).as("every worker sends for the one receiver").hasValue(workers);

    futures.addAll(
        enqueued(
            d.tryEnqueue(
                List.of(
                    delivery(
                        "WebhookReceiver/team-a",
                        "team-a",
                        "{}:{namespace=\"team-a\"}",
                        held("team-a", releaseGlobal, started, inFlight, maxInFlight))))));
    releaseOne.countDown();
    await().until(() -> started.size() == workers + 1 && d.isSettled());
    assertThat(started)
        .as("the freed worker goes to the other tenant before the receiver's next group")
        .endsWith("team-a");

    releaseGlobal.countDown();
    drive(d, futures);
    assertThat(futures).allMatch(f -> f.join().status() == DeliveryOutcome.Status.DELIVERED);
    assertThat(maxInFlight).hasValue(workers);
  }

  @Test
  void aResolvedNotificationNeverOvertakesItsFiringOneEvenAcrossARetry() {
    Dispatcher d = start(DeliveryOptions.builder().workers(4).maxInFlightPerReceiver(4));
    String receiver = "WebhookReceiver/global";
    AtomicInteger firingCalls = new AtomicInteger();
    List<String> attempts = new CopyOnWriteArrayList<>();
    Delivery firing =
        delivery(
            receiver,
            null,
            "group-a",
            AlertStatus.FIRING,
            (deadline, progress) -> {
              attempts.add("a-firing");
              return firingCalls.incrementAndGet() == 1
                  ? SendResult.retryable(Reason.REMOTE_ERROR, "HTTP 502")
                  : SendResult.delivered();
            });
    Delivery resolved =
        delivery(
            receiver,
            null,
            "group-a",
            AlertStatus.RESOLVED,
            (deadline, progress) -> {
              attempts.add("a-resolved");
              return SendResult.delivered();
            });
    List<Delivery> batch = new ArrayList<>(List.of(firing, resolved));
    for (int i = 0; i < 5; i++) {
      String label = "other-" + i;
      batch.add(
          delivery(
              receiver,
              null,
              "group-" + label,
              (deadline, progress) -> {
                attempts.add(label);
                return SendResult.delivered();
              }));
    }
    var futures = enqueued(d.tryEnqueue(batch));

    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> futures.subList(2, 7).stream().allMatch(CompletableFuture::isDone));
    await().until(d::isIdle);
    assertThat(futures.get(0)).as("the firing one waits for its retry").isNotDone();
    assertThat(attempts).doesNotContain("a-resolved");

    drive(d, futures);

    assertThat(futures).allMatch(f -> f.join().status() == DeliveryOutcome.Status.DELIVERED);
    assertThat(outcome(futures.get(0)).attempts()).isEqualTo(2);
    List<String> ofGroupA = attempts.stream().filter(a -> a.startsWith("a-")).toList();
    assertThat(ofGroupA).containsExactly("a-firing", "a-firing", "a-resolved");
    String firingId = outcome(futures.get(0)).notification().id();
    String resolvedId = outcome(futures.get(1)).notification().id();
    List<String> events = List.copyOf(recorder.events);
    assertThat(events.indexOf("attempt " + resolvedId + " #1 DELIVERED"))
        .isGreaterThan(events.indexOf("delivered " + firingId + " after 2"));
  }

  @Test
  void aRetryingGroupDoesNotBlockOtherGroupsButKeepsItsPlace() {
    Dispatcher d = start(DeliveryOptions.builder().workers(4).maxInFlightPerReceiver(2));
    String receiver = "WebhookReceiver/global";
    AtomicInteger downCalls = new AtomicInteger();
    List<Delivery> batch = new ArrayList<>();
    batch.add(delivery(receiver, null, "down", failing(Integer.MAX_VALUE, downCalls)));
    for (int i = 0; i < 5; i++) {
      batch.add(delivery(receiver, null, "up-" + i, ok()));
    }
    var futures = enqueued(d.tryEnqueue(batch));

    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> futures.subList(1, 6).stream().allMatch(CompletableFuture::isDone));

    assertThat(futures.subList(1, 6))
        .allMatch(f -> f.join().status() == DeliveryOutcome.Status.DELIVERED);
    assertThat(futures.get(0)).as("waiting for its retry").isNotDone();
    assertThat(downCalls).hasValue(1);
    drive(d, futures);
    assertThat(outcome(futures.get(0)).attempts()).isEqualTo(10);
  }

  @Test
  void whenEveryGroupFailsOnlyTheLimitAreAttemptedAndRetriedAtOnce() {
    int maxAttempts = 3;
    Dispatcher d =
        start(
            DeliveryOptions.builder()
                .workers(8)
                .maxInFlightPerReceiver(2)
                .maxAttempts(maxAttempts));
    Set<String> inProgress = ConcurrentHashMap.newKeySet();
    AtomicInteger maxInProgress = new AtomicInteger();
    AtomicInteger maxSending = new AtomicInteger();
    AtomicInteger sending = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    List<Delivery> batch = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String group = "g" + i;
      AtomicInteger groupCalls = new AtomicInteger();
      batch.add(
          delivery(
              "WebhookReceiver/down",
              "t1",
              group,
              (deadline, progress) -> {
                maxSending.accumulateAndGet(sending.incrementAndGet(), Math::max);
                calls.incrementAndGet();
                int call = groupCalls.incrementAndGet();
                if (call == 1) {
                  inProgress.add(group);
                  maxInProgress.accumulateAndGet(inProgress.size(), Math::max);
                }
                if (call == maxAttempts) {
                  // its last attempt: the place is free once this returns
                  inProgress.remove(group);
                }
                sending.decrementAndGet();
                return SendResult.retryable(Reason.CONNECTION_FAILED, "connection refused");
              }));
    }
    var futures = enqueued(d.tryEnqueue(batch));

    await().until(() -> calls.get() == 2 && d.isIdle());
    assertThat(timer.pending())
        .as("two retries waiting; the other groups not attempted")
        .isEqualTo(2);
    assertThat(calls).hasValue(2);

    drive(d, futures);

    assertThat(futures)
        .allSatisfy(
            f -> {
              assertThat(f.join().status()).isEqualTo(DeliveryOutcome.Status.DEAD_LETTER);
              assertThat(f.join().attempts()).isEqualTo(maxAttempts);
            });
    assertThat(calls).hasValue(6 * maxAttempts);
    assertThat(maxInProgress).hasValue(2);
    assertThat(maxSending.get()).isLessThanOrEqualTo(2);
  }

  @Test
  void withOnePlaceDifferentGroupsAreSentOneAtATimeInArrivalOrderBehindARetry() {
    Dispatcher d = start(DeliveryOptions.builder().workers(8).maxInFlightPerReceiver(1));
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    AtomicInteger firstCalls = new AtomicInteger();
    List<String> order = new CopyOnWriteArrayList<>();
    List<Delivery> batch = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String label = "m" + i;
      boolean first = i == 0;
      batch.add(
          delivery(
              "WebhookReceiver/one",
              "t1",
              "group-" + (i % 10),
              (deadline, progress) -> {
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                order.add(label);
                inFlight.decrementAndGet();
                return first && firstCalls.incrementAndGet() == 1
                    ? SendResult.retryable(Reason.REMOTE_ERROR, "HTTP 503")
                    : SendResult.delivered();
              }));
      expected.add(label);
    }
    expected.add(0, "m0");
    var futures = enqueued(d.tryEnqueue(batch));

    drive(d, futures);

    assertThat(maxInFlight).hasValue(1);
    assertThat(order).as("everything waits for the retry of the first").isEqualTo(expected);
  }

  @Test
  void rateLimitIsNeverExceededWithSeveralGroupsInFlightPerReceiver() {
    Dispatcher d = start(DeliveryOptions.builder().workers(4).maxInFlightPerReceiver(4));
    ChannelLimits.Rate rate = new ChannelLimits.Rate(20, Duration.ofMinutes(1));
    List<Instant> sends = new CopyOnWriteArrayList<>();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    List<Delivery> batch = new ArrayList<>();
    for (int i = 0; i < 45; i++) {
      String receiver = "DingTalkReceiver/r" + (i % 3);
      Notification n = Deliveries.notification(receiver, "t1", "group-" + i, AlertStatus.FIRING);
      batch.add(
          new Delivery(
              n,
              "t1",
              "DingTalkConfig/team-bot",
              rate,
              (deadline, progress) -> {
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                sends.add(clock.instant());
                inFlight.decrementAndGet();
                return SendResult.delivered();
              }));
    }
    Instant start = clock.instant();
    var futures = enqueued(d.tryEnqueue(batch));

    drive(d, futures);

    assertThat(futures).allMatch(f -> f.join().status() == DeliveryOutcome.Status.DELIVERED);
    assertThat(sends).hasSize(45);
    for (Instant t : sends) {
      long inWindow =
          sends.stream().filter(s -> !s.isBefore(t) && s.isBefore(t.plusSeconds(60))).count();
      assertThat(inWindow).as("sends in [%s, +1 min)", t).isLessThanOrEqualTo(20);
    }
    assertThat(sends.stream().filter(start::equals)).hasSize(20);
    assertThat(sends.stream().filter(start.plusSeconds(60)::equals)).hasSize(20);
    assertThat(sends.stream().filter(start.plusSeconds(120)::equals)).hasSize(5);
  }

  @Test
  void aTenantFloodingManyGroupsTakesTurnsWithAnotherTenant() {
    // One worker, so that the order the sends are recorded in is the order the dispatcher picked
    // them: with two, a worker descheduled between its pick and its record let the other record
    // dozens of A first, and a B picked in its turn showed up late.
    Dispatcher d = start(DeliveryOptions.builder().workers(1).maxInFlightPerReceiver(4));
    List<String> sent = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch bEnqueued = latch();
    List<Delivery> flood = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      flood.add(
          delivery(
              "WebhookReceiver/global-a",
              "tenant-a",
              "group-" + (i % 100),
              (deadline, progress) -> {
                firstStarted.countDown();
                // the flood is all queued ahead of B, and its first send started, before B comes
                try {
                  bEnqueued.await();
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
                sent.add("A");
                return SendResult.delivered();
              }));
    }
    var a = enqueued(d.tryEnqueue(flood));
    await().atMost(10, TimeUnit.SECONDS).until(() -> firstStarted.getCount() == 0);
    List<Delivery> few = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      few.add(
          delivery(
              "WebhookReceiver/b",
              "tenant-b",
              "group-" + i,
              (deadline, progress) -> {
                sent.add("B");
                return SendResult.delivered();
              }));
    }
    var b = enqueued(d.tryEnqueue(few));
    bEnqueued.countDown();

    List<CompletableFuture<DeliveryOutcome>> all = new ArrayList<>(a);
    all.addAll(b);
    drive(d, all);

    // the A in flight when B came, then A and B in turns until B has nothing left, then the rest
    List<String> expected = new ArrayList<>();
    expected.add("A");
    for (int i = 0; i < 10; i++) {
      expected.add("A");
      expected.add("B");
    }
    expected.addAll(Collections.nCopies(989, "A"));
    assertThat(List.copyOf(sent)).isEqualTo(expected);
  }

  @Test
  void closeDrainsSeveralGroupsInFlight() {
    Dispatcher d = start(DeliveryOptions.builder().workers(4).maxInFlightPerReceiver(3));
    CountDownLatch release = latch();
    List<String> started = new CopyOnWriteArrayList<>();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    List<Delivery> batch = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      batch.add(
          delivery(
              "WebhookReceiver/global",
              null,
              "group-" + i,
              held("g" + i, release, started, inFlight, maxInFlight)));
    }
    for (int i = 0; i < 4; i++) {
      batch.add(delivery("WebhookReceiver/global", null, "group-" + i, ok()));
    }
    var futures = enqueued(d.tryEnqueue(batch));
    await().until(() -> started.size() == 3 && timer.pending() == 3); // three send timeouts

    CompletableFuture<Void> closed = CompletableFuture.runAsync(d::close);
    await().until(() -> timer.pending() == 4); // and the drain timeout: close is waiting
    assertThat(closed).isNotDone();
    release.countDown();
    await().atMost(10, TimeUnit.SECONDS).until(closed::isDone);

    assertThat(futures)
        .allSatisfy(f -> assertThat(f.join().status()).isEqualTo(DeliveryOutcome.Status.DELIVERED));
    assertThat(maxInFlight).hasValue(3);
    assertThat(d.queued()).isZero();
  }

  @Test
  void closeDeadLettersWhatWaitsAndLetsTheSendsInFlightFinish() {
    Dispatcher d =
        start(
            DeliveryOptions.builder()
                .workers(4)
                .maxInFlightPerReceiver(3)
                .drainTimeout(Duration.ofSeconds(10))
                .initialBackoff(Duration.ofMinutes(1)));
    String receiver = "WebhookReceiver/global";
    CountDownLatch release = latch();
    List<String> started = new CopyOnWriteArrayList<>();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    AtomicInteger downCalls = new AtomicInteger();
    AtomicInteger laterCalls = new AtomicInteger();
    var futures =
        enqueued(
            d.tryEnqueue(
                List.of(
                    delivery(
                        receiver, null, "a", held("a", release, started, inFlight, maxInFlight)),
                    delivery(receiver, null, "b", failing(Integer.MAX_VALUE, downCalls)),
                    delivery(
                        receiver, null, "c", held("c", release, started, inFlight, maxInFlight)),
                    delivery(receiver, null, "a", failing(0, laterCalls)),
                    delivery(receiver, null, "d", failing(0, laterCalls)))));
    // a and c sending (two send timeouts), b waiting for its retry; no place left for d
    await().until(() -> started.size() == 2 && downCalls.get() == 1 && timer.pending() == 3);

    CompletableFuture<Void> closed = CompletableFuture.runAsync(d::close);
    await().until(() -> timer.pending() == 4); // and the drain timeout
    timer.advance(Duration.ofSeconds(10));
    await()
        .until(() -> futures.get(1).isDone() && futures.get(3).isDone() && futures.get(4).isDone());
    assertThat(closed).as("the sends in flight may still finish").isNotDone();
    release.countDown();
    await().atMost(10, TimeUnit.SECONDS).until(closed::isDone);

    assertThat(outcome(futures.get(0)).status()).isEqualTo(DeliveryOutcome.Status.DELIVERED);
    assertThat(outcome(futures.get(2)).status()).isEqualTo(DeliveryOutcome.Status.DELIVERED);
    DeliveryOutcome retried = outcome(futures.get(1));
    assertThat(retried.status()).isEqualTo(DeliveryOutcome.Status.DEAD_LETTER);
    assertThat(retried.attempts()).isEqualTo(1);
    assertThat(retried.lastFailure().reason()).isEqualTo(Reason.SHUTDOWN);
    assertThat(retried.lastFailure().detail()).contains("REMOTE_ERROR: HTTP 502 #1");
    for (int i : new int[] {3, 4}) {
      DeliveryOutcome waiting = outcome(futures.get(i));
      assertThat(waiting.status()).isEqualTo(DeliveryOutcome.Status.DEAD_LETTER);
      assertThat(waiting.lastFailure().reason()).isEqualTo(Reason.SHUTDOWN);
      assertThat(waiting.attempts()).isZero();
    }
    assertThat(laterCalls).hasValue(0);
    assertThat(downCalls).hasValue(1);
    assertThat(d.queued()).isZero();
  }
}
