package io.nm4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.nm4j.core.delivery.DeliveryOutcome;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The CPU harness measures each size in a child JVM of its own unless asked to stay in process or
 * to interleave the sizes' rounds there, and counts the manager's delivery threads apart from the
 * submitting thread.
 */
class FlatCostCpuTest {
  @Test
  void withoutArgumentsEverySizeRunsInAChildOfItsOwn() {
    FlatCostCpu.Arguments arguments = FlatCostCpu.Arguments.parse();

    assertThat(arguments.mode()).isEqualTo(FlatCostCpu.Mode.CHILDREN);
    assertThat(arguments.sizes()).containsExactly(1_000, 10_000, 100_000);
  }

  @Test
  void theSizesGivenAreMeasuredInTheirOrder() {
    FlatCostCpu.Arguments arguments = FlatCostCpu.Arguments.parse("100000,1000");

    assertThat(arguments.mode()).isEqualTo(FlatCostCpu.Mode.CHILDREN);
    assertThat(arguments.sizes()).containsExactly(100_000, 1_000);
  }

  @Test
  void inProcessMeasuresTheSizesGivenInThisProcess() {
    FlatCostCpu.Arguments arguments = FlatCostCpu.Arguments.parse("--in-process", "10000");

    assertThat(arguments.mode()).isEqualTo(FlatCostCpu.Mode.IN_PROCESS);
    assertThat(arguments.sizes()).containsExactly(10_000);
  }

  @Test
  void interleavedIsParsedWithTheSizesGivenOrEverySize() {
    FlatCostCpu.Arguments arguments = FlatCostCpu.Arguments.parse("--interleaved", "1000,100000");

    assertThat(arguments.mode()).isEqualTo(FlatCostCpu.Mode.INTERLEAVED);
    assertThat(arguments.sizes()).containsExactly(1_000, 100_000);
    assertThat(FlatCostCpu.Arguments.parse("--interleaved").sizes())
        .containsExactly(1_000, 10_000, 100_000);
  }

  @Test
  void eachCycleStartsOneSizeFurtherSoEverySizeFollowsEveryOtherEquallyOften() {
    assertThat(FlatCostCpu.turnOrder(0, 3)).containsExactly(0, 1, 2);
    assertThat(FlatCostCpu.turnOrder(1, 3)).containsExactly(1, 2, 0);
    assertThat(FlatCostCpu.turnOrder(2, 3)).containsExactly(2, 0, 1);
    assertThat(FlatCostCpu.turnOrder(3, 3)).containsExactly(0, 1, 2);
  }

  @Test
  void mostOverFewestComparesTheLargestSizeWithTheSmallestWhateverTheirOrderAndKeepsTheSign() {
    List<Integer> sizes = List.of(10_000, 100_000, 1_000);

    assertThat(FlatCostCpu.mostOverFewest(sizes, new double[] {13.0, 15.0, 12.0}))
        .isCloseTo(0.25, within(1e-9));
    assertThat(FlatCostCpu.mostOverFewest(sizes, new double[] {13.0, 11.4, 12.0}))
        .isCloseTo(-0.05, within(1e-9));
  }

  @Test
  void drainingWaitsForEveryBatchInFlightAndLeavesNoneForTheNextOperations() {
    FlatCostBenchmark benchmark = benchmarkOfAThousandTenants();
    try {
      for (int i = 0; i < FlatCostBenchmark.IN_FLIGHT; i++) {
        benchmark.routeAndDispatch();
      }

      List<CompletableFuture<DeliveryOutcome>> waitedFor = benchmark.drain();

      // every batch reaches at least one receiver, and every send reports delivered
      assertThat(waitedFor).hasSizeGreaterThanOrEqualTo(FlatCostBenchmark.IN_FLIGHT);
      assertThat(waitedFor)
          .allMatch(CompletableFuture::isDone)
          .allMatch(f -> f.join().status() == DeliveryOutcome.Status.DELIVERED);
      assertThat(benchmark.drain()).isEmpty();
      for (int i = 0; i < FlatCostBenchmark.IN_FLIGHT; i++) {
        assertThat(benchmark.routeAndDispatch()).isEmpty();
      }
    } finally {
      benchmark.tearDown();
    }
  }

  @Test
  void aSizeThatIsNotANumberIsRefusedByName() {
    assertThatThrownBy(() -> FlatCostCpu.Arguments.parse("1000,many"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tenants")
        .hasMessageContaining("\"many\"");
  }

  @Test
  void aSizeBelowOneTenantIsRefusedByName() {
    assertThatThrownBy(() -> FlatCostCpu.Arguments.parse("--interleaved", "1000,0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tenants")
        .hasMessageContaining("\"0\"");
  }

  @Test
  void aChildRunsOneSizeInProcessWithThisJvmsOptionsAndClassPath() {
    List<String> command = FlatCostCpu.childCommand(100_000);

    List<String> options = ManagementFactory.getRuntimeMXBean().getInputArguments();
    assertThat(command.get(0))
        .isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    assertThat(command.subList(1, 1 + options.size())).isEqualTo(options);
    assertThat(command.subList(1 + options.size(), command.size()))
        .containsExactly(
            "-cp",
            System.getProperty("java.class.path"),
            FlatCostCpu.class.getName(),
            "--in-process",
            "100000");
  }

  @Test
  void aRoundCountsWhatEachLiveThreadAddedAndAThreadStartedWithinItInFull() {
    Map<Long, Long> start = Map.of(1L, 100L, 2L, 50L);
    Map<Long, Long> end = Map.of(1L, 130L, 3L, 20L);

    // thread 1 added 30, thread 3 started with 20; thread 2 ended and takes only its round along
    assertThat(FlatCostCpu.sinceStart(start, end)).isEqualTo(50);
  }

  @Test
  void theManagersDeliveryThreadsAreFoundByTheirNamesAndTheSubmittingThreadIsNotAmongThem() {
    FlatCostBenchmark benchmark = benchmarkOfAThousandTenants();
    try {
      for (int i = 0; i < 4 * FlatCostBenchmark.IN_FLIGHT; i++) {
        benchmark.routeAndDispatch();
      }

      FlatCostCpu.DeliveryThreads delivery = FlatCostCpu.DeliveryThreads.now();
      assertThat(delivery.cpuNanos())
          .isNotEmpty()
          .doesNotContainKey(Thread.currentThread().getId());
      assertThat(delivery.cpuNanos().values()).anyMatch(nanos -> nanos > 0);
      assertThat(delivery.waits()).containsOnlyKeys(delivery.cpuNanos().keySet());
    } finally {
      benchmark.tearDown();
    }
  }

  private static FlatCostBenchmark benchmarkOfAThousandTenants() {
    FlatCostBenchmark benchmark = new FlatCostBenchmark();
    benchmark.tenants = 1_000;
    benchmark.setUp();
    return benchmark;
  }
}
