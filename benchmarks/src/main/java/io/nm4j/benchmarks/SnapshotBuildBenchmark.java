package io.nm4j.benchmarks;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.Snapshot;
import io.nm4j.spi.ConfigSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Building a snapshot (validating every object and precomputing each namespace's receivers) of
 * 10,000 tenants and 50,000 receivers, in both tenant modes: what a configuration change costs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class SnapshotBuildBenchmark {

  @Param({"namespace", "user"})
  public String tenantMode = "namespace";

  private ChannelRegistry channels = ChannelRegistry.of(java.util.List.of());
  private ConfigSet set = ConfigSet.EMPTY;

  @Setup(Level.Trial)
  public void setUp() {
    channels = Fixtures.channels();
    set = Fixtures.config(tenantMode, channels).configSet();
  }

  @Benchmark
  public Snapshot buildSnapshot() {
    return Snapshot.build(set, channels, SyntheticConfig.NAMESPACE, null);
  }
}
