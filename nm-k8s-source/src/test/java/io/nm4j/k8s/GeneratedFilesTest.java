package io.nm4j.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.KindReference;
import io.nm4j.spi.KindDescription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed CRDs, RBAC rules and reference pages are exactly what the descriptions of the
 * channels on the classpath generate. After changing a description, refresh them with
 *
 * <pre>
 * ./mvnw -B -pl nm-k8s-source -am test -Dtest=GeneratedFilesTest -Dsurefire.failIfNoSpecifiedTests=false -Dnm4j.writeGenerated=true
 * </pre>
 */
class GeneratedFilesTest {

  static final Path ROOT = Path.of("..");
  static final Path CRDS = ROOT.resolve("deploy/kubernetes/crds");
  static final Path RBAC = ROOT.resolve("deploy/kubernetes/rbac.yaml");
  static final Path REFERENCE = ROOT.resolve("docs/reference");
  static final String REFRESH =
      "refresh with: ./mvnw -B -pl nm-k8s-source -am test -Dtest=GeneratedFilesTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dnm4j.writeGenerated=true";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Every kind the built-in channels and the core describe. */
  static List<KindDescription> kinds() {
    return ChannelRegistry.discover(GeneratedFilesTest.class.getClassLoader(), List.of())
        .kindDescriptions();
  }

  private static boolean writing() {
    return Boolean.getBoolean("nm4j.writeGenerated");
  }

