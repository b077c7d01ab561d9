package io.nm4j.benchmarks;

import io.nm4j.core.Destination;
import io.nm4j.core.Routing;
import io.nm4j.core.Snapshot;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Routing one alert on a snapshot of 10,000 tenants and 50,000 receivers, in both tenant modes.
 * Alerts are drawn round-robin from {@value Fixtures#ALERTS} pre-built ones over random namespaces,
 * some without a namespace label and some of namespaces no tenant owns.
 *
 * <p>With {@code stages=v2beta2} the snapshot also holds notification-manager's v2beta2 routers,
 * per-receiver alert selectors and silences, so every alert passes the silence, router and filter
 * stages.
 *
 * <p>{@code routeOneAlertBatch} is what a webhook request of one alert costs the router ({@link
 * Snapshot#route(AlertBatch, Instant)} at the time intake read for the batch, as intake calls it);
 * {@code routeOneAlertBatchReadingTheClock} the same where the router reads the time itself ({@link
 * Snapshot#route(AlertBatch)}, as explain does); {@code routeAlertBatch} is the cost per alert of a
 * batch of {@value #BATCH_SIZE} alerts, which no per-namespace or per-alert cache answers, so every
 * alert goes through every stage; {@code destinationsForAlert} is the precomputed lookup alone
 * ({@link Snapshot#destinationsFor}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RoutingBenchmark {
  /** Alerts in one {@code routeAlertBatch} batch. */
  static final int BATCH_SIZE = 64;

  @Param({"namespace", "user"})
  public String tenantMode = "namespace";

  /**
   * {@code none}: the v1alpha1 configuration alone; {@code v2beta2}: with routers, alert selectors
   * and silences added ({@link V2beta2Stages}).
   */
  @Param({"none", "v2beta2"})
  public String stages = "none";

  private Snapshot snapshot = Snapshot.empty();
  private Alert[] alerts = new Alert[0];
  private AlertBatch[] batches = new AlertBatch[0];
  private AlertBatch[] largeBatches = new AlertBatch[0];

  /** The time intake read when it received the batch. */
  private Instant receivedAt = Instant.EPOCH;

  /** Each thread walks the alerts on its own. */
  @State(Scope.Thread)
  public static class Cursor {
    private int next;

    int next() {
      return next++ & (Fixtures.ALERTS - 1);
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    var channels = Fixtures.channels();
    SyntheticConfig config = Fixtures.config(tenantMode, channels);
    snapshot =
        stages.equals("v2beta2")
            ? Snapshot.build(V2beta2Stages.with(config), channels, SyntheticConfig.NAMESPACE, null)
            : Fixtures.build(config, channels);
    receivedAt = Instant.now();
    alerts = config.alerts(Fixtures.ALERTS, Fixtures.ALERT_SEED);
    batches = new AlertBatch[alerts.length];
    for (int i = 0; i < alerts.length; i++) {
      batches[i] = AlertBatch.of(List.of(alerts[i]));
    }
    largeBatches = new AlertBatch[Fixtures.ALERTS];
    for (int i = 0; i < largeBatches.length; i++) {
      Alert[] batch = new Alert[BATCH_SIZE];
      for (int j = 0; j < BATCH_SIZE; j++) {
        batch[j] = alerts[(i + j * 17) & (Fixtures.ALERTS - 1)];
      }
      largeBatches[i] = AlertBatch.of(List.of(batch));
    }
  }

  @Benchmark
  public Routing routeOneAlertBatch(Cursor cursor) {
    return snapshot.route(batches[cursor.next()], receivedAt);
  }

  @Benchmark
  public Routing routeOneAlertBatchReadingTheClock(Cursor cursor) {
    return snapshot.route(batches[cursor.next()]);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH_SIZE)
  public Routing routeAlertBatch(Cursor cursor) {
    return snapshot.route(largeBatches[cursor.next()], receivedAt);
  }

  @Benchmark
  public List<Destination> destinationsForAlert(Cursor cursor) {
    return snapshot.destinationsFor(alerts[cursor.next()].namespace());
  }
}
