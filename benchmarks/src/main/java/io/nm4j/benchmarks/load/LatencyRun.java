package io.nm4j.benchmarks.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * An open-loop run at a fixed offered rate: webhook requests go out on a schedule (the {@code
 * scheduler} fires them at fixed rate and never waits for an answer, so a slow answer does not
 * lower the load), and each alert's latency is the time from nm4j's {@code 200} for its request to
 * the sink's receipt of it, per receiver path. The {@code 200} comes after the journal's {@code
 * fsync}, so the figure is what a notification spends inside nm4j beyond it. Delivery starts before
 * the {@code 200} is written, so an alert the sink has before the client reads its {@code 200}
 * counts 0. The time from when a request was due to the sink's receipt (the {@code fsync}, the wait
 * for an intake thread and delivery) is reported too.
 */
final class LatencyRun {
  /** Distribution of one set of latencies, in nanoseconds. */
  record Latencies(int count, long p50, long p99, long max) {
    static Latencies of(long[] nanos) {
      long[] sorted = nanos.clone();
      Arrays.sort(sorted);
      if (sorted.length == 0) {
        return new Latencies(0, 0, 0, 0);
      }
      return new Latencies(
          sorted.length, percentile(sorted, 50), percentile(sorted, 99), sorted[sorted.length - 1]);
    }

    /** The nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double p) {
      int rank = (int) Math.ceil(p / 100.0 * sorted.length);
      return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "p50 %.2f ms, p99 %.2f ms, max %.2f ms (of %,d)",
          p50 / 1e6,
          p99 / 1e6,
          max / 1e6,
          count);
    }
  }

  /** What one run measured; {@code missing} alerts never reached a path within the timeout. */
  record Result(
      int offeredPerSecond,
      double sentPerSecond,
      Latencies intakeAnswer,
      Latencies toGlobal,
      Latencies toTenant,
      Latencies dueToGlobal,
      long rejected,
      int missing) {}

  private final ScheduledExecutorService scheduler;
  private final HttpClient client;

  /**
   * @param scheduler fires the requests at their times
   * @param client sends them; answers are handled on its executor
   */
  LatencyRun(ScheduledExecutorService scheduler, HttpClient client) {
    this.scheduler = scheduler;
    this.client = client;
  }

  /**
   * Offers {@code ratePerSecond} alerts per second for {@code seconds}, in requests of {@code
   * perRequest}, and waits up to {@code timeoutSeconds} for the sink to have them all.
   *
   * @param sink a fresh sink expecting exactly the alerts of this run
   */
  Result run(
      CountingSink sink,
      URI intake,
      int ratePerSecond,
      int seconds,
      int perRequest,
      int timeoutSeconds)
      throws InterruptedException {
    int requests = Math.max(1, ratePerSecond * seconds / perRequest);
    String startsAt = LoadAlerts.now();
    // built before the clock starts, so the run measures nm4j and not the generation of its input
    byte[][] bodies = new byte[requests][];
    for (int r = 0; r < requests; r++) {
      bodies[r] = LoadAlerts.webhookRequest(r, perRequest, false, startsAt);
    }
    AtomicLongArray acceptedNanos = new AtomicLongArray(requests);
    AtomicLongArray scheduledNanos = new AtomicLongArray(requests);
    AtomicLong rejected = new AtomicLong();
    CountDownLatch answered = new CountDownLatch(requests);
    AtomicInteger next = new AtomicInteger();
    long periodNanos = TimeUnit.SECONDS.toNanos(1) * perRequest / ratePerSecond;
    long t0 = System.nanoTime();
    ScheduledFuture<?> pacing =
        scheduler.scheduleAtFixedRate(
            () -> {
              int r = next.getAndIncrement();
              if (r >= requests) {
                return;
              }
              // the time this request was due, so a late tick does not hide its wait
              scheduledNanos.set(r, t0 + r * periodNanos);
              send(intake, bodies[r], r, acceptedNanos, rejected, answered);
            },
            0,
            periodNanos,
            TimeUnit.NANOSECONDS);
    boolean allAnswered = answered.await(seconds + (long) timeoutSeconds, TimeUnit.SECONDS);
    long sentEnd = System.nanoTime();
    pacing.cancel(false);
    CountingSink.Counter global = sink.counter(Nm4jUnderTest.GLOBAL_PATH);
    CountingSink.Counter tenant = sink.counter(Nm4jUnderTest.TENANT_PATH);
    global.await(timeoutSeconds, TimeUnit.SECONDS);
    tenant.await(timeoutSeconds, TimeUnit.SECONDS);
    int total = requests * perRequest;
    long[] answer = new long[requests];
    int answers = 0;
    long[] toGlobal = new long[total];
    long[] toTenant = new long[total];
    long[] dueToGlobal = new long[total];
    int missing = 0;
    int g = 0;
    int t = 0;
    for (int r = 0; r < requests; r++) {
      long accepted = acceptedNanos.get(r);
      if (accepted != 0) {
        answer[answers++] = accepted - scheduledNanos.get(r);
      }
      for (int id = r * perRequest; id < (r + 1) * perRequest; id++) {
        long atGlobal = global.firstArrivalNanos(id);
        long atTenant = tenant.firstArrivalNanos(id);
        if (accepted == 0 || atGlobal == Long.MIN_VALUE || atTenant == Long.MIN_VALUE) {
          missing++;
          continue;
        }
        // the sink may see an alert before the client has read the 200 sent after it: 0
        dueToGlobal[g] = atGlobal - scheduledNanos.get(r);
        toGlobal[g++] = Math.max(0, atGlobal - accepted);
        toTenant[t++] = Math.max(0, atTenant - accepted);
      }
    }
    double sentSeconds = (sentEnd - t0) / 1e9;
    return new Result(
        ratePerSecond,
        allAnswered ? total / sentSeconds : Double.NaN,
        Latencies.of(Arrays.copyOf(answer, answers)),
        Latencies.of(Arrays.copyOf(toGlobal, g)),
        Latencies.of(Arrays.copyOf(toTenant, t)),
        Latencies.of(Arrays.copyOf(dueToGlobal, g)),
        rejected.get(),
        missing);
  }

  private void send(
      URI intake,
      byte[] body,
      int r,
      AtomicLongArray acceptedNanos,
      AtomicLong rejected,
      CountDownLatch answered) {
    HttpRequest post = LoadAlerts.intakePost(intake, body);
    client
        .sendAsync(post, HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, error) -> {
              if (error == null && response.statusCode() == 200) {
                acceptedNanos.set(r, System.nanoTime());
              } else {
                // an open loop does not retry: a refused request's alerts count as missing
                rejected.incrementAndGet();
              }
              answered.countDown();
            });
  }
}
