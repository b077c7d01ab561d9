package io.nm4j.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;

/**
 * fabric8's Kubernetes mock API server in CRUD mode on 127.0.0.1, with the CRDs of {@code
 * deploy/kubernetes/crds} installed, and a client of it.
 */
public final class MockKubernetesApi implements AutoCloseable {
  private static final Path CRDS = Path.of("..", "deploy", "kubernetes", "crds");

  /** Reads CRDs and other manifests in YAML. */
  public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final KubernetesMockServer server;
  private final NamespacedKubernetesClient client;

  public MockKubernetesApi() throws IOException {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(List.of()),
            false);
    server.init(InetAddress.getByName("127.0.0.1"), 0);
    client = server.createClient();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(CRDS, "*.yaml")) {
      for (Path file : files) {
        install(YAML.readValue(file.toFile(), CustomResourceDefinition.class));
      }
    }
  }

  public void install(CustomResourceDefinition crd) {
    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
  }

  public NamespacedKubernetesClient client() {
    return client;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
