package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.nm4j.spi.ConfigSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Decoding and manifest parsing survive any bytes: each hostile input ends in a precise {@link
 * InvalidPayloadException} (the server's 400) or a reported problem, never another exception.
 * Mutations are seeded, so a failure reproduces.
 */
class HostileInputTest {
  private static final List<String> PAYLOADS =
      List.of(
          "firing-single.json",
          "grouped-multi-namespace.json",
          "mixed-firing-resolved.json",
          "special-chars.json",
          "truncated.json");

  private static byte[] payload(String name) throws IOException {
    try (InputStream in = HostileInputTest.class.getResourceAsStream("/alertmanager/" + name)) {
      return Objects.requireNonNull(in, name).readAllBytes();
    }
  }

  /** Decodes, or fails only with {@link InvalidPayloadException}. */
  private static void decodesOrRejects(byte[] body) {
    Throwable t = catchThrowable(() -> AlertmanagerWebhook.decode(body));
    if (t != null) {
      assertThat(t).isInstanceOf(InvalidPayloadException.class);
      assertThat(t.getMessage()).isNotBlank();
    }
  }

  @Test
  void everyTruncationOfARealPayloadDecodesOrIsRejectedPrecisely() throws IOException {
    for (String name : PAYLOADS) {
      byte[] body = payload(name);
      for (int cut = 0; cut < body.length; cut++) {
        decodesOrRejects(java.util.Arrays.copyOf(body, cut));
      }
    }
  }

  @Test
  void randomByteMutationsOfRealPayloadsDecodeOrAreRejectedPrecisely() throws IOException {
    SplittableRandom random = new SplittableRandom(20240501);
    for (String name : PAYLOADS) {
      byte[] original = payload(name);
      for (int round = 0; round < 2_000; round++) {
        byte[] body = original.clone();
        int flips = 1 + random.nextInt(8);
        for (int i = 0; i < flips; i++) {
          body[random.nextInt(body.length)] = (byte) random.nextInt(256);
        }
        decodesOrRejects(body);
      }
    }
  }

  @Test
  void deepNestingIsRejectedNamingTheLimit() {
    String deep = "{\"alerts\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
    assertThatThrownBy(() -> AlertmanagerWebhook.decode(deep.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessageContaining("malformed JSON")
        .hasMessageContaining("nesting depth");
  }

  @Test
  void hugeStringWrongTypesDuplicateKeysAndBadNumbersAreRejectedNamingTheField() {
    String huge =
        "{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"a\":\"" + "x".repeat(2 << 20) + "\"}}]}";
    assertThatThrownBy(() -> AlertmanagerWebhook.decode(huge.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessageContaining("String value length");
    assertThatThrownBy(
            () ->
                AlertmanagerWebhook.decode(
                    bytes("{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"a\":1}}]}")))
        .hasMessage("alerts[0].labels.a: must be a string, was a number");
    assertThatThrownBy(() -> AlertmanagerWebhook.decode(bytes("{\"alerts\":[],\"alerts\":[]}")))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessageContaining("Duplicate field 'alerts'");
    assertThatThrownBy(
            () -> AlertmanagerWebhook.decode(bytes("{\"alerts\":[],\"truncatedAlerts\":1e999}")))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessageStartingWith("truncatedAlerts: must be a non-negative integer");
  }

  @Test
  void invalidUtf8IsRejected() {
    byte[] body = bytes("{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"a\":\"__\"}}]}");
    body[body.length - 7] = (byte) 0xC3; // a lead byte followed by an ASCII byte
    body[body.length - 6] = (byte) 0x28;
    assertThatThrownBy(() -> AlertmanagerWebhook.decode(body))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessageContaining("Invalid UTF-8");
  }

  @Test
  void yamlAliasBombIsAProblemAndCustomTagsAreIgnoredAsPlainData() {
    StringBuilder bomb =
        new StringBuilder(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      char p = (char) (c - 1);
      bomb.append(c).append(": &").append(c).append(" [*").append(p);
      for (int i = 0; i < 8; i++) {
        bomb.append(",*").append(p);
      }
      bomb.append("]\n");
    }
    ConfigSet bombed = Manifests.parse(bomb.toString(), "bomb.yaml");
    assertThat(bombed.objects()).isEmpty();
    assertThat(bombed.problems()).isNotEmpty();
    assertThat(bombed.problems().get(0).toString()).contains("bomb.yaml");

    ConfigSet tagged =
        Manifests.parse(
            "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\ndata: !!javax.script.ScriptEngineManager [a]\n",
            "tags.yaml");
    // the tag is ignored: the value stays plain data, no class is ever instantiated
    assertThat(tagged.objects())
        .singleElement()
        .satisfies(o -> assertThat(o.body().get("data")).isEqualTo(List.of("a")));
  }

  @Test
  void pathTraversalInANameIsAProblemNotAnObject() {
    ConfigSet set =
        Manifests.parse(
            """
            apiVersion: notification.kubesphere.io/v1alpha1
            kind: WebhookReceiver
            metadata: {name: ../../etc/passwd, labels: {type: global}}
            spec: {}
            """,
            "traversal.yaml");
    assertThat(set.problems()).isNotEmpty();
    assertThat(set.problems().toString()).contains("metadata.name");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
