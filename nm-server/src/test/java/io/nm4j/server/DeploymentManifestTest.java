package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nm4j.core.delivery.DeliveryOptions;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The example Deployment in {@code deploy/kubernetes/} runs a server that can work in a pod. */
class DeploymentManifestTest {
  private static JsonNode deployment;
  private static JsonNode pod;
  private static JsonNode container;
  private static CommandLine.ParseResult options;

  @BeforeAll
  static void read() throws Exception {
    List<JsonNode> deployments =
        ExampleManifests.byKind("deployment.yaml").getOrDefault("Deployment", List.of());
    assertThat(deployments).as("a Deployment in deployment.yaml").hasSize(1);
    deployment = deployments.get(0);
    pod = deployment.path("spec").path("template").path("spec");
    container = pod.path("containers").get(0);
    options = ExampleManifests.serveOptions(container);
  }

  @Test
  void argumentsAreValidServeOptionsReadingTheCluster() {
    assertThat(options.hasMatchedOption("--kubernetes")).isTrue();
  }

  @Test
  void serverListensBeyondLoopbackOnTheContainerPort() {
    String listen = options.matchedOptionValue("--listen", "");
    int port = Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    assertThat(new InetSocketAddress(listen.substring(0, listen.lastIndexOf(':')), port))
        .satisfies(a -> assertThat(a.getAddress().isLoopbackAddress()).isFalse());
    assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(port);
  }

  @Test
  void journalLivesOnAMountedVolumeBecauseTheRootFilesystemIsReadOnly() {
    assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean())
        .isTrue();
    String dataDir = options.matchedOptionValue("--data-dir", "");
    List<String> mounts = new ArrayList<>();
    container.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
    assertThat(mounts).anyMatch(m -> dataDir.equals(m) || dataDir.startsWith(m + "/"));
  }

  @Test
  void gracePeriodCoversTheDrainOneSendInFlightAndTheServersStop() {
    DeliveryOptions defaults = DeliveryOptions.builder().build();
    Duration stop =
        defaults.drainTimeout().plus(defaults.sendTimeout()).plus(Nm4jServer.HANDLER_STOP_WAIT);
    assertThat(options.hasMatchedOption("--drain-timeout")).isFalse();
    assertThat(options.hasMatchedOption("--send-timeout")).isFalse();
    assertThat(Duration.ofSeconds(pod.path("terminationGracePeriodSeconds").asLong()))
        .isGreaterThan(stop);
  }

  @Test
  void onlyOnePodRunsAtATimeBecauseTheJournalIsLocked() {
    assertThat(deployment.path("spec").path("strategy").path("type").asText())
        .isEqualTo("Recreate");
    assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(1);
  }

  @Test
  void runsTheImageTheBuildMakesAsItsUserWithARestrictedSecurityContext() throws Exception {
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher user = Pattern.compile("<user>(\\d+):(\\d+)</user>").matcher(pom);
    assertThat(user.find()).as("the image's user in nm-server's Jib configuration").isTrue();
    JsonNode security = container.path("securityContext");

    Matcher version = Pattern.compile("<version>([^<]+)</version>").matcher(pom);
    assertThat(version.find()).isTrue();
    assertThat(pom).contains("<nm4j.image>nm4j:${project.version}</nm4j.image>");
    assertThat(container.path("image").asText()).isEqualTo("nm4j:" + version.group(1));
    assertThat(security.path("runAsUser").asText()).isEqualTo(user.group(1));
    assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(security.path("allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(pod.path("securityContext").path("fsGroup").asText()).isEqualTo(user.group(2));
  }

  @Test
  void tenantsAreKeptOffTheClustersPrivateNetworks() {
    List<String> denied = options.matchedOptionValue("--egress-deny", List.<String>of());
    assertThat(denied)
        .contains("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7");
    assertThat(options.hasMatchedOption("--egress-allow")).isFalse();
  }

  @Test
  void probesUseTheServersHealthEndpoints() {
    assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/readyz");
    assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/healthz");
  }
}
