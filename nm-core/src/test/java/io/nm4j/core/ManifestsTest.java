package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestsTest {

  @Test
  void readsEveryDocumentOfAMultiDocumentYaml() {
    ConfigSet set =
        Manifests.parse(
            "apiVersion: v1\nkind: Secret\nmetadata: {name: a, namespace: ns, labels: {x: '1'},"
                + " creationTimestamp: '2025-01-02T03:04:05Z', uid: u, resourceVersion: '7'}\ndata: {k: dg==}\n"
                + "---\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: b}\n",
            "f.yaml");
    assertThat(set.problems()).isEmpty();
    assertThat(set.objects())
        .extracting(o -> o.ref().toString())
        .containsExactly("Secret/a", "Secret/b");
    ConfigObject a = set.objects().get(0);
    assertThat(a.metadata().labels()).isEqualTo(Map.of("x", "1"));
    assertThat(a.metadata().creationTimestamp()).isEqualTo(Instant.parse("2025-01-02T03:04:05Z"));
    assertThat(a.metadata().resourceVersion()).isEqualTo("7");
    assertThat(a.body()).containsEntry("data", Map.of("k", "dg=="));
    assertThat(a.origin()).isEqualTo("f.yaml (document 1)");
  }

  @Test
  void readsJsonObjectsArraysAndKubectlLists() {
    ConfigSet json =
        Manifests.parse(
            "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"a\"}}]}",
            "l.json");
    assertThat(json.objects()).extracting(o -> o.ref().toString()).containsExactly("Secret/a");
    ConfigSet array =
        Manifests.parse(
            "[{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"b\"}}]",
            "a.json");
    assertThat(array.objects()).extracting(o -> o.ref().toString()).containsExactly("Secret/b");
  }

  @Test
  void malformedYamlIsOneProblemNamingTheFileWithLine() {
    ConfigSet set = Manifests.parse("kind: Secret\nmetadata: {name: [\n", "broken.yaml");
    assertThat(set.objects()).isEmpty();
    assertThat(set.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.object()).isEqualTo("broken.yaml");
              assertThat(p.message()).startsWith("malformed YAML").contains("line");
            });
  }

  @Test
  void documentWithoutKindOrNameIsAProblemAndTheOthersStillLoad() {
    ConfigSet set =
        Manifests.parse(
            "apiVersion: v1\nmetadata: {name: x}\n---\napiVersion: v1\nkind: Secret\nmetadata: {}\n---\n"
                + "apiVersion: v1\nkind: Secret\nmetadata: {name: ok}\n",
            "f.yaml");
    assertThat(set.objects()).extracting(o -> o.ref().toString()).containsExactly("Secret/ok");
    assertThat(set.problems())
        .extracting(Object::toString)
        .containsExactly(
            "f.yaml (document 1) ?/x: kind: is required",
            "f.yaml (document 2) Secret/?: metadata.name: is required");
  }

  @Test
  void duplicateKeysAndAliasBombsAreRejected() {
    ConfigSet dup =
        Manifests.parse(
            "apiVersion: v1\nkind: Secret\nkind: Other\nmetadata: {name: a}\n", "d.yaml");
    assertThat(dup.objects()).isEmpty();
    assertThat(dup.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).containsIgnoringCase("duplicate"));

    StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (char c = 'b'; c <= 'k'; c++) {
      char prev = (char) (c - 1);
      bomb.append(c).append(": &").append(c).append(" [*").append(prev);
      bomb.append(", *")
          .append(prev)
          .append(", *")
          .append(prev)
          .append(", *")
          .append(prev)
          .append("]\n");
    }
    ConfigSet laughs = Manifests.parse(bomb.toString(), "bomb.yaml");
    assertThat(laughs.objects()).isEmpty();
    assertThat(laughs.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.object()).startsWith("bomb.yaml"));
  }

  @Test
  void badLabelValuesOrTimestampsNameTheFileDocumentAndField() {
    ConfigSet set =
        Manifests.parse(
            "apiVersion: v1\nkind: Secret\nmetadata: {name: a, labels: {x: {y: 1}}}\n---\n"
                + "apiVersion: v1\nkind: Secret\nmetadata: {name: b, creationTimestamp: soon}\n",
            "f.yaml");
    assertThat(set.problems())
        .extracting(Object::toString)
        .containsExactly(
            "f.yaml (document 1) Secret/a: metadata: labels.x: must be a string, was OBJECT",
            "f.yaml (document 2) Secret/b: metadata: creationTimestamp: must be an RFC 3339 time,"
                + " was \"soon\"");
  }
}
