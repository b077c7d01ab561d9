package io.nm4j.benchmarks.load;

import io.nm4j.core.delivery.DeliveryOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An nm4j server with its sink and the one HTTP client that posts to it, kept over all runs that
 * use it, as a server that runs keeps its connections; and the ids the next run of it posts, so
 * that every run has alerts of its own.
 */
final class RunningServer implements AutoCloseable {
  final CountingSink sink;
  final Nm4jUnderTest nm4j;
  final URI intake;

  /** Posts to {@link #intake}; its pooled connections carry over from run to run. */
  final HttpClient client;

  private final ExecutorService clientIo;
  private int nextId;

  private RunningServer(CountingSink sink, Nm4jUnderTest nm4j, ExecutorService clientIo) {
    this.sink = sink;
    this.nm4j = nm4j;
    this.intake = URI.create(nm4j.intakeUrl());
    this.clientIo = clientIo;
    this.client =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientIo).build();
  }

  /** Starts a sink, nm4j delivering to it, and a client for nm4j's intake. */
  static RunningServer start(
      OptionalInt intakeThreads, DeliveryOptions delivery, Nm4jUnderTest.JournalKind journal)
      throws IOException {
    CountingSink sink = new CountingSink(1, 2);
    try {
      Nm4jUnderTest nm4j = Nm4jUnderTest.start(sink, intakeThreads, delivery, journal);
      return new RunningServer(
          sink, nm4j, Executors.newFixedThreadPool(2, LoadHarness.daemon("client-io")));
    } catch (IOException | RuntimeException e) {
      sink.close();
      throw e;
    }
  }

  /**
   * Takes {@code count} ids that no earlier run on this server posted, the first a multiple of
   * {@code align} (a direct run posts requests of {@code align} alerts, request {@code r} with ids
   * from {@code r * align}); returns the first.
   */
  int takeIds(int count, int align) {
    int first = (nextId + align - 1) / align * align;
    nextId = first + count;
    return first;
  }

  /** Ends the client's threads, then nm4j, then the sink. */
  @Override
  public void close() {
    clientIo.shutdownNow();
    try (sink) {
      nm4j.close();
    } finally {
      try {
        clientIo.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
