package io.nm4j.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeliveryOptionsTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    DeliveryOptions o = DeliveryOptions.defaults();

    assertThat(o)
        .isEqualTo(
            new DeliveryOptions(
                16,
                1_000,
                100_000,
                10,
                Duration.ofSeconds(1),
                Duration.ofMinutes(5),
                Duration.ofHours(1),
                Duration.ofSeconds(30),
                Duration.ofSeconds(10),
                Duration.ofMinutes(5),
                100_000,
                10_000,
                8L * 1024 * 1024,
                64L * 1024 * 1024,
                16));
  }

  @Test
  void aBuilderOverridesOneValueAndKeepsTheRest() {
    DeliveryOptions o = DeliveryOptions.defaults().toBuilder().workers(2).build();

    assertThat(o.workers()).isEqualTo(2);
    assertThat(o.toBuilder().workers(16).build()).isEqualTo(DeliveryOptions.defaults());
  }

  @Test
  void outOfRangeValuesAreRejectedNamingTheField() {
    assertThatThrownBy(() -> DeliveryOptions.builder().workers(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("workers: must be at least 1, was 0");
    assertThatThrownBy(() -> DeliveryOptions.builder().sendTimeout(Duration.ZERO).build())
        .hasMessage("sendTimeout: must be positive, was PT0S");
    assertThatThrownBy(() -> DeliveryOptions.builder().maxBackoff(Duration.ofMillis(10)).build())
        .hasMessage("maxBackoff: must not be shorter than initialBackoff (PT1S), was PT0.01S");
  }

  @Test
  void maxInFlightPerReceiverDefaultsToTheDefaultWorkersAndMustBeAtLeastOne() {
    assertThat(DeliveryOptions.defaults().maxInFlightPerReceiver())
        .isEqualTo(16)
        .isEqualTo(DeliveryOptions.defaults().workers());
    assertThat(DeliveryOptions.builder().maxInFlightPerReceiver(1).build().maxInFlightPerReceiver())
        .isEqualTo(1);
    assertThat(
            DeliveryOptions.builder().maxInFlightPerReceiver(8).build().toBuilder()
                .build()
                .maxInFlightPerReceiver())
        .isEqualTo(8);
    assertThatThrownBy(() -> DeliveryOptions.builder().maxInFlightPerReceiver(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxInFlightPerReceiver: must be at least 1, was 0");
  }
}
