package io.nm4j.benchmarks;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.InMemoryConfigSource;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.Receipt;
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
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
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
 * NotificationManager} (in-memory journal) and waits until every notification is final, so it
 * covers routing, planning, the dispatcher's queues and workers, and the channels' send calls; the
 * channels are the real providers (parsing, validation, configs, secrets) whose send does nothing
 * and reports delivered, so no network is measured. Average time per alert.
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

  @Param({"1000", "10000", "100000"})
  public int tenants = 1_000;

  private NotificationManager manager = NotificationManager.builder().build();
  private AlertBatch[] batches = new AlertBatch[0];
  private int next;

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
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    manager.close();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Object routeAndDispatch() {
    Receipt receipt = manager.submit(batches[next++ & (Fixtures.ALERTS - 1)]);
    return receipt.allOutcomes().join();
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