  /** Compares a directory's files (of one suffix) with the generated ones, or writes them. */
  private static void check(Path dir, String suffix, Map<String, String> generated)
      throws IOException {
    Map<String, String> committed = new TreeMap<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.filter(f -> f.toString().endsWith(suffix)).toList()) {
          committed.put(f.getFileName().toString(), Files.readString(f));
        }
      }
    }
    if (writing()) {
      Files.createDirectories(dir);
      for (String stale : committed.keySet()) {
        if (!generated.containsKey(stale)) {
          Files.delete(dir.resolve(stale));
        }
      }
      for (Map.Entry<String, String> e : generated.entrySet()) {
        Files.writeString(dir.resolve(e.getKey()), e.getValue());
      }
      return;
    }
    assertThat(committed.keySet())
        .as("files in %s; %s", dir, REFRESH)
        .containsExactlyInAnyOrderElementsOf(generated.keySet());
    generated.forEach(
        (name, text) ->
            assertThat(committed.get(name))
                .as(
                    "%s differs from what the descriptions generate; %s",
                    dir.resolve(name), REFRESH)
                .isEqualTo(text));
  }

  @Test
  void committedCrdsAreWhatTheDescriptionsGenerate() throws IOException {
    check(CRDS, ".yaml", KubernetesManifests.crds(kinds()));
  }

  @Test
  void committedRbacIsWhatTheDescriptionsGenerate() throws IOException {
    String generated = KubernetesManifests.rbac(kinds(), KubernetesConfigSource.DEFAULT_NAMESPACE);
    if (writing()) {
      Files.writeString(RBAC, generated);
      return;
    }
    assertThat(Files.readString(RBAC)).as("%s; %s", RBAC, REFRESH).isEqualTo(generated);
  }

  @Test
  void committedReferencePagesAreWhatTheDescriptionsGenerate() throws IOException {
    Map<String, String> pages = new LinkedHashMap<>();
    pages.put("README.md", KindReference.index(kinds()));
    for (KindDescription kind : kinds()) {
      pages.put(kind.kind() + ".md", KindReference.markdown(kind));
    }
    check(REFERENCE, ".md", pages);
  }

  @Test
  void everyKindHasOneCrdUnderItsDescribedPluralVersionAndScope() throws IOException {
    for (KindDescription kind : kinds()) {
      JsonNode crd =
          YAML.readTree(CRDS.resolve(kind.plural() + ".notification.kubesphere.io.yaml").toFile());
      assertThat(crd.path("apiVersion").asText()).isEqualTo("apiextensions.k8s.io/v1");
      assertThat(crd.at("/metadata/name").asText())
          .isEqualTo(kind.plural() + ".notification.kubesphere.io");
      assertThat(crd.at("/spec/group").asText()).isEqualTo("notification.kubesphere.io");
      assertThat(crd.at("/spec/scope").asText())
          .as(kind.kind())
          .isEqualTo(kind.clusterScoped() ? "Cluster" : "Namespaced");
      assertThat(crd.at("/spec/names/kind").asText()).isEqualTo(kind.kind());
      assertThat(crd.at("/spec/names/plural").asText()).isEqualTo(kind.plural());
      assertThat(crd.at("/spec/versions/0/name").asText()).isEqualTo(kind.version());
      assertThat(crd.at("/spec/versions/0/served").asBoolean()).isTrue();
      assertThat(crd.at("/spec/versions/0/storage").asBoolean()).isTrue();
      assertThat(crd.at("/spec/versions").size()).isEqualTo(1);
    }
  }

  @Test
  void crdSchemasAreStructuralWithATypeOnEveryNode() throws IOException {
    for (KindDescription kind : kinds()) {
      JsonNode crd =
          YAML.readTree(CRDS.resolve(kind.plural() + ".notification.kubesphere.io.yaml").toFile());
      assertStructural(kind.kind(), crd.at("/spec/versions/0/schema/openAPIV3Schema"));
    }
  }

  /**
   * Kubernetes' structural rules as far as the generator could break them: a type on every node (or
   * int-or-string / preserve-unknown-fields), no type or description inside {@code anyOf}, and
   * either properties or additionalProperties, never both.
   */
  private static void assertStructural(String where, JsonNode schema) {
    boolean intOrString = schema.path("x-kubernetes-int-or-string").asBoolean();
    assertThat(intOrString || schema.hasNonNull("type")).as("%s has a type", where).isTrue();
    assertThat(schema.has("properties") && schema.has("additionalProperties"))
        .as("%s has properties or additionalProperties, not both", where)
        .isFalse();
    for (JsonNode branch : schema.path("anyOf")) {
      assertThat(intOrString).as("%s: anyOf only for int-or-string", where).isTrue();
      assertThat(branch.has("description")).as("%s: anyOf without description", where).isFalse();
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      assertStructural(where + "." + p.getKey(), p.getValue());
    }
    if (schema.has("items")) {
      assertStructural(where + "[]", schema.get("items"));
    }
    if (schema.has("additionalProperties")) {
      assertStructural(where + ".*", schema.get("additionalProperties"));
    }
  }

  @Test
  void rbacLetsTheServiceAccountReadEveryKindAndWriteWhatTheAdminApiWrites() throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (var parser = YAML.createParser(RBAC.toFile())) {
      YAML.readValues(parser, JsonNode.class).forEachRemaining(docs::add);
    }
    JsonNode role =
        docs.stream().filter(d -> d.path("kind").asText().equals("Role")).findFirst().orElseThrow();
    assertThat(role.at("/metadata/namespace").asText())
        .isEqualTo(KubernetesConfigSource.DEFAULT_NAMESPACE);
    Map<String, String> verbsByResource = new LinkedHashMap<>();
    for (JsonNode rule : role.path("rules")) {
      for (JsonNode resource : rule.path("resources")) {
        verbsByResource.put(
            rule.at("/apiGroups/0").asText() + "/" + resource.asText(),
            rule.path("verbs").toString());
      }
    }
    List<String> expected = new ArrayList<>();
    List<String> clusterScoped = new ArrayList<>();
    for (KindDescription kind : kinds()) {
      (kind.clusterScoped() ? clusterScoped : expected).add(kind.plural());
    }
    expected.replaceAll(plural -> "notification.kubesphere.io/" + plural);
    expected.add("/secrets");
    expected.add("/configmaps");
    assertThat(verbsByResource.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    verbsByResource.forEach(
        (resource, verbs) -> assertThat(verbs).as(resource).contains("list", "watch"));
    assertThat(verbsByResource.get("notification.kubesphere.io/notificationmanagers"))
        .doesNotContain("create", "update", "delete");
    assertThat(verbsByResource.get("/secrets")).contains("create", "update", "delete");
    // ConfigMaps hold template sets and language packs: watched, and written by the admin API.
    assertThat(verbsByResource.get("/configmaps")).contains("get", "create", "update", "delete");
    JsonNode clusterRole =
        docs.stream()
            .filter(d -> d.path("kind").asText().equals("ClusterRole"))
            .findFirst()
            .orElseThrow();
    assertThat(clusterRole.at("/rules/0/resources").toString()).isEqualTo("[\"rolebindings\"]");
    assertThat(clusterRole.at("/rules/0/verbs").toString())
        .isEqualTo("[\"get\",\"list\",\"watch\"]");
    assertThat(clusterRole.at("/rules/1/apiGroups/0").asText())
        .isEqualTo("notification.kubesphere.io");
    assertThat(YAML.convertValue(clusterRole.at("/rules/1/resources"), List.class))
        .containsExactlyElementsOf(clusterScoped)
        .containsExactly("receivers", "configs", "routers", "silences");
    assertThat(YAML.convertValue(clusterRole.at("/rules/1/verbs"), List.class))
        .containsExactly("get", "list", "watch", "create", "update", "delete");
    // KubeSphere serves the settings kind cluster-scoped (v2beta2): read only.
    assertThat(YAML.convertValue(clusterRole.at("/rules/2/resources"), List.class))
        .containsExactly("notificationmanagers");
    assertThat(YAML.convertValue(clusterRole.at("/rules/2/verbs"), List.class))
        .containsExactly("get", "list", "watch");
  }
}
