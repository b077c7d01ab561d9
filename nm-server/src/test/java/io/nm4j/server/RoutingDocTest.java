package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.core.InMemoryConfigSource;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.delivery.DeliveryOutcome;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.ConfigObject;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docs/ROUTING.md} is true: its explain example is what {@code nm4j route} prints for its
 * configuration and batch, and the rules it states that other tests do not pin hold.
 */
class RoutingDocTest {
  private static final Path ROUTING = Path.of("..", "docs", "ROUTING.md");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private static final String GLOBAL_AND_SHOP_WEBHOOKS =
      """
      apiVersion: notification.kubesphere.io/v1alpha1
      kind: WebhookConfig
      metadata: {name: default-webhook, labels: {type: default}}
      spec: {url: "https://hooks.example.com/alerts"}
      ---
      apiVersion: notification.kubesphere.io/v1alpha1
      kind: WebhookReceiver
      metadata: {name: ops, labels: {type: global}}
      spec: {}
      ---
      apiVersion: notification.kubesphere.io/v1alpha1
      kind: WebhookReceiver
      metadata: {name: shop, labels: {type: tenant, namespace: shop}}
      spec: {}
      """;

  /** The fenced block after {@code <!-- routing-example:NAME -->} in ROUTING.md. */
  private static String block(String name) throws IOException {
    String doc = Files.readString(ROUTING);
    int marker = doc.indexOf("<!-- routing-example:" + name + " -->");
    assertThat(marker).as("the %s block of %s", name, ROUTING).isNotNegative();
    int start = doc.indexOf('\n', doc.indexOf("```", marker)) + 1;
    return doc.substring(start, doc.indexOf("\n```", start) + 1);
  }

