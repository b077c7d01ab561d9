package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import java.time.Instant;
import java.util.List;
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

  // Through the manifest reader's one table: the identities below hold because no other parse runs
  // between the two (test classes run one at a time).
  @Test
  void namesAndLabelsRepeatedAcrossFilesAreHeldOnceAndFieldValuesAreNot() {
    String receiver =
        "apiVersion: notification.kubesphere.io/v2beta2\nkind: Receiver\nmetadata: {name: %s,"
            + " namespace: kubesphere-monitoring-system, labels: {type: tenant, user: ann}}\n"
            + "spec: {email: {to: [ann@example.com]}}\n";
    String secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: %s}\nstringData: {k: s3cret}\n";
    ConfigObject first = Manifests.parse(receiver.formatted("a"), "a.yaml").objects().get(0);
    ConfigObject second = Manifests.parse(receiver.formatted("b"), "b.yaml").objects().get(0);

    assertThat(second.apiVersion()).isSameAs(first.apiVersion());
    assertThat(second.kind()).isSameAs(first.kind());
    assertThat(second.metadata().namespace()).isSameAs(first.metadata().namespace());
    assertThat(key(second.metadata().labels(), "type"))
        .isSameAs(key(first.metadata().labels(), "type"));
    assertThat(second.metadata().labels().get("type"))
        .isSameAs(first.metadata().labels().get("type"));
    assertThat(second.metadata().labels().get("user"))
        .isSameAs(first.metadata().labels().get("user"));
    assertThat(key(second.spec(), "email")).isSameAs(key(first.spec(), "email"));
    assertThat(second.metadata().name()).isEqualTo("b");

    Object value =
        Manifests.parse(secret.formatted("a"), "a.yaml").objects().get(0).at("stringData.k");
    Object again =
        Manifests.parse(secret.formatted("b"), "b.yaml").objects().get(0).at("stringData.k");
    assertThat(again).isEqualTo(value).isNotSameAs(value);
    Object address = first.at("spec.email.to");
    assertThat(second.at("spec.email.to")).isEqualTo(address);
    assertThat(((List<?>) second.at("spec.email.to")).get(0))
        .isNotSameAs(((List<?>) address).get(0));
  }

  /** The map's own instance of a key equal to {@code name}. */
  private static String key(Map<String, ?> map, String name) {
    return map.keySet().stream().filter(name::equals).findFirst().orElseThrow();
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
            "f.yaml (document 1) Secret/a: metadata: labels.x: must be a string, was an object",
            "f.yaml (document 2) Secret/b: metadata: creationTimestamp: must be an RFC 3339 time,"
                + " was \"soon\"");
  }

  private static String problemOf(String content) {
    ConfigSet set = Manifests.parse(content, "f.yaml");
    assertThat(set.objects()).isEmpty();
    assertThat(set.problems()).hasSize(1);
    return set.problems().get(0).toString();
  }

  @Test
  void yamlAnchorsAliasesAndMergeKeysAreRefusedNamingLineAndColumn() {
    String head = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\n";
    assertThat(problemOf(head + "data: &d {k: dg==}\nstringData: *d\n"))
        .isEqualTo("f.yaml: malformed YAML: anchors (&name) are not supported (line 5, column 7)");
    assertThat(problemOf(head + "data:\n  k: dg==\nother:\n  <<: {k: dg==}\n"))
        .isEqualTo("f.yaml: malformed YAML: merge keys (<<) are not supported (line 8, column 3)");
  }

  @Test
  void duplicateKeysAreRefusedInYamlAndJson() {
    assertThat(problemOf("apiVersion: v1\nkind: Secret\nkind: Secret\nmetadata: {name: a}\n"))
        .isEqualTo("f.yaml: malformed YAML: duplicate key \"kind\" (line 3, column 1)");
    assertThat(
            problemOf(
                "{\"apiVersion\": \"v1\", \"kind\": \"Secret\", \"metadata\": {\"name\": \"a\","
                    + " \"name\": \"b\"}}"))
        .startsWith("f.yaml: malformed JSON: duplicate key \"name\" (line 1, column ");
  }

  @Test
  void jsonAndYamlShareOneDepthLimitSoNothingAcceptedAsJsonIsUnreadableAsYaml() {
    String deepJson =
        "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"a\"},\"x\":"
            + "[".repeat(40)
            + "]".repeat(40)
            + "}";
    assertThat(problemOf(deepJson))
        .startsWith(
            "f.yaml: malformed JSON: nested deeper than " + Manifests.MAX_DEPTH + " levels");
    String deepYaml = "apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nx: " + "[".repeat(40);
    assertThat(problemOf(deepYaml)).startsWith("f.yaml: malformed YAML: ");
    String atLimit =
        "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"a\"},\"x\":"
            + "[".repeat(Manifests.MAX_DEPTH - 1)
            + "]".repeat(Manifests.MAX_DEPTH - 1)
            + "}";
    ConfigObject o = Manifests.parse(atLimit, "f.json").objects().get(0);
    ConfigObject back = Manifests.parse(Manifests.toYaml(o), "f.yaml").objects().get(0);
    assertThat(back.body()).isEqualTo(o.body());
    assertThat(back.metadata()).isEqualTo(o.metadata());
  }

  @Test
  void aHugeListOfEmptyListsIsRefusedInsteadOfStored() {
    String body =
        "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"a\"},\"x\":["
            + "[],".repeat(Manifests.MAX_ENTRIES)
            + "[]]}";
    assertThat(problemOf(body))
        .contains("more than " + Manifests.MAX_ENTRIES + " items in one list");
  }

  @Test
  void aBrokenSecretNeverPutsItsValuesIntoAProblem() {
    String yaml =
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  password: c3VwZXJzZWNyZXQ=\n"
            + "  token: \"xoxb-unterminated-9999\n  other: x\n";
    String problem = problemOf(yaml);
    assertThat(problem).startsWith("f.yaml: malformed YAML: ").contains("(line ");
    assertThat(problem).doesNotContain("c3VwZXJzZWNyZXQ=", "xoxb", "9999", "password:");
    String json =
        "{\"apiVersion\": \"v1\", \"kind\": \"Secret\", \"metadata\": {\"name\": \"s\"},"
            + " \"data\": {\"token\": xoxbunquoted4242}}";
    String jsonProblem = problemOf(json);
    assertThat(jsonProblem).startsWith("f.yaml: malformed JSON: ").contains("(line 1, column ");
    assertThat(jsonProblem).doesNotContain("xoxb", "4242");
  }

  @Test
  void aRequestBodyIsReadAsOneDocumentUnderTheSameRules() {
    assertThat(Manifests.readTree("receiver: {kind: A, name: b}\n"))
        .isEqualTo(Map.of("receiver", Map.of("kind", "A", "name", "b")));
    assertThatThrownBy(() -> Manifests.readTree("a: 1\na: 2\n"))
        .hasMessage("malformed YAML: duplicate key \"a\" (line 2, column 1)");
    assertThatThrownBy(() -> Manifests.readTree("a: 1\n---\nb: 2\n"))
        .hasMessage("expected one document, found 2");
  }
}
