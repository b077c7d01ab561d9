package io.nm4j.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.FieldError;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.SpecReader;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmailReceiverValidationTest {
  private final EmailChannelProvider provider = new EmailChannelProvider();

  private Parsed<EmailReceiver> parse(Map<String, Object> spec) {
    return provider.parseReceiver(SpecReader.of(spec, "kubesphere-monitoring-system"));
  }

  @Test
  void missingToIsReported() {
    assertThat(parse(Map.of()).errors())
        .containsExactly(new FieldError("spec.to", "at least one address is required"));
  }

  @Test
  void everyBadAddressIsReportedByItsIndex() {
    Map<String, Object> spec =
        Map.of("to", Arrays.asList("ops@example.com", 42, "a..b@example.com", "x@y_z.com"));

    assertThat(parse(spec).errors())
        .containsExactly(
            new FieldError("spec.to[1]", "must be an e-mail address, was 42"),
            new FieldError(
                "spec.to[2]",
                "must be an e-mail address like ops@example.com, was \"a..b@example.com\": has a"
                    + " local part that starts or ends with a dot or holds two dots in a row"),
            new FieldError(
                "spec.to[3]",
                "must be an e-mail address like ops@example.com, was \"x@y_z.com\": has '_' in"
                    + " its domain"));
  }

  @Test
  void toAsASingleStringIsRejected() {
    assertThat(parse(Map.of("to", "ops@example.com")).errors())
        .containsExactly(
            new FieldError(
                "spec.to", "must be a list of e-mail addresses, was \"ops@example.com\""));
  }

  @Test
  void addressesKeepTheirOrder() {
    Map<String, Object> spec = Map.of("to", List.of("b@example.com", "a@example.com"));

    assertThat(parse(spec).value().to()).containsExactly("b@example.com", "a@example.com");
  }

  @Test
  void invalidSelectorMakesTheReceiverInvalidAlongsideOtherErrors() {
    Map<String, Object> spec =
        Map.of(
            "to",
            List.of(),
            "emailConfigSelector",
            Map.of("matchExpressions", List.of(Map.of("key", "team", "operator", "In"))));

    assertThat(parse(spec).errors())
        .containsExactly(
            new FieldError("spec.to", "at least one address is required"),
            new FieldError(
                "spec.emailConfigSelector.matchExpressions[0].values",
                "operator In needs at least one value"));
  }

  @Test
  void emptySelectorIsKeptAsMatchEverything() {
    Map<String, Object> spec =
        Map.of("to", List.of("ops@example.com"), "emailConfigSelector", Map.of());

    assertThat(parse(spec).value().configSelector()).isNotNull().satisfies(s -> s.isEmpty());
  }
}
