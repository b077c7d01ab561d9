package io.nm4j.k8s;

import static io.nm4j.k8s.RoutingFixtures.alertsIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.Preview;
import io.nm4j.spi.Problem;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Template sets and language packs in ConfigMaps of the Kubernetes source, read with a real
 * informer from fabric8's mock API server in CRUD mode: changes reach the rendered messages, and a
 * tenant's ConfigMap serves only that tenant's receivers.
 */
class KubernetesTemplatesTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  private static MockCluster cluster;
  private NotificationManager manager;
  private String namespace;

  @BeforeAll
  static void startCluster() {
    cluster = new MockCluster();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @BeforeEach
  void startManager() {
    namespace = "templates-" + NAMESPACES.incrementAndGet();
    for (String file : List.of("secrets.yaml", "slack.yaml", "templates.yaml")) {
      cluster.applyIn(file, namespace);
    }
    manager =
        NotificationManager.builder()
            .namespace(namespace)
            .configSource(
                KubernetesConfigSource.builder()
                    .config(cluster.client.getConfiguration())
                    .namespace(namespace)
                    .debounce(Duration.ofMillis(20))
                    .syncTimeout(PATIENCE)
                    .build())
            .build();
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  /** The Slack message {@code receiver} would get for a firing alert of namespace shop. */
  private String message(String receiver) {
    Preview preview =
        manager.preview(alertsIn("shop"), d -> d.receiver().toString().equals(receiver));
    assertThat(preview.notifications()).as(receiver).hasSize(1);
    return preview.notifications().get(0).parts().get("message");
  }

  /** Replaces the data of ConfigMap {@code name} in the cluster, as {@code kubectl edit} does. */
  private void replaceData(String name, Map<String, String> data) {
    ConfigMap changed =
        new ConfigMapBuilder(
                cluster.client.configMaps().inNamespace(namespace).withName(name).get())
            .withData(data)
            .build();
    cluster.client.configMaps().inNamespace(namespace).resource(changed).update();
  }

  private void awaitMessage(String receiver, String part) {
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(message(receiver)).contains(part));
  }

  private List<String> problems() {
    return manager.snapshot().problems().stream().map(Problem::toString).toList();
  }

  @Test
  void aTemplateChangedInAConfigMapChangesTheRenderedMessage() {
    assertThat(message("SlackReceiver/ops-templated")).isEqualTo("ops v1 PodCrashLooping");

    replaceData("ops-templates", Map.of("ops-message", "ops v2 ${commonName}"));

    awaitMessage("SlackReceiver/ops-templated", "ops v2 PodCrashLooping");
  }

  @Test
  void aConfigMapDeletedInTheClusterLeavesItsReceiverOnTheBuiltInTemplateWithAProblem() {
    cluster.client.configMaps().inNamespace(namespace).withName("ops-templates").delete();

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(problems())
                    .anyMatch(
                        p ->
                            p.contains("SlackReceiver/ops-templated")
                                && p.contains("there is no ConfigMap \"ops-templates\"")));
    assertThat(message("SlackReceiver/ops-templated")).contains("[FIRING:1] PodCrashLooping");
  }

  @Test
  void aTenantsConfigMapServesItsOwnReceiversOnly() {
    assertThat(message("SlackReceiver/shop-slack")).isEqualTo("shop only PodCrashLooping");

    assertThat(message("SlackReceiver/ops-borrowing")).doesNotContain("shop only");
    assertThat(problems())
        .anyMatch(
            p ->
                p.contains("SlackReceiver/ops-borrowing")
                    && p.contains(
                        "ConfigMap/shop-templates belongs to tenant shop, not to the"
                            + " admin; not used"));
    assertThat(problems())
        .anyMatch(
            p ->
                p.contains("SlackReceiver/payments-borrowing")
                    && p.contains(
                        "ConfigMap/shop-templates belongs to tenant shop, not to tenant payments"));
    Preview payments =
        manager.preview(
            alertsIn("payments"),
            d -> d.receiver().toString().equals("SlackReceiver/payments-borrowing"));
    assertThat(payments.notifications().get(0).parts().get("message")).doesNotContain("shop only");
  }

  @Test
  void aLanguagePackInAConfigMapGivesItsLanguagesWordsAndFollowsChanges() {
    assertThat(message("SlackReceiver/ops-french")).contains("[EN COURS:1] PodCrashLooping");

    replaceData("words", Map.of("fr", "- name: fr\n  dictionary: {firing: ALERTE}\n"));

    awaitMessage("SlackReceiver/ops-french", "[ALERTE:1] PodCrashLooping");
  }
}
