package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.nm4j.k8s.KubernetesManifests;
import io.nm4j.server.internal.ServeCommand;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.KindDescription;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A channel plugin jar built here (a {@code FileReceiver}/{@code FileConfig} channel that appends
 * each notification's alert names to a file), loaded with {@code --plugins DIR}: {@code validate}
 * accepts its kinds, {@code route} routes to it, {@code serve} delivers through it, and {@code
 * serve --kubernetes} watches its kinds in the cluster.
 */
class PluginsTest {
  /** A provider that does not describe its kinds; {@code CrdsCommandTest} loads it too. */
  static final String PROVIDER =
      """
      package test.plugin;

      import io.nm4j.spi.*;
      import java.io.IOException;
            import java.nio.file.*;
      import java.util.Optional;

      public final class FileChannelProvider
          implements ChannelProvider<FileChannelProvider.Receiver, FileChannelProvider.Config> {
        public record Receiver(LabelSelector configSelector) implements ReceiverSpec {}

        public record Config(String path) implements ConfigSpec {}

        public String name() { return "file"; }
        public String receiverKind() { return "FileReceiver"; }
        public String configKind() { return "FileConfig"; }
        public String selectorField() { return "fileConfigSelector"; }

        public Parsed<Receiver> parseReceiver(SpecReader spec) {
          return Parsed.of(new Receiver(spec.selector(selectorField())), spec.errors());
        }

        public Parsed<Config> parseConfig(SpecReader spec) {
          return Parsed.of(new Config(spec.requiredString("path")), spec.errors());
        }

        public Optional<Channel<Receiver, Config>> channel(ChannelContext context) {
          return Optional.of(request -> {
            StringBuilder line = new StringBuilder();
            for (Alert a : request.notification().alerts()) {
              line.append(a.labels().get("alertname")).append('\\n');
            }
            try {
              Files.writeString(Path.of(request.config().path()), line,
                  StandardOpenOption.CREATE, StandardOpenOption.APPEND);
              return new SendResult.Delivered("written");
            } catch (IOException e) {
              return SendResult.retryable(SendResult.Reason.INTERNAL, "cannot write");
            }
          });
        }
      }
      """;

  @TempDir Path tmp;
  private Path plugins;
  private Path config;
  private Path out;
  private final List<Process> children = new ArrayList<>();

  @BeforeEach
  void buildPluginJar() throws IOException {
    plugins =
        PluginJar.build(
            tmp.resolve("build"),
            tmp.resolve("plugins"),
            "file-channel.jar",
            "test.plugin.FileChannelProvider",
            PROVIDER);
    out = tmp.resolve("delivered.txt");
    config = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(
        config.resolve("file.yaml"),
        """
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: FileConfig
        metadata: {name: out, namespace: kubesphere-monitoring-system, labels: {type: default}}
        spec: {path: "%s"}
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: FileReceiver
        metadata: {name: ops, namespace: kubesphere-monitoring-system, labels: {type: global}}
        spec: {}
        """
            .formatted(out));
  }

  @AfterEach
  void stop() {
    children.forEach(Process::destroyForcibly);
  }

  @Test
  void validateKnowsThePluginsKindsOnlyWithPlugins() {
    Cli.Result without = Cli.run("validate", "--config", config.toString());
    Cli.Result with =
        Cli.run("validate", "--config", config.toString(), "--plugins", plugins.toString());

    assertThat(without.exit()).isEqualTo(1);
    assertThat(with.exit()).isZero();
    assertThat(with.out()).isEmpty();
    assertThat(with.errLines()).containsExactly("2 objects, 0 errors");
  }

  @Test
  void routeSendsAlertsToThePluginsReceiverWithItsConfig() throws IOException {
    Path alerts =
        Files.writeString(
            tmp.resolve("alerts.json"),
            "{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\","
                + "\"labels\":{\"alertname\":\"DiskFull\"}}]}");

    Cli.Result r =
        Cli.run(
            "route",
            "--config",
            config.toString(),
            "--alerts",
            alerts.toString(),
            "--plugins",
            plugins.toString());

    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("\"receiver\" : \"FileReceiver/ops\"")
        .contains("\"config\" : \"FileConfig/out\"");
  }

  @Test
  void serveDeliversThroughAPluginLoadedFromThePluginsDirectory() throws Exception {
    Path log = tmp.resolve("server.log");
    ServerProcess.start(
        children,
        config,
        tmp.resolve("data"),
        log,
        List.of(),
        List.of("--plugins", plugins.toString()));
    int port = ServerProcess.port(log);

    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v2/alerts"))
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"version\":\"4\",\"status\":\"firing\",\"groupKey\":\"g\","
                                + "\"alerts\":[{\"status\":\"firing\",\"labels\":"
                                + "{\"alertname\":\"FromPlugin\"},"
                                + "\"startsAt\":\"2026-11-25T10:00:00Z\"}]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"notifications\":1");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Files.exists(out) && Files.readString(out).equals("FromPlugin\n"));
    assertThat(Files.readString(log)).contains("channel plugins from " + plugins + ": 1");
  }

  /**
   * The cluster's plugin objects reach routing only when the Kubernetes source, not just the
   * manager, finds the plugin's provider: it watches the kinds of the providers it finds.
   */
  @Test
  void serveOnKubernetesWatchesThePluginsKinds() throws Exception {
    ObjectMapper yaml = MockKubernetesApi.YAML;
    Map<String, String> properties =
        Map.of(
            "kubernetes.auth.tryKubeConfig", "false",
            "kubernetes.auth.tryServiceAccount", "false");
    try (MockKubernetesApi api = new MockKubernetesApi();
        URLClassLoader jar =
            new URLClassLoader(
                new URL[] {plugins.resolve("file-channel.jar").toUri().toURL()},
                getClass().getClassLoader())) {
      List<KindDescription> kinds = new ArrayList<>();
      for (ChannelProvider<?, ?> p : ServiceLoader.load(ChannelProvider.class, jar)) {
        if (p.getClass().getClassLoader() == jar) {
          kinds.add(p.description().config());
          kinds.add(p.description().receiver());
        }
      }
      // The plugin describes no schema, so its CRDs accept any object.
      for (KindDescription kind : kinds) {
        api.install(
            yaml.readValue(
                """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: %2$s.%3$s}
                spec:
                  group: %3$s
                  scope: Namespaced
                  names: {kind: %1$s, plural: %2$s, listKind: %1$sList}
                  versions:
                  - name: v1alpha1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
                """
                    .formatted(kind.kind(), kind.plural(), KubernetesManifests.GROUP),
                CustomResourceDefinition.class));
      }
      try (var parser = yaml.createParser(config.resolve("file.yaml").toFile())) {
        for (GenericKubernetesResource o :
            yaml.readValues(parser, GenericKubernetesResource.class).readAll()) {
          api.client()
              .genericKubernetesResources(o.getApiVersion(), o.getKind())
              .resource(o)
              .create();
        }
      }
      properties.forEach(System::setProperty);
      System.setProperty("kubernetes.master", api.client().getMasterUrl().toString());
      try (ServeCommand.Running running =
          InProcessServe.start(
              "--kubernetes",
              "--plugins",
              plugins.toString(),
              "--data-dir",
              tmp.resolve("data").toString(),
              "--listen",
              "127.0.0.1:0",
              "--admin-listen",
              "127.0.0.1:0")) {
        assertThat(running.manager().snapshot().destinations())
            .anySatisfy(d -> assertThat(d.receiver().toString()).isEqualTo("FileReceiver/ops"));
      }
    } finally {
      properties.keySet().forEach(System::clearProperty);
      System.clearProperty("kubernetes.master");
    }
  }
}
