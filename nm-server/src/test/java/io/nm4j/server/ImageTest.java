package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.server.internal.EnvironmentDefaults;
import io.nm4j.server.internal.ServeCommand;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The container image the build makes with Jib ({@code target/nm4j-image.tar}, on a base that needs
 * no registry): its configuration runs the server as a non-root user with the journal on a volume,
 * and its layers hold the server's classes and every jar it needs.
 */
class ImageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static JsonNode config;
  private static JsonNode created;
  private static Set<String> files;

  @BeforeAll
  static void open() throws IOException {
    Path tarball = Path.of("target", "nm4j-image.tar");
    assertThat(tarball).as("built by the jib buildTar execution at process-classes").exists();
    Map<String, byte[]> image = untar(Files.newInputStream(tarball));
    JsonNode manifest = JSON.readTree(image.get("manifest.json")).get(0);
    JsonNode root = JSON.readTree(image.get(manifest.get("Config").asText()));
    config = root.get("config");
    created = root.get("created");
    files = new java.util.TreeSet<>();
    for (JsonNode layer : manifest.get("Layers")) {
      files.addAll(
          untar(new GZIPInputStream(new ByteArrayInputStream(image.get(layer.asText())))).keySet());
    }
  }

  @Test
  void theServerRunsAsANumericNonRootUser() {
    String user = config.get("User").asText();
    assertThat(user).matches("\\d+:\\d+");
    assertThat(Integer.parseInt(user.substring(0, user.indexOf(':')))).isPositive();
  }

  @Test
  void theEntrypointRunsTheServersMainAndTheCommandIsServe() {
    List<String> entrypoint = new ArrayList<>();
    config.get("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
    assertThat(entrypoint).startsWith("java").endsWith("io.nm4j.server.Main");
    assertThat(config.get("Cmd").get(0).asText()).isEqualTo("serve");
  }

  @Test
  void defaultsAreNm4jVariablesOfServeOptionsWithTheJournalOnAVolume() {
    Map<String, String> env = new LinkedHashMap<>();
    config
        .get("Env")
        .forEach(
            e -> {
              String[] kv = e.asText().split("=", 2);
              env.put(kv[0], kv[1]);
            });
    Set<String> variables =
        new CommandLine(new ServeCommand())
            .getCommandSpec().options().stream()
                .map(o -> EnvironmentDefaults.variable(o.longestName()))
                .collect(Collectors.toSet());
    assertThat(variables).containsAll(env.keySet());
    assertThat(env)
        .containsEntry("NM4J_DATA_DIR", "/var/lib/nm4j")
        .containsEntry("NM4J_LISTEN", "0.0.0.0:19093");
    assertThat(config.get("Volumes").has("/var/lib/nm4j")).isTrue();
    assertThat(config.get("ExposedPorts").has("19093/tcp")).isTrue();
    assertThat(config.get("ExposedPorts").has("19094/tcp")).isTrue();
  }

  @Test
  void timestampsAreFixedSoTheSameSourcesGiveTheSameImage() {
    assertThat(created.asText()).isEqualTo("1970-01-01T00:00:00Z");
  }

  @Test
  void theLayersHoldTheServersClassesAndTheJarsItNeeds() {
    assertThat(files)
        .contains("app/classes/io/nm4j/server/Main.class", "app/jib-classpath-file")
        .anyMatch(f -> f.matches("app/libs/nm-core-.*\\.jar"))
        .anyMatch(f -> f.matches("app/libs/nm-channel-webhook-.*\\.jar"))
        .anyMatch(f -> f.matches("app/libs/nm-k8s-source-.*\\.jar"))
        .anyMatch(f -> f.matches("app/libs/jetty-server-12\\..*\\.jar"))
        .anyMatch(f -> f.matches("app/libs/picocli-4\\..*\\.jar"));
  }

  /** The regular files of a tar stream by name (POSIX ustar headers, as Jib writes them). */
  private static Map<String, byte[]> untar(InputStream in) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (in) {
      byte[] header = new byte[512];
      while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
        String name = text(header, 0, 100);
        String prefix = text(header, 345, 155);
        long size = Long.parseLong(text(header, 124, 12).trim(), 8);
        byte type = header[156];
        byte[] data = in.readNBytes((int) size);
        in.skipNBytes((512 - size % 512) % 512);
        if (type == '0' || type == 0) {
          String path = prefix.isEmpty() ? name : prefix + "/" + name;
          out.put(path.startsWith("/") ? path.substring(1) : path, data);
        }
      }
    }
    return out;
  }

  private static String text(byte[] b, int from, int length) {
    int end = from;
    while (end < from + length && b[end] != 0) {
      end++;
    }
    return new String(b, from, end - from, StandardCharsets.UTF_8);
  }
}
