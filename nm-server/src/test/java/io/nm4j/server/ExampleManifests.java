package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nm4j.core.delivery.DeliveryOptions;
import io.nm4j.server.internal.ServeCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Reads the example manifests of {@code deploy/kubernetes/} as their tests check them. */
final class ExampleManifests {
  private ExampleManifests() {}

  /** The documents of {@code deploy/kubernetes/<name>}, by kind, in file order. */
  static Map<String, List<JsonNode>> byKind(String name) throws IOException {
    Path file = Path.of("..", "deploy", "kubernetes", name);
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    Map<String, List<JsonNode>> byKind = new LinkedHashMap<>();
    try (var parser = yaml.createParser(Files.readAllBytes(file))) {
      for (JsonNode doc : yaml.readValues(parser, JsonNode.class).readAll()) {
        byKind.computeIfAbsent(doc.path("kind").asText(), k -> new ArrayList<>()).add(doc);
      }
    }
    return byKind;
  }

  /** The container's arguments parsed as {@code serve} options; the first must be "serve". */
  static CommandLine.ParseResult serveOptions(JsonNode container) {
    List<String> args = new ArrayList<>();
    container.path("args").forEach(a -> args.add(a.asText()));
    assertThat(args).first().isEqualTo("serve");
    return new CommandLine(new ServeCommand())
        .parseArgs(args.subList(1, args.size()).toArray(new String[0]));
  }

  /** Readiness on {@code /readyz}, liveness on {@code /healthz}: the server's health endpoints. */
  static void assertProbesUseTheHealthEndpoints(JsonNode container) {
    assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/readyz");
    assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/healthz");
  }

  /**
   * The grace period covers the {@code preStop} sleep (leaving the Service), the default drain, one
   * send in flight and the HTTP server's stop, which the arguments leave at their defaults.
   */
  static void assertGracePeriodCoversTheStop(
      JsonNode pod, JsonNode container, CommandLine.ParseResult options) {
    DeliveryOptions defaults = DeliveryOptions.builder().build();
    assertThat(options.hasMatchedOption("--drain-timeout")).isFalse();
    assertThat(options.hasMatchedOption("--send-timeout")).isFalse();
    Duration preStop =
        Duration.ofSeconds(
            container.path("lifecycle").path("preStop").path("sleep").path("seconds").asLong());
    assertThat(preStop).isPositive();
    Duration stop =
        preStop
            .plus(defaults.drainTimeout())
            .plus(defaults.sendTimeout())
            .plus(Nm4jServer.HANDLER_STOP_WAIT);
    assertThat(Duration.ofSeconds(pod.path("terminationGracePeriodSeconds").asLong()))
        .isGreaterThan(stop);
  }

  /** One PodDisruptionBudget that lets one of the workload's pods be evicted at a time. */
  static void assertOneEvictionAtATime(Map<String, List<JsonNode>> byKind, JsonNode workload) {
    assertThat(byKind.get("PodDisruptionBudget")).hasSize(1);
    JsonNode pdb = byKind.get("PodDisruptionBudget").get(0).path("spec");
    assertThat(pdb.path("maxUnavailable").asInt()).isEqualTo(1);
    assertThat(pdb.path("selector").path("matchLabels"))
        .isEqualTo(workload.path("spec").path("selector").path("matchLabels"));
  }

  /** {@code --rate-share} is the workload's replicas. */
  static void assertRateShareIsTheReplicas(JsonNode workload, CommandLine.ParseResult options) {
    assertThat(options.matchedOptionValue("--rate-share", ""))
        .isEqualTo(workload.path("spec").path("replicas").asText());
  }
}
