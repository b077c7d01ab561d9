package io.nm4j.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecReaderDurationTest {

  private static SpecReader reader(Object value) {
    return SpecReader.at(Map.of("d", value), "spec.x", "ns");
  }

  @Test
  void goDurationTextIsReadAsGoReadsIt() {
    assertThat(reader("8h").duration("d")).isEqualTo(Duration.ofHours(8));
    assertThat(reader("1h30m").duration("d")).isEqualTo(Duration.ofMinutes(90));
    assertThat(reader("1.5h").duration("d")).isEqualTo(Duration.ofMinutes(90));
    assertThat(reader("250ms").duration("d")).isEqualTo(Duration.ofMillis(250));
    assertThat(reader("0").duration("d")).isEqualTo(Duration.ZERO);
  }

  @Test
  void aNumberIsNanosecondsAsGoWritesATimeDuration() {
    assertThat(reader(7_200_000_000_000L).duration("d")).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void badDurationsAreErrorsNamingTheField() {
    for (Object bad : new Object[] {"8 hours", "-1h", "", -5, true}) {
      SpecReader r = reader(bad);
      assertThat(r.duration("d")).isNull();
      assertThat(r.errors())
          .singleElement()
          .satisfies(e -> assertThat(e.field()).isEqualTo("spec.x.d"));
    }
    assertThat(reader("8 hours").duration("d")).isNull();
    SpecReader r = reader("8 hours");
    r.duration("d");
    assertThat(r.errors().get(0).message()).contains("Go duration");
  }
}
