package io.nm4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.core.delivery.DeliveryOutcome;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The flat-cost benchmark sets up on the synthetic configuration and dispatches its batches. */
class FlatCostBenchmarkTest {
  @Test
  void eachOperationReturnsTheDeliveredOutcomesOfTheBatchSubmittedInFlightOperationsEarlier() {
    FlatCostBenchmark benchmark = new FlatCostBenchmark();
    benchmark.tenants = 1_000;
    benchmark.setUp();
    try {
      for (int i = 0; i < FlatCostBenchmark.IN_FLIGHT; i++) {
        assertThat(benchmark.routeAndDispatch()).isEmpty();
      }
      for (int i = 0; i < 2 * FlatCostBenchmark.IN_FLIGHT; i++) {
        List<CompletableFuture<DeliveryOutcome>> outcomes = benchmark.routeAndDispatch();
        assertThat(outcomes)
            .isNotEmpty()
            .allMatch(
                o -> o.isDone() && o.getNow(null).status() == DeliveryOutcome.Status.DELIVERED);
      }
    } finally {
      benchmark.tearDown();
    }
  }

  @Test
  void aBatchMakesFewerNotificationsWhenItsAlertsFallIntoFewerNamespaces() {
    double fewTenants = notificationsPerBatch(20);
    double manyTenants = notificationsPerBatch(1_000);

    // 20 tenants: the 10 global receivers and at most the 90 tenant receivers there are
    assertThat(fewTenants).isBetween(10.0, 100.0);
    assertThat(manyTenants).isGreaterThan(fewTenants);
  }

  private static double notificationsPerBatch(int tenants) {
    FlatCostBenchmark benchmark = new FlatCostBenchmark();
    benchmark.tenants = tenants;
    benchmark.setUp();
    try {
      return benchmark.notificationsPerBatch();
    } finally {
      benchmark.tearDown();
    }
  }
}
