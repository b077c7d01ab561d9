package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.core.InMemoryConfigSource;
import io.nm4j.core.Manifests;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.delivery.DeliveryHistory;
import io.nm4j.core.delivery.DeliveryRecord;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.SendResult.Reason;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Telegram, Discord and the WeChat Work group robot end to end: an Alertmanager batch posted over
 * HTTP to the running server reaches a local stand-in of each remote; a tenant's Discord webhook on
 * the loopback address is refused by the tenant's egress policy although its config is the admin's.
 */
class ChatChannelsThroughServerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PAYLOAD =
      """
      {"version":"4","receiver":"nm4j","status":"firing","alerts":[{"status":"firing",\
      "labels":{"alertname":"CheckoutLatencyHigh","namespace":"shop","severity":"critical"},\
      "annotations":{"summary":"Checkout latency is above 2s."},\
      "startsAt":"2026-11-25T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"",\
      "fingerprint":"c0ffee"}],"groupLabels":{},"commonLabels":{},\
      "commonAnnotations":{},"externalURL":"http://alertmanager:9093","groupKey":"{}:{}"}""";

  private final HttpClient client = HttpClient.newHttpClient();
  private final MockWebServer remote = new MockWebServer();
  private NotificationManager manager;
  private Nm4jServer server;

  @BeforeEach
  void startRemote() throws Exception {
    remote.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (manager != null) {
      manager.close();
    }
    remote.close();
  }

  private void start(String yaml, String... options) throws Exception {
    InMemoryConfigSource source = new InMemoryConfigSource();
    NotificationManager.Builder builder = NotificationManager.builder().configSource(source);
    for (int i = 0; i < options.length; i += 2) {
      builder.channelOption(options[i], options[i + 1]);
    }
    manager = builder.build();
    server =
        Nm4jServer.builder()
            .manager(manager)
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .build()
            .start();
    source.putAll(Manifests.parse(yaml, "test").objects());
  }

  private void postFiring() throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.address().getPort() + "/api/v2/alerts"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(PAYLOAD))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
  }

  private List<DeliveryRecord> history(String kind, String name, DeliveryRecord.Status status) {
    return manager
        .history()
        .query(DeliveryHistory.Query.all().receiver(new ObjectRef(kind, name)).status(status));
  }

  private void awaitDelivered(String kind, String name) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(history(kind, name, DeliveryRecord.Status.DELIVERED)).hasSize(1));
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static MockResponse json(String body) {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  private static String secret(String name, String key, String value, String labels) {
    return """
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: %s, labels: %s}
        type: Opaque
        data: {%s: %s}
        """
        .formatted(name, labels, key, b64(value));
  }

  private JsonNode body(RecordedRequest r) throws Exception {
    return JSON.readTree(r.getBody().string(StandardCharsets.UTF_8));
  }

  /** The objects of each test, as v1alpha1 kinds and as v2beta2 blocks, and the receiver's name. */
  private record Written(String api, String yaml, ObjectRef receiver) {
    @Override
    public String toString() {
      return api;
    }
  }

  private static final String V2 = "notification.kubesphere.io/v2beta2";

  static List<Written> telegramObjects() {
    return List.of(
        new Written(
            "v1alpha1",
            """
            apiVersion: notification.kubesphere.io/v1alpha1
            kind: TelegramConfig
            metadata: {name: default-telegram, labels: {type: default}}
            spec: {telegramTokenSecret: {name: telegram-bot, key: token}}
            ---
            apiVersion: notification.kubesphere.io/v1alpha1
            kind: TelegramReceiver
            metadata: {name: ops-telegram, labels: {type: global}}
            spec: {channels: ["-1001234567890"], mentionedUsers: ["@oncall"]}
            """,
            new ObjectRef("TelegramReceiver", "ops-telegram")),
        new Written(
            "v2beta2",
            """
            apiVersion: %1$s
            kind: Config
            metadata: {name: default-telegram, labels: {type: default}}
            spec:
              telegram:
                telegramTokenSecret: {valueFrom: {secretKeyRef: {name: telegram-bot, key: token}}}
            ---
            apiVersion: %1$s
            kind: Receiver
            metadata: {name: ops, labels: {type: global}}
            spec:
              telegram: {channels: ["-1001234567890"], mentionedUsers: ["@oncall"]}
            """
                .formatted(V2),
            new ObjectRef("Receiver", "ops[telegram]")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("telegramObjects")
  void telegramReceiverGetsTheAlertThroughTheBotApi(Written objects) throws Exception {
    String token = "7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0";
    remote.enqueue(json("{\"ok\":true,\"result\":{\"message_id\":7,\"chat\":{\"id\":-1001}}}"));
    start(
        objects.yaml() + secret("telegram-bot", "token", token, "{}"),
        "telegram.apiUrl",
        remote.url("/").toString());

    postFiring();

    awaitDelivered(objects.receiver().kind(), objects.receiver().name());
    RecordedRequest r = remote.takeRequest();
    assertThat(r.getTarget()).isEqualTo("/bot" + token + "/sendMessage");
    JsonNode body = body(r);
    assertThat(body.path("chat_id").asText()).isEqualTo("-1001234567890");
    assertThat(body.path("parse_mode").asText()).isEqualTo("HTML");
    assertThat(body.path("text").asText())
        .contains("CheckoutLatencyHigh")
        .contains("Checkout latency is above 2s.")
        .contains("@oncall");
  }

  static List<Written> discordObjects() {
    return List.of(
        new Written(
            "v1alpha1 with an empty default config",
            """
            apiVersion: notification.kubesphere.io/v1alpha1
            kind: DiscordConfig
            metadata: {name: default-discord, labels: {type: default}}
            spec: {}
            ---
            apiVersion: notification.kubesphere.io/v1alpha1
            kind: DiscordReceiver
            metadata: {name: ops-discord, labels: {type: global}}
            spec:
              webhook: {name: discord-webhook, key: url}
              type: embed
              mentionedRoles: ["165511591545143296"]
            """,
            new ObjectRef("DiscordReceiver", "ops-discord")),
        new Written(
            "v2beta2 without any config",
            """
            apiVersion: %s
            kind: Receiver
            metadata: {name: ops, labels: {type: global}}
            spec:
              discord:
                webhook: {valueFrom: {secretKeyRef: {name: discord-webhook, key: url}}}
                type: embed
                mentionedRoles: ["165511591545143296"]
            """
                .formatted(V2),
            new ObjectRef("Receiver", "ops[discord]")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("discordObjects")
  void discordReceiverGetsTheAlertThroughItsWebhook(Written objects) throws Exception {
    String path = "/api/webhooks/1311970000000000000/dQw4w9WgXcQ-webhook-token";
    remote.enqueue(json("{\"id\":\"1311990000000000001\",\"type\":0}"));
    start(objects.yaml() + secret("discord-webhook", "url", remote.url(path).toString(), "{}"));

    postFiring();

    awaitDelivered(objects.receiver().kind(), objects.receiver().name());
    RecordedRequest r = remote.takeRequest();
    assertThat(r.getTarget()).isEqualTo(path + "?wait=true");
    JsonNode body = body(r);
    assertThat(body.path("embeds").get(0).path("title").asText())
        .isEqualTo("\\[FIRING\\:1\\] CheckoutLatencyHigh");
    assertThat(body.path("embeds").get(0).path("description").asText())
        .contains("**CheckoutLatencyHigh**", "- namespace: shop", "- severity: critical");
    assertThat(body.path("allowed_mentions").path("parse")).isEmpty();
    assertThat(body.path("content").asText()).startsWith("<@&165511591545143296>");
    assertThat(body.has("username")).isFalse();
  }

  static List<Written> wechatRobotObjects() {
    String config =
        """
        wechatApiCorpId: ww0000test
        wechatApiAgentId: "1000002"
        wechatApiSecret: %s
        """;
    return List.of(
        new Written(
            "v1alpha1",
            """
            apiVersion: notification.kubesphere.io/v1alpha1
            kind: WechatConfig
            metadata: {name: default-wechat, labels: {type: default}}
            spec:
            %s---
            apiVersion: notification.kubesphere.io/v1alpha1
            kind: WechatReceiver
            metadata: {name: ops-robot, labels: {type: global}}
            spec:
              chatbot:
                webhook: {name: wechat-robot, key: webhook}
                atUsers: [zhangsan]
            """
                .formatted(config.formatted("{name: wechat-app, key: secret}").indent(2)),
            new ObjectRef("WechatReceiver", "ops-robot")),
        new Written(
            "v2beta2",
            """
            apiVersion: %1$s
            kind: Config
            metadata: {name: default-wechat, labels: {type: default}}
            spec:
              wechat:
            %2$s---
            apiVersion: %1$s
            kind: Receiver
            metadata: {name: ops, labels: {type: global}}
            spec:
              wechat:
                chatbot:
                  webhook: {valueFrom: {secretKeyRef: {name: wechat-robot, key: webhook}}}
                  atUsers: [zhangsan]
            """
                .formatted(
                    V2,
                    config
                        .formatted("{valueFrom: {secretKeyRef: {name: wechat-app, key: secret}}}")
                        .indent(4)),
            new ObjectRef("Receiver", "ops[wechat]")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wechatRobotObjects")
  void aWechatReceiverWithOnlyAChatbotPostsToTheGroupRobot(Written objects) throws Exception {
    remote.enqueue(json("{\"errcode\":0,\"errmsg\":\"ok\"}"));
    start(
        objects.yaml()
            + secret("wechat-app", "secret", "app-secret", "{}")
            + secret(
                "wechat-robot",
                "webhook",
                remote.url("/cgi-bin/webhook/send?key=693a91f6-robot-key").toString(),
                "{}"));

    postFiring();

    awaitDelivered(objects.receiver().kind(), objects.receiver().name());
    RecordedRequest r = remote.takeRequest();
    assertThat(r.getTarget()).isEqualTo("/cgi-bin/webhook/send?key=693a91f6-robot-key");
    JsonNode body = body(r);
    assertThat(body.path("msgtype").asText()).isEqualTo("text");
    assertThat(body.path("text").path("content").asText()).contains("CheckoutLatencyHigh");
    assertThat(body.path("text").path("mentioned_list").toString()).isEqualTo("[\"zhangsan\"]");
    assertThat(remote.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aTenantsDiscordWebhookOnLoopbackIsRefusedByItsTenantsPolicyThoughItsConfigIsTheAdmins()
      throws Exception {
    start(
        """
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: DiscordConfig
        metadata: {name: default-discord, labels: {type: default}}
        spec: {}
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: DiscordReceiver
        metadata: {name: shop-discord, labels: {type: tenant, namespace: shop}}
        spec: {webhook: {name: shop-webhook, key: url}}
        """
            + secret(
                "shop-webhook",
                "url",
                remote.url("/api/webhooks/1311970000000000000/shop-token").toString(),
                "{namespace: shop}"));

    postFiring();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        history(
                            "DiscordReceiver", "shop-discord", DeliveryRecord.Status.DEAD_LETTER))
                    .singleElement()
                    .satisfies(
                        d -> {
                          assertThat(d.reason()).isEqualTo(Reason.EGRESS_DENIED);
                          assertThat(d.detail()).doesNotContain("shop-token");
                        }));
    assertThat(remote.getRequestCount()).isZero();
  }

  @Test
  void validateAndRouteSeeTheNewKindsAndNameTheFieldOfABadOne(@TempDir Path dir) throws Exception {
    Path config = Files.createDirectory(dir.resolve("config"));
    Files.writeString(
        config.resolve("chat.yaml"),
        """
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: TelegramConfig
        metadata: {name: default-telegram, labels: {type: default}}
        spec: {telegramTokenSecret: {name: telegram-bot, key: token}}
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: TelegramReceiver
        metadata: {name: ops-telegram, labels: {type: global}}
        spec: {channels: ["@nm4j_alerts"]}
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: DiscordConfig
        metadata: {name: default-discord, labels: {type: default}}
        spec: {}
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: DiscordReceiver
        metadata: {name: ops-discord, labels: {type: global}}
        spec: {webhook: {name: discord-webhook, key: url}, mentionedUsers: ["@everyone"]}
        """);
    Path alerts = Files.writeString(dir.resolve("alerts.json"), PAYLOAD);

    Cli.Result validate = Cli.run("validate", "--config", config.toString());
    assertThat(validate.exit()).isNotZero();
    assertThat(validate.out() + validate.err())
        .contains("DiscordReceiver/ops-discord: spec.mentionedUsers[0]")
        .doesNotContain("TelegramReceiver/ops-telegram:");

    Cli.Result route =
        Cli.run("route", "--config", config.toString(), "--alerts", alerts.toString());
    assertThat(route.exit()).isZero();
    JsonNode explained = JSON.readTree(route.out());
    assertThat(explained.path("notifications").get(0).path("receiver").asText())
        .isEqualTo("TelegramReceiver/ops-telegram");
    assertThat(explained.path("notifications").get(0).path("config").asText())
        .isEqualTo("TelegramConfig/default-telegram");
  }

  /**
   * The same channels written as notification-manager's v2beta2 {@code Receiver} and {@code Config}
   * blocks, routed through each block.
   */
  @Nested
  class V2beta2Blocks {
    @Test
    void aFeishuBlockPostsThroughItsChatbotAndThroughTheConfigsAppToItsUsers() throws Exception {
      remote.enqueue(json("{\"code\":0,\"msg\":\"success\",\"data\":{}}"));
      remote.enqueue(
          json("{\"code\":0,\"msg\":\"ok\",\"tenant_access_token\":\"t-v2\",\"expire\":7200}"));
      remote.enqueue(json("{\"code\":0,\"msg\":\"success\",\"data\":{\"message_id\":\"bm-1\"}}"));
      start(
          """
          apiVersion: notification.kubesphere.io/v2beta2
          kind: Config
          metadata: {name: default-feishu, labels: {type: default}}
          spec:
            feishu:
              appID: {valueFrom: {secretKeyRef: {name: feishu-app, key: appID}}}
              appSecret: {valueFrom: {secretKeyRef: {name: feishu-app-secret, key: appSecret}}}
          ---
          apiVersion: notification.kubesphere.io/v2beta2
          kind: Receiver
          metadata: {name: ops, labels: {type: global}}
          spec:
            feishu:
              user: [ou_v2]
              chatbot:
                webhook: {valueFrom: {secretKeyRef: {name: feishu-bot, key: webhook}}}
                keywords: [alert]
          """
              + secret("feishu-app", "appID", "cli_v2", "{}")
              + secret("feishu-app-secret", "appSecret", "app-secret-v2", "{}")
              + secret(
                  "feishu-bot",
                  "webhook",
                  remote.url("/open-apis/bot/v2/hook/hook0v2").toString(),
                  "{}"),
          "feishu.apiUrl",
          remote.url("/").toString());

      postFiring();

      awaitDelivered("Receiver", "ops[feishu]");
      assertThat(remote.getRequestCount()).isEqualTo(3);
      List<RecordedRequest> requests =
          List.of(remote.takeRequest(), remote.takeRequest(), remote.takeRequest());
      assertThat(requests)
          .extracting(RecordedRequest::getTarget)
          .containsExactly(
              "/open-apis/bot/v2/hook/hook0v2",
              "/open-apis/auth/v3/tenant_access_token/internal",
              "/open-apis/message/v4/batch_send/");
      assertThat(body(requests.get(0)).path("msg_type").asText()).isEqualTo("post");
      assertThat(requests.get(2).getHeaders().get("Authorization")).isEqualTo("Bearer t-v2");
      assertThat(body(requests.get(2)).path("user_ids").toString()).isEqualTo("[\"ou_v2\"]");
    }

    @Test
    void aTeamsBlockPostsItsAdaptiveCardWithoutAnyConfig() throws Exception {
      remote.enqueue(new MockResponse.Builder().code(202).build());
      start(
          """
          apiVersion: notification.kubesphere.io/v2beta2
          kind: Receiver
          metadata: {name: ops, labels: {type: global}}
          spec:
            teams:
              webhook: {valueFrom: {secretKeyRef: {name: teams-workflow, key: url}}}
          """
              + secret(
                  "teams-workflow",
                  "url",
                  remote.url("/workflows/v2/triggers/manual/paths/invoke?sig=v2").toString(),
                  "{}"));

      postFiring();

      awaitDelivered("Receiver", "ops[teams]");
      assertThat(remote.getRequestCount()).isEqualTo(1);
      RecordedRequest post = remote.takeRequest();
      assertThat(post.getUrl().encodedPath())
          .isEqualTo("/workflows/v2/triggers/manual/paths/invoke");
      assertThat(body(post).path("attachments").get(0).path("contentType").asText())
          .isEqualTo("application/vnd.microsoft.card.adaptive");
    }
  }
}