  private Path configDir(String yaml) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(dir.resolve("objects.yaml"), yaml);
    return dir;
  }

  /**
   * A directory with a default webhook config, a global and a tenant receiver, then {@code more}.
   */
  private Path withWebhooks(String more) throws IOException {
    return configDir(
        GLOBAL_AND_SHOP_WEBHOOKS + "---\napiVersion: notification.kubesphere.io/v1alpha1\n" + more);
  }

  private Cli.Result route(Path config, String alerts) throws IOException {
    Path file = Files.writeString(tmp.resolve("alerts.json"), alerts);
    return Cli.run("route", "--config", config.toString(), "--alerts", file.toString());
  }

  /** The explain document of one alert in namespace {@code shop}. */
  private JsonNode explainOneAlertInShop(Path config) throws IOException {
    return JSON.readTree(
        route(
                config,
                "{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\","
                    + "\"labels\":{\"alertname\":\"A\",\"namespace\":\"shop\"}}]}")
            .out());
  }

  /** The values of {@code field} across the entries of one list of an explain document. */
  private static List<String> values(JsonNode explain, String list, String field) {
    return explain.get(list).findValuesAsText(field);
  }

  private static List<String> validate(Path config) {
    return Cli.run("validate", "--config", config.toString()).outLines();
  }

  @Test
  void theExplainExampleIsWhatRoutePrintsForTheExamplesConfigurationAndBatch() throws Exception {
    Cli.Result r = route(configDir(block("config")), block("alerts"));

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode printed = JSON.readTree(r.out());
    JsonNode documented = JSON.readTree(block("explain"));
    assertThat(printed.get("notifications")).isEqualTo(documented.get("notifications"));
    assertThat(printed.get("unrouted")).isEqualTo(documented.get("unrouted"));
    assertThat(printed.get("problems"))
        .containsExactlyInAnyOrderElementsOf(documented.get("problems"));
    assertThat(printed.size()).isEqualTo(documented.size());
  }

  @Test
  void validateReportsTheExamplesProblemsAndExitsOneForItsErrors() throws Exception {
    Cli.Result r = Cli.run("validate", "--config", configDir(block("config")).toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.outLines())
        .containsExactlyInAnyOrder(
            "WechatReceiver/payments: spec: one of toUser, toParty, toTag, chatbot is required",
            "notice: EmailReceiver/shop: spec.emailConfigSelector: selector matched nothing;"
                + " using default EmailConfig/default-email",
            "SlackReceiver/payments: spec: no SlackConfig selected and no default; its"
                + " notifications fail with NO_CONFIG");
  }

  @Test
  void withoutAGlobalReceiverTheExamplesClusterAlertWouldBeUnrouted() throws Exception {
    String config = block("config");
    String withoutGlobal =
        config.replace("metadata: {name: ops, labels: {type: global}}", "metadata: {name: ops}");

    Cli.Result r = route(configDir(withoutGlobal), block("alerts"));

    assertThat(JSON.readTree(r.out()).get("unrouted"))
        .isEqualTo(
            JSON.readTree(
                "[{\"alert\": 2, \"reason\": \"no namespace label and no global receiver\"}]"));
  }

  @Test
  void anObjectWithoutNamespaceIsInTheManagersAndOneInAnotherIsReportedAndIgnored()
      throws Exception {
    JsonNode explain =
        explainOneAlertInShop(
            withWebhooks(
                """
                kind: WebhookReceiver
                metadata: {name: elsewhere, namespace: other, labels: {type: global}}
                spec: {}
                """));

    assertThat(values(explain, "notifications", "receiver"))
        .containsExactly("WebhookReceiver/ops", "WebhookReceiver/shop");
    assertThat(values(explain, "problems", "message"))
        .containsExactly(
            "must be \"kubesphere-monitoring-system\" (the namespace nm4j reads), was \"other\"");
  }

  @Test
  void aNameUsedTwiceKeepsTheFirstObjectAndReportsTheSecond() throws Exception {
    Path config =
        withWebhooks(
            """
            kind: WebhookReceiver
            metadata: {name: ops, labels: {type: tenant, namespace: shop}}
            spec: {}
            """);

    assertThat(validate(config))
        .singleElement()
        .asString()
        .startsWith("WebhookReceiver/ops: metadata.name: defined twice (again in ")
        .endsWith("); the first is used");
    assertThat(explainOneAlertInShop(config).get("notifications").get(0).get("scope").asText())
        .isEqualTo("global");
  }

  @Test
  void ofTwoSettingsObjectsTheFirstByNameAppliesAndTheOtherIsReported() throws Exception {
    JsonNode explain =
        explainOneAlertInShop(
            withWebhooks(
                """
                kind: NotificationManager
                metadata: {name: b-settings}
                spec: {receivers: {tenantKey: user}}
                ---
                apiVersion: notification.kubesphere.io/v1alpha1
                kind: NotificationManager
                metadata: {name: a-settings}
                spec: {receivers: {tenantKey: namespace}}
                """));

    assertThat(values(explain, "notifications", "receiver"))
        .as("namespace tenancy, from a-settings")
        .containsExactly("WebhookReceiver/ops", "WebhookReceiver/shop");
    assertThat(values(explain, "problems", "message"))
        .containsExactly(
            "a second NotificationManager; NotificationManager/a-settings is used, this one is"
                + " ignored");
  }

  @Test
  void aTenantKeyWithoutATenantResolverIsReportedAndOnlyGlobalReceiversGetAlerts()
      throws Exception {
    JsonNode explain =
        explainOneAlertInShop(
            withWebhooks(
                """
                kind: NotificationManager
                metadata: {name: settings}
                spec: {receivers: {tenantKey: team}}
                """));

    assertThat(values(explain, "notifications", "receiver")).containsExactly("WebhookReceiver/ops");
    assertThat(values(explain, "problems", "message"))
        .contains(
            "tenant key \"team\" needs a TenantResolver from the host (built in: namespace, user);"
                + " only global receivers get alerts");
  }

  @Test
  void aTenantConfigWithoutItsTenantLabelIsReportedAndNotUsed() throws Exception {
    Path config =
        withWebhooks(
            """
            kind: WebhookConfig
            metadata: {name: unlabeled, labels: {type: tenant}}
            spec: {url: "https://shop.example.com/hook"}
            """);

    assertThat(validate(config))
        .containsExactly(
            "WebhookConfig/unlabeled: metadata.labels: a tenant config needs the label"
                + " \"namespace\" naming its tenant; not used");
  }

  @Test
  void aSelectorWithValuesForExistsMakesItsReceiverInvalid() throws Exception {
    Path config =
        withWebhooks(
            """
            kind: WebhookReceiver
            metadata: {name: exists, labels: {type: global}}
            spec:
              webhookConfigSelector:
                matchExpressions: [{key: tier, operator: Exists, values: [gold]}]
            """);

    assertThat(validate(config))
        .containsExactly(
            "WebhookReceiver/exists: spec.webhookConfigSelector.matchExpressions[0].values:"
                + " operator Exists takes no values");
    assertThat(values(explainOneAlertInShop(config), "notifications", "receiver"))
        .containsExactly("WebhookReceiver/ops", "WebhookReceiver/shop");
  }

  @Test
  void notInAndDoesNotExistHoldWhenTheLabelIsAbsent() throws Exception {
    Path config =
        configDir(
            """
            apiVersion: notification.kubesphere.io/v1alpha1
            kind: WebhookConfig
            metadata: {name: plain, labels: {purpose: alerts}}
            spec: {url: "https://hooks.example.com/alerts"}
            ---
            apiVersion: notification.kubesphere.io/v1alpha1
            kind: WebhookReceiver
            metadata: {name: ops, labels: {type: global}}
            spec:
              webhookConfigSelector:
                matchExpressions:
                - {key: tier, operator: NotIn, values: [gold]}
                - {key: legacy, operator: DoesNotExist}
            """);

    assertThat(values(explainOneAlertInShop(config), "notifications", "config"))
        .containsExactly("WebhookConfig/plain");
  }

  @Test
  void aDefaultWithoutCreationTimestampCountsAsNewerThanOneWithIt() throws Exception {
    Path config =
        configDir(
            """
            apiVersion: notification.kubesphere.io/v1alpha1
            kind: WebhookConfig
            metadata: {name: a-untimed, labels: {type: default}}
            spec: {url: "https://a.example.com/hook"}
            ---
            apiVersion: notification.kubesphere.io/v1alpha1
            kind: WebhookConfig
            metadata:
              name: z-timed
              labels: {type: default}
              creationTimestamp: "2026-01-01T00:00:00Z"
            spec: {url: "https://z.example.com/hook"}
            ---
            apiVersion: notification.kubesphere.io/v1alpha1
            kind: WebhookReceiver
            metadata: {name: ops, labels: {type: global}}
            spec: {}
            """);

    assertThat(values(explainOneAlertInShop(config), "notifications", "config"))
        .containsExactly("WebhookConfig/z-timed");
  }

  @Test
  void aSecretValueGivenInDataAndInStringDataIsTakenFromStringData() throws Exception {
    try (MockWebServer hook = new MockWebServer()) {
      hook.start(InetAddress.getByName("127.0.0.1"), 0);
      hook.enqueue(new MockResponse.Builder().code(200).build());
      List<ConfigObject> objects =
          List.of(
              ConfigObject.secret("hook-token")
                  .data("token", "from-data")
                  .field("stringData", Map.of("token", "from-stringData"))
                  .build(),
              ConfigObject.of("WebhookConfig", "default-webhook")
                  .label("type", "default")
                  .spec(
                      Map.of(
                          "url",
                          hook.url("/hook").toString(),
                          "httpConfig",
                          Map.of("bearerToken", Map.of("name", "hook-token", "key", "token"))))
                  .build(),
              ConfigObject.of("WebhookReceiver", "ops").label("type", "global").build());
      try (NotificationManager nm =
          NotificationManager.builder().configSource(InMemoryConfigSource.of(objects)).build()) {
        List<DeliveryOutcome> outcomes =
            nm.submit(AlertBatch.of(List.of(Alert.firing(Map.of("alertname", "A")))))
                .allOutcomes()
                .get(30, TimeUnit.SECONDS);

        assertThat(outcomes)
            .extracting(DeliveryOutcome::status)
            .containsExactly(DeliveryOutcome.Status.DELIVERED);
        assertThat(hook.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Authorization"))
            .isEqualTo("Bearer from-stringData");
      }
    }
  }
}
