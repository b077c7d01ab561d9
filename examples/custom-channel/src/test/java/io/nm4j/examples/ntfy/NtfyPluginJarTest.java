package io.nm4j.examples.ntfy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.Routing;
import io.nm4j.k8s.KubernetesConfigSource;
import io.nm4j.server.Main;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.LabelSelector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The channel as a third party ships it: the jar this module's build wrote, handed to nm4j as a
 * plugin. The provider is not on this test's class path (the build leaves the module's classes off
 * it), so whatever sees the ntfy kinds sees them through the jar: {@code validate}, {@code route},
 * {@code serve} with its admin API, {@code crds}, and the Kubernetes source on fabric8's mock API
 * server.
 */
@Tag("plugin-jar")
class NtfyPluginJarTest {
  private static final String NS = "kubesphere-monitoring-system";
  private static final String PROVIDER = "io.nm4j.examples.ntfy.NtfyChannelProvider";
  private static final String TOKEN = "tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2";
  private static final Pattern LISTENING =
      Pattern.compile("listening on http://[^:]+:(\\d+), admin API on http://[^:]+:(\\d+)");
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path tmp;
  private Path jar;
  private Path plugins;
  private Path config;
  private final MockWebServer ntfy = new MockWebServer();
  private final List<Process> children = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    jar = Path.of(System.getProperty("nm4j.pluginJar", "the nm4j.pluginJar property"));
    assertThat(jar).as("the jar the package phase wrote").isRegularFile();
    plugins = Files.createDirectories(tmp.resolve("plugins"));
    Files.copy(jar, plugins.resolve("ntfy-channel.jar"));
    ntfy.start(InetAddress.getByName("127.0.0.1"), 0);
    config = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(
        config.resolve("ntfy.yaml"),
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: ntfy-token}
        stringData: {token: %s}
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: NtfyConfig
        metadata: {name: default-ntfy, labels: {type: default}}
        spec:
          server: %s
          accessToken: {name: ntfy-token, key: token}
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: NtfyReceiver
        metadata: {name: ops, labels: {type: global}}
        spec: {topic: ops-alerts, priority: high}
        """
            .formatted(TOKEN, ntfy.url("/")));
  }

  @AfterEach
  void tearDown() throws Exception {
    children.forEach(Process::destroyForcibly);
    for (AutoCloseable c : closeables) {
      c.close();
    }
    ntfy.close();
  }

  /** What one command line printed and returned. */
  private record Result(int exit, String out, String err) {}

  private static Result cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = new Main(Map.of()).run(args, o, e);
    }
    return new Result(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static String alerts(String namespace, String name) {
    return "{\"version\":\"4\",\"status\":\"firing\",\"groupKey\":\"{}:{alertname=\\\""
        + name
        + "\\\"}\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\""
        + name
        + "\",\"namespace\":\""
        + namespace
        + "\"},\"annotations\":{\"summary\":\"disk /data is 97% full\"},"
        + "\"startsAt\":\"2026-11-25T10:00:00Z\"}]}";
  }

  @Test
  void theProviderIsOnlyInTheJarNotOnTheTestClassPath() {
    assertThatThrownBy(() -> Class.forName(PROVIDER)).isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void validateAcceptsTheChannelsObjectsOnlyWithThePluginAndNamesTheFieldOfABadOne()
      throws IOException {
    Result valid = cli("validate", "--config", config.toString(), "--plugins", plugins.toString());
    Result withoutPlugin = cli("validate", "--config", config.toString());

    assertThat(valid.exit()).isZero();
    assertThat(valid.out()).isEmpty();
    assertThat(valid.err().strip()).isEqualTo("3 objects, 0 errors");
    assertThat(withoutPlugin.exit()).isEqualTo(1);
    assertThat(withoutPlugin.out())
        .contains("NtfyReceiver/ops: kind: unknown kind \"NtfyReceiver\"");

    Files.writeString(
        config.resolve("bad.yaml"),
        """
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: NtfyReceiver
        metadata: {name: bad, labels: {type: global}}
        spec: {topic: ops alerts, ntfyConfigSelectr: {}}
        """);
    Result invalid =
        cli("validate", "--config", config.toString(), "--plugins", plugins.toString());

    assertThat(invalid.exit()).isEqualTo(1);
    assertThat(invalid.out().lines())
        .containsExactly(
            "NtfyReceiver/bad: spec.ntfyConfigSelectr: unknown field; did you mean"
                + " ntfyConfigSelector?",
            "NtfyReceiver/bad: spec.topic: must be 1 to 64 letters, digits, - or _, was"
                + " \"ops alerts\"");
  }

  @Test
  void routeSendsAlertsToTheChannelsReceiverWithItsConfig() throws IOException {
    Path batch = Files.writeString(tmp.resolve("alerts.json"), alerts("shop", "DiskFull"));

    Result r =
        cli(
            "route",
            "--config",
            config.toString(),
            "--alerts",
            batch.toString(),
            "--plugins",
            plugins.toString());

    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("\"receiver\" : \"NtfyReceiver/ops\"")
        .contains("\"scope\" : \"global\"")
        .contains("\"config\" : \"NtfyConfig/default-ntfy\"")
        .contains("\"problems\" : [ ]");
  }

  @Test
  void crdsPrintsTheChannelsCrdsAndWithRbacLetsTheServerWriteItsKinds() {
    Result crds = cli("crds", "--plugins", plugins.toString());
    Result rbac = cli("crds", "--plugins", plugins.toString(), "--rbac");

    assertThat(crds.exit()).isZero();
    assertThat(crds.out())
        .contains("  name: ntfyreceivers.notification.kubesphere.io\n")
        .contains("  name: ntfyconfigs.notification.kubesphere.io\n")
        .contains("    kind: NtfyReceiver\n")
        .contains("pattern: \"^[-_A-Za-z0-9]{1,64}$\"")
        .contains("  name: emailreceivers.notification.kubesphere.io\n");
    assertThat(rbac.exit()).isZero();
    assertThat(rbac.out()).startsWith(crds.out()).contains("  - ntfyconfigs\n  - ntfyreceivers\n");
  }

  @Test
  void serveDeliversThroughTheChannelAndItsAdminApiManagesTheChannelsReceivers() throws Exception {
    int[] ports = serve(Map.of(), "--config", config.toString());
    HttpClient http = HttpClient.newHttpClient();
    String intake = "http://127.0.0.1:" + ports[0] + "/api/v2/alerts";
    String admin =
        "http://127.0.0.1:" + ports[1] + "/kapis/notification.kubesphere.io/v2alpha1/ntfyreceivers";

    HttpResponse<String> posted = http.send(post(intake, alerts("shop", "DiskFull")), text());
    assertThat(posted.statusCode()).isEqualTo(200);
    RecordedRequest published = ntfy.takeRequest(30, TimeUnit.SECONDS);
    assertThat(published).as("a publish to the ntfy stand-in").isNotNull();
    assertThat(published.getTarget()).isEqualTo("/ops-alerts");
    assertThat(published.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(published.getHeaders().get("Priority")).isEqualTo("high");
    assertThat(published.getHeaders().get("X-Nm4j-Origin")).isNotBlank();
    assertThat(published.getBody().string(StandardCharsets.UTF_8))
        .isEqualTo("firing DiskFull in shop: disk /data is 97% full");

    HttpResponse<String> created =
        http.send(
            post(
                admin,
                "{\"apiVersion\":\"notification.kubesphere.io/v1alpha1\",\"kind\":\"NtfyReceiver\","
                    + "\"metadata\":{\"name\":\"shop-ntfy\",\"labels\":{\"type\":\"tenant\","
                    + "\"namespace\":\"shop\"}},\"spec\":{\"topic\":\"shop-alerts\"}}"),
            text());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    HttpResponse<String> listed =
        http.send(HttpRequest.newBuilder(URI.create(admin)).GET().build(), text());
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.body()).contains("\"name\":\"shop-ntfy\"").contains("\"name\":\"ops\"");

    // The new tenant receiver routes once the server has read what the admin API wrote.
    String explain = "http://127.0.0.1:" + ports[0] + "/api/v2/explain";
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                http.send(post(explain, alerts("shop", "DiskFull")), text())
                    .body()
                    .contains("NtfyReceiver/shop-ntfy"));
    assertThat(http.send(post(intake, alerts("shop", "PodCrashLooping")), text()).statusCode())
        .isEqualTo(200);
    List<String> targets = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      RecordedRequest r = ntfy.takeRequest(30, TimeUnit.SECONDS);
      assertThat(r).as("publish %s of 2", i + 1).isNotNull();
      targets.add(r.getTarget());
    }
    assertThat(targets).containsExactlyInAnyOrder("/ops-alerts", "/shop-alerts");

    HttpResponse<String> deleted =
        http.send(
            HttpRequest.newBuilder(URI.create(admin + "/shop-ntfy")).DELETE().build(), text());
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(
            http.send(
                    HttpRequest.newBuilder(URI.create(admin + "/shop-ntfy")).GET().build(), text())
                .statusCode())
        .isEqualTo(404);
  }

  private static HttpRequest post(String url, String json) {
    return HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  private static HttpResponse.BodyHandler<String> text() {
    return HttpResponse.BodyHandlers.ofString();
  }

  /**
   * Starts {@code nm4j serve} as a child JVM on this test's class path (without the provider) with
   * the plugins, free loopback ports and {@code args}; returns the intake and admin API ports.
   */
  private int[] serve(Map<String, String> environment, String... args) throws IOException {
    Path log = tmp.resolve("server.log");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "io.nm4j.server.Main",
                "serve",
                "--plugins",
                plugins.toString(),
                "--listen",
                "127.0.0.1:0",
                "--admin-listen",
                "127.0.0.1:0",
                "--data-dir",
                tmp.resolve("data").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("CLASSPATH", System.getProperty("java.class.path"));
    pb.environment().putAll(environment);
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    children.add(pb.start());
    int[] ports = new int[2];
    await()
        .atMost(PATIENCE)
        .until(
            () -> {
              Matcher m = LISTENING.matcher(Files.readString(log));
              if (!m.find()) {
                return false;
              }
              ports[0] = Integer.parseInt(m.group(1));
              ports[1] = Integer.parseInt(m.group(2));
              return true;
            });
    return ports;
  }

  /**
   * fabric8's mock API server in CRUD mode on loopback, with the CRDs {@code nm4j crds --plugins}
   * prints, the token's Secret, a default {@code NtfyConfig} and a global {@code NtfyReceiver}.
   */
  private KubernetesClient cluster() throws IOException {
    KubernetesMockServer apiServer =
        new KubernetesMockServer(
            new Context(),
            new io.fabric8.mockwebserver.MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(List.of()),
            false);
    apiServer.init(InetAddress.getByName("127.0.0.1"), 0);
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(apiServer.createClient().getConfiguration())
                    .withRequestRetryBackoffLimit(0)
                    .withRequestTimeout(60_000)
                    .build())
            .build();
    closeables.add(
        () -> {
          client.close();
          try {
            apiServer.destroy();
          } catch (IllegalStateException e) {
            // fabric8 waits 10 s for the JDK client's idle connections, then gives up; the
            // listener is closed by then.
          }
        });
    Result crds = cli("crds", "--plugins", plugins.toString());
    assertThat(crds.exit()).isZero();
    for (String doc : crds.out().split("(?m)^---\n")) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(
              client.getKubernetesSerialization().unmarshal(doc, CustomResourceDefinition.class))
          .create();
    }
    client
        .secrets()
        .inNamespace(NS)
        .resource(
            client
                .getKubernetesSerialization()
                .unmarshal(
                    "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":"
                        + "\"ntfy-token\"},\"stringData\":{\"token\":\""
                        + TOKEN
                        + "\"}}",
                    Secret.class))
        .create();
    create(
        client,
        "NtfyConfig",
        "default-ntfy",
        Map.of("type", "default"),
        Map.of(
            "server",
            ntfy.url("/").toString(),
            "accessToken",
            Map.of("name", "ntfy-token", "key", "token")));
    create(client, "NtfyReceiver", "ops", Map.of("type", "global"), Map.of("topic", "ops-alerts"));
    return client;
  }

  @Test
  void theKubernetesSourceWatchesTheChannelsKindsThroughThePluginClassLoaderAndRoutes()
      throws Exception {
    KubernetesClient client = cluster();
    URLClassLoader pluginLoader =
        new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader());
    closeables.add(pluginLoader);
    KubernetesConfigSource source =
        KubernetesConfigSource.builder()
            .config(client.getConfiguration())
            .namespace(NS)
            .classLoader(pluginLoader)
            .debounce(Duration.ofMillis(20))
            .syncTimeout(PATIENCE)
            .build();
    NotificationManager manager =
        NotificationManager.builder()
            .namespace(NS)
            .classLoader(pluginLoader)
            .configSource(source)
            .build();
    closeables.add(0, manager);

    assertThat(routes(manager, "shop"))
        .containsExactly("NtfyReceiver/ops -> NtfyConfig/default-ntfy");
    assertThat(source.list("NtfyReceiver", LabelSelector.EVERYTHING))
        .extracting(o -> o.metadata().name())
        .containsExactly("ops");

    create(
        client,
        "NtfyReceiver",
        "shop-ntfy",
        Map.of("type", "tenant", "namespace", "shop"),
        Map.of("topic", "shop-alerts"));
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(routes(manager, "shop"))
                    .containsExactly(
                        "NtfyReceiver/ops -> NtfyConfig/default-ntfy",
                        "NtfyReceiver/shop-ntfy -> NtfyConfig/default-ntfy"));
  }

  @Test
  void serveOnKubernetesWatchesThePluginsKindsAndDeliversThroughIt() throws Exception {
    KubernetesClient client = cluster();
    Path kubeconfig =
        Files.writeString(
            tmp.resolve("kubeconfig"),
            """
            apiVersion: v1
            kind: Config
            clusters: [{name: mock, cluster: {server: "%s"}}]
            users: [{name: test, user: {token: test-token}}]
            contexts: [{name: mock, context: {cluster: mock, user: test, namespace: %s}}]
            current-context: mock
            """
                .formatted(client.getConfiguration().getMasterUrl(), NS));

    int[] ports = serve(Map.of("KUBECONFIG", kubeconfig.toString()), "--kubernetes");
    HttpResponse<String> posted =
        HttpClient.newHttpClient()
            .send(
                post("http://127.0.0.1:" + ports[0] + "/api/v2/alerts", alerts("shop", "DiskFull")),
                text());

    assertThat(posted.statusCode()).isEqualTo(200);
    assertThat(posted.body()).contains("\"notifications\":1");
    RecordedRequest published = ntfy.takeRequest(30, TimeUnit.SECONDS);
    assertThat(published).as("a publish to the ntfy stand-in").isNotNull();
    assertThat(published.getTarget()).isEqualTo("/ops-alerts");
    assertThat(published.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
  }

  private static void create(
      KubernetesClient client,
      String kind,
      String name,
      Map<String, String> labels,
      Map<String, Object> spec) {
    GenericKubernetesResource resource =
        client
            .getKubernetesSerialization()
            .convertValue(
                Map.of(
                    "apiVersion",
                    "notification.kubesphere.io/v1alpha1",
                    "kind",
                    kind,
                    "metadata",
                    Map.of("name", name, "namespace", NS, "labels", labels),
                    "spec",
                    spec),
                GenericKubernetesResource.class);
    client
        .genericKubernetesResources(
            new ResourceDefinitionContext.Builder()
                .withGroup("notification.kubesphere.io")
                .withVersion("v1alpha1")
                .withKind(kind)
                .withPlural(kind.toLowerCase(java.util.Locale.ROOT) + "s")
                .withNamespaced(true)
                .build())
        .inNamespace(NS)
        .resource(resource)
        .create();
  }

  /** {@code Kind/name -> Kind/name} of each receiver an alert of {@code namespace} reaches. */
  private static List<String> routes(NotificationManager manager, String namespace) {
    Routing routing =
        manager.route(
            AlertBatch.of(List.of(Alert.firing(Map.of("alertname", "X", "namespace", namespace)))));
    return routing.routes().stream().map(r -> r.destination().toString()).toList();
  }
}
