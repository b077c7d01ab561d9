package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nm4j convert} on the valid v1alpha1 manifests: the v2beta2 objects it writes validate and
 * route every alert to the same receivers, each v1alpha1 receiver now a block of a Receiver.
 */
class ConvertCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path out;
  @TempDir Path v1alpha1;

  /** The valid set without the v1alpha1 settings' Deployment fields, which stay as they are. */
  private Path input() throws IOException {
    try (Stream<Path> files = Files.list(Cli.resource("manifests"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, v1alpha1.resolve(f.getFileName()));
      }
    }
    return v1alpha1;
  }

  /** Receiver to alert indexes, with v1alpha1 names mapped to the v2beta2 ones. */
  private static Map<String, String> routes(Path config) throws IOException {
    Cli.Result r =
        Cli.run(
            "route",
            "--config",
            config.toString(),
            "--alerts",
            Cli.resource("alertmanager/grouped-multi-namespace.json").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode root = JSON.readTree(r.out());
    Map<String, String> routes = new TreeMap<>();
    for (JsonNode n : root.get("notifications")) {
      String receiver = n.get("receiver").asText();
      String[] kindAndName = receiver.split("/", 2);
      if (!kindAndName[0].equals("Receiver")) {
        String block = kindAndName[0].replace("Receiver", "").toLowerCase(java.util.Locale.ROOT);
        receiver = "Receiver/" + kindAndName[1] + "[" + block + "]";
      }
      routes.put(receiver, n.get("alerts").toString());
    }
    return routes;
  }

  @Test
  void convertedObjectsValidateAndRouteEveryAlertToTheSameReceivers() throws IOException {
    Path in = input();
    Cli.Result converted = Cli.run("convert", "--config", in.toString(), "--out", out.toString());
    assertThat(converted.exit()).as(converted.out() + converted.err()).isZero();
    assertThat(converted.outLines())
        .contains(
            "WebhookConfig/audit-webhook: merged into the webhook blocks of the Receivers that use"
                + " it (a v2beta2 webhook block takes no Config)");
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .contains("receiver-global-slack.yaml", "config-default-email.yaml")
          .noneMatch(f -> f.startsWith("webhookconfig"));
    }
    String slack = Files.readString(out.resolve("receiver-global-slack.yaml"));
    assertThat(slack)
        .contains("apiVersion: \"notification.kubesphere.io/v2beta2\"")
        .contains("channels:");
    assertThat(Files.readString(out.resolve("config-default-email.yaml")))
        .contains("valueFrom:")
        .contains("secretKeyRef:");

    Cli.Result valid = Cli.run("validate", "--config", out.toString());
    assertThat(valid.outLines()).filteredOn(l -> !l.startsWith("notice:")).isEmpty();

    assertThat(routes(out)).isEqualTo(routes(in));
  }

  @Test
  void aNonEmptyOutputDirectoryIsRefused() throws IOException {
    Files.writeString(out.resolve("keep.yaml"), "x: 1\n");
    Cli.Result r = Cli.run("convert", "--config", input().toString(), "--out", out.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--out").contains("not empty");
  }
}
