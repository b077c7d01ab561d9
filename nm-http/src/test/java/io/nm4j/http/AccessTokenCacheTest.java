package io.nm4j.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nm4j.spi.Secret;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.test.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AccessTokenCacheTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
  private final AccessTokenCache cache = new AccessTokenCache(clock, 16);
  private final AccessTokenCache.Key app =
      AccessTokenCache.Key.of("https://api.example/", "corp-1", Secret.of("app-secret-1"));
  private final AtomicInteger fetches = new AtomicInteger();

  private AccessTokenCache.Fetcher issuing(Duration life) {
    return () -> AccessTokenCache.Fetched.of(Secret.of("token-" + fetches.incrementAndGet()), life);
  }

  private Instant deadline() {
    return clock.instant().plusSeconds(10);
  }

  private String get(AccessTokenCache.Key key) {
    return cache.get(key, deadline(), issuing(Duration.ofSeconds(7200))).token().reveal();
  }

  @Test
  void aTokenIsReusedUntilItsMarginBeforeExpiryThenFetchedAgain() {
    assertThat(get(app)).isEqualTo("token-1");
    // 7,200 s of life, five minutes of margin: still used one second before that.
    clock.advance(Duration.ofSeconds(7200 - 300 - 1));
    assertThat(get(app)).isEqualTo("token-1");
    clock.advance(Duration.ofSeconds(1));
    assertThat(get(app)).isEqualTo("token-2");
    assertThat(fetches).hasValue(2);
  }

  @Test
  void aSendsUseSharesTheCachedTokenReplacesItOnceAndForgetsOneRefusedAfterThat() {
    AccessTokenCache.Use use = cache.use(app, deadline(), issuing(Duration.ofSeconds(7200)));
    Secret first = use.get().token();
    assertThat(get(app)).isEqualTo(first.reveal());
    assertThat(use.mayReplace()).isTrue();

    Secret second = use.replace(first).token();

    assertThat(second.reveal()).isEqualTo("token-2");
    assertThat(use.mayReplace()).isFalse();
    assertThat(use.get().token()).isEqualTo(second);
    use.invalidate(second);
    assertThat(get(app)).isEqualTo("token-3");
  }

  @Test
  void theMarginIsATenthOfAShortLifeAndAtMostFiveMinutes() {
    assertThat(AccessTokenCache.margin(Duration.ofSeconds(600))).isEqualTo(Duration.ofSeconds(60));
    assertThat(AccessTokenCache.margin(Duration.ofHours(2))).isEqualTo(Duration.ofMinutes(5));
    cache.get(app, deadline(), issuing(Duration.ofSeconds(600)));
    clock.advance(Duration.ofSeconds(539));
    assertThat(get(app)).isEqualTo("token-1");
    clock.advance(Duration.ofSeconds(1));
    assertThat(get(app)).isEqualTo("token-2");
  }

  @Test
  void otherCredentialsGetTokensOfTheirOwnAndKeysHoldNoCredential() {
    AccessTokenCache.Key rotated =
        AccessTokenCache.Key.of("https://api.example/", "corp-1", Secret.of("app-secret-2"));
    assertThat(rotated).isNotEqualTo(app);
    assertThat(AccessTokenCache.Key.of("https://api.example/", "corp-1", Secret.of("app-secret-1")))
        .isEqualTo(app);
    assertThat(get(app)).isEqualTo("token-1");
    assertThat(get(rotated)).isEqualTo("token-2");
    assertThat(get(app)).isEqualTo("token-1");
    assertThat(app.toString()).doesNotContain("app-secret-1");
    // Two credentials are not one credential that reads the same when joined.
    assertThat(AccessTokenCache.Key.of("a", "", Secret.of("ab"), Secret.of("c")))
        .isNotEqualTo(AccessTokenCache.Key.of("a", "", Secret.of("a"), Secret.of("bc")));
  }

  @Test
  void aRejectedTokenIsReplacedOnceEvenWhenSeveralSendersReportIt() {
    Secret first = cache.get(app, deadline(), issuing(Duration.ofHours(2))).token();
    Secret fresh = cache.replace(app, first, deadline(), issuing(Duration.ofHours(2))).token();
    Secret again = cache.replace(app, first, deadline(), issuing(Duration.ofHours(2))).token();
    assertThat(fresh.reveal()).isEqualTo("token-2");
    assertThat(again).isEqualTo(fresh);
    assertThat(fetches).hasValue(2);
  }

  @Test
  void invalidatingForgetsOnlyTheTokenItNames() {
    Secret first = cache.get(app, deadline(), issuing(Duration.ofHours(2))).token();
    cache.invalidate(app, Secret.of("some-older-token"));
    assertThat(cache.size()).isEqualTo(1);
    cache.invalidate(app, first);
    assertThat(cache.size()).isZero();
    assertThat(get(app)).isEqualTo("token-2");
  }

  @Test
  void aFailedFetchIsReturnedAndNothingIsCached() {
    SendResult.Failed refused = SendResult.permanent(Reason.AUTH_REJECTED, "errcode 40001");
    AccessTokenCache.Fetched f =
        cache.get(app, deadline(), () -> AccessTokenCache.Fetched.failed(refused));
    assertThat(f.failure()).isEqualTo(refused);
    assertThat(f.token()).isNull();
    assertThat(cache.size()).isZero();
  }

  @Test
  void concurrentSendersWithoutATokenShareOneFetch() throws Exception {
    int senders = 6;
    CountDownLatch release = new CountDownLatch(1);
    AccessTokenCache.Fetcher slow =
        () -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return AccessTokenCache.Fetched.of(
              Secret.of("token-" + fetches.incrementAndGet()), Duration.ofHours(2));
        };
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    List<Thread> threads = new ArrayList<>();
    try {
      List<Future<String>> tokens = new ArrayList<>();
      for (int i = 0; i < senders; i++) {
        tokens.add(
            pool.submit(
                () -> {
                  synchronized (threads) {
                    threads.add(Thread.currentThread());
                  }
                  return cache.get(app, deadline(), slow).token().reveal();
                }));
      }
      // One sender fetches (parked on the latch), the others wait for its lock.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                synchronized (threads) {
                  return threads.size() == senders
                      && threads.stream()
                          .allMatch(
                              t ->
                                  t.getState() == Thread.State.WAITING
                                      || t.getState() == Thread.State.TIMED_WAITING);
                }
              });
      release.countDown();
      for (Future<String> t : tokens) {
        assertThat(t.get()).isEqualTo("token-1");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(fetches).hasValue(1);
  }

  @Test
  void aSenderWaitingForAnotherFetchGivesUpAtItsDeadline() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch fetching = new CountDownLatch(1);
    AccessTokenCache realTime = new AccessTokenCache(Clock.systemUTC(), 4);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<AccessTokenCache.Fetched> slow =
          pool.submit(
              () ->
                  realTime.get(
                      app,
                      Instant.now().plusSeconds(30),
                      () -> {
                        fetching.countDown();
                        try {
                          release.await();
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                        return AccessTokenCache.Fetched.of(Secret.of("late"), Duration.ofHours(2));
                      }));
      fetching.await();
      AccessTokenCache.Fetched waited =
          realTime.get(app, Instant.now().plusMillis(200), issuing(Duration.ofHours(2)));
      assertThat(waited.failure()).isNotNull();
      assertThat(waited.failure().reason()).isEqualTo(Reason.TIMEOUT);
      assertThat(waited.failure().retryable()).isTrue();
      release.countDown();
      assertThat(slow.get().token().reveal()).isEqualTo("late");
    } finally {
      pool.shutdownNow();
    }
    assertThat(fetches).hasValue(0);
  }

  @Test
  void theCacheKeepsAtMostItsSizeDroppingExpiredKeysFirstThenTheLeastRecentlyUsed() {
    AccessTokenCache small = new AccessTokenCache(clock, 2);
    AccessTokenCache.Key a = AccessTokenCache.Key.of("api", "a", Secret.of("s"));
    AccessTokenCache.Key b = AccessTokenCache.Key.of("api", "b", Secret.of("s"));
    AccessTokenCache.Key c = AccessTokenCache.Key.of("api", "c", Secret.of("s"));
    small.get(a, deadline(), issuing(Duration.ofHours(2)));
    small.get(b, deadline(), issuing(Duration.ofSeconds(100)));
    small.get(a, deadline(), issuing(Duration.ofHours(2)));
    clock.advance(Duration.ofSeconds(200));
    small.get(c, deadline(), issuing(Duration.ofHours(2)));
    assertThat(small.size()).isEqualTo(2);
    // b had expired: a, used less recently than c, is still there.
    assertThat(small.get(a, deadline(), issuing(Duration.ofHours(2))).token().reveal())
        .isEqualTo("token-1");
    AccessTokenCache.Key d = AccessTokenCache.Key.of("api", "d", Secret.of("s"));
    small.get(d, deadline(), issuing(Duration.ofHours(2)));
    assertThat(small.size()).isEqualTo(2);
    // c was the least recently used.
    assertThat(small.get(c, deadline(), issuing(Duration.ofHours(2))).token().reveal())
        .isEqualTo("token-5");
  }
}
