package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Feishu and Teams kinds reach {@code validate} and {@code route} from their providers alone:
 * no command or core code names them.
 */
class FeishuAndTeamsCommandsTest {
  private static final String OBJECTS =
      """
      apiVersion: notification.kubesphere.io/v1alpha1
      kind: FeishuConfig
      metadata: {name: default-feishu, labels: {type: default}}
      spec: {}
      ---
      apiVersion: notification.kubesphere.io/v1alpha1
      kind: FeishuReceiver
      metadata: {name: shop-feishu, labels: {type: tenant, namespace: shop}}
      spec:
        chatbot:
          webhook: {name: shop-feishu-bot, key: webhook}
          keywords: [alert]
      ---
      apiVersion: notification.kubesphere.io/v1alpha1
      kind: TeamsConfig
      metadata: {name: default-teams, labels: {type: default}}
      spec: {}
      ---
      apiVersion: notification.kubesphere.io/v1alpha1
      kind: TeamsReceiver
      metadata: {name: ops-teams, labels: {type: global}}
      spec:
        webhook: {name: ops-teams-workflow, key: url}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: shop-feishu-bot, labels: {namespace: shop}}
      type: Opaque
      data: {webhook: aHR0cHM6Ly9vcGVuLmZlaXNodS5jbi9vcGVuLWFwaXMvYm90L3YyL2hvb2sveA==}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: ops-teams-workflow}
      type: Opaque
      data: {url: aHR0cHM6Ly9wcm9kLmxvZ2ljLmF6dXJlLmNvbS93b3JrZmxvd3MveA==}
      """;

  @TempDir Path config;

  @BeforeEach
  void write() throws IOException {
    Files.writeString(config.resolve("objects.yaml"), OBJECTS);
  }

  @Test
  void validateAcceptsFeishuAndTeamsObjectsAndNamesTheFieldOfABadOne() throws IOException {
    Cli.Result valid = Cli.run("validate", "--config", config.toString());

    assertThat(valid.exit()).isZero();
    assertThat(valid.errLines()).containsExactly("6 objects, 0 errors");

    Files.writeString(
        config.resolve("bad.yaml"),
        """
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: FeishuReceiver
        metadata: {name: nobody, labels: {type: global}}
        spec: {tmplType: markdown}
        """);
    Cli.Result invalid = Cli.run("validate", "--config", config.toString());

    assertThat(invalid.exit()).isEqualTo(1);
    assertThat(invalid.out()).contains("FeishuReceiver/nobody", "spec.tmplType");
  }

  @Test
  void routeExplainsAShopAlertToTheTenantsFeishuReceiverAndTheGlobalTeamsReceiver()
      throws IOException {
    Path alerts =
        Files.writeString(
            config.getParent().resolve(config.getFileName() + "-alerts.json"),
            "{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\","
                + "\"labels\":{\"alertname\":\"DiskFull\",\"namespace\":\"shop\"}}]}");

    Cli.Result r = Cli.run("route", "--config", config.toString(), "--alerts", alerts.toString());

    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("\"receiver\" : \"FeishuReceiver/shop-feishu\"")
        .contains("\"config\" : \"FeishuConfig/default-feishu\"")
        .contains("\"receiver\" : \"TeamsReceiver/ops-teams\"")
        .contains("\"config\" : \"TeamsConfig/default-teams\"");
  }
}
