package io.nm4j.k8s;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * fabric8's Kubernetes mock API server in CRUD mode on 127.0.0.1, with the CRDs of {@code
 * deploy/kubernetes/crds} installed, and helpers to create fixture manifests in it.
 */
final class MockCluster implements AutoCloseable {

  static final String NS = KubernetesConfigSource.DEFAULT_NAMESPACE;
  static final Path CRDS = Path.of("..", "deploy", "kubernetes", "crds");

  /** The valid fixture set in namespace tenancy: secrets first, then settings and each channel. */
  static final List<String> NAMESPACE_TENANCY =
      List.of(
          "secrets.yaml",
          "notificationmanager.yaml",
          "email.yaml",
          "wechat.yaml",
          "slack.yaml",
          "webhook.yaml",
          "dingtalk.yaml");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  final KubernetesCrudDispatcher dispatcher = new KubernetesCrudDispatcher(List.of());
  private KubernetesMockServer server;
  private int stoppedPort;
  NamespacedKubernetesClient client;

  MockCluster() {
    server = serverOn(0);
    // No client-side retries: a POST retried after a slow answer would come back 409 on a busy
    // machine. A generous request timeout instead.
    client =
        new io.fabric8.kubernetes.client.KubernetesClientBuilder()
            .withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder(
                        server.createClient().getConfiguration())
                    .withRequestRetryBackoffLimit(0)
                    .withRequestTimeout(60_000)
                    .withConnectionTimeout(30_000)
                    .build())
            .build()
            .adapt(NamespacedKubernetesClient.class);
    for (CustomResourceDefinition crd : crds()) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
  }

  private KubernetesMockServer serverOn(int port) {
    KubernetesMockServer s =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    try {
      s.init(InetAddress.getByName("127.0.0.1"), port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return s;
  }

  /**
   * Stops the API server, dropping every open watch, and starts a new one on the same port that
   * holds the same objects, as when an API server restarts behind a load balancer.
   */
  void restartServer() {
    stopServer();
    startServerAgain();
  }

  /** Stops the API server: watches drop and every request fails until {@link #startServerAgain}. */
  void stopServer() {
    stoppedPort = server.getPort();
    try {
      server.shutdown();
    } catch (RuntimeException e) {
      // fabric8 gives up after 10 s when open watches close slowly on a busy machine; the
      // listener is closed by then, which is all a restart needs.
      server.destroy();
    }
  }

  /** Starts an API server holding the same objects on the port of the stopped one. */
  void startServerAgain() {
    // The port may take a moment to be free again.
    KubernetesMockServer[] next = new KubernetesMockServer[1];
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> {
              next[0] = serverOn(stoppedPort);
              return true;
            });
    server = next[0];
  }

  /** The CRDs users apply. */
  static List<CustomResourceDefinition> crds() {
    List<CustomResourceDefinition> crds = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(CRDS, "*.yaml")) {
      for (Path file : files) {
        crds.add(YAML.readValue(file.toFile(), CustomResourceDefinition.class));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return crds;
  }

  /** The documents of a YAML file on the test classpath, as plain maps. */
  static List<Map<String, Object>> manifests(String resource) {
    try (InputStream in = MockCluster.class.getResourceAsStream("/manifests/" + resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource manifests/" + resource);
      }
      List<Map<String, Object>> docs = new ArrayList<>();
      try (MappingIterator<Map<String, Object>> it =
          YAML.readerForMapOf(Object.class).readValues(in)) {
        while (it.hasNext()) {
          Map<String, Object> doc = it.next();
          if (doc != null && !doc.isEmpty()) {
            docs.add(doc);
          }
        }
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates every object of a fixture file. */
  List<HasMetadata> apply(String resource) {
    List<HasMetadata> created = new ArrayList<>();
    for (Map<String, Object> manifest : manifests(resource)) {
      created.add(create(manifest));
    }
    return created;
  }

  /**
   * Creates every object of a fixture file, moving all but RoleBindings to {@code namespace}, so
   * several fixture sets can live in one cluster.
   */
  List<HasMetadata> applyIn(String resource, String namespace) {
    List<HasMetadata> created = new ArrayList<>();
    for (Map<String, Object> manifest : inNamespace(manifests(resource), namespace)) {
      created.add(create(manifest));
    }
    return created;
  }

  /** Copies of manifests with every object but RoleBindings moved to {@code namespace}. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> inNamespace(
      List<Map<String, Object>> manifests, String namespace) {
    List<Map<String, Object>> moved = new ArrayList<>();
    for (Map<String, Object> manifest : manifests) {
      Map<String, Object> copy = new LinkedHashMap<>(manifest);
      if (!"RoleBinding".equals(copy.get("kind"))) {
        Map<String, Object> metadata =
            new LinkedHashMap<>((Map<String, Object>) copy.get("metadata"));
        metadata.put("namespace", namespace);
        copy.put("metadata", metadata);
      }
      moved.add(copy);
    }
    return moved;
  }

  HasMetadata create(Map<String, Object> manifest) {
    HasMetadata object = toObject(manifest);
    if (object instanceof Secret secret) {
      String namespace = secret.getMetadata().getNamespace();
      return client
          .secrets()
          .inNamespace(namespace == null ? NS : namespace)
          .resource(secret)
          .create();
    }
    if (object instanceof ConfigMap configMap) {
      String namespace = configMap.getMetadata().getNamespace();
      return client
          .configMaps()
          .inNamespace(namespace == null ? NS : namespace)
          .resource(configMap)
          .create();
    }
    if (object instanceof RoleBinding binding) {
      return client
          .rbac()
          .roleBindings()
          .inNamespace(binding.getMetadata().getNamespace())
          .resource(binding)
          .create();
    }
    GenericKubernetesResource generic = (GenericKubernetesResource) object;
    return notification(generic.getKind()).resource(generic).create();
  }

  HasMetadata toObject(Map<String, Object> manifest) {
    String kind = String.valueOf(manifest.get("kind"));
    Class<? extends HasMetadata> type =
        switch (kind) {
          case "Secret" -> Secret.class;
          case "ConfigMap" -> ConfigMap.class;
          case "RoleBinding" -> RoleBinding.class;
          default -> GenericKubernetesResource.class;
        };
    return client.getKubernetesSerialization().convertValue(manifest, type);
  }

  /** The objects of one notification kind in the namespace. */
  MixedOperation<
          GenericKubernetesResource,
          io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      notification(String kind) {
    ResourceDefinitionContext context =
        new ResourceDefinitionContext.Builder()
            .withGroup("notification.kubesphere.io")
            .withVersion("v1alpha1")
            .withKind(kind)
            .withPlural(kind.toLowerCase(Locale.ROOT) + "s")
            .withNamespaced(true)
            .build();
    return client.genericKubernetesResources(context);
  }

  /** The cluster-scoped objects of a v2beta2 kind. */
  MixedOperation<
          GenericKubernetesResource,
          io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      v2beta2(String kind) {
    return client.genericKubernetesResources(
        new ResourceDefinitionContext.Builder()
            .withGroup("notification.kubesphere.io")
            .withVersion("v2beta2")
            .withKind(kind)
            .withPlural(kind.toLowerCase(Locale.ROOT) + "s")
            .withNamespaced(false)
            .build());
  }

  /** Creates a cluster-scoped v2beta2 object. */
  void createV2beta2(
      String kind, String name, Map<String, String> labels, Map<String, Object> spec) {
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("apiVersion", "notification.kubesphere.io/v2beta2");
    manifest.put("kind", kind);
    manifest.put("metadata", Map.of("name", name, "labels", labels));
    manifest.put("spec", spec);
    v2beta2(kind)
        .resource(
            client
                .getKubernetesSerialization()
                .convertValue(manifest, GenericKubernetesResource.class))
        .create();
  }

  /**
   * The admin's v2beta2 objects most tests start from: a default {@code Config} with a Slack token
   * (Secret {@code default-slack-secret}) and a global {@code Receiver/ops} posting to #ops.
   */
  void createDefaultSlackConfigAndOpsReceiver() {
    createV2beta2(
        "Config",
        "default-slack",
        Map.of("type", "default"),
        Map.of(
            "slack",
            Map.of(
                "slackTokenSecret",
                Map.of(
                    "valueFrom",
                    Map.of(
                        "secretKeyRef",
                        Map.of(
                            "namespace", NS, "name", "default-slack-secret", "key", "token"))))));
    createV2beta2(
        "Receiver",
        "ops",
        Map.of("type", "global"),
        Map.of("slack", Map.of("channels", List.of("#ops"))));
  }

  @Override
  public void close() {
    client.close();
    try {
      server.destroy();
    } catch (IllegalStateException e) {
      // Java 17's HttpClient cannot be closed, so its idle keep-alive connections outlive the
      // client, and fabric8's server gives up waiting for them after 10 s. Its listener is closed
      // by then; nothing a test checks depends on the wait.
    }
  }
}
