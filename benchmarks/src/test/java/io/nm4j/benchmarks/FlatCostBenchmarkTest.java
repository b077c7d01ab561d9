package io.nm4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The flat-cost benchmark sets up on the synthetic configuration and dispatches a batch. */
class FlatCostBenchmarkTest {
  @Test
  void setsUpOnTheSyntheticConfigurationAndDispatchesEveryAlertOfABatch() {
    FlatCostBenchmark benchmark = new FlatCostBenchmark();
    benchmark.tenants = 1_000;
    benchmark.setUp();
    try {
      assertThat((List<?>) benchmark.routeAndDispatch()).isNotEmpty();
    } finally {
      benchmark.tearDown();
    }
  }
}
