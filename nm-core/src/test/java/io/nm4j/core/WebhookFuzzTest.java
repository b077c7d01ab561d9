package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.nm4j.spi.AlertBatch;
import java.util.regex.Pattern;

/**
 * Coverage-guided fuzzing of the intake: any bytes either decode to a batch that survives an encode
 * and decode unchanged and routes and explains on a real configuration, or are refused with an
 * {@link InvalidPayloadException} whose message says where the body is wrong. Nothing else may
 * escape. What the streaming reading accepts, the tree reading reads the same. The seed corpus is
 * the captured Alertmanager payloads.
 */
class WebhookFuzzTest {
  /** Every refusal names a field path or, for unreadable JSON, the line and column. */
  private static final Pattern PRECISE =
      Pattern.compile(
          "(?s)malformed JSON: .*\\(line -?\\d+, column -?\\d+\\)"
              + "|unreadable body: .*"
              + "|empty body: .*"
              + "|expected an Alertmanager webhook object, was .*"
              + "|(version|status|receiver|externalURL|groupKey|truncatedAlerts|alerts"
              + "|groupLabels|commonLabels|commonAnnotations"
              + "|alerts\\[\\d+\\](\\.(status|labels|annotations|startsAt|endsAt|generatorURL"
              + "|fingerprint))?)[.:].*");

  private static final Snapshot SNAPSHOT =
      Snapshot.build(
          Manifests.parse(
              Fixtures.global("ops")
                  + Fixtures.tenant("alice", "team-a")
                  + Fixtures.tenant("bob", "team-b")
                  + Fixtures.config("pager", "{type: default}"),
              "fuzz.yaml"),
          Fixtures.CHANNELS,
          NotificationManager.DEFAULT_NAMESPACE,
          null);

  @FuzzTest(maxDuration = "15s")
  void anyBodyDecodesRoundTripsAndExplainsOrIsRefusedPrecisely(byte[] body) {
    AlertBatch batch;
    try {
      batch = AlertmanagerWebhook.decode(body);
    } catch (InvalidPayloadException e) {
      assertThat(e.getMessage()).matches(PRECISE);
      return;
    }
    assertThat(batch)
        .as("streaming and tree readings")
        .isEqualTo(AlertmanagerWebhook.decodeTree(body));
    assertThat(AlertmanagerWebhook.decode(AlertmanagerWebhook.encode(batch)))
        .as("encode then decode")
        .isEqualTo(batch);
    Routing routing = SNAPSHOT.route(batch);
    assertThat(Explain.of(routing).toJson()).startsWith("{");
  }
}
