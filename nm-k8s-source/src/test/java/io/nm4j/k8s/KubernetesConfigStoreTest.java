package io.nm4j.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigStoreException;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.ObjectMeta;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Kubernetes source as a store, against fabric8's mock API server in CRUD mode. */
class KubernetesConfigStoreTest {
  private final MockCluster cluster = new MockCluster();
  private final KubernetesConfigSource store =
      KubernetesConfigSource.builder()
          .client(cluster.client)
          .debounce(Duration.ofMillis(20))
          .syncTimeout(Duration.ofSeconds(20))
          .build();

  @AfterEach
  void close() {
    store.close();
    cluster.close();
  }

  private static ConfigObject receiver(String name, String type, String resourceVersion) {
    return new ConfigObject(
        ConfigObject.API_VERSION,
        "SlackReceiver",
        new ObjectMeta(name, "", Map.of("type", type), "", resourceVersion, null),
        Map.of("spec", Map.of("channel", "#" + name)),
        "test");
  }

  private static ConfigStoreException.Reason reasonOf(Runnable r) {
    try {
      r.run();
    } catch (ConfigStoreException e) {
      return e.reason();
    }
    throw new AssertionError("no ConfigStoreException");
  }

  @Test
  void objectsAreCreatedReadUpdatedAndDeletedThroughTheApiServer() {
    ConfigObject created = store.create(receiver("ops", "global", ""));
    assertThat(created.metadata().namespace()).isEqualTo(MockCluster.NS);
    assertThat(created.metadata().resourceVersion()).isNotEmpty();
    assertThat(created.spec()).isEqualTo(Map.of("channel", "#ops"));
    assertThat(reasonOf(() -> store.create(receiver("ops", "global", ""))))
        .isEqualTo(ConfigStoreException.Reason.ALREADY_EXISTS);

    String rv = created.metadata().resourceVersion();
    ConfigObject updated = store.update(receiver("ops", "tenant", rv));
    assertThat(updated.metadata().labels()).containsEntry("type", "tenant");
    assertThat(updated.metadata().resourceVersion()).isNotEqualTo(rv);
    assertThat(reasonOf(() -> store.update(receiver("ops", "global", rv))))
        .isEqualTo(ConfigStoreException.Reason.CONFLICT);
    assertThat(store.update(receiver("ops", "global", "")).metadata().labels())
        .containsEntry("type", "global");

    store.create(receiver("dev", "tenant", ""));
    assertThat(store.list("SlackReceiver", LabelSelector.parse("type=global")))
        .extracting(o -> o.metadata().name())
        .containsExactly("ops");
    assertThat(store.get("SlackReceiver", "dev")).isPresent();
    assertThat(store.get("SlackReceiver", "nobody")).isEmpty();

    assertThat(store.delete("SlackReceiver", "dev").metadata().name()).isEqualTo("dev");
    assertThat(store.get("SlackReceiver", "dev")).isEmpty();
    assertThat(reasonOf(() -> store.delete("SlackReceiver", "dev")))
        .isEqualTo(ConfigStoreException.Reason.NOT_FOUND);
  }

  @Test
  void secretsAreStoredAsCoreSecrets() {
    ConfigObject secret =
        new ConfigObject(
            "v1",
            "Secret",
            ObjectMeta.of("smtp", "", Map.of("user", "alice")),
            Map.of("data", Map.of("password", "c2VjcmV0")),
            "test");
    store.create(secret);
    assertThat(cluster.client.secrets().inNamespace(MockCluster.NS).withName("smtp").get())
        .satisfies(s -> assertThat(s.getData()).containsEntry("password", "c2VjcmV0"));
    assertThat(store.get("Secret", "smtp"))
        .hasValueSatisfying(o -> assertThat(o.metadata().labels()).containsEntry("user", "alice"));
  }

  @Test
  void configMapsAreStoredAsCoreConfigMapsAndReachTheWatchedSet() {
    store.load();
    ConfigObject templates =
        new ConfigObject(
            "v1",
            "ConfigMap",
            ObjectMeta.of("shop-templates", "", Map.of("namespace", "shop")),
            Map.of("data", Map.of("message", "shop ${commonName}")),
            "test");
    store.create(templates);

    assertThat(
            cluster
                .client
                .configMaps()
                .inNamespace(MockCluster.NS)
                .withName("shop-templates")
                .get())
        .satisfies(c -> assertThat(c.getData()).containsEntry("message", "shop ${commonName}"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                store.load().objects().stream()
                    .anyMatch(
                        o ->
                            o.kind().equals("ConfigMap")
                                && o.metadata().labels().get("namespace").equals("shop")));
    assertThat(store.delete("ConfigMap", "shop-templates").metadata().name())
        .isEqualTo("shop-templates");
    assertThat(store.get("ConfigMap", "shop-templates")).isEmpty();
  }

  @Test
  void aWriteReachesTheWatchedSet() {
    store.load();
    store.create(receiver("live", "global", ""));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                store.load().objects().stream().anyMatch(o -> o.metadata().name().equals("live")));
  }
}
