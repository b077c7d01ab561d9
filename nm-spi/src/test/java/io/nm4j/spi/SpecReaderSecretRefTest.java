package io.nm4j.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SpecReaderSecretRefTest {

  static List<Object[]> valuesWhereAReferenceBelongs() {
    return List.of(
        new Object[] {"tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2", "a string"},
        new Object[] {4711_0815L, "a number"},
        new Object[] {true, "a boolean"},
        new Object[] {List.of("hunter2"), "a list"});
  }

  @ParameterizedTest
  @MethodSource("valuesWhereAReferenceBelongs")
  void aSecretWrittenWhereItsReferenceBelongsIsRejectedWithoutBeingQuoted(
      Object value, String kind) {
    SpecReader spec = SpecReader.of(Map.of("token", value), "ns");

    assertThat(spec.secretRef("token")).isNull();
    assertThat(spec.errors())
        .containsExactly(
            new FieldError("spec.token", "must be a secret reference {name, key}, was " + kind));
    assertThat(spec.errors().toString()).doesNotContain(String.valueOf(value));
  }

  @Test
  void aReferenceIsReadAndARequiredOneThatIsAbsentIsNamed() {
    SpecReader spec = SpecReader.of(Map.of("token", Map.of("name", "ntfy", "key", "token")), "ns");

    assertThat(spec.secretRef("token")).isEqualTo(new SecretKeySelector("ntfy", "token"));
    assertThat(spec.requiredSecretRef("other")).isNull();
    assertThat(spec.errors())
        .containsExactly(
            new FieldError("spec.other", "is required (a secret reference {name, key})"));
  }
}
