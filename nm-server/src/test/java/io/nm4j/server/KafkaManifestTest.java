package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nm4j.server.internal.EnvironmentDefaults;
import io.nm4j.server.internal.ServeCommand;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The Kafka-mode example in {@code deploy/kubernetes/kafka.yaml}: stateless replicas of a
 * Deployment whose {@code --kafka-*} options come from a ConfigMap and a Secret, that leave the
 * Service while the queue cannot be used and before they stop, and are evicted one at a time.
 */
class KafkaManifestTest {
  private static final Map<String, List<JsonNode>> byKind = new HashMap<>();
  private static JsonNode deployment;
  private static JsonNode pod;
  private static JsonNode container;
  private static CommandLine.ParseResult options;

  @BeforeAll
  static void read() throws Exception {
    byKind.putAll(ExampleManifests.byKind("kafka.yaml"));
    assertThat(byKind.get("Deployment")).as("one Deployment").hasSize(1);
    assertThat(byKind).doesNotContainKey("StatefulSet");
    deployment = byKind.get("Deployment").get(0);
    pod = deployment.path("spec").path("template").path("spec");
    container = pod.path("containers").get(0);
    options = ExampleManifests.serveOptions(container);
  }

  @Test
  void runsSeveralReplicasAndUpdatesThemOneAtATimeNeverMoreThanTheRateShareCounts() {
    JsonNode spec = deployment.path("spec");
    assertThat(spec.path("replicas").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(spec.path("strategy").path("type").asText()).isEqualTo("RollingUpdate");
    assertThat(spec.path("strategy").path("rollingUpdate").path("maxUnavailable").asInt()).isOne();
    // a surge would run replicas + 1, each sending its 1/replicas share of a vendor's rate
    assertThat(spec.path("strategy").path("rollingUpdate").path("maxSurge").asInt()).isZero();
  }

  @Test
  void theKafkaOptionsComeFromTheConfigMapAndTheClientSettingsFromTheSecret() {
    Map<String, String> configMap = data(only("ConfigMap"), "data");
    Map<String, String> secret = data(only("Secret"), "stringData");
    List<String> sources = new ArrayList<>();
    container
        .path("envFrom")
        .forEach(
            e -> {
              if (e.has("configMapRef")) {
                sources.add("ConfigMap/" + e.path("configMapRef").path("name").asText());
              }
              if (e.has("secretRef")) {
                sources.add("Secret/" + e.path("secretRef").path("name").asText());
              }
            });
    assertThat(sources)
        .containsExactlyInAnyOrder(
            "ConfigMap/" + name(only("ConfigMap")), "Secret/" + name(only("Secret")));
    // none on the command line, where it would win over the environment
    assertThat(options.matchedOptions()).noneMatch(o -> o.longestName().startsWith("--kafka-"));
    assertThat(secret).containsOnlyKeys(EnvironmentDefaults.variable("--kafka-property"));

    Map<String, String> environment = new HashMap<>(configMap);
    environment.putAll(secret);
    CommandLine.Model.CommandSpec serve = serveWithEnvironment(environment);
    // every variable names an option of serve
    List<String> variables =
        serve.options().stream().map(o -> EnvironmentDefaults.variable(o.longestName())).toList();
    assertThat(variables).containsAll(environment.keySet());
    assertThat(value(serve, "--kafka-bootstrap")).isEqualTo(configMap.get("NM4J_KAFKA_BOOTSTRAP"));
    assertThat(value(serve, "--kafka-topic")).isNotNull();
    assertThat(value(serve, "--kafka-dead-letter-topic")).isNotNull();
    assertThat(value(serve, "--kafka-replica"))
        .as("the default, the pod's name: unique among the replicas")
        .isNull();
    assertThat(serve.findOption("--kafka-property").<List<String>>getValue())
        .contains("security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512");
  }

  @Test
  void noReplicaKeepsAnythingOnAPersistentVolume() {
    assertThat(deployment.path("spec").has("volumeClaimTemplates")).isFalse();
    assertThat(byKind).doesNotContainKey("PersistentVolumeClaim");
    String dataDir = options.matchedOptionValue("--data-dir", "");
    String volume = null;
    for (JsonNode m : container.path("volumeMounts")) {
      if (dataDir.equals(m.path("mountPath").asText())) {
        volume = m.path("name").asText();
      }
    }
    assertThat(volume).as("a volume mounted at --data-dir %s", dataDir).isNotNull();
    for (JsonNode v : pod.path("volumes")) {
      assertThat(v.has("persistentVolumeClaim")).isFalse();
      if (v.path("name").asText().equals(volume)) {
        assertThat(v.has("emptyDir")).isTrue();
      }
    }
    assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean())
        .isTrue();
  }

  @Test
  void aDisruptionBudgetEvictsAtMostOneReplicaAtATime() {
    ExampleManifests.assertOneEvictionAtATime(byKind, deployment);
  }

  @Test
  void readinessIsTheServersReadyzWhichFollowsTheKafkaQueue() {
    ExampleManifests.assertProbesUseTheHealthEndpoints(container);
  }

  @Test
  void gracePeriodCoversLeavingTheServiceTheDrainOneSendInFlightAndTheServersStop() {
    ExampleManifests.assertGracePeriodCoversTheStop(pod, container, options);
  }

  @Test
  void theReplicasShareVendorRateLimitsOneShareEach() {
    ExampleManifests.assertRateShareIsTheReplicas(deployment, options);
  }

  @Test
  void theServiceReachesEveryReplica() {
    JsonNode service = only("Service");
    assertThat(name(service)).isEqualTo("nm4j");
    assertThat(service.path("spec").path("selector"))
        .isEqualTo(deployment.path("spec").path("template").path("metadata").path("labels"));
  }

  private static JsonNode only(String kind) {
    assertThat(byKind.get(kind)).as("one %s", kind).hasSize(1);
    return byKind.get(kind).get(0);
  }

  private static String name(JsonNode object) {
    return object.path("metadata").path("name").asText();
  }

  private static Map<String, String> data(JsonNode object, String field) {
    Map<String, String> data = new HashMap<>();
    object.path(field).properties().forEach(e -> data.put(e.getKey(), e.getValue().asText()));
    return data;
  }

  /** The container's arguments parsed as {@code serve} parses them in a pod with {@code env}. */
  private static CommandLine.Model.CommandSpec serveWithEnvironment(Map<String, String> env) {
    List<String> args = new ArrayList<>();
    container.path("args").forEach(a -> args.add(a.asText()));
    CommandLine serve = new CommandLine(new ServeCommand());
    serve.setDefaultValueProvider(new EnvironmentDefaults(env));
    serve.parseArgs(args.subList(1, args.size()).toArray(new String[0]));
    return serve.getCommandSpec();
  }

  private static Object value(CommandLine.Model.CommandSpec serve, String option) {
    return serve.findOption(option).getValue();
  }
}
