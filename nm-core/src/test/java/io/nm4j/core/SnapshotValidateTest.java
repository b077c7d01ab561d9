package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotValidateTest {
  private static final String NS = NotificationManager.DEFAULT_NAMESPACE;

  private static ConfigObject one(String yaml) {
    return Fixtures.yaml(yaml).objects().get(0);
  }

  private static List<Problem> validate(String candidate, String context) {
    return Snapshot.validate(one(candidate), Fixtures.yaml(context), Fixtures.CHANNELS, NS);
  }

  @Test
  void aValidObjectHasNoErrors() {
    assertThat(validate(Fixtures.global("ops"), "")).isEmpty();
  }

  @Test
  void everyErrorOfTheObjectIsReportedAndNoneOfOthers() {
    List<Problem> problems =
        validate(
            Fixtures.receiver("PagerReceiver", "bad", "{}", "{pagerConfigSelector: 3}"),
            Fixtures.receiver("PagerReceiver", "other", "{}", "{}"));
    assertThat(problems).extracting(Problem::field).contains("spec.to");
    assertThat(problems).allMatch(p -> p.object().equals("PagerReceiver/bad"));
  }

  @Test
  void aSecretReferenceMustExistAndHoldItsKey() {
    String config =
        Fixtures.receiver("PagerConfig", "c", "{type: default}", "{token: {name: s, key: k}}");
    assertThat(validate(config, "")).extracting(Problem::field).containsExactly("spec.token");
    assertThat(validate(config, Fixtures.secret("s", "other", "eA==")))
        .extracting(Problem::message)
        .singleElement()
        .asString()
        .contains("has no key \"k\"");
    assertThat(validate(config, Fixtures.secret("s", "k", "eA=="))).isEmpty();
  }

  @Test
  void routingOutcomesAreNotErrorsOfTheObject() {
    String second = Fixtures.config("second", "{type: default}");
    String context =
        Fixtures.config("first", "{type: default}") + "\n---\n" + Fixtures.global("ops");
    assertThat(validate(second, context)).isEmpty();
    // A receiver without any config yet is valid; its deliveries fail with NO_CONFIG.
    assertThat(validate(Fixtures.global("lonely"), "")).isEmpty();
    assertThat(Snapshot.validate(one(second), ConfigSet.EMPTY, Fixtures.CHANNELS, NS)).isEmpty();
  }
}
