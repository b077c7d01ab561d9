package io.nm4j.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.core.delivery.DeliveryOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServeDeliveryOptionsTest {
  private static DeliveryOptions parse(String... args) {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs(args);
    return serve.deliveryOptions();
  }

  @Test
  void withoutFlagsTheLibraryDefaultsApply() {
    assertThat(parse()).isEqualTo(DeliveryOptions.defaults());
  }

  @Test
  void eachReliabilityFlagSetsItsOption() {
    DeliveryOptions o =
        parse(
            "--max-in-flight", "1",
            "--history-size", "50",
            "--history-bytes", "65536",
            "--drain-timeout", "500ms",
            "--send-timeout", "2m");

    assertThat(o.maxInFlightPerReceiver()).isEqualTo(1);
    assertThat(o.historySize()).isEqualTo(50);
    assertThat(o.historyBytes()).isEqualTo(65_536);
    assertThat(o.drainTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(o.sendTimeout()).isEqualTo(Duration.ofMinutes(2));
  }
}
