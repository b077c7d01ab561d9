package io.nm4j.channel.feishu;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.EgressPolicy;
import io.nm4j.spi.MessageSettings;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.RenderOptions;
import io.nm4j.spi.Scope;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SendProgress;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.test.MutableClock;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FeishuChannelTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant START = Instant.parse("2026-11-24T15:55:41Z");
  private static final SecretKeySelector REF = new SecretKeySelector("feishu", "k");

  private final MockWebServer server = new MockWebServer();
  private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_600_000_000L));
  private FeishuChannel channel;

  @BeforeEach
  void start() throws Exception {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    channel = FeishuChannel.builder().clock(clock).apiUrl(server.url("/").toString()).build();
  }

  @AfterEach
  void stop() {
    channel.close();
    server.close();
  }

  private static Alert alert(AlertStatus status, String name, Map<String, String> annotations) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("pod", "api-0");
    labels.put("severity", "warning");
    labels.put("alertname", name);
    return new Alert(status, labels, annotations, START, null, "", name);
  }

  private SendRequest<FeishuReceiver, FeishuConfig> request(
      FeishuReceiver receiver, FeishuConfig config, EgressPolicy receiverEgress) {
    return request(
        receiver,
        config,
        receiverEgress,
        List.of(
            alert(AlertStatus.RESOLVED, "DiskFull", Map.of()),
            alert(AlertStatus.FIRING, "HighLatency", Map.of("summary", "p99 over 2s"))));
  }

  private SendRequest<FeishuReceiver, FeishuConfig> request(
      FeishuReceiver receiver,
      FeishuConfig config,
      EgressPolicy receiverEgress,
      List<Alert> alerts) {
    Map<String, Secret> secrets = new HashMap<>();
    secrets.put(
        FeishuReceiver.CHATBOT_WEBHOOK,
        Secret.of(
            server.url("/open-apis/bot/v2/hook/" + FeishuCompatibilityKit.HOOK_TOKEN).toString()));
    secrets.put(FeishuReceiver.CHATBOT_SECRET, Secret.of(FeishuCompatibilityKit.SIGN_SECRET));
    secrets.put(FeishuConfig.APP_ID, Secret.of(FeishuCompatibilityKit.APP_ID));
    secrets.put(FeishuConfig.APP_SECRET, Secret.of(FeishuCompatibilityKit.APP_SECRET));
    return new SendRequest<>(
        new Notification(
            "n1",
            new ObjectRef("FeishuReceiver", "payments-feishu"),
            Scope.TENANT,
            "payments",
            new ObjectRef("FeishuConfig", "default"),
            alerts,
            AlertBatch.of(alerts)),
        receiver,
        config,
        secrets,
        Instant.now().plusSeconds(10),
        EgressPolicy.UNRESTRICTED,
        "",
        SendProgress.NONE,
        receiverEgress);
  }

  private static FeishuReceiver bot(List<String> keywords) {
    return new FeishuReceiver(
        List.of(), List.of(), new FeishuReceiver.Chatbot(REF, keywords, REF), null, "post");
  }

  private JsonNode body(RecordedRequest r) throws Exception {
    return JSON.readTree(r.getBody().string(StandardCharsets.UTF_8));
  }

  @Test
  void aBotMessageIsARichTextPostSignedWithItsTimestampAndEndsWithTheKeywordsItLacks()
      throws Exception {
    server.enqueue(FeishuReplies.botOk());

    SendResult result =
        channel.send(
            request(
                bot(List.of("prod-alerts")),
                new FeishuConfig(null, null),
                EgressPolicy.UNRESTRICTED));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    RecordedRequest r = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(r.getTarget())
        .isEqualTo("/open-apis/bot/v2/hook/" + FeishuCompatibilityKit.HOOK_TOKEN);
    JsonNode body = body(r);
    // HMAC-SHA256 keyed with "1600000000\nfs-sign-secret-0123456789" over nothing, Base64.
    assertThat(body.path("timestamp").asText()).isEqualTo("1600000000");
    assertThat(body.path("sign").asText())
        .isEqualTo("77vnwStWr896PM8x2ZZTYxZo0rBTyiJFCZv3cKINnVQ=");
    assertThat(body.path("msg_type").asText()).isEqualTo("post");
    JsonNode post = body.path("content").path("post").path("zh_cn");
    assertThat(post.path("title").asText()).isEqualTo("[FIRING:1 RESOLVED:1] 2 alerts");
    StringBuilder lines = new StringBuilder();
    post.path("content").forEach(p -> lines.append(p.get(0).path("text").asText()).append('\n'));
    assertThat(lines.toString())
        .startsWith("FIRING (1)\n● HighLatency: p99 over 2s\n    severity: warning\n")
        .contains("RESOLVED (1)\n○ DiskFull\n    severity: warning\n    pod: api-0\n")
        .contains("    Starts: 2026-11-24 15:55:41 UTC")
        .endsWith("[Keywords] prod-alerts\n");
  }

  @Test
  void theSendsTemplateTypeTextWinsOverTheReceiversPost() throws Exception {
    server.enqueue(FeishuReplies.botOk());

    channel.send(
        request(bot(List.of()), new FeishuConfig(null, null), EgressPolicy.UNRESTRICTED)
            .withRendering(new RenderOptions(MessageSettings.DEFAULT, Map.of(), "text")));

    JsonNode body = body(server.takeRequest(1, TimeUnit.SECONDS));
    assertThat(body.path("msg_type").asText()).isEqualTo("text");
  }

  @Test
  void alertTextInATextMessageCannotMentionEveryone() throws Exception {
    server.enqueue(FeishuReplies.botOk());
    Alert hostile =
        alert(AlertStatus.FIRING, "Wake", Map.of("summary", "<at user_id=\"all\">all</at> <AT>"));
    FeishuReceiver receiver =
        new FeishuReceiver(
            List.of(), List.of(), new FeishuReceiver.Chatbot(REF, List.of(), null), null, "text");

    channel.send(
        request(
            receiver, new FeishuConfig(null, null), EgressPolicy.UNRESTRICTED, List.of(hostile)));

    String text =
        body(server.takeRequest(1, TimeUnit.SECONDS)).path("content").path("text").asText();
    assertThat(text)
        .doesNotContainIgnoringCase("<at")
        .contains("<\u200bat user_id=\"all\">all</at> <\u200bAT>");
  }

  @Test
  void aBotTakesFiveMessagesASecondAndAHundredAMinuteAndThenTheSendWaitsWithoutPosting()
      throws Exception {
    for (int i = 0; i < 101; i++) {
      server.enqueue(FeishuReplies.botOk());
    }
    FeishuConfig none = new FeishuConfig(null, null);
    for (int i = 0; i < 5; i++) {
      assertThat(channel.send(request(bot(List.of()), none, EgressPolicy.UNRESTRICTED)))
          .isInstanceOf(SendResult.Delivered.class);
    }
    SendResult.Failed sixth =
        (SendResult.Failed) channel.send(request(bot(List.of()), none, EgressPolicy.UNRESTRICTED));
    assertThat(sixth.reason()).isEqualTo(Reason.AWAITING_PERMIT);
    assertThat(sixth.retryAfter()).hasSeconds(1);
    assertThat(server.getRequestCount()).isEqualTo(5);

    for (int second = 1; second < 20; second++) {
      clock.advance(Duration.ofSeconds(1));
      for (int i = 0; i < 5; i++) {
        assertThat(channel.send(request(bot(List.of()), none, EgressPolicy.UNRESTRICTED)))
            .isInstanceOf(SendResult.Delivered.class);
      }
    }
    clock.advance(Duration.ofSeconds(1));
    SendResult.Failed hundredFirst =
        (SendResult.Failed) channel.send(request(bot(List.of()), none, EgressPolicy.UNRESTRICTED));

    assertThat(hundredFirst.reason()).isEqualTo(Reason.AWAITING_PERMIT);
    assertThat(hundredFirst.retryAfter()).hasSeconds(40);
    assertThat(server.getRequestCount()).isEqualTo(100);
  }

  @Test
  void aMessageHoldingAKeywordAlreadyGetsNoKeywordLine() throws Exception {
    server.enqueue(FeishuReplies.botOk());

    channel.send(
        request(bot(List.of("FIRING")), new FeishuConfig(null, null), EgressPolicy.UNRESTRICTED));

    assertThat(body(server.takeRequest(1, TimeUnit.SECONDS)).toString())
        .doesNotContain("[Keywords]");
  }

  @Test
  void theAppSendsToUsersAndDepartmentsAndFetchesANewTokenOnceWhenTheCachedOneIsInvalid()
      throws Exception {
    server.enqueue(FeishuReplies.token("t-first"));
    server.enqueue(FeishuReplies.code(99991663, "Invalid access token for authorization"));
    server.enqueue(FeishuReplies.token("t-second"));
    server.enqueue(FeishuReplies.batchOk("\"ou_gone\""));
    FeishuReceiver receiver =
        new FeishuReceiver(List.of("ou_1", "ou_gone"), List.of("od-9"), null, null, "text");

    SendResult result =
        channel.send(request(receiver, new FeishuConfig(REF, REF), EgressPolicy.UNRESTRICTED));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    assertThat(((SendResult.Delivered) result).detail()).contains("not sent to user:ou_gone");
    RecordedRequest token = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(token.getTarget()).isEqualTo("/open-apis/auth/v3/tenant_access_token/internal");
    assertThat(body(token).path("app_id").asText()).isEqualTo(FeishuCompatibilityKit.APP_ID);
    RecordedRequest first = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(first.getTarget()).isEqualTo("/open-apis/message/v4/batch_send/");
    assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer t-first");
    server.takeRequest(1, TimeUnit.SECONDS);
    RecordedRequest second = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(second.getHeaders().get("Authorization")).isEqualTo("Bearer t-second");
    JsonNode body = body(second);
    assertThat(body.path("user_ids").toString()).isEqualTo("[\"ou_1\",\"ou_gone\"]");
    assertThat(body.path("department_ids").toString()).isEqualTo("[\"od-9\"]");
    assertThat(body.path("msg_type").asText()).isEqualTo("text");
    assertThat(body.path("content").path("text").asText())
        .startsWith("[FIRING:1 RESOLVED:1] 2 alerts\nFIRING (1)\n");
  }

  @Test
  void aTenantsBotOnLoopbackIsDeniedByTheReceiverOwnersPolicyEvenWithTheAdminsConfig() {
    server.enqueue(FeishuReplies.botOk());

    SendResult result =
        channel.send(
            request(bot(List.of()), new FeishuConfig(null, null), EgressPolicy.tenantDefault()));

    assertThat(result).isInstanceOf(SendResult.Failed.class);
    SendResult.Failed failed = (SendResult.Failed) result;
    assertThat(failed.reason()).isEqualTo(SendResult.Reason.EGRESS_DENIED);
    assertThat(failed.detail())
        .contains("loopback")
        .doesNotContain(FeishuCompatibilityKit.HOOK_TOKEN);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void usersWithoutAppCredentialsFailForGoodWhileTheBotIsDeliveredAndTheRetrySendsNothingAgain() {
    server.enqueue(FeishuReplies.botOk());
    FeishuReceiver receiver =
        new FeishuReceiver(
            List.of("ou_1"),
            List.of(),
            new FeishuReceiver.Chatbot(REF, List.of(), null),
            null,
            "post");
    SendRequest<FeishuReceiver, FeishuConfig> first =
        request(receiver, new FeishuConfig(null, null), EgressPolicy.UNRESTRICTED);

    SendResult result = channel.send(first);

    assertThat(result).isInstanceOf(SendResult.Failed.class);
    SendResult.Failed failed = (SendResult.Failed) result;
    assertThat(failed.reason()).isEqualTo(SendResult.Reason.NO_CONFIG);
    assertThat(failed.retryable()).isFalse();
    assertThat(failed.detail())
        .isEqualTo(
            "FeishuConfig/default: chatbot delivered; app failed: FeishuConfig/default:"
                + " spec.appID and spec.appSecret are not set; users and departments are sent to"
                + " through an app");
    SendResult again = channel.send(first.withProgress(failed.progress()));
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(((SendResult.Failed) again).detail())
        .contains("chatbot delivered on an earlier attempt");
  }
}
