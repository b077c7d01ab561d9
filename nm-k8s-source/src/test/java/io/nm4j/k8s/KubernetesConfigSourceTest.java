package io.nm4j.k8s;

import static io.nm4j.k8s.MockCluster.NAMESPACE_TENANCY;
import static io.nm4j.k8s.MockCluster.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.ConfigSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KubernetesConfigSourceTest {

  private MockCluster cluster;
  private final List<KubernetesConfigSource> sources = new ArrayList<>();
  private final List<ConfigSet> published = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startCluster() {
    cluster = new MockCluster();
  }

  @AfterEach
  void stop() {
    sources.forEach(KubernetesConfigSource::close);
    cluster.close();
  }

  /**
   * A source with a client of its own, so its watches never share a connection with the client the
   * test writes through.
   */
  private KubernetesConfigSource source(Duration debounce) {
    KubernetesConfigSource source =
        KubernetesConfigSource.builder()
            .config(cluster.client.getConfiguration())
            .debounce(debounce)
            .syncTimeout(Duration.ofSeconds(20))
            .build();
    sources.add(source);
    return source;
  }

  private KubernetesConfigSource watchedSource() {
    KubernetesConfigSource source = source(Duration.ofMillis(20));
    source.load();
    source.watch(published::add);
    return source;
  }

  private ConfigSet latest() {
    return published.isEmpty() ? ConfigSet.EMPTY : published.get(published.size() - 1);
  }

  private void awaitLatest(Predicate<ConfigSet> condition) {
    await().atMost(Duration.ofSeconds(20)).until(() -> condition.test(latest()));
  }

  private static Optional<ConfigObject> find(ConfigSet set, String kind, String name) {
    return set.objects().stream()
        .filter(o -> o.kind().equals(kind) && o.metadata().name().equals(name))
        .findFirst();
  }

  /** The manifest's top level below apiVersion, kind and metadata. */
  private static Map<String, Object> body(Map<String, Object> manifest) {
    Map<String, Object> body = new LinkedHashMap<>(manifest);
    body.remove("apiVersion");
    body.remove("kind");
    body.remove("metadata");
    return body;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metadata(Map<String, Object> manifest) {
    return (Map<String, Object>) manifest.get("metadata");
  }

  private static String name(Map<String, Object> manifest) {
    return String.valueOf(metadata(manifest).get("name"));
  }

  @Test
  void loadReturnsEveryFixtureObjectAsItsManifestReads() {
    List<Map<String, Object>> manifests = new ArrayList<>();
    for (String file : NAMESPACE_TENANCY) {
      cluster.apply(file);
      manifests.addAll(MockCluster.manifests(file));
    }

    KubernetesConfigSource source = KubernetesConfigSource.builder().client(cluster.client).build();
    sources.add(source);
    ConfigSet set = source.load();

    assertThat(set.problems()).isEmpty();
    assertThat(set.objects()).hasSize(manifests.size());
    for (Map<String, Object> manifest : manifests) {
      String kind = String.valueOf(manifest.get("kind"));
      ConfigObject object = find(set, kind, name(manifest)).orElseThrow();
      assertThat(object.apiVersion()).isEqualTo(manifest.get("apiVersion"));
      assertThat(object.body()).as(object.ref().toString()).isEqualTo(body(manifest));
      assertThat(object.origin()).isEqualTo("kubernetes");
      assertThat(object.metadata().namespace()).isEqualTo(NS);
      Object labels = metadata(manifest).get("labels");
      assertThat(object.metadata().labels()).isEqualTo(labels == null ? Map.of() : labels);
      assertThat(object.metadata().resourceVersion()).isNotEmpty();
      assertThat(object.metadata().creationTimestamp()).isNotNull();
    }
  }

  @Test
  void loadWaitsForInitialSyncOfEveryInformer() {
    cluster.apply("email.yaml");
    cluster.apply("secrets.yaml");

    // load() on a fresh source returns complete lists, never a partial view.
    ConfigSet set = source(Duration.ofMillis(20)).load();

    assertThat(set.objects())
        .extracting(o -> o.ref().toString())
        .contains(
            "EmailConfig/default-email", "EmailReceiver/shop-email", "Secret/shop-email-secret");
  }

  @Test
  void loadFailsNamingTheSourceWhenTheApiServerCannotBeReached() {
    KubernetesConfigSource source =
        KubernetesConfigSource.builder()
            .config(
                new ConfigBuilder()
                    .withMasterUrl("http://127.0.0.1:1")
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .syncTimeout(Duration.ofSeconds(2))
            .build();
    sources.add(source);

    assertThatThrownBy(source::load)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("kubernetes namespace " + NS)
        .hasMessageContaining("emailconfigs");
  }

  @Test
  void createUpdateAndDeleteOfEachNotificationKindShowInPublishedSets() {
    cluster.apply("secrets.yaml");
    watchedSource();
    List<Map<String, Object>> firstOfEachKind = new ArrayList<>();
    for (String file : NAMESPACE_TENANCY.subList(1, NAMESPACE_TENANCY.size())) {
      List<String> seen = new ArrayList<>();
      for (Map<String, Object> m : MockCluster.manifests(file)) {
        if (!seen.contains(String.valueOf(m.get("kind")))) {
          seen.add(String.valueOf(m.get("kind")));
          firstOfEachKind.add(m);
        }
      }
    }
    assertThat(firstOfEachKind)
        .extracting(m -> m.get("kind"))
        .containsExactlyInAnyOrder(
            "NotificationManager",
            "EmailConfig",
            "EmailReceiver",
            "WechatConfig",
            "WechatReceiver",
            "SlackConfig",
            "SlackReceiver",
            "WebhookConfig",
            "WebhookReceiver",
            "DingTalkConfig",
            "DingTalkReceiver");

    for (Map<String, Object> manifest : firstOfEachKind) {
      String kind = String.valueOf(manifest.get("kind"));
      String name = name(manifest);

      cluster.create(manifest);
      awaitLatest(set -> find(set, kind, name).isPresent());
      assertThat(find(latest(), kind, name).orElseThrow().body()).isEqualTo(body(manifest));

      GenericKubernetesResource stored =
          cluster.notification(kind).inNamespace(NS).withName(name).get();
      stored.getMetadata().getLabels().put("revision", "2");
      cluster.notification(kind).inNamespace(NS).resource(stored).update();
      awaitLatest(
          set ->
              find(set, kind, name)
                  .map(o -> "2".equals(o.metadata().labels().get("revision")))
                  .orElse(false));

      cluster.notification(kind).inNamespace(NS).withName(name).delete();
      awaitLatest(set -> find(set, kind, name).isEmpty());
    }
  }

  @Test
  void secretRotationIsPublished() {
    cluster.apply("secrets.yaml");
    cluster.apply("slack.yaml");
    watchedSource();

    rotateSlackSecretAndAwaitIt();
  }

  private void rotateSlackSecretAndAwaitIt() {
    Secret secret = cluster.client.secrets().inNamespace(NS).withName("default-slack-secret").get();
    secret.getData().put("token", "eG94Yi1yb3RhdGVk"); // xoxb-rotated
    cluster.client.secrets().inNamespace(NS).resource(secret).update();

    awaitLatest(
        set ->
            find(set, "Secret", "default-slack-secret")
                .map(o -> "eG94Yi1yb3RhdGVk".equals(o.at("data.token")))
                .orElse(false));
  }

  @Test
  void aPublishedSetTellsWhatChangedSinceTheSetBeforeAndKeepsTheUnchangedObjects() {
    cluster.apply("secrets.yaml");
    cluster.apply("slack.yaml");
    KubernetesConfigSource source = source(Duration.ofMillis(20));
    ConfigSet loaded = source.load();
    source.watch(published::add);

    rotateSlackSecretAndAwaitIt();

    ConfigSet rotated = latest();
    ConfigSet.Change change = rotated.change();
    assertThat(change).isNotNull();
    assertThat(change.follows()).isSameAs(loaded.objects());
    assertThat(change.removed())
        .containsExactly(find(loaded, "Secret", "default-slack-secret").get());
    assertThat(change.added())
        .containsExactly(find(rotated, "Secret", "default-slack-secret").get());
    for (ConfigObject o : loaded.objects()) {
      if (!o.kind().equals("Secret") || !o.metadata().name().equals("default-slack-secret")) {
        assertThat(find(rotated, o.kind(), o.metadata().name()).get())
            .as(o.ref().toString())
            .isSameAs(o);
      }
    }
  }

  @Test
  void malformedObjectsArriveNextToTheGoodOnes() {
    cluster.apply("secrets.yaml");
    cluster.apply("email.yaml");
    cluster.apply("invalid/email-config-bad-port.yaml");
    Map<String, Object> specNotAnObject =
        Map.of(
            "apiVersion",
            ConfigObject.API_VERSION,
            "kind",
            "EmailReceiver",
            "metadata",
            Map.of("name", "spec-is-a-string", "namespace", NS, "labels", Map.of("type", "global")),
            "spec",
            "to: ops@example.com");
    cluster.create(specNotAnObject);

    ConfigSet set = source(Duration.ofMillis(20)).load();

    assertThat(find(set, "EmailConfig", "bad-port").orElseThrow().at("spec.smartHost.port"))
        .isEqualTo("smtp");
    assertThat(find(set, "EmailReceiver", "spec-is-a-string").orElseThrow().body().get("spec"))
        .isEqualTo("to: ops@example.com");
    assertThat(find(set, "EmailConfig", "default-email")).isPresent();
    assertThat(find(set, "EmailReceiver", "global-email")).isPresent();
  }

  @Test
  void roleBindingChangesMoveUsersBetweenTenants() {
    cluster.apply("kubesphere/secrets.yaml");
    cluster.apply("kubesphere/notificationmanager.yaml");
    cluster.apply("kubesphere/receivers-and-configs.yaml");
    cluster.apply("kubesphere/rolebindings.yaml");
    KubernetesConfigSource source = watchedSource();
    RoleBindingTenantResolver tenants = source.tenantResolver();

    assertThat(tenants.tenantsOf("shop")).containsExactly("alice", "bob");
    assertThat(tenants.tenantsOf("payments")).containsExactly("bob");
    assertThat(tenants.tenantsOf("elsewhere")).isEmpty();

    cluster.client.rbac().roleBindings().inNamespace("shop").withName("shop-viewer").delete();
    RoleBinding carol =
        new RoleBindingBuilder()
            .withNewMetadata()
            .withName("payments-carol")
            .withNamespace("payments")
            .endMetadata()
            .withNewRoleRef("rbac.authorization.k8s.io", "Role", "operator")
            .addNewSubject("rbac.authorization.k8s.io", "User", "carol", null)
            .build();
    cluster.client.rbac().roleBindings().inNamespace("payments").resource(carol).create();

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(tenants.tenantsOf("shop")).containsExactly("alice");
              assertThat(tenants.tenantsOf("payments")).containsExactly("bob", "carol");
            });
    awaitLatest(
        set ->
            find(set, "RoleBinding", "payments-carol").isPresent()
                && find(set, "RoleBinding", "shop-viewer").isEmpty());
  }

  @Test
  void roleBindingsAreWatchedOnlyWhileTheTenantKeyIsUser() {
    cluster.apply("secrets.yaml");
    cluster.apply("notificationmanager.yaml");
    cluster.apply("kubesphere/rolebindings.yaml");
    KubernetesConfigSource source = source(Duration.ofMillis(20));

    ConfigSet first = source.load();
    source.watch(published::add);

    assertThat(first.objects()).noneMatch(o -> o.kind().equals("RoleBinding"));
    assertThat(source.tenantResolver().tenantsOf("shop")).isEmpty();

    GenericKubernetesResource settings =
        cluster
            .notification("NotificationManager")
            .inNamespace(NS)
            .withName("notification-manager")
            .get();
    tenantKey(settings, "user");
    cluster.notification("NotificationManager").inNamespace(NS).resource(settings).update();

    awaitLatest(set -> find(set, "RoleBinding", "shop-viewer").isPresent());
    assertThat(latest().objects())
        .filteredOn(o -> o.kind().equals("RoleBinding"))
        .extracting(o -> o.metadata().namespace() + "/" + o.metadata().name())
        .containsExactly("payments/payments-admin", "shop/shop-admin", "shop/shop-viewer");
    assertThat(find(latest(), "RoleBinding", "shop-viewer").orElseThrow().apiVersion())
        .isEqualTo("rbac.authorization.k8s.io/v1");
    assertThat(source.tenantResolver().tenantsOf("shop")).containsExactly("alice", "bob");

    settings =
        cluster
            .notification("NotificationManager")
            .inNamespace(NS)
            .withName("notification-manager")
            .get();
    tenantKey(settings, "namespace");
    cluster.notification("NotificationManager").inNamespace(NS).resource(settings).update();

    awaitLatest(set -> set.objects().stream().noneMatch(o -> o.kind().equals("RoleBinding")));
    assertThat(source.tenantResolver().tenantsOf("shop")).isEmpty();
  }

  @SuppressWarnings("unchecked")
  private static void tenantKey(GenericKubernetesResource settings, String key) {
    Map<String, Object> spec = (Map<String, Object>) settings.getAdditionalProperties().get("spec");
    ((Map<String, Object>) spec.get("receivers")).put("tenantKey", key);
  }

  @Test
  void aBurstOfChangesIsPublishedAsFewerSetsThanChanges() {
    cluster.apply("secrets.yaml");
    KubernetesConfigSource source = source(Duration.ofSeconds(1));
    source.load();
    source.watch(published::add);

    int changes = 20;
    for (int i = 0; i < changes; i++) {
      Map<String, Object> manifest =
          Map.of(
              "apiVersion",
              ConfigObject.API_VERSION,
              "kind",
              "SlackReceiver",
              "metadata",
              Map.of("name", "burst-" + i, "namespace", NS, "labels", Map.of("type", "global")),
              "spec",
              Map.of("channel", "#burst-" + i));
      cluster.create(manifest);
    }

    awaitLatest(
        set ->
            set.objects().stream().filter(o -> o.kind().equals("SlackReceiver")).count()
                == changes);
    assertThat(published.size()).isLessThan(changes);
  }

  @Test
  void aChangeBetweenLoadAndWatchIsDeliveredToTheNewListener() {
    cluster.apply("secrets.yaml");
    KubernetesConfigSource source = source(Duration.ofMillis(20));
    source.load();
    cluster.apply("slack.yaml");
    // Wait until the source has seen the change before anyone listens.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> source.load().objects().stream().anyMatch(o -> o.kind().equals("SlackReceiver")));

    source.watch(published::add);
    // load() above already returned the change, so nothing is re-sent for it...
    cluster.apply("wechat.yaml");
    // ...and the next change arrives.
    awaitLatest(set -> find(set, "WechatReceiver", "shop-wechat").isPresent());
    assertThat(published).allMatch(set -> find(set, "SlackReceiver", "global-slack").isPresent());
  }

  @Test
  void changesAfterTheApiServerDropsEveryWatchAreStillPublished() {
    cluster.apply("secrets.yaml");
    watchedSource();

    cluster.restartServer();
    cluster.apply("slack.yaml");

    awaitLatest(set -> find(set, "SlackReceiver", "payments-slack").isPresent());
  }

  @Test
  void closedSourcePublishesNothingMore() {
    cluster.apply("secrets.yaml");
    // A source with a client of its own, which it closes with itself.
    KubernetesConfigSource source =
        KubernetesConfigSource.builder()
            .config(cluster.client.getConfiguration())
            .debounce(Duration.ofMillis(20))
            .build();
    sources.add(source);
    source.load();
    source.watch(published::add);
    source.close();
    int before = published.size();

    cluster.apply("slack.yaml");

    assertThatThrownBy(source::load).isInstanceOf(IllegalStateException.class);
    assertThat(published).hasSize(before);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().equals("nm4j-k8s-source") && t.isAlive()));
  }

  @Test
  void aSourceWhoseListsFailIsReportedNotCurrentUntilItsInformersWatchAgain() {
    NAMESPACE_TENANCY.forEach(cluster::apply);
    KubernetesConfigSource source = watchedSource();
    ConfigSource.Health healthy = source.health();
    assertThat(healthy.lastSuccess()).isNotNull();
    assertThat(healthy.lastFailure()).isNull();
    assertThat(healthy.failures()).isZero();

    cluster.stopServer();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              ConfigSource.Health h = source.health();
              assertThat(h.failures()).isPositive();
              assertThat(h.lastFailure()).contains("not watching", "emailreceivers", "secrets");
            });
    Instant lastSuccess = source.health().lastSuccess();
    assertThat(source.health().lastSuccess()).as("no success while failing").isEqualTo(lastSuccess);
    assertThat(source.health().isCurrent(lastSuccess.plusSeconds(60), Duration.ofSeconds(30)))
        .isFalse();

    cluster.startServerAgain();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              ConfigSource.Health h = source.health();
              assertThat(h.lastFailure()).isNull();
              assertThat(h.lastSuccess()).isAfter(lastSuccess);
              assertThat(h.failures()).isPositive();
            });
  }
}
