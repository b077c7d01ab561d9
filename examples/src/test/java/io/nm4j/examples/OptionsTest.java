package io.nm4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nm4j.examples.Options.Option;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {
  private static final List<Option> DECLARED =
      List.of(
          Option.value("config", "DIR", true, "where"),
          Option.value("namespace", "NS", false, "which"),
          Option.flag("dry-run", "send nothing"));

  @Test
  void valuesAreReadSeparatedOrWithAnEqualsSign() throws Exception {
    Options o =
        Options.parse(List.of("--config", "a=b", "--namespace=ns-1", "--dry-run"), DECLARED);

    assertThat(o.required("config")).isEqualTo("a=b");
    assertThat(o.get("namespace")).isEqualTo("ns-1");
    assertThat(o.flag("dry-run")).isTrue();
    assertThat(o.help()).isFalse();
  }

  @Test
  void absentOptionalValueFallsBack() throws Exception {
    Options o = Options.parse(List.of("--config", "c"), DECLARED);

    assertThat(o.get("namespace")).isNull();
    assertThat(o.get("namespace", "default-ns")).isEqualTo("default-ns");
    assertThat(o.flag("dry-run")).isFalse();
  }

  @Test
  void helpNeedsNoRequiredOption() throws Exception {
    assertThat(Options.parse(List.of("-h"), DECLARED).help()).isTrue();
  }

  @Test
  void flagWithAValueIsRejected() {
    assertThatThrownBy(() -> Options.parse(List.of("--config", "c", "--dry-run=yes"), DECLARED))
        .isInstanceOf(Options.UsageException.class)
        .hasMessage("option --dry-run takes no value");
  }

  @Test
  void singleDashOptionOtherThanHelpIsRejected() {
    assertThatThrownBy(() -> Options.parse(List.of("-c", "x"), DECLARED))
        .isInstanceOf(Options.UsageException.class)
        .hasMessage("unexpected argument \"-c\"");
  }

  @Test
  void askingForAnUndeclaredOptionIsAProgrammingError() throws Exception {
    Options o = Options.parse(List.of("--config", "c"), DECLARED);

    assertThatThrownBy(() -> o.get("verbose")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void describeAlignsDescriptionsAndMarksRequiredOptions() {
    assertThat(Options.describe(DECLARED))
        .containsExactly(
            "  --config DIR    where (required)",
            "  --namespace NS  which",
            "  --dry-run       send nothing",
            "  -h, --help      show this help");
  }
}
