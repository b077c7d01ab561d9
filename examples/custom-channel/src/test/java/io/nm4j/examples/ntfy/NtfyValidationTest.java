package io.nm4j.examples.ntfy;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.FieldError;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SpecReader;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the provider reads from each field, and the message of each rule it enforces. */
class NtfyValidationTest {
  private final NtfyChannelProvider provider = new NtfyChannelProvider();

  private static SpecReader spec(Map<String, Object> fields) {
    return SpecReader.of(fields, "kubesphere-monitoring-system");
  }

  @Test
  void aConfigWithoutServerPublishesToNtfyShAnonymously() {
    NtfyConfig config = provider.parseConfig(spec(Map.of())).value();

    assertThat(config).isEqualTo(new NtfyConfig(URI.create("https://ntfy.sh"), null));
    assertThat(config.secretRefs()).isEmpty();
    assertThat(config.endpoints()).containsOnlyKeys("spec.server");
  }

  @Test
  void theTokenIsASecretReferenceAndTheServerAnEndpoint() {
    NtfyConfig config =
        provider
            .parseConfig(
                spec(
                    Map.of(
                        "server",
                        "http://ntfy.internal:8080/base",
                        "accessToken",
                        Map.of("name", "ntfy", "key", "token"))))
            .value();

    assertThat(config.secretRefs())
        .isEqualTo(Map.of("spec.accessToken", new SecretKeySelector("ntfy", "token")));
    assertThat(config.endpoints().get("spec.server").toString()).isEqualTo("ntfy.internal:8080");
  }

  @Test
  void aBadServerIsNamedWithoutRepeatingItsValue() {
    for (String server :
        List.of(
            "https://alice:s3cret@ntfy.sh",
            "https://ntfy.sh/?auth=s3cret",
            "ftp://s3cret.example")) {
      List<FieldError> errors = provider.parseConfig(spec(Map.of("server", server))).errors();

      assertThat(errors).singleElement().extracting(FieldError::field).isEqualTo("spec.server");
      assertThat(errors.toString()).doesNotContain("s3cret");
    }
  }

  @Test
  void everyRuleOfAReceiverIsReportedAtOnceWithItsFieldPath() {
    List<FieldError> errors =
        provider
            .parseReceiver(
                spec(
                    Map.of(
                        "topic", "ops alerts",
                        "priority", "critical",
                        "tags", List.of("ok", "a,b"))))
            .errors();

    assertThat(errors)
        .containsExactly(
            new FieldError(
                "spec.topic", "must be 1 to 64 letters, digits, - or _, was \"ops alerts\""),
            new FieldError(
                "spec.priority",
                "must be one of min, low, default, high, max, urgent, was \"critical\""),
            new FieldError(
                "spec.tags[1]",
                "must be 1 to 64 characters without commas or white space, was" + " \"a,b\""));
  }
}
