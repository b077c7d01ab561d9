package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nm4j.server.internal.ServeCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
