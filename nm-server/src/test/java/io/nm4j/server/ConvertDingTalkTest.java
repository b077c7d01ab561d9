package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.core.InMemoryConfigSource;
import io.nm4j.core.Manifests;
import io.nm4j.core.NotificationManager;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nm4j convert} writes DingTalk in notification-manager's shape: the robot and the chat IDs
 * in each Receiver's block, only the app's credentials in the Config. The result validates, holds
 * only fields upstream's CRDs have, and sends to the same robots and chats as the v1alpha1 objects.
 */
class ConvertDingTalkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** Every field path of notification-manager's v2beta2 Receiver dingtalk block. */
  private static final Set<String> UPSTREAM_RECEIVER_FIELDS =
      Set.of(
          "enabled",
          "dingtalkConfigSelector",
          "alertSelector",
          "chatbot.webhook",
          "chatbot.keywords",
          "chatbot.secret",
          "chatbot.atMobiles",
          "chatbot.atUsers",
          "chatbot.atAll",
          "conversation.chatids",
          "template",
          "titleTemplate",
          "tmplType",
          "tmplText");

  /** Every field path of notification-manager's v2beta2 Config dingtalk block. */
  private static final Set<String> UPSTREAM_CONFIG_FIELDS =
      Set.of("labels", "conversation.appkey", "conversation.appsecret");

  @TempDir Path v1alpha1;
  @TempDir Path out;

  private final MockWebServer dingtalk = new MockWebServer();
  private NotificationManager manager;

  @BeforeEach
  void startDingTalk() throws IOException {
    dingtalk.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            String reply =
                request.getUrl().encodedPath().equals("/gettoken")
                    ? "{\"errcode\":0,\"access_token\":\"tok-1\",\"errmsg\":\"ok\","
                        + "\"expires_in\":7200}"
                    : "{\"errcode\":0,\"errmsg\":\"ok\"}";
            return new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .body(reply)
                .build();
          }
        });
    dingtalk.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    if (manager != null) {
      manager.close();
    }
    dingtalk.close();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The admin's robot and chat in one default config, a robot alone in another, and a tenant's
   * robot in the tenant's own config.
   */
  private Path input() throws IOException {
    Files.copy(
        Cli.resource("manifests/notificationmanager.yaml"),
        v1alpha1.resolve("notificationmanager.yaml"));
    Files.writeString(
        v1alpha1.resolve("dingtalk.yaml"),
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: ops-dingtalk, namespace: kubesphere-monitoring-system}
        data: {webhook: %s, sign: %s, appkey: %s, appsecret: %s}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: pager-dingtalk, namespace: kubesphere-monitoring-system}
        data: {webhook: %s}
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: shop-dingtalk
          namespace: kubesphere-monitoring-system
          labels: {namespace: shop}
        data: {webhook: %s}
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: DingTalkConfig
        metadata:
          name: ops
          namespace: kubesphere-monitoring-system
          labels: {type: default, team: ops}
        spec:
          chatbot:
            webhook: {name: ops-dingtalk, key: webhook}
            keywords: [alert]
            secret: {name: ops-dingtalk, key: sign}
          conversation:
            appkey: {name: ops-dingtalk, key: appkey}
            appsecret: {name: ops-dingtalk, key: appsecret}
            chatid: chat0ops
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: DingTalkConfig
        metadata:
          name: pager
          namespace: kubesphere-monitoring-system
          labels: {team: pager}
        spec:
          chatbot:
            webhook: {name: pager-dingtalk, key: webhook}
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: DingTalkConfig
        metadata:
          name: shop
          namespace: kubesphere-monitoring-system
          labels: {type: tenant, namespace: shop}
        spec:
          chatbot:
            webhook: {name: shop-dingtalk, key: webhook}
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: DingTalkReceiver
        metadata:
          name: ops
          namespace: kubesphere-monitoring-system
          labels: {type: global}
        spec:
          dingTalkConfigSelector: {matchLabels: {team: ops}}
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: DingTalkReceiver
        metadata:
          name: pager
          namespace: kubesphere-monitoring-system
          labels: {type: global}
        spec:
          dingTalkConfigSelector: {matchLabels: {team: pager}}
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: DingTalkReceiver
        metadata:
          name: shop
          namespace: kubesphere-monitoring-system
          labels: {type: tenant, namespace: shop}
        spec:
          dingTalkConfigSelector: {matchLabels: {type: tenant}}
        """
            .formatted(
                b64(dingtalk.url("/robot/send?access_token=ops0robot").toString()),
                b64("SEC0ops"),
                b64("app0key"),
                b64("app0secret"),
                b64(dingtalk.url("/robot/send?access_token=pager0robot").toString()),
                b64("https://oapi.dingtalk.com/robot/send?access_token=shop0robot")));
    return v1alpha1;
  }

  private Cli.Result convert() throws IOException {
    Cli.Result converted =
        Cli.run("convert", "--config", input().toString(), "--out", out.toString());
    assertThat(converted.exit()).as(converted.out() + converted.err()).isZero();
    return converted;
  }

  private static JsonNode spec(Path file) throws IOException {
    return JSON.valueToTree(Manifests.readTree(Files.readString(file))).get("spec");
  }

  @Test
  void robotAndChatMoveIntoEachReceiverAndTheConfigKeepsOnlyTheApp() throws IOException {
    Cli.Result converted = convert();

    JsonNode ops = spec(out.resolve("receiver-ops.yaml")).get("dingtalk");
    assertThat(ops.at("/dingtalkConfigSelector/matchLabels/team").asText()).isEqualTo("ops");
    assertThat(ops.at("/chatbot/webhook/valueFrom/secretKeyRef/name").asText())
        .isEqualTo("ops-dingtalk");
    assertThat(ops.at("/chatbot/secret/valueFrom/secretKeyRef/key").asText()).isEqualTo("sign");
    assertThat(ops.at("/chatbot/keywords/0").asText()).isEqualTo("alert");
    assertThat(ops.at("/conversation/chatids").toString()).isEqualTo("[\"chat0ops\"]");
    JsonNode pager = spec(out.resolve("receiver-pager.yaml")).get("dingtalk");
    assertThat(fieldPaths(pager, "")).containsExactly("chatbot.webhook");
    JsonNode shop = spec(out.resolve("receiver-shop.yaml")).get("dingtalk");
    assertThat(shop.at("/chatbot/webhook/valueFrom/secretKeyRef/name").asText())
        .isEqualTo("shop-dingtalk");

    JsonNode app = spec(out.resolve("config-ops.yaml")).get("dingtalk");
    assertThat(fieldPaths(app, ""))
        .containsExactly("conversation.appkey", "conversation.appsecret");
    assertThat(out.resolve("config-pager.yaml")).doesNotExist();
    assertThat(out.resolve("config-shop.yaml")).doesNotExist();

    assertThat(converted.outLines())
        .contains(
            "DingTalkConfig/ops: chatbot, conversation.chatid copied into the dingtalk block of"
                + " each Receiver that uses it (DingTalkReceiver/ops), as a v2beta2 dingtalk Config"
                + " holds only conversation.appkey, conversation.appsecret",
            "DingTalkConfig/pager: chatbot copied into the dingtalk block of each Receiver that"
                + " uses it (DingTalkReceiver/pager), as a v2beta2 dingtalk receiver names them"
                + " itself; no Config written");

    Cli.Result valid = Cli.run("validate", "--config", out.toString());
    assertThat(valid.outLines()).filteredOn(l -> !l.startsWith("notice:")).isEmpty();
  }

  @Test
  void convertedDingTalkBlocksHoldOnlyFieldsOfUpstreamsCrds() throws IOException {
    convert();
    Path fixture = Files.createDirectory(out.resolveSibling(out.getFileName() + "-fixture"));
    Path fixtureIn = Files.createDirectory(out.resolveSibling(out.getFileName() + "-fixture-in"));
    for (String f : List.of("dingtalk.yaml", "secrets.yaml", "notificationmanager.yaml")) {
      Files.copy(Cli.resource("manifests/" + f), fixtureIn.resolve(f));
    }
    Cli.Result r =
        Cli.run("convert", "--config", fixtureIn.toString(), "--out", fixture.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isZero();

    for (Path dir : List.of(out, fixture)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          JsonNode spec = spec(f);
          String kind =
              JSON.valueToTree(Manifests.readTree(Files.readString(f))).get("kind").asText();
          if (spec == null || !spec.has("dingtalk")) {
            continue;
          }
          List<String> fields = fieldPaths(spec.get("dingtalk"), "");
          if (kind.equals("Receiver")) {
            assertThat(fields).as(f.toString()).isSubsetOf(UPSTREAM_RECEIVER_FIELDS);
          } else if (!f.getFileName().toString().equals("config-default-dingtalk.yaml")) {
            assertThat(fields).as(f.toString()).isSubsetOf(UPSTREAM_CONFIG_FIELDS);
          }
        }
      }
    }
    // The fixture's default config is shared by the admin's receiver and a tenant's: the tenant's
    // block may not name the admin's secrets, so it stays in nm4j's shape, and convert says so.
    assertThat(r.outLines())
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith(
                        "DingTalkConfig/default-dingtalk: written as it is, chatbot,"
                            + " conversation.chatid included, which nm4j reads but"
                            + " notification-manager does not"));
  }

  @Test
  void convertedObjectsSendToTheSameRobotsAndChatsAsTheV1alpha1Ones() throws Exception {
    convert();
    List<String> before = sends(v1alpha1);
    List<String> after = sends(out);

    assertThat(before)
        .containsExactly(
            "GET /gettoken?appkey=app0key&appsecret=app0secret",
            "POST /chat/send?access_token=tok-1 chatid=chat0ops",
            "POST /robot/send?access_token=ops0robot",
            "POST /robot/send?access_token=pager0robot");
    assertThat(after).isEqualTo(before);
  }

  /** The requests DingTalk receives for one alert of namespace {@code ops}, sorted. */
  private List<String> sends(Path config) throws Exception {
    StringBuilder yaml = new StringBuilder();
    try (Stream<Path> files = Files.list(config)) {
      for (Path f : files.sorted().toList()) {
        yaml.append("---\n").append(Files.readString(f)).append('\n');
      }
    }
    if (manager != null) {
      manager.close();
    }
    manager =
        NotificationManager.builder()
            .configSource(
                InMemoryConfigSource.of(Manifests.parse(yaml.toString(), "test").objects()))
            .channelOption("dingtalk.apiUrl", dingtalk.url("/").toString())
            .build();
    int start = dingtalk.getRequestCount();
    manager.submitWebhook(
        """
        {"version":"4","receiver":"nm4j","status":"firing","alerts":[{"status":"firing",\
        "labels":{"alertname":"QueueBacklog","namespace":"ops","severity":"critical"},\
        "annotations":{"summary":"The queue is backing up."},\
        "startsAt":"2026-11-25T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"",\
        "fingerprint":"c0ffee"}],"groupLabels":{},"commonLabels":{},\
        "commonAnnotations":{},"externalURL":"http://alertmanager:9093","groupKey":"{}:{}"}"""
            .getBytes(StandardCharsets.UTF_8));
    await().atMost(WAIT).until(() -> dingtalk.getRequestCount() - start >= 4);
    Set<String> sends = new TreeSet<>();
    for (int i = 0; i < 4; i++) {
      RecordedRequest r = dingtalk.takeRequest();
      HttpUrl url = r.getUrl();
      StringBuilder line = new StringBuilder(r.getMethod() + " " + url.encodedPath());
      List<String> query = new ArrayList<>();
      for (String name : url.queryParameterNames()) {
        if (!name.equals("timestamp") && !name.equals("sign")) {
          query.add(name + "=" + url.queryParameter(name));
        }
      }
      if (!query.isEmpty()) {
        line.append('?').append(String.join("&", query));
      }
      if (url.encodedPath().equals("/chat/send")) {
        line.append(" chatid=").append(JSON.readTree(r.getBody().utf8()).get("chatid").asText());
      }
      sends.add(line.toString());
    }
    return List.copyOf(sends);
  }

  /** Field paths of a block down to Credentials and values, e.g. {@code chatbot.webhook}. */
  private static List<String> fieldPaths(JsonNode node, String prefix) {
    List<String> paths = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      JsonNode v = e.getValue();
      boolean credential = v.has("valueFrom") || v.has("value");
      if (v.isObject() && !credential && !e.getKey().endsWith("Selector")) {
        paths.addAll(fieldPaths(v, prefix + e.getKey() + "."));
      } else {
        paths.add(prefix + e.getKey());
      }
    }
    return paths;
  }
}
