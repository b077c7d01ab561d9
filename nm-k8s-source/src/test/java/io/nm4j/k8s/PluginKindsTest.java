package io.nm4j.k8s;

import static io.nm4j.k8s.RoutingFixtures.alertsIn;
import static io.nm4j.k8s.RoutingFixtures.configOf;
import static io.nm4j.k8s.RoutingFixtures.receiversOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.nm4j.core.NotificationManager;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.KindDescription;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.ObjectMeta;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third-party channel's kinds on fabric8's mock API server: their CRDs come from the provider's
 * description, the source watches them (found explicitly or through a plugin class loader), the
 * core routes them, and the source writes them as a store.
 */
class PluginKindsTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private MockCluster cluster;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeEach
  void startCluster() throws IOException {
    cluster = new MockCluster();
    for (KindDescription kind :
        List.of(
            PagerChannelProvider.DESCRIPTION.config(),
            PagerChannelProvider.DESCRIPTION.receiver())) {
      String yaml = KubernetesManifests.crds(List.of(kind)).values().iterator().next();
      cluster
          .client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(YAML.readValue(yaml, CustomResourceDefinition.class))
          .create();
    }
    cluster.create(
        Map.of(
            "apiVersion",
            "v1",
            "kind",
            "Secret",
            "metadata",
            Map.of("name", "pager-token", "namespace", MockCluster.NS),
            "stringData",
            Map.of("token", "t0ken")));
    create(pager("PagerConfig", "default-pager", "default", null, Map.of("token", token())));
    create(pager("PagerReceiver", "global-pager", "global", null, Map.of("channel", "ops")));
  }

  private static ResourceDefinitionContext context(String kind) {
    KindDescription description =
        kind.equals("PagerReceiver")
            ? PagerChannelProvider.DESCRIPTION.receiver()
            : PagerChannelProvider.DESCRIPTION.config();
    return new ResourceDefinitionContext.Builder()
        .withGroup(KubernetesManifests.GROUP)
        .withVersion(description.version())
        .withKind(kind)
        .withPlural(description.plural())
        .withNamespaced(true)
        .build();
  }

  /** Creates a Pager object under its described plural. */
  private void create(Map<String, Object> manifest) {
    GenericKubernetesResource resource =
        cluster
            .client
            .getKubernetesSerialization()
            .convertValue(manifest, GenericKubernetesResource.class);
    cluster
        .client
        .genericKubernetesResources(context(resource.getKind()))
        .inNamespace(MockCluster.NS)
        .resource(resource)
        .create();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    cluster.close();
  }

  private static Map<String, Object> token() {
    return Map.of("name", "pager-token", "key", "token");
  }

  private static Map<String, Object> pager(
      String kind, String name, String type, String tenant, Map<String, Object> spec) {
    Map<String, String> labels =
        tenant == null ? Map.of("type", type) : Map.of("type", type, "namespace", tenant);
    return Map.of(
        "apiVersion",
        ConfigObject.API_VERSION,
        "kind",
        kind,
        "metadata",
        Map.of("name", name, "namespace", MockCluster.NS, "labels", labels),
        "spec",
        spec);
  }

  private KubernetesConfigSource.Builder source() {
    return KubernetesConfigSource.builder()
        .config(cluster.client.getConfiguration())
        .debounce(Duration.ofMillis(20))
        .syncTimeout(PATIENCE);
  }

  private NotificationManager manager(KubernetesConfigSource source) {
    NotificationManager manager =
        NotificationManager.builder()
            .namespace(MockCluster.NS)
            .channel(new PagerChannelProvider())
            .configSource(source)
            .build();
    closeables.add(manager);
    return manager;
  }

  @Test
  void aPluginsKindsAreWatchedUnderTheirDescribedPluralsAndRoute() {
    KubernetesConfigSource source = source().providers(List.of(new PagerChannelProvider())).build();
    NotificationManager manager = manager(source);

    assertThat(receiversOf(manager, alertsIn("shop")))
        .containsExactly("PagerReceiver/global-pager");
    assertThat(configOf(manager, "PagerReceiver/global-pager"))
        .isEqualTo("PagerConfig/default-pager");

    create(
        pager("PagerReceiver", "shop-pager", "tenant", "shop", Map.of("channel", "shop-alerts")));
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(receiversOf(manager, alertsIn("shop")))
                    .containsExactly("PagerReceiver/global-pager", "PagerReceiver/shop-pager"));
  }

  @Test
  void aPluginJarFoundThroughItsClassLoaderIsWatchedToo(@TempDir Path plugin) throws IOException {
    Path services = plugin.resolve("META-INF/services/io.nm4j.spi.ChannelProvider");
    Files.createDirectories(services.getParent());
    Files.writeString(services, PagerChannelProvider.class.getName() + "\n");
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {plugin.toUri().toURL()}, getClass().getClassLoader())) {
      KubernetesConfigSource source = source().classLoader(loader).build();
      closeables.add(source);

      assertThat(source.load().objects())
          .extracting(o -> o.ref().toString())
          .contains("PagerReceiver/global-pager", "PagerConfig/default-pager");
    }
  }

  @Test
  void aPluginsObjectsAreWrittenThroughTheSourceAsAStore() {
    KubernetesConfigSource source = source().providers(List.of(new PagerChannelProvider())).build();
    NotificationManager manager = manager(source);

    ConfigObject created =
        source.create(
            new ConfigObject(
                ConfigObject.API_VERSION,
                "PagerReceiver",
                ObjectMeta.of(
                    "payments-pager", "", Map.of("type", "tenant", "namespace", "payments")),
                Map.of("spec", Map.of("channel", "payments-alerts")),
                "test"));

    assertThat(created.metadata().resourceVersion()).isNotEmpty();
    assertThat(
            cluster
                .client
                .genericKubernetesResources(context("PagerReceiver"))
                .inNamespace(MockCluster.NS)
                .withName("payments-pager")
                .get())
        .as("stored under the described plural pagingreceivers")
        .isNotNull();
    assertThat(source.get("PagerReceiver", "payments-pager")).isPresent();
    assertThat(source.list("PagerReceiver", LabelSelector.of(Map.of("namespace", "payments"))))
        .extracting(o -> o.metadata().name())
        .containsExactly("payments-pager");
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(receiversOf(manager, alertsIn("payments")))
                    .contains("PagerReceiver/payments-pager"));

    source.delete("PagerReceiver", "payments-pager");
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(receiversOf(manager, alertsIn("payments")))
                    .doesNotContain("PagerReceiver/payments-pager"));
  }

  @Test
  void aMisspeltFieldOfAPluginsKindMakesTheObjectInvalidNamingTheFieldItMeant() {
    create(
        pager(
            "PagerReceiver",
            "typo-pager",
            "global",
            null,
            Map.of("channel", "ops", "pagerConfigSelectr", Map.of())));
    KubernetesConfigSource source = source().providers(List.of(new PagerChannelProvider())).build();
    NotificationManager manager = manager(source);

    assertThat(manager.snapshot().problems())
        .extracting(Object::toString)
        .contains(
            "PagerReceiver/typo-pager: spec.pagerConfigSelectr: unknown field; did you mean"
                + " pagerConfigSelector?");
    assertThat(receiversOf(manager, alertsIn("shop"))).doesNotContain("PagerReceiver/typo-pager");
  }
}
