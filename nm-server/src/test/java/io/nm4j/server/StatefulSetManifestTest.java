package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The highly available example in {@code deploy/kubernetes/statefulset.yaml}: several replicas,
 * each with its journal on its own volume, that leave the Service before they stop and are never
 * evicted or scheduled together.
 */
class StatefulSetManifestTest {
  private static final Map<String, List<JsonNode>> byKind = new HashMap<>();
  private static JsonNode statefulSet;
  private static JsonNode pod;
  private static JsonNode container;
  private static CommandLine.ParseResult options;

  @BeforeAll
  static void read() throws Exception {
    byKind.putAll(ExampleManifests.byKind("statefulset.yaml"));
    assertThat(byKind.get("StatefulSet")).as("one StatefulSet").hasSize(1);
    statefulSet = byKind.get("StatefulSet").get(0);
    pod = statefulSet.path("spec").path("template").path("spec");
    container = pod.path("containers").get(0);
    options = ExampleManifests.serveOptions(container);
  }

  @Test
  void runsSeveralReplicasStartedTogetherAndUpdatedOneAtATime() {
    JsonNode spec = statefulSet.path("spec");
    assertThat(spec.path("replicas").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(spec.path("podManagementPolicy").asText()).isEqualTo("Parallel");
    assertThat(spec.path("updateStrategy").path("type").asText()).isEqualTo("RollingUpdate");
    assertThat(spec.path("updateStrategy").path("rollingUpdate").path("maxUnavailable").asInt())
        .isEqualTo(1);
  }

  @Test
  void eachReplicasJournalLivesOnItsOwnPersistentVolumeClaim() {
    String dataDir = options.matchedOptionValue("--data-dir", "");
    JsonNode mount = null;
    for (JsonNode m : container.path("volumeMounts")) {
      if (dataDir.equals(m.path("mountPath").asText())) {
        mount = m;
      }
    }
    assertThat(mount).as("a volume mounted at --data-dir %s", dataDir).isNotNull();
    String volume = mount.path("name").asText();
    List<String> claims = new ArrayList<>();
    statefulSet
        .path("spec")
        .path("volumeClaimTemplates")
        .forEach(c -> claims.add(c.path("metadata").path("name").asText()));
    assertThat(claims).contains(volume);
    // not also a pod volume of that name (an emptyDir would shadow the claim)
    pod.path("volumes").forEach(v -> assertThat(v.path("name").asText()).isNotEqualTo(volume));
    assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean())
        .isTrue();
  }

  @Test
  void aDisruptionBudgetEvictsAtMostOneReplicaOfTheSetAtATime() {
    ExampleManifests.assertOneEvictionAtATime(byKind, statefulSet);
  }

  @Test
  void noTwoReplicasShareANode() {
    JsonNode required =
        pod.path("affinity")
            .path("podAntiAffinity")
            .path("requiredDuringSchedulingIgnoredDuringExecution")
            .get(0);
    assertThat(required.path("topologyKey").asText()).isEqualTo("kubernetes.io/hostname");
    assertThat(required.path("labelSelector").path("matchLabels")).isEqualTo(podLabels());
  }

  @Test
  void probesUseTheServersHealthEndpoints() {
    ExampleManifests.assertProbesUseTheHealthEndpoints(container);
  }

  @Test
  void gracePeriodCoversLeavingTheServiceTheDrainOneSendInFlightAndTheServersStop() {
    ExampleManifests.assertGracePeriodCoversTheStop(pod, container, options);
  }

  @Test
  void theReplicasShareVendorRateLimitsOneShareEach() {
    ExampleManifests.assertRateShareIsTheReplicas(statefulSet, options);
  }

  @Test
  void theServiceReachesEveryReplicaAndTheGoverningServiceIsHeadless() {
    JsonNode labels = podLabels();
    Map<String, JsonNode> services = new HashMap<>();
    byKind.get("Service").forEach(s -> services.put(s.path("metadata").path("name").asText(), s));
    assertThat(services.get("nm4j").path("spec").path("selector")).isEqualTo(labels);
    JsonNode governing = services.get(statefulSet.path("spec").path("serviceName").asText());
    assertThat(governing).as("the StatefulSet's serviceName").isNotNull();
    assertThat(governing.path("spec").path("clusterIP").asText()).isEqualTo("None");
  }

  private static JsonNode podLabels() {
    return statefulSet.path("spec").path("template").path("metadata").path("labels");
  }
}
