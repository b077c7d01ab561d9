package io.nm4j.benchmarks;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.InMemoryConfigSource;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.delivery.DeliveryOutcome;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.ConfigSpec;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.Problem;
import io.nm4j.spi.ReceiverSpec;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SpecReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Route and dispatch cost per alert at 1,000, 10,000 and 100,000 tenants (namespace mode, five
 * receivers per tenant as in the other benchmarks, {@link SyntheticConfig}): whether the cost of an
 * alert stays flat as the configuration grows.
 *
 * <p>Each operation submits a batch of {@value #BATCH} alerts over random namespaces to a {@link
 * NotificationManager} (in-memory journal) and then waits until every notification of the batch
 * submitted {@value #IN_FLIGHT} operations earlier is final: batches arrive while earlier ones are
 * still being dispatched, as they do at a server under load, so the delivery workers stay busy. The
 * figure is the steady cost of an alert over all threads and cores: routing, planning, the
 * dispatcher's queues and workers, and the channels' send calls. The channels are the real
 * providers (parsing, validation, configs, secrets) whose send does nothing and reports delivered,
 * so no network is measured. Average wall time per alert.
 *
 * <p>It waits by joining each outcome of the earlier batch, which is final by then in nearly every
 * operation. {@link io.nm4j.core.Receipt#allOutcomes()} made a tree of futures over the batch's
 * outcomes (a relay and a future per notification, completed on the delivery workers) and a list of
 * them: work of this harness, not of routing or dispatch, counted in the cost per alert, and
 * completion code whose compiled form the harness's relays shared with the manager's own.
 *
 * <p>It does not measure the latency of one batch from an idle manager. An operation that waited
 * for its own batch did: the workers went idle after every batch and were woken for the next, so
 * each operation paid the threads' wake-ups and the hand-back to the waiting thread, which the
 * scheduler decides, not the tenants: iterations of one run differed by up to ten times.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class FlatCostBenchmark {
  static final int BATCH = 100;

  /** Batches submitted and not yet waited for; a power of two. */
  static final int IN_FLIGHT = 4;

  @Param({"1000", "10000", "100000"})
  public int tenants = 1_000;

  private NotificationManager manager = NotificationManager.builder().build();
  private AlertBatch[] batches = new AlertBatch[0];
  private double notificationsPerBatch;
  private int next;

  /** The outcomes of the last {@value #IN_FLIGHT} batches submitted, by submission modulo. */
  @SuppressWarnings("unchecked")
  private final List<CompletableFuture<DeliveryOutcome>>[] inFlight = new List[IN_FLIGHT];

  @Setup(Level.Trial)
  public void setUp() {
    manager.close();
    ChannelRegistry discovered = Fixtures.channels();
    SyntheticConfig config =
        SyntheticConfig.generate(
            SyntheticConfig.TenantMode.NAMESPACE,
            Fixtures.CONFIG_SEED,
            discovered,
            tenants,
            tenants * 5);
    NotificationManager.Builder b =
        NotificationManager.builder()
            .discoverChannels(false)
            .configSource(InMemoryConfigSource.of(config.configSet().objects()));
    for (ChannelProvider<?, ?> p : discovered.providers()) {
      b.channel(silent(p));
    }
    manager = b.build();
    // The settings carry notification-manager options nm4j ignores, each a notice; an error would
    // mean a receiver that does not route, and a cost measured on fewer receivers than stated.
    List<Problem> errors =
        manager.problems().stream().filter(p -> p.severity() == Problem.Severity.ERROR).toList();
    if (!errors.isEmpty()) {
      throw new IllegalStateException("configuration has errors: " + errors);
    }
    Alert[] alerts = config.alerts(Fixtures.ALERTS * BATCH, Fixtures.ALERT_SEED);
    batches = new AlertBatch[Fixtures.ALERTS];
    for (int i = 0; i < batches.length; i++) {
      batches[i] = AlertBatch.of(List.of(Arrays.copyOfRange(alerts, i * BATCH, (i + 1) * BATCH)));
    }
    settle();
  }

  /**
   * Routes every batch once and then has the collector move what setup left into the old
   * generation, so that the measurement sees the steady state of a manager that has been running,
   * not the aftermath of its setup. A namespace's receivers are merged with the global ones on its
   * first read and kept (see {@code NamespaceTargets}); at 100,000 tenants those first reads came
   * in the first seconds of warm-up, and the merges, referenced from the snapshot's old namespace
   * objects, stayed young for up to fifteen more collections: each young pause copied them from
   * survivor to survivor and scanned the old cards that point at them (19,000 cards against 230 at
   * 1,000 tenants). Those pauses fell in the measurement and were counted as the cost of an alert
   * at 100,000 tenants, though they happen once per namespace, not per alert. The full collection
   * also moves setup's own survivors (the alerts, batches and manager made last) out of the young
   * generation, and drops what an earlier size left when {@link FlatCostCpu} runs several sizes in
   * one process.
   *
   * <p>G1's full collection compacts the heap in place, so objects that routing reads together
   * could end up farther apart than young collections would have left them. It does not make
   * routing dearer: at 100,000 tenants, setups without it (the routing pass alone, the routing pass
   * and young collections until every survivor was old, neither) read more CPU per alert, not less
   * ({@code benchmarks/README.md}).
   */
  private void settle() {
    long notifications = 0;
    for (AlertBatch batch : batches) {
      notifications += manager.route(batch).routes().size();
    }
    notificationsPerBatch = (double) notifications / batches.length;
    System.gc();
  }

  /**
   * The notifications a batch makes, on average over the batches: fewer tenants share more of them,
   * since a batch's alerts then fall into fewer namespaces.
   */
  double notificationsPerBatch() {
    return notificationsPerBatch;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    drain();
    manager.close();
  }

  /**
   * Waits for every batch submitted and not yet waited for, so that its notifications are final
   * before whatever runs next; the next operations fill the pipeline again.
   *
   * @return the outcomes it waited for
   */
  List<CompletableFuture<DeliveryOutcome>> drain() {
    List<CompletableFuture<DeliveryOutcome>> waitedFor = new ArrayList<>();
    for (int i = 0; i < IN_FLIGHT; i++) {
      List<CompletableFuture<DeliveryOutcome>> outcomes = inFlight[i];
      if (outcomes != null) {
        awaitAll(outcomes);
        waitedFor.addAll(outcomes);
        inFlight[i] = null;
      }
    }
    return waitedFor;
  }

  /**
   * Submits the next batch and waits for the outcomes of the one submitted {@value #IN_FLIGHT}
   * operations earlier, which it returns (none for the first operations).
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public List<CompletableFuture<DeliveryOutcome>> routeAndDispatch() {
    int slot = next & (IN_FLIGHT - 1);
    List<CompletableFuture<DeliveryOutcome>> earlier = inFlight[slot];
    inFlight[slot] = manager.submit(batches[next++ & (Fixtures.ALERTS - 1)]).outcomes();
    if (earlier == null) {
      return List.of();
    }
    awaitAll(earlier);
    return earlier;
  }

  private static void awaitAll(List<CompletableFuture<DeliveryOutcome>> outcomes) {
    for (CompletableFuture<DeliveryOutcome> outcome : outcomes) {
      outcome.join();
    }
  }

  private static <R extends ReceiverSpec, C extends ConfigSpec> ChannelProvider<R, C> silent(
      ChannelProvider<R, C> real) {
    return new SilentProvider<>(real);
  }

  /** A real provider whose channel reports every notification delivered without sending it. */
  private record SilentProvider<R extends ReceiverSpec, C extends ConfigSpec>(
      ChannelProvider<R, C> real) implements ChannelProvider<R, C> {
    @Override
    public String name() {
      return real.name();
    }

    @Override
    public String receiverKind() {
      return real.receiverKind();
    }

    @Override
    public String configKind() {
      return real.configKind();
    }

    @Override
    public String selectorField() {
      return real.selectorField();
    }

    @Override
    public List<String> selectorFieldAliases() {
      return real.selectorFieldAliases();
    }

    @Override
    public ChannelDescription description() {
      return real.description();
    }

    @Override
    public Parsed<R> parseReceiver(SpecReader spec) {
      return real.parseReceiver(spec);
    }

    @Override
    public Parsed<C> parseConfig(SpecReader spec) {
      return real.parseConfig(spec);
    }

    @Override
    public Optional<Channel<R, C>> channel(ChannelContext context) {
      return Optional.of(request -> SendResult.delivered());
    }
  }
}
