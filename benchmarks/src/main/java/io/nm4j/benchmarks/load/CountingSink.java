package io.nm4j.benchmarks.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A webhook receiver on the JDK's HTTP server that counts distinct alerts by their {@code id}
 * label, separately per request path, and notes when each path has seen all expected alerts.
 *
 * <p>A run counts the ids of its own alerts, a range {@code [firstId, firstId + expected)}: a run
 * that ended before every receiver had everything leaves nm4j delivering the rest, and those late
 * alerts, arriving in the next run, are counted apart ({@link Counter#outsideRun()}) instead of
 * completing that run early.
 *
 * <p>It reads bodies with Jackson's streaming parser and keeps only a bit per id, so that in the
 * direct-intake run, where it shares the JVM with nm4j, it takes as little CPU as possible.
 */
final class CountingSink implements AutoCloseable {
  private static final JsonFactory JSON = new JsonFactory();

  private final HttpServer http;
  private final ExecutorService executor;
  private volatile Run run;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final AtomicLong malformed = new AtomicLong();

  /**
   * Starts a sink on 127.0.0.1 at a free port.
   *
   * @param expected distinct ids after which a path counts as complete: ids {@code 0 .. expected-1}
   * @param threads request threads
   */
  CountingSink(int expected, int threads) throws IOException {
    this.run = new Run(0, expected);
    AtomicInteger n = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "sink-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    http.setExecutor(executor);
    http.createContext("/", this::handle);
    http.start();
  }

  /** The URL of {@code path} on this sink, e.g. {@code http://127.0.0.1:4711/global}. */
  String url(String path) {
    return "http://127.0.0.1:" + http.getAddress().getPort() + path;
  }

  /**
   * Forgets every path's counts: the next run on this sink (its server and connections kept, as a
   * receiver that runs keeps them) counts from nothing the ids {@code firstId ..
   * firstId+expected-1}, complete when it has them all; other ids are counted apart.
   */
  void startOver(int firstId, int expected) {
    this.run = new Run(firstId, expected);
    counters.clear();
  }

  /** The counter of a path (created empty if nothing arrived there yet). */
  Counter counter(String path) {
    return counters.computeIfAbsent(path, p -> new Counter(run.firstId, run.expected));
  }

  /** The ids a run counts. */
  private record Run(int firstId, int expected) {}

  long malformed() {
    return malformed.get();
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      Counter counter = counter(x.getRequestURI().getPath());
      long now = System.nanoTime();
      try (InputStream in = x.getRequestBody()) {
        readIds(in, counter, now);
      } catch (IOException | RuntimeException e) {
        malformed.incrementAndGet();
        x.sendResponseHeaders(400, -1);
        return;
      }
      x.sendResponseHeaders(200, -1);
    }
  }

  /**
   * Feeds the {@code id} label of every alert to the counter, received at {@code nanos}; other
   * fields are skipped. The request counts for the run unless all its alerts are from outside it,
   * and before its first id, so that a run seen complete has its last request counted.
   */
  private static void readIds(InputStream in, Counter counter, long nanos) throws IOException {
    boolean counted = false;
    boolean outside = false;
    try (JsonParser p = JSON.createParser(in)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t != JsonToken.FIELD_NAME || !"labels".equals(p.currentName())) {
          continue;
        }
        // "labels" appears only inside alerts; group and common labels have other names
        if (p.nextToken() != JsonToken.START_OBJECT) {
          continue;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          if ("id".equals(name)) {
            int id = Integer.parseInt(p.getText());
            if (!counter.inRun(id)) {
              counter.outside();
              outside = true;
              continue;
            }
            if (!counted) {
              counter.request(nanos);
              counted = true;
            }
            counter.add(id, nanos);
          } else {
            p.skipChildren();
          }
        }
      }
    }
    if (!counted && !outside) {
      counter.request(nanos);
    }
  }

  @Override
  public void close() {
    http.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Distinct ids of one run seen on one path, with the times of the first request and of
   * completion, and when each id first arrived; alerts with ids outside the run are only counted.
   */
  static final class Counter {
    private final int firstId;
    private final int expected;
    // bit and slot (id - firstId); guarded by seen
    private final BitSet seen = new BitSet();
    private final long[] firstArrivalNanos;
    private final CountDownLatch complete = new CountDownLatch(1);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong alerts = new AtomicLong();
    private final AtomicLong outsideRun = new AtomicLong();
    private final AtomicLong firstRequestNanos = new AtomicLong(Long.MIN_VALUE);
    private volatile long completeNanos = Long.MIN_VALUE;
    private int distinct;

    Counter(int firstId, int expected) {
      this.firstId = firstId;
      this.expected = expected;
      this.firstArrivalNanos = new long[expected];
    }

    /** Whether {@code id} is one of the run's, {@code firstId .. firstId+expected-1}. */
    boolean inRun(int id) {
      return id >= firstId && (long) id - firstId < expected;
    }

    void outside() {
      outsideRun.incrementAndGet();
    }

    void request(long nanos) {
      requests.incrementAndGet();
      firstRequestNanos.compareAndSet(Long.MIN_VALUE, nanos);
    }

    /** Counts alert {@code id}, one of the run's ({@link #inRun}), received at {@code nanos}. */
    void add(int id, long nanos) {
      alerts.incrementAndGet();
      int slot = id - firstId;
      synchronized (seen) {
        if (seen.get(slot)) {
          return;
        }
        seen.set(slot);
        firstArrivalNanos[slot] = nanos;
        distinct++;
        if (distinct == expected) {
          completeNanos = System.nanoTime();
          complete.countDown();
        }
      }
    }

    /** Waits until all expected ids arrived; false on timeout. */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
      return complete.await(timeout, unit);
    }

    /**
     * {@link System#nanoTime()} of the request that first brought {@code id}, or {@link
     * Long#MIN_VALUE} if it has not arrived.
     */
    long firstArrivalNanos(int id) {
      if (!inRun(id)) {
        return Long.MIN_VALUE;
      }
      synchronized (seen) {
        return seen.get(id - firstId) ? firstArrivalNanos[id - firstId] : Long.MIN_VALUE;
      }
    }

    int distinct() {
      synchronized (seen) {
        return distinct;
      }
    }

    long requests() {
      return requests.get();
    }

    /** Alerts of the run received, counting repeats. */
    long alerts() {
      return alerts.get();
    }

    /**
     * Alerts received whose ids are not the run's: late deliveries of an earlier run that ended
     * incomplete.
     */
    long outsideRun() {
      return outsideRun.get();
    }

    /** {@link System#nanoTime()} of the first request, or {@link Long#MIN_VALUE}. */
    long firstRequestNanos() {
      return firstRequestNanos.get();
    }

    /** {@link System#nanoTime()} when the last missing id arrived, or {@link Long#MIN_VALUE}. */
    long completeNanos() {
      return completeNanos;
    }
  }
}
