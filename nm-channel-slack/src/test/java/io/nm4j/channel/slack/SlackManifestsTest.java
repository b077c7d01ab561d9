package io.nm4j.channel.slack;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.FieldError;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.test.TestManifests;
import io.nm4j.test.TestManifests.Manifest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SlackManifestsTest {
  private final SlackChannelProvider provider = new SlackChannelProvider();

  private Parsed<?> parse(Manifest m) {
    return TestManifests.parse(provider, m);
  }

  @ParameterizedTest
  @ValueSource(strings = {"slack.yaml", "kubesphere/receivers-and-configs.yaml"})
  void everySlackObjectOfTheValidManifestsParsesWithoutError(String file) {
    List<Manifest> slack = TestManifests.ofKinds(file, provider);

    assertThat(slack).hasSize(4);
    for (Manifest m : slack) {
      assertThat(parse(m).errors()).as(m.kind() + "/" + m.name()).isEmpty();
    }
  }

  @Test
  void configsAndReceiversParseToTheirTypedValues() {
    SlackConfig config =
        provider
            .parseConfig(TestManifests.find("slack.yaml", "SlackConfig", "payments-slack").reader())
            .value();
    SlackReceiver global =
        provider
            .parseReceiver(
                TestManifests.find("slack.yaml", "SlackReceiver", "global-slack").reader())
            .value();
    SlackReceiver payments =
        provider
            .parseReceiver(
                TestManifests.find("slack.yaml", "SlackReceiver", "payments-slack").reader())
            .value();

    assertThat(config.slackTokenSecret())
        .isEqualTo(new SecretKeySelector("payments-slack-secret", "token"));
    assertThat(config.secretRefs())
        .containsExactly(
            Map.entry(
                "spec.slackTokenSecret", new SecretKeySelector("payments-slack-secret", "token")));
    assertThat(global).isEqualTo(new SlackReceiver(null, "#alerts"));
    assertThat(payments.channel()).isEqualTo("#payments-alerts");
    assertThat(payments.configSelector())
        .isEqualTo(LabelSelector.of(Map.of("namespace", "payments")));
    assertThat(payments.secretRefs()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          slack-config-secret-ref-without-name.yaml | spec.slackTokenSecret.name | is required
          slack-receiver-no-channel.yaml            | spec.channel               | is required
          selector-in-without-values.yaml           | spec.slackConfigSelector.matchExpressions[0].values | operator In needs at least one value
          """)
  void eachInvalidManifestYieldsExactlyItsError(String file, String field, String message) {
    Manifest faulty = TestManifests.lastOf("invalid/" + file);

    assertThat(parse(faulty).errors()).containsExactly(new FieldError(field, message));
  }

  @ParameterizedTest
  @ValueSource(strings = {"slack-config-missing-secret.yaml", "slack-config-missing-key.yaml"})
  void configNamingASecretThatDoesNotExistIsStillAWellFormedSpec(String file) {
    Manifest config = TestManifests.lastOf("invalid/" + file);

    Parsed<SlackConfig> parsed = provider.parseConfig(config.reader());

    assertThat(parsed.errors()).isEmpty();
    assertThat(parsed.value().secretRefs()).containsOnlyKeys("spec.slackTokenSecret");
  }
}
