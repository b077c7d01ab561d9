package io.nm4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CPU harness measures each size in a child JVM of its own unless asked to stay in process, and
 * counts the manager's delivery threads apart from the submitting thread.
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
  void interleavedMeasuresTheSizesGivenTogetherInThisProcess() {
    FlatCostCpu.Arguments arguments = FlatCostCpu.Arguments.parse("--interleaved", "1000,100000");

    assertThat(arguments.mode()).isEqualTo(FlatCostCpu.Mode.INTERLEAVED);
    assertThat(arguments.sizes()).containsExactly(1_000, 100_000);
    assertThat(FlatCostCpu.Arguments.parse("--interleaved").sizes())
        .containsExactly(1_000, 10_000, 100_000);
  }

  @Test
  void aCyclesSpreadIsItsLargestCostOverItsSmallestLessOne() {
    assertThat(FlatCostCpu.spread(new double[] {12.0, 15.0, 13.2})).isCloseTo(0.25, within(1e-9));
    assertThat(FlatCostCpu.spread(new double[] {10.0, 10.0})).isZero();
  }

  @Test
  void aDrainedBenchmarkHasNoBatchInFlight() {
    FlatCostBenchmark benchmark = new FlatCostBenchmark();
    benchmark.tenants = 1_000;
    benchmark.setUp();
    try {
      for (int i = 0; i < FlatCostBenchmark.IN_FLIGHT; i++) {
        benchmark.routeAndDispatch();
      }
      benchmark.drain();

      // Every batch was waited for: the next operations find nothing earlier to wait for.
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
    FlatCostBenchmark benchmark = new FlatCostBenchmark();
    benchmark.tenants = 1_000;
    benchmark.setUp();
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
}
