package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.nm4j.core.InMemoryConfigSource;
import io.nm4j.core.Manifests;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.delivery.DeliveryHistory;
import io.nm4j.core.delivery.DeliveryRecord;
import io.nm4j.spi.ObjectRef;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each channel end to end: an Alertmanager webhook v4 batch posted over HTTP to the server is
 * routed to a global receiver and arrives at a local stand-in of that channel's remote.
 */
class ChannelsThroughServerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String PAYLOAD =
      """
      {"version":"4","receiver":"nm4j","status":"firing","alerts":[{"status":"firing",\
      "labels":{"alertname":"%s","namespace":"shop","severity":"critical"},\
      "annotations":{"summary":"Checkout latency is above 2s."},\
      "startsAt":"2026-11-25T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"",\
      "fingerprint":"c0ffee"}],"groupLabels":{"alertname":"%s"},"commonLabels":{},\
      "commonAnnotations":{},"externalURL":"http://alertmanager:9093","groupKey":"{}:{alertname=\\"%s\\"}"}""";

  private final HttpClient client = HttpClient.newHttpClient();
  private final MockWebServer remote = new MockWebServer();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private NotificationManager manager;
  private Nm4jServer server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (manager != null) {
      manager.close();
    }
    remote.close();
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  /**
   * Starts the manager with {@code options} (key, value pairs) and the server, loads {@code yaml}.
   */
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

  private void startRemote() throws Exception {
    remote.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  private void postFiring(String alertname) throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.address().getPort() + "/api/v2/alerts"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        PAYLOAD.formatted(alertname, alertname, alertname)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"status\":\"accepted\",\"notifications\":1,\"unrouted\":0}");
  }

  private List<DeliveryRecord> delivered(String kind, String name) {
    return manager
        .history()
        .query(
            DeliveryHistory.Query.all()
                .receiver(new ObjectRef(kind, name))
                .status(DeliveryRecord.Status.DELIVERED));
  }

  private void awaitDelivered(String kind, String name, int remoteRequests) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(delivered(kind, name)).hasSize(1);
              assertThat(remote.getRequestCount()).isEqualTo(remoteRequests);
            });
  }

  private List<RecordedRequest> received() throws InterruptedException {
    List<RecordedRequest> out = new ArrayList<>();
    RecordedRequest r;
    while ((r = remote.takeRequest(0, TimeUnit.SECONDS)) != null) {
      out.add(r);
    }
    return out;
  }

  private static String body(RecordedRequest r) {
    return r.getBody() == null ? "" : r.getBody().string(StandardCharsets.UTF_8);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static MockResponse json(String body) {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/json; charset=utf-8")
        .body(body)
        .build();
  }

  @Test
  void emailReceiverGetsTheAlertAsOneMailThroughSmtpWithAuth() throws Exception {
    ServerSetup smtp = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort();
    // A busy machine may take longer than GreenMail's default two seconds to start.
    smtp.setServerStartupTimeout(30_000);
    GreenMail greenMail = new GreenMail(smtp);
    greenMail.start();
    closing.add(greenMail::stop);
    greenMail.setUser("alerts@example.com", "nm4j", "smtp-pass-0");
    start(
        """
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: EmailConfig
        metadata: {name: default-email, labels: {type: default}}
        spec:
          from: alerts@example.com
          smartHost: {host: 127.0.0.1, port: %d}
          authUsername: nm4j
          authPassword: {name: default-email-secret, key: password}
          requireTLS: false
          # GreenMail here offers no STARTTLS; AUTH in clear must be allowed explicitly.
          allowInsecureAuth: true
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: EmailReceiver
        metadata: {name: global-email, labels: {type: global}}
        spec: {to: [oncall@example.com]}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: default-email-secret}
        type: Opaque
        data: {password: %s}
        """
            .formatted(greenMail.getSmtp().getPort(), b64("smtp-pass-0")));

    postFiring("CheckoutLatencyHigh");

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(delivered("EmailReceiver", "global-email")).hasSize(1);
              assertThat(greenMail.getReceivedMessages()).hasSize(1);
            });
    MimeMessage mail = greenMail.getReceivedMessages()[0];
    assertThat(mail.getRecipients(Message.RecipientType.TO))
        .extracting(a -> ((InternetAddress) a).getAddress())
        .containsExactly("oncall@example.com");
    assertThat(mail.getFrom())
        .extracting(a -> ((InternetAddress) a).getAddress())
        .containsExactly("alerts@example.com");
    assertThat(mail.getSubject()).contains("CheckoutLatencyHigh");
    assertThat(GreenMailUtil.getBody(mail)).contains("CheckoutLatencyHigh");
  }

  @Test
  void slackReceiverGetsTheAlertThroughChatPostMessage() throws Exception {
    startRemote();
    remote.enqueue(
        json(
            "{\"ok\":true,\"channel\":\"C123ABC456\",\"ts\":\"1503435956.000247\",\"message\":{}}"));
    start(
        """
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: SlackConfig
        metadata: {name: default-slack, labels: {type: default}}
        spec: {slackTokenSecret: {name: default-slack-secret, key: token}}
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: SlackReceiver
        metadata: {name: global-slack, labels: {type: global}}
        spec: {channel: '#alerts'}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: default-slack-secret}
        type: Opaque
        data: {token: %s}
        """
            .formatted(b64("xoxb-0000-e2e")),
        "slack.apiUrl",
        remote.url("/api/").toString());

    postFiring("SlackPathAlert");

    awaitDelivered("SlackReceiver", "global-slack", 1);
    List<RecordedRequest> requests = received();
    assertThat(requests).hasSize(1);
    RecordedRequest post = requests.get(0);
    assertThat(post.getMethod()).isEqualTo("POST");
    assertThat(post.getUrl().encodedPath()).isEqualTo("/api/chat.postMessage");
    assertThat(post.getHeaders().get("Authorization")).isEqualTo("Bearer xoxb-0000-e2e");
    assertThat(body(post)).contains("\"channel\":\"#alerts\"", "SlackPathAlert");
  }

  @Test
  void wechatReceiverGetsTheAlertAfterFetchingAToken() throws Exception {
    startRemote();
    remote.enqueue(
        json(
            "{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":\"token-e2e-1\",\"expires_in\":7200}"));
    remote.enqueue(
        json(
            "{\"errcode\":0,\"errmsg\":\"ok\",\"invaliduser\":\"\",\"invalidparty\":\"\","
                + "\"invalidtag\":\"\",\"msgid\":\"xxxx\"}"));
    start(
        """
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: WechatConfig
        metadata: {name: default-wechat, labels: {type: default}}
        spec:
          wechatApiUrl: https://qyapi.weixin.qq.com/cgi-bin/
          wechatApiCorpId: ww0000e2e
          wechatApiAgentId: '1000002'
          wechatApiSecret: {name: default-wechat-secret, key: secret}
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: WechatReceiver
        metadata: {name: global-wechat, labels: {type: global}}
        spec: {toParty: 2|3}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: default-wechat-secret}
        type: Opaque
        data: {secret: %s}
        """
            .formatted(b64("corp-secret-e2e")),
        "wechat.apiUrl",
        remote.url("/cgi-bin/").toString());

    postFiring("WechatPathAlert");

    awaitDelivered("WechatReceiver", "global-wechat", 2);
    List<RecordedRequest> requests = received();
    assertThat(requests).hasSize(2);
    RecordedRequest get = requests.get(0);
    assertThat(get.getMethod()).isEqualTo("GET");
    assertThat(get.getUrl().encodedPath()).isEqualTo("/cgi-bin/gettoken");
    assertThat(get.getUrl().queryParameter("corpid")).isEqualTo("ww0000e2e");
    assertThat(get.getUrl().queryParameter("corpsecret")).isEqualTo("corp-secret-e2e");
    RecordedRequest post = requests.get(1);
    assertThat(post.getMethod()).isEqualTo("POST");
    assertThat(post.getUrl().encodedPath()).isEqualTo("/cgi-bin/message/send");
    assertThat(post.getUrl().queryParameter("access_token")).isEqualTo("token-e2e-1");
    assertThat(body(post))
        .contains("\"toparty\":\"2|3\"", "\"agentid\":1000002", "WechatPathAlert");
  }

  @Test
  void dingTalkReceiverGetsTheAlertThroughTheChatbotWebhookFromTheSecret() throws Exception {
    startRemote();
    remote.enqueue(json("{\"errcode\":0,\"errmsg\":\"ok\"}"));
    start(
        """
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: DingTalkConfig
        metadata: {name: default-dingtalk, labels: {type: default}}
        spec:
          chatbot:
            webhook: {name: default-dingtalk-secret, key: webhook}
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: DingTalkReceiver
        metadata: {name: global-dingtalk, labels: {type: global}}
        spec: {}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: default-dingtalk-secret}
        type: Opaque
        data: {webhook: %s}
        """
            .formatted(b64(remote.url("/robot/send?access_token=robot0e2e").toString())));

    postFiring("DingTalkPathAlert");

    awaitDelivered("DingTalkReceiver", "global-dingtalk", 1);
    List<RecordedRequest> requests = received();
    assertThat(requests).hasSize(1);
    RecordedRequest post = requests.get(0);
    assertThat(post.getMethod()).isEqualTo("POST");
    assertThat(post.getUrl().encodedPath()).isEqualTo("/robot/send");
    assertThat(post.getUrl().queryParameter("access_token")).isEqualTo("robot0e2e");
    assertThat(body(post)).contains("DingTalkPathAlert");
  }

  @Test
  void feishuReceiverGetsTheAlertThroughItsBotAndThroughItsAppToItsUsers() throws Exception {
    startRemote();
    // The bot and the open platform are one local server: the bot first, then token and message.
    remote.enqueue(json("{\"code\":0,\"msg\":\"success\",\"data\":{}}"));
    remote.enqueue(
        json("{\"code\":0,\"msg\":\"ok\",\"tenant_access_token\":\"t-e2e\",\"expire\":7200}"));
    remote.enqueue(json("{\"code\":0,\"msg\":\"success\",\"data\":{\"message_id\":\"bm-1\"}}"));
    start(
        """
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: FeishuConfig
        metadata: {name: default-feishu, labels: {type: default}}
        spec:
          appID: {name: feishu-secrets, key: appID}
          appSecret: {name: feishu-secrets, key: appSecret}
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: FeishuReceiver
        metadata: {name: global-feishu, labels: {type: global}}
        spec:
          user: [ou_e2e]
          chatbot:
            webhook: {name: feishu-secrets, key: webhook}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: feishu-secrets}
        type: Opaque
        data: {webhook: %s, appID: %s, appSecret: %s}
        """
            .formatted(
                b64(remote.url("/open-apis/bot/v2/hook/hook0e2e").toString()),
                b64("cli_e2e"),
                b64("app-secret-e2e")),
        "feishu.apiUrl",
        remote.url("/").toString());

    postFiring("FeishuPathAlert");

    awaitDelivered("FeishuReceiver", "global-feishu", 3);
    List<RecordedRequest> requests = received();
    assertThat(requests)
        .extracting(RecordedRequest::getTarget)
        .containsExactly(
            "/open-apis/bot/v2/hook/hook0e2e",
            "/open-apis/auth/v3/tenant_access_token/internal",
            "/open-apis/message/v4/batch_send/");
    assertThat(body(requests.get(0))).contains("FeishuPathAlert", "\"msg_type\":\"post\"");
    assertThat(requests.get(2).getHeaders().get("Authorization")).isEqualTo("Bearer t-e2e");
    assertThat(body(requests.get(2))).contains("\"user_ids\":[\"ou_e2e\"]", "FeishuPathAlert");
  }

  @Test
  void teamsReceiverGetsTheAlertAsAnAdaptiveCardThroughItsWorkflow() throws Exception {
    startRemote();
    remote.enqueue(new MockResponse.Builder().code(202).build());
    start(
        """
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: TeamsConfig
        metadata: {name: default-teams, labels: {type: default}}
        spec: {}
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: TeamsReceiver
        metadata: {name: global-teams, labels: {type: global}}
        spec:
          webhook: {name: teams-workflow, key: url}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: teams-workflow}
        type: Opaque
        data: {url: %s}
        """
            .formatted(
                b64(remote.url("/workflows/e2e/triggers/manual/paths/invoke?sig=e2e").toString())));

    postFiring("TeamsPathAlert");

    awaitDelivered("TeamsReceiver", "global-teams", 1);
    RecordedRequest post = received().get(0);
    assertThat(post.getUrl().encodedPath())
        .isEqualTo("/workflows/e2e/triggers/manual/paths/invoke");
    assertThat(post.getUrl().queryParameter("sig")).isEqualTo("e2e");
    assertThat(body(post))
        .contains("\"contentType\":\"application/vnd.microsoft.card.adaptive\"", "TeamsPathAlert");
  }
}
