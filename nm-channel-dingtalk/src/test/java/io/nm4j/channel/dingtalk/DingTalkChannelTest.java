package io.nm4j.channel.dingtalk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.nm4j.channel.dingtalk.internal.DingTalkSettingsOptions;
import io.nm4j.channel.dingtalk.internal.Signer;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.EgressPolicy;
import io.nm4j.spi.FieldError;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.Scope;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SendProgress;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.spi.SettingsOptions;
import io.nm4j.spi.SpecReader;
import io.nm4j.test.MutableClock;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DingTalkChannelTest {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final String SIGN = "SEC000000000000000000000";
  private static final String OPTIONS = "spec.receivers.options.dingtalk";
  private static final Instant VECTOR_TIME = Instant.ofEpochMilli(1_600_000_000_000L);

  private final DingTalkChannelProvider provider = new DingTalkChannelProvider();
  private final MockWebServer server = new MockWebServer();
  private final Routes routes = new Routes();
  private final MutableClock clock = new MutableClock(VECTOR_TIME);
  private DingTalkChannel channel;

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(routes);
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    channel = DingTalkChannel.builder().clock(clock).apiUrl(server.url("/").toString()).build();
  }

  @AfterEach
  void stop() {
    channel.close();
    server.close();
  }

  private static Map<String, Object> ref(String key) {
    return Map.of("name", "dingtalk-secret", "key", key);
  }

  private static Map<String, Object> chatbotSpec(List<String> keywords, boolean signed) {
    Map<String, Object> bot = new HashMap<>();
    bot.put("webhook", ref("webhook"));
    bot.put("keywords", keywords);
    if (signed) {
      bot.put("secret", ref("sign"));
    }
    return bot;
  }

  private static Map<String, Object> conversationSpec() {
    return Map.of("appkey", ref("appkey"), "appsecret", ref("appsecret"), "chatid", "chat0a1b");
  }

  private DingTalkConfig config(Map<String, Object> spec) {
    var parsed = provider.parseConfig(SpecReader.of(spec, "kubesphere-monitoring-system"));
    assertThat(parsed.errors()).isEmpty();
    return parsed.value();
  }

  private Map<String, Secret> secrets() {
    return Map.of(
        DingTalkConfig.CHATBOT_WEBHOOK,
        Secret.of(server.url("/robot/send?access_token=robot0token").toString()),
        DingTalkConfig.CHATBOT_SECRET,
        Secret.of(SIGN),
        DingTalkConfig.CONVERSATION_APPKEY,
        Secret.of("app0key"),
        DingTalkConfig.CONVERSATION_APPSECRET,
        Secret.of("app0secret"));
  }

  private static final Instant START = Instant.parse("2026-11-24T15:55:41Z");

  private static List<Alert> sample() {
    return List.of(
        new Alert(
            AlertStatus.FIRING,
            Map.of("alertname", "KubePodCrashLooping", "namespace", "demo", "severity", "warning"),
            Map.of("summary", "Pod demo/web is crash looping."),
            START,
            null,
            "",
            "f1"),
        new Alert(
            AlertStatus.RESOLVED,
            Map.of("alertname", "KubePodCrashLooping", "namespace", "demo", "severity", "critical"),
            Map.of("summary", "Pod demo/api was crash looping."),
            START,
            START.plusSeconds(300),
            "",
            "f2"));
  }

  private static Notification notification(String id, List<Alert> alerts) {
    return new Notification(
        id,
        new ObjectRef("DingTalkReceiver", "ops"),
        Scope.GLOBAL,
        null,
        new ObjectRef("DingTalkConfig", "ops-dingtalk"),
        alerts,
        AlertBatch.of(alerts));
  }

  private SendResult send(DingTalkConfig config, String id, List<Alert> alerts) {
    return send(config, id, alerts, secrets());
  }

  private SendResult send(
      DingTalkConfig config, String id, List<Alert> alerts, Map<String, Secret> secrets) {
    return send(config, id, alerts, secrets, SendProgress.NONE);
  }

  /** A retry: the send after one that reported {@code progress}. */
  private SendResult retry(
      DingTalkConfig config, String id, List<Alert> alerts, SendProgress progress) {
    return send(config, id, alerts, secrets(), progress);
  }

  private SendResult send(
      DingTalkConfig config,
      String id,
      List<Alert> alerts,
      Map<String, Secret> secrets,
      SendProgress progress) {
    // Deadlines are measured on the channel's clock, which the test holds still.
    return channel.send(
        new SendRequest<>(
                notification(id, alerts),
                new DingTalkReceiver(null),
                config,
                secrets,
                clock.instant().plusSeconds(30))
            .withProgress(progress));
  }

  private List<RecordedRequest> requests() throws InterruptedException {
    List<RecordedRequest> out = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(0, TimeUnit.SECONDS)) != null) {
      out.add(r);
    }
    return out;
  }

  private static JsonNode body(RecordedRequest r) throws Exception {
    return JSON.readTree(r.getBody().string(StandardCharsets.UTF_8));
  }

  private static List<Alert> many(int n) {
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      alerts.add(
          new Alert(
              AlertStatus.FIRING,
              Map.of("alertname", "Load", "namespace", "demo"),
              Map.of("summary", "y".repeat(400) + " " + i),
              START,
              null,
              "",
              "fp" + i));
    }
    return alerts;
  }

  @Test
  void signatureMatchesThePinnedTestVector() {
    assertThat(Signer.base64(1_600_000_000_000L, Secret.of(SIGN)))
        .isEqualTo("6WBrLyLsyv83fOoF9UxL8Vr4L2LehGOYX+16KmCIdro=");
    assertThat(Signer.encoded(1_600_000_000_000L, Secret.of(SIGN)))
        .isEqualTo("6WBrLyLsyv83fOoF9UxL8Vr4L2LehGOYX%2B16KmCIdro%3D");
  }

  @Test
  void signedRobotRequestCarriesTimestampAndSignEncodedOnceOnTheExactUrl() throws Exception {
    routes.add("/robot/send", Replies.ok());
    SendResult r = send(config(Map.of("chatbot", chatbotSpec(List.of(), true))), "n1", sample());
    assertThat(r).isInstanceOf(SendResult.Delivered.class);
    RecordedRequest req = requests().get(0);
    assertThat(req.getMethod()).isEqualTo("POST");
    assertThat(req.getTarget())
        .isEqualTo(
            "/robot/send?access_token=robot0token&timestamp=1600000000000"
                + "&sign=6WBrLyLsyv83fOoF9UxL8Vr4L2LehGOYX%2B16KmCIdro%3D");
    assertThat(req.getHeaders().get("Content-Type")).isEqualTo("application/json; charset=utf-8");
    JsonNode body = body(req);
    assertThat(body.get("msgtype").asText()).isEqualTo("markdown");
    assertThat(body.at("/markdown/title").asText())
        .isEqualTo("[FIRING:1 RESOLVED:1] KubePodCrashLooping");
    assertThat(body.at("/markdown/text").asText()).startsWith("#### [FIRING:1 RESOLVED:1]");
  }

  @Test
  void unsignedRobotIsPostedToTheWebhookUrlAsGiven() throws Exception {
    routes.add("/robot/send", Replies.ok());
    send(config(Map.of("chatbot", chatbotSpec(List.of(), false))), "n1", sample());
    assertThat(requests().get(0).getTarget()).isEqualTo("/robot/send?access_token=robot0token");
  }

  @Test
  void firstKeywordIsPutInFrontOfTheTitleWhenNoKeywordAppears() throws Exception {
    routes.add("/robot/send", Replies.ok());
    send(config(Map.of("chatbot", chatbotSpec(List.of("alert", "prod"), false))), "n1", sample());
    JsonNode body = body(requests().get(0));
    assertThat(body.at("/markdown/title").asText())
        .isEqualTo("[alert] [FIRING:1 RESOLVED:1] KubePodCrashLooping");
    assertThat(body.at("/markdown/text").asText())
        .startsWith("#### [alert] [FIRING:1 RESOLVED:1] KubePodCrashLooping\n\n");
  }

  @Test
  void keywordAlreadyInTheTitleIsNotAddedAgain() throws Exception {
    routes.add("/robot/send", Replies.ok());
    send(config(Map.of("chatbot", chatbotSpec(List.of("x", "Crash"), false))), "n1", sample());
    assertThat(body(requests().get(0)).at("/markdown/title").asText())
        .isEqualTo("[FIRING:1 RESOLVED:1] KubePodCrashLooping");
  }

  @Test
  void everyPartOfASplitMessageContainsAKeyword() throws Exception {
    for (int i = 0; i < 5; i++) {
      routes.add("/robot/send", Replies.ok());
    }
    SendResult r =
        send(config(Map.of("chatbot", chatbotSpec(List.of("alert"), false))), "n1", many(60));
    assertThat(r).isInstanceOf(SendResult.Delivered.class);
    List<RecordedRequest> reqs = requests();
    assertThat(reqs).hasSizeGreaterThan(1);
    for (int i = 0; i < reqs.size(); i++) {
      JsonNode md = body(reqs.get(i)).get("markdown");
      assertThat(md.get("title").asText())
          .isEqualTo("[alert] [FIRING:60] Load (part " + (i + 1) + "/" + reqs.size() + ")");
      assertThat(md.get("text").asText())
          .startsWith("#### [alert] [FIRING:60] Load (part " + (i + 1) + "/" + reqs.size() + ")");
      assertThat(md.get("text").asText().getBytes(StandardCharsets.UTF_8).length)
          .isLessThanOrEqualTo(DingTalkChannel.CHATBOT_MAX_TEXT_BYTES);
    }
  }

  @Test
  void markdownShowsFiringAndResolvedApartWithNameSummaryLabelsAndTimes() throws Exception {
    routes.add("/robot/send", Replies.ok());
    send(config(Map.of("chatbot", chatbotSpec(List.of(), false))), "n1", sample());
    String text = body(requests().get(0)).at("/markdown/text").asText();
    assertThat(text)
        .isEqualTo(
            "#### [FIRING:1 RESOLVED:1] KubePodCrashLooping\n\n"
                + "##### FIRING (1)\n\n"
                + "- **KubePodCrashLooping**: Pod demo/web is crash looping.\n\n"
                + "  Labels: namespace=demo, severity=warning\n\n"
                + "  Starts: 2026-11-24 15:55:41 UTC\n\n"
                + "##### RESOLVED (1)\n\n"
                + "- **KubePodCrashLooping**: Pod demo/api was crash looping.\n\n"
                + "  Labels: namespace=demo, severity=critical\n\n"
                + "  Starts: 2026-11-24 15:55:41 UTC, Ends: 2026-11-24 16:00:41 UTC");
  }

  @Test
  void robotRateIsCountedPerRobotByTheChannelNotPerConfigByTheDispatcher() {
    ChannelLimits limits = channel.limits(config(Map.of("chatbot", chatbotSpec(List.of(), true))));
    assertThat(limits.ratePerConfig()).isNull();
    assertThat(limits.maxMessageBytes()).isEqualTo(19_960);
    assertThat(limits.maxRecipientsPerCall()).isEqualTo(1);
    ChannelLimits both =
        channel.limits(
            config(
                Map.of(
                    "chatbot", chatbotSpec(List.of(), true), "conversation", conversationSpec())));
    assertThat(both.maxMessageBytes()).isEqualTo(5_000);
    // "每个机器人每分钟最多发送20条。如果超过20条，会限流10分钟。"
    // (https://open.dingtalk.com/document/robots/custom-robot-access)
    assertThat(DingTalkChannel.CHATBOT_RATE)
        .isEqualTo(new ChannelLimits.Rate(20, Duration.ofMinutes(1)));
  }

  @Test
  void everyPartPostedTakesAPermitAndTwoConfigsOnOneRobotShareItsTwentyAMinute() throws Exception {
    DingTalkConfig first = config(Map.of("chatbot", chatbotSpec(List.of(), false)));
    DingTalkConfig second = config(Map.of("chatbot", chatbotSpec(List.of("alert"), false)));
    for (int i = 0; i < 20; i++) {
      routes.add("/robot/send", Replies.ok());
    }
    // 3 parts each: 18 permits over two configs, then 2 of the third send's 3 parts.
    for (int i = 0; i < 6; i++) {
      assertThat(send(i % 2 == 0 ? first : second, "n" + i, many(120)))
          .isInstanceOf(SendResult.Delivered.class);
    }
    SendResult.Failed waiting = (SendResult.Failed) send(first, "n6", many(120));
    assertThat(waiting.reason()).isEqualTo(Reason.AWAITING_PERMIT);
    assertThat(waiting.retryable()).isTrue();
    assertThat(waiting.retryAfter()).isEqualTo(Duration.ofMinutes(1));
    assertThat(waiting.detail())
        .contains("chatbot failed: chatbot: not sent, the endpoint's rate limit allows")
        .contains("(part 3 of 3; 2 delivered)");
    assertThat(requests()).hasSize(20);

    clock.advance(Duration.ofMinutes(1));
    routes.add("/robot/send", Replies.ok());
    assertThat(retry(first, "n6", many(120), waiting.progress()))
        .isInstanceOf(SendResult.Delivered.class);
    List<RecordedRequest> resent = requests();
    assertThat(resent).hasSize(1);
    assertThat(body(resent.get(0)).at("/markdown/title").asText())
        .isEqualTo("[FIRING:120] Load (part 3/3)");
  }

  @Test
  void sentTooFastIsRetryableAfterTheTenMinuteThrottle() {
    routes.add("/robot/send", Replies.tooFast());
    SendResult r = send(config(Map.of("chatbot", chatbotSpec(List.of(), true))), "n1", sample());
    assertThat(r).isInstanceOf(SendResult.Failed.class);
    SendResult.Failed f = (SendResult.Failed) r;
    assertThat(f.reason()).isEqualTo(Reason.RATE_LIMITED);
    assertThat(f.retryable()).isTrue();
    assertThat(f.retryAfter()).isEqualTo(Duration.ofMinutes(10));
    assertThat(f.detail())
        .startsWith("DingTalkConfig/ops-dingtalk: chatbot failed: POST http://")
        .contains("errcode 130101")
        .doesNotContain("robot0token");
  }

  @Test
  void aThrottledRobotIsHeldForEveryConfigSoNoSendCallsItUntilTheThrottleEnds() throws Exception {
    routes.add("/robot/send", Replies.tooFast());
    send(config(Map.of("chatbot", chatbotSpec(List.of(), true))), "n1", sample());
    assertThat(requests()).hasSize(1);

    clock.advance(Duration.ofMinutes(4));
    DingTalkConfig other = config(Map.of("chatbot", chatbotSpec(List.of("alert"), false)));
    SendResult.Failed held = (SendResult.Failed) send(other, "n2", sample());
    assertThat(held.reason()).isEqualTo(Reason.AWAITING_PERMIT);
    assertThat(held.retryAfter()).isEqualTo(Duration.ofMinutes(6));
    assertThat(requests()).isEmpty();

    clock.advance(Duration.ofMinutes(6));
    routes.add("/robot/send", Replies.ok());
    assertThat(send(other, "n2", sample())).isInstanceOf(SendResult.Delivered.class);
    assertThat(requests()).hasSize(1);
  }

  @Test
  void aConversationFailureSpeaksForTheResultOverARobotAwaitingItsPermit() throws Exception {
    routes.add("/robot/send", Replies.tooFast());
    routes.add("/gettoken", Replies.token("tok-1"));
    routes.add("/chat/send", Replies.ok());
    send(both(), "n1", sample());
    routes.add("/chat/send", Replies.error(-1, "系统繁忙"));

    SendResult.Failed f = (SendResult.Failed) send(both(), "n2", sample());

    assertThat(f.reason()).isEqualTo(Reason.REMOTE_ERROR);
    assertThat(f.retryable()).isTrue();
    assertThat(f.detail())
        .contains("chatbot failed: chatbot: not sent")
        .contains("conversation failed: ");
  }

  @Test
  void emptySignSecretIsAnUnsignedRobotAndTheConversationIsStillTried() throws Exception {
    routes.add("/robot/send", Replies.ok());
    routes.add("/gettoken", Replies.token("tok-1"));
    routes.add("/chat/send", Replies.ok());
    Map<String, Secret> secrets = new HashMap<>(secrets());
    secrets.put(DingTalkConfig.CHATBOT_SECRET, Secret.of(""));
    SendResult r = send(both(), "n1", sample(), secrets);
    assertThat(r).isInstanceOf(SendResult.Delivered.class);
    assertThat(requests())
        .extracting(RecordedRequest::getTarget)
        .containsExactly(
            "/robot/send?access_token=robot0token",
            "/gettoken?appkey=app0key&appsecret=app0secret",
            "/chat/send?access_token=tok-1");
  }

  @Test
  void keywordSignOrIpMismatchIsPermanent() {
    routes.add("/robot/send", Replies.error(310000, "keywords not in content"));
    SendResult.Failed f =
        (SendResult.Failed)
            send(config(Map.of("chatbot", chatbotSpec(List.of("alert"), true))), "n1", sample());
    assertThat(f.reason()).isEqualTo(Reason.AUTH_REJECTED);
    assertThat(f.retryable()).isFalse();
    assertThat(f.detail()).contains("310000").contains("keywords not in content");
  }

  @Test
  void tokenIsFetchedOnceAndReusedAcrossSends() throws Exception {
    routes.add("/gettoken", Replies.token("tok-1"));
    routes.add("/chat/send", Replies.ok());
    routes.add("/chat/send", Replies.ok());
    DingTalkConfig config = config(Map.of("conversation", conversationSpec()));
    assertThat(send(config, "n1", sample())).isInstanceOf(SendResult.Delivered.class);
    assertThat(send(config, "n2", sample())).isInstanceOf(SendResult.Delivered.class);
    List<RecordedRequest> reqs = requests();
    assertThat(reqs)
        .extracting(RecordedRequest::getTarget)
        .containsExactly(
            "/gettoken?appkey=app0key&appsecret=app0secret",
            "/chat/send?access_token=tok-1",
            "/chat/send?access_token=tok-1");
    assertThat(reqs.get(0).getMethod()).isEqualTo("GET");
    RecordedRequest post = reqs.get(1);
    assertThat(post.getMethod()).isEqualTo("POST");
    JsonNode body = body(post);
    assertThat(body.get("chatid").asText()).isEqualTo("chat0a1b");
    assertThat(body.at("/msg/msgtype").asText()).isEqualTo("markdown");
    assertThat(body.at("/msg/markdown/title").asText())
        .isEqualTo("[FIRING:1 RESOLVED:1] KubePodCrashLooping");
    assertThat(body.at("/msg/markdown/text").asText()).contains("Pod demo/web is crash looping.");
  }

  @Test
  void tokenIsFetchedAgainOnceItsLifetimeHasPassed() throws Exception {
    routes.add("/gettoken", Replies.token("tok-1"));
    routes.add("/gettoken", Replies.token("tok-2"));
    routes.add("/chat/send", Replies.ok());
    routes.add("/chat/send", Replies.ok());
    DingTalkConfig config = config(Map.of("conversation", conversationSpec()));
    send(config, "n1", sample());
    clock.advance(Duration.ofSeconds(7200));
    send(config, "n2", sample());
    assertThat(requests())
        .extracting(RecordedRequest::getTarget)
        .containsExactly(
            "/gettoken?appkey=app0key&appsecret=app0secret",
            "/chat/send?access_token=tok-1",
            "/gettoken?appkey=app0key&appsecret=app0secret",
            "/chat/send?access_token=tok-2");
  }

  @Test
  void expiredTokenIsRefreshedOnceAndTheMessageResentWithinTheSameSend() throws Exception {
    routes.add("/gettoken", Replies.token("tok-stale"));
    routes.add("/chat/send", Replies.error(42001, "access_token超时"));
    routes.add("/gettoken", Replies.token("tok-fresh"));
    routes.add("/chat/send", Replies.ok());
    SendResult r = send(config(Map.of("conversation", conversationSpec())), "n1", sample());
    assertThat(r).isInstanceOf(SendResult.Delivered.class);
    assertThat(requests())
        .extracting(RecordedRequest::getTarget)
        .containsExactly(
            "/gettoken?appkey=app0key&appsecret=app0secret",
            "/chat/send?access_token=tok-stale",
            "/gettoken?appkey=app0key&appsecret=app0secret",
            "/chat/send?access_token=tok-fresh");
  }

  @Test
  void invalidTokenThatPersistsAfterOneRefreshIsPermanentAndNotTriedAThirdTime() throws Exception {
    routes.add("/gettoken", Replies.token("tok-1"));
    routes.add("/chat/send", Replies.error(40014, "不合法的access_token"));
    routes.add("/gettoken", Replies.token("tok-2"));
    routes.add("/chat/send", Replies.error(40014, "不合法的access_token"));
    SendResult.Failed f =
        (SendResult.Failed)
            send(config(Map.of("conversation", conversationSpec())), "n1", sample());
    assertThat(f.reason()).isEqualTo(Reason.AUTH_REJECTED);
    assertThat(f.retryable()).isFalse();
    assertThat(f.detail()).doesNotContain("tok-2").doesNotContain("app0secret");
    assertThat(requests()).hasSize(4);
  }

  @Test
  void apiUrlOptionRedirectsGroupChatCalls() throws Exception {
    routes.add("/dt/gettoken", Replies.token("tok-1"));
    routes.add("/dt/chat/send", Replies.ok());
    var viaOption =
        provider
            .channel(new ChannelContext(Map.of("apiUrl", server.url("/dt").toString()), clock))
            .orElseThrow();
    try {
      SendResult r =
          viaOption.send(
              new SendRequest<>(
                  notification("n1", sample()),
                  new DingTalkReceiver(null),
                  config(Map.of("conversation", conversationSpec())),
                  secrets(),
                  clock.instant().plusSeconds(30)));
      assertThat(r).isInstanceOf(SendResult.Delivered.class);
    } finally {
      viaOption.close();
    }
    assertThat(requests())
        .extracting(q -> q.getUrl().encodedPath())
        .containsExactly("/dt/gettoken", "/dt/chat/send");
    assertThat(DingTalkChannel.builder().build().apiUrl()).isEqualTo("https://oapi.dingtalk.com/");
  }

  @Test
  void unusableOptionsAreRejectedNamingTheOption() {
    assertThatThrownBy(() -> DingTalkChannel.builder().apiUrl("oapi.dingtalk.com"))
        .hasMessageStartingWith("dingtalk.apiUrl:");
    assertThatThrownBy(() -> DingTalkChannel.builder().proxyUrl("socks://proxy:1080").build())
        .hasMessageStartingWith("dingtalk.proxyUrl:");
    assertThatThrownBy(
            () ->
                provider.channel(new ChannelContext(Map.of("chatbotMessageMaxSize", "big"), clock)))
        .hasMessageStartingWith("dingtalk.chatbotMessageMaxSize:");
  }

  @Test
  void proxyOptionSendsThroughTheProxy() throws Exception {
    routes.add("/robot/send", Replies.ok());
    DingTalkChannel proxied =
        DingTalkChannel.builder()
            .clock(clock)
            .proxyUrl("http://127.0.0.1:" + server.getPort())
            .build();
    try {
      SendResult r =
          proxied.send(
              new SendRequest<>(
                  notification("n1", sample()),
                  new DingTalkReceiver(null),
                  config(Map.of("chatbot", chatbotSpec(List.of(), false))),
                  Map.of(
                      DingTalkConfig.CHATBOT_WEBHOOK,
                      Secret.of("http://oapi.dingtalk.example/robot/send?access_token=t")),
                  clock.instant().plusSeconds(30)));
      assertThat(r).isInstanceOf(SendResult.Delivered.class);
    } finally {
      proxied.close();
    }
    assertThat(requests().get(0).getTarget())
        .isEqualTo("http://oapi.dingtalk.example/robot/send?access_token=t");
  }

  private DingTalkConfig both() {
    return config(
        Map.of("chatbot", chatbotSpec(List.of("alert"), true), "conversation", conversationSpec()));
  }

  @Test
  void bothTargetsDeliveredGiveOneDeliveredNamingBoth() {
    routes.add("/robot/send", Replies.ok());
    routes.add("/gettoken", Replies.token("tok-1"));
    routes.add("/chat/send", Replies.ok());
    SendResult r = send(both(), "n1", sample());
    assertThat(r).isInstanceOf(SendResult.Delivered.class);
    assertThat(((SendResult.Delivered) r).detail())
        .startsWith("DingTalkConfig/ops-dingtalk: chatbot delivered")
        .contains("; conversation delivered");
  }

  @Test
  void retryAfterOneTargetFailedResendsOnlyToThatTarget() throws Exception {
    routes.add("/robot/send", Replies.ok());
    routes.add("/gettoken", Replies.token("tok-1"));
    routes.add("/chat/send", Replies.error(-1, "系统繁忙"));
    SendResult first = send(both(), "n1", sample());
    assertThat(first).isInstanceOf(SendResult.Failed.class);
    SendResult.Failed f = (SendResult.Failed) first;
    assertThat(f.reason()).isEqualTo(Reason.REMOTE_ERROR);
    assertThat(f.retryable()).isTrue();
    assertThat(f.detail()).contains("chatbot delivered").contains("conversation failed: ");

    routes.add("/chat/send", Replies.ok());
    SendResult retry = retry(both(), "n1", sample(), f.progress());
    assertThat(retry).isInstanceOf(SendResult.Delivered.class);
    assertThat(((SendResult.Delivered) retry).detail())
        .contains("chatbot delivered on an earlier attempt")
        .contains("conversation delivered");
    assertThat(requests())
        .extracting(q -> q.getUrl().encodedPath())
        .containsExactly("/robot/send", "/gettoken", "/chat/send", "/chat/send");
  }

  @Test
  void permanentFailureOfOneTargetDoesNotHideTheOthersSuccess() throws Exception {
    routes.add("/robot/send", Replies.error(310000, "sign not match"));
    routes.add("/gettoken", Replies.token("tok-1"));
    routes.add("/chat/send", Replies.ok());
    SendResult.Failed f = (SendResult.Failed) send(both(), "n1", sample());
    assertThat(f.reason()).isEqualTo(Reason.AUTH_REJECTED);
    assertThat(f.retryable()).isFalse();
    assertThat(f.detail()).contains("chatbot failed: ").contains("; conversation delivered");
    assertThat(requests()).hasSize(3);
  }

  @Test
  void permanentFailureIsNotRetriedWhileTheOtherTargetsRetryableOneIs() throws Exception {
    routes.add("/robot/send", Replies.error(310000, "keywords not in content"));
    routes.add("/gettoken", Replies.token("tok-1"));
    routes.add("/chat/send", Replies.error(-1, "系统繁忙"));
    SendResult.Failed first = (SendResult.Failed) send(both(), "n1", sample());
    assertThat(first.retryable()).isTrue();
    assertThat(first.reason()).isEqualTo(Reason.REMOTE_ERROR);

    routes.add("/chat/send", Replies.ok());
    SendResult.Failed last = (SendResult.Failed) retry(both(), "n1", sample(), first.progress());
    assertThat(last.reason()).isEqualTo(Reason.AUTH_REJECTED);
    assertThat(last.retryable()).isFalse();
    assertThat(last.detail())
        .contains("chatbot failed on an earlier attempt: AUTH_REJECTED, not tried again")
        .contains("conversation delivered");
    assertThat(requests())
        .extracting(q -> q.getUrl().encodedPath())
        .containsExactly("/robot/send", "/gettoken", "/chat/send", "/chat/send");
  }

  @Test
  void missingSecretOfOneTargetStillSendsToTheOther() throws Exception {
    routes.add("/robot/send", Replies.ok());
    Map<String, Secret> secrets = new HashMap<>(secrets());
    secrets.remove(DingTalkConfig.CONVERSATION_APPSECRET);
    SendResult.Failed f = (SendResult.Failed) send(both(), "n1", sample(), secrets);
    assertThat(f.reason()).isEqualTo(Reason.MISSING_SECRET);
    assertThat(f.retryable()).isFalse();
    assertThat(f.detail())
        .contains("chatbot delivered")
        .contains(
            "spec.conversation.appsecret: secret \"dingtalk-secret\" has no key \"appsecret\"");
    assertThat(requests()).extracting(q -> q.getUrl().encodedPath()).containsExactly("/robot/send");
  }

  @Test
  void laterPartFailingSaysHowManyWentAndTheRetrySendsOnlyTheRest() throws Exception {
    routes.add("/robot/send", Replies.ok());
    routes.add("/robot/send", Replies.tooFast());
    DingTalkConfig config = config(Map.of("chatbot", chatbotSpec(List.of(), false)));
    SendResult.Failed f = (SendResult.Failed) send(config, "n1", many(120));
    assertThat(f.reason()).isEqualTo(Reason.RATE_LIMITED);
    assertThat(f.detail()).contains("(part 2 of 3; 1 delivered)");
    List<String> firstTitles = new ArrayList<>();
    for (RecordedRequest q : requests()) {
      firstTitles.add(body(q).at("/markdown/title").asText());
    }
    assertThat(firstTitles)
        .containsExactly("[FIRING:120] Load (part 1/3)", "[FIRING:120] Load (part 2/3)");

    routes.add("/robot/send", Replies.ok());
    routes.add("/robot/send", Replies.ok());
    clock.advance(Duration.ofMinutes(10));
    SendResult retry = retry(config, "n1", many(120), f.progress());
    assertThat(retry).isInstanceOf(SendResult.Delivered.class);
    List<String> retryTitles = new ArrayList<>();
    for (RecordedRequest q : requests()) {
      retryTitles.add(body(q).at("/markdown/title").asText());
    }
    assertThat(retryTitles)
        .containsExactly("[FIRING:120] Load (part 2/3)", "[FIRING:120] Load (part 3/3)");
  }

  @Test
  void theChannelKeepsNothingBetweenSendsSoWithoutProgressEveryTargetIsSentAgain()
      throws Exception {
    routes.add("/robot/send", Replies.ok());
    routes.add("/gettoken", Replies.token("tok-1"));
    routes.add("/chat/send", Replies.error(-1, "系统繁忙"));
    send(both(), "n1", sample());
    routes.add("/robot/send", Replies.ok());
    routes.add("/chat/send", Replies.ok());
    assertThat(send(both(), "n1", sample())).isInstanceOf(SendResult.Delivered.class);
    assertThat(requests())
        .extracting(q -> q.getUrl().encodedPath())
        .containsExactly("/robot/send", "/gettoken", "/chat/send", "/robot/send", "/chat/send");
  }

  @Test
  void givenProgressCoveringBothTargetsASendPostsNothingAndIsDelivered() throws Exception {
    routes.add("/robot/send", Replies.error(-1, "系统繁忙"));
    routes.add("/gettoken", Replies.token("tok-1"));
    routes.add("/chat/send", Replies.ok());
    SendResult.Failed chatOnly = (SendResult.Failed) send(both(), "n1", sample());
    routes.add("/robot/send", Replies.ok());
    routes.add("/chat/send", Replies.error(-1, "系统繁忙"));
    SendResult.Failed botOnly = (SendResult.Failed) send(both(), "n1", sample());
    requests();

    SendResult r = retry(both(), "n1", sample(), chatOnly.progress().union(botOnly.progress()));

    assertThat(r)
        .isEqualTo(
            SendResult.delivered(
                "DingTalkConfig/ops-dingtalk: chatbot delivered on an earlier attempt;"
                    + " conversation delivered on an earlier attempt"));
    assertThat(requests()).isEmpty();
  }

  @Test
  void aPartThatRendersDifferentlyOnTheRetryIsSentAgain() throws Exception {
    routes.add("/robot/send", Replies.ok());
    routes.add("/gettoken", Replies.token("tok-1"));
    routes.add("/chat/send", Replies.error(-1, "系统繁忙"));
    SendResult.Failed f = (SendResult.Failed) send(both(), "n1", sample());
    requests();
    List<Alert> changed = new ArrayList<>(sample());
    Alert first = changed.get(0);
    changed.set(0, first.withAnnotations(Map.of("summary", "Pod demo/web restarted twice more.")));
    routes.add("/robot/send", Replies.ok());
    routes.add("/chat/send", Replies.ok());

    assertThat(retry(both(), "n1", changed, f.progress())).isInstanceOf(SendResult.Delivered.class);
    List<RecordedRequest> sent = requests();
    assertThat(sent)
        .extracting(q -> q.getUrl().encodedPath())
        .containsExactly("/robot/send", "/chat/send");
    assertThat(body(sent.get(0)).at("/markdown/text").asText())
        .contains("Pod demo/web restarted twice more.");
  }

  @Test
  void webhookSecretThatIsNotAUrlIsRejectedWithoutShowingIt() {
    SendResult.Failed f =
        (SendResult.Failed)
            send(
                config(Map.of("chatbot", chatbotSpec(List.of(), false))),
                "n1",
                sample(),
                Map.of(DingTalkConfig.CHATBOT_WEBHOOK, Secret.of("not a url 0secret0")));
    assertThat(f.reason()).isEqualTo(Reason.REJECTED);
    assertThat(f.retryable()).isFalse();
    assertThat(f.detail()).contains("spec.chatbot.webhook").doesNotContain("0secret0");
  }

  private Parsed<? extends SettingsOptions> options(Map<String, Object> block) {
    return provider.parseSettingsOptions(SpecReader.at(block, OPTIONS, "ns"));
  }

  /** A first attempt with {@code block} as the settings' {@code options.dingtalk}. */
  private SendResult send(
      DingTalkConfig config, Map<String, Object> block, String id, List<Alert> alerts) {
    return channel.send(
        new SendRequest<>(
                notification(id, alerts),
                new DingTalkReceiver(null),
                config,
                secrets(),
                clock.instant().plusSeconds(30))
            .withSettingsOptions(options(block).value()));
  }

  private static int textBytes(RecordedRequest r, String pointer) throws Exception {
    return JSON.readTree(r.getBody().string(StandardCharsets.UTF_8))
        .at(pointer)
        .asText()
        .getBytes(StandardCharsets.UTF_8)
        .length;
  }

  @Test
  void chatbotMessageMaxSizeIsTheRobotsSplitSize() throws Exception {
    for (int i = 0; i < 20; i++) {
      routes.add("/robot/send", Replies.ok());
    }
    assertThat(
            send(
                config(Map.of("chatbot", chatbotSpec(List.of(), false))),
                Map.of("chatbotMessageMaxSize", 2000),
                "n1",
                many(12)))
        .isInstanceOf(SendResult.Delivered.class);

    List<RecordedRequest> posts = requests();
    assertThat(posts).hasSizeGreaterThanOrEqualTo(3);
    for (RecordedRequest post : posts) {
      assertThat(textBytes(post, "/markdown/text")).isLessThanOrEqualTo(2000);
    }
  }

  @Test
  void conversationMessageMaxSizeIsTheGroupChatsSplitSize() throws Exception {
    routes.add("/gettoken", Replies.token("tok-1"));
    for (int i = 0; i < 20; i++) {
      routes.add("/chat/send", Replies.ok());
    }
    send(
        config(Map.of("conversation", conversationSpec())),
        Map.of("conversationMessageMaxSize", 1500),
        "n1",
        many(8));

    List<RecordedRequest> posts = requests().stream().skip(1).toList();
    assertThat(posts).hasSizeGreaterThanOrEqualTo(3);
    for (RecordedRequest post : posts) {
      assertThat(textBytes(post, "/msg/markdown/text")).isLessThanOrEqualTo(1500);
    }
  }

  @Test
  void aSizeAboveWhatDingTalkAcceptsIsCappedWithANotice() {
    DingTalkSettingsOptions capped =
        (DingTalkSettingsOptions) options(Map.of("chatbotMessageMaxSize", 50_000)).value();

    assertThat(capped.chatbotMaxTextBytes()).isEqualTo(DingTalkChannel.CHATBOT_MAX_TEXT_BYTES);
    assertThat(capped.notices())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.field()).isEqualTo(OPTIONS + ".chatbotMessageMaxSize");
              assertThat(n.message()).startsWith("is 50000; 19960 is used");
            });
  }

  @Test
  void aSizeTooSmallIsAnErrorNamingTheFieldAndTheRange() {
    assertThat(options(Map.of("chatbotMessageMaxSize", 0)).errors())
        .containsExactly(
            new FieldError(OPTIONS + ".chatbotMessageMaxSize", "must be 1024..19960, was 0"));
  }

  @Test
  void aRobotThrottleSlowerThanDingTalksHoldsMessagesBackUntilItsWindowMoves() throws Exception {
    routes.add("/robot/send", Replies.ok());
    routes.add("/robot/send", Replies.ok());
    routes.add("/robot/send", Replies.ok());
    Map<String, Object> block = Map.of("chatBotThrottle", Map.of("threshold", 2, "unit", "1m"));

    assertThat(send(config(Map.of("chatbot", chatbotSpec(List.of(), false))), block, "n1", many(1)))
        .isInstanceOf(SendResult.Delivered.class);
    assertThat(send(config(Map.of("chatbot", chatbotSpec(List.of(), false))), block, "n2", many(1)))
        .isInstanceOf(SendResult.Delivered.class);
    SendResult.Failed third =
        (SendResult.Failed)
            send(config(Map.of("chatbot", chatbotSpec(List.of(), false))), block, "n3", many(1));

    assertThat(third.reason()).isEqualTo(Reason.AWAITING_PERMIT);
    assertThat(third.retryAfter()).isEqualTo(Duration.ofMinutes(1));
    assertThat(requests()).hasSize(2);
    clock.advance(Duration.ofMinutes(1));
    assertThat(send(config(Map.of("chatbot", chatbotSpec(List.of(), false))), block, "n3", many(1)))
        .isInstanceOf(SendResult.Delivered.class);
  }

  @Test
  void aWaitLongerThanMaxWaitTimeIsARateLimitedAttempt() throws Exception {
    routes.add("/gettoken", Replies.token("tok-1"));
    routes.add("/chat/send", Replies.ok());
    Map<String, Object> block =
        Map.of("conversationThrottle", Map.of("threshold", 1, "unit", "10m", "maxWaitTime", "1m"));

    assertThat(send(config(Map.of("conversation", conversationSpec())), block, "n1", many(1)))
        .isInstanceOf(SendResult.Delivered.class);
    SendResult.Failed second =
        (SendResult.Failed)
            send(config(Map.of("conversation", conversationSpec())), block, "n2", many(1));

    assertThat(second.reason()).isEqualTo(Reason.RATE_LIMITED);
    assertThat(second.retryable()).isTrue();
    assertThat(second.retryAfter()).isEqualTo(Duration.ofMinutes(10));
    assertThat(second.detail()).contains("later than its maxWaitTime PT1M");
  }

  @Test
  void aRobotThrottleFasterThanDingTalksIsNotUsedAndSaysSo() {
    DingTalkSettingsOptions parsed =
        (DingTalkSettingsOptions)
            options(Map.of("chatBotThrottle", Map.of("threshold", 100, "unit", "1m"))).value();

    assertThat(parsed.chatbotThrottle()).isNull();
    assertThat(parsed.notices())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.field()).isEqualTo(OPTIONS + ".chatBotThrottle");
              assertThat(n.message()).contains("more than DingTalk accepts");
            });
  }

  @Test
  void aThrottleWithoutThresholdIsAnError() {
    assertThat(options(Map.of("chatBotThrottle", Map.of("unit", "1m"))).errors())
        .extracting(FieldError::field)
        .containsExactly(OPTIONS + ".chatBotThrottle.threshold");
  }

  @Test
  void tokenExpiresKeepsAGroupChatTokenNoLongerThanItSays() throws Exception {
    routes.add("/gettoken", Replies.token("tok-1"));
    routes.add("/gettoken", Replies.token("tok-2"));
    for (int i = 0; i < 3; i++) {
      routes.add("/chat/send", Replies.ok());
    }
    Map<String, Object> block = Map.of("tokenExpires", "10m");

    send(config(Map.of("conversation", conversationSpec())), block, "n1", many(1));
    clock.advance(Duration.ofMinutes(1));
    send(config(Map.of("conversation", conversationSpec())), block, "n2", many(1));
    clock.advance(Duration.ofMinutes(9));
    send(config(Map.of("conversation", conversationSpec())), block, "n3", many(1));

    assertThat(requests())
        .extracting(RecordedRequest::getTarget)
        .containsExactly(
            "/gettoken?appkey=app0key&appsecret=app0secret",
            "/chat/send?access_token=tok-1",
            "/chat/send?access_token=tok-1",
            "/gettoken?appkey=app0key&appsecret=app0secret",
            "/chat/send?access_token=tok-2");
  }

  @Test
  void aTokenExpiryBelowOneSecondIsAnError() {
    assertThat(options(Map.of("tokenExpires", "10ms")).errors())
        .extracting(FieldError::field)
        .containsExactly(OPTIONS + ".tokenExpires");
  }

  /** A v2beta2 receiver block, parsed as the provider parses it. */
  private DingTalkReceiver receiverBlock(Map<String, Object> block) {
    var parsed =
        provider.parseReceiverBlock(
            SpecReader.at(block, "spec.dingtalk", "kubesphere-monitoring-system"));
    assertThat(parsed.errors()).isEmpty();
    return parsed.value();
  }

  /** A v2beta2 config block, parsed as the provider parses it. */
  private DingTalkConfig configBlock(Map<String, Object> block) {
    var parsed =
        provider.parseConfigBlock(
            SpecReader.at(block, "spec.dingtalk", "kubesphere-monitoring-system"));
    assertThat(parsed.errors()).isEmpty();
    return parsed.value();
  }

  private SendResult sendTo(
      DingTalkReceiver receiver, DingTalkConfig config, EgressPolicy receiverEgress) {
    return channel.send(
        new SendRequest<>(
            notification("n1", sample()),
            receiver,
            config,
            secrets(),
            clock.instant().plusSeconds(30),
            EgressPolicy.UNRESTRICTED,
            "",
            SendProgress.NONE,
            receiverEgress));
  }

  @Test
  void aReceiversRobotMentionsItsMembersInTheAtObjectAndAtTheEndOfTheText() throws Exception {
    routes.add("/robot/send", Replies.ok());
    Map<String, Object> bot = new HashMap<>(chatbotSpec(List.of("alert"), false));
    bot.put("atMobiles", List.of("13800000000", "+8613900000000"));
    bot.put("atUsers", List.of("manager7"));
    bot.put("atAll", true);
    DingTalkReceiver receiver = receiverBlock(Map.of("chatbot", bot));

    SendResult r = sendTo(receiver, configBlock(Map.of()), EgressPolicy.UNRESTRICTED);

    assertThat(r).isInstanceOf(SendResult.Delivered.class);
    JsonNode body = body(requests().get(0));
    assertThat(body.get("at"))
        .isEqualTo(
            JSON.readTree(
                "{\"atMobiles\":[\"13800000000\",\"+8613900000000\"],"
                    + "\"atUserIds\":[\"manager7\"],\"isAtAll\":true}"));
    assertThat(body.at("/markdown/text").asText())
        .endsWith("\n\n@13800000000 @+8613900000000 @manager7");
    assertThat(body.at("/markdown/title").asText()).startsWith("[alert] ");
  }

  @Test
  void aRobotThatMentionsNobodySendsNoAtObject() throws Exception {
    routes.add("/robot/send", Replies.ok());
    DingTalkReceiver receiver = receiverBlock(Map.of("chatbot", chatbotSpec(List.of(), false)));

    sendTo(receiver, configBlock(Map.of()), EgressPolicy.UNRESTRICTED);

    assertThat(body(requests().get(0)).has("at")).isFalse();
  }

  @Test
  void aReceiversRobotIsHeldToTheReceiverOwnersEgressPolicy() {
    DingTalkReceiver receiver = receiverBlock(Map.of("chatbot", chatbotSpec(List.of(), false)));

    SendResult r = sendTo(receiver, configBlock(Map.of()), EgressPolicy.tenantDefault());

    assertThat(r).isInstanceOf(SendResult.Failed.class);
    assertThat(((SendResult.Failed) r).reason()).isEqualTo(Reason.EGRESS_DENIED);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aReceiversChatsAreEachSentThroughTheConfigsApp() throws Exception {
    routes.add("/gettoken", Replies.token("tok-1"));
    routes.add("/chat/send", Replies.ok());
    routes.add("/chat/send", Replies.ok());
    DingTalkReceiver receiver =
        receiverBlock(Map.of("conversation", Map.of("chatids", List.of("chat0a", "chat0b"))));
    DingTalkConfig config =
        configBlock(
            Map.of("conversation", Map.of("appkey", ref("appkey"), "appsecret", ref("appsecret"))));

    SendResult r = sendTo(receiver, config, EgressPolicy.UNRESTRICTED);

    assertThat(r).isInstanceOf(SendResult.Delivered.class);
    List<RecordedRequest> reqs = requests();
    assertThat(reqs)
        .extracting(RecordedRequest::getTarget)
        .containsExactly(
            "/gettoken?appkey=app0key&appsecret=app0secret",
            "/chat/send?access_token=tok-1",
            "/chat/send?access_token=tok-1");
    assertThat(body(reqs.get(1)).get("chatid").asText()).isEqualTo("chat0a");
    assertThat(body(reqs.get(2)).get("chatid").asText()).isEqualTo("chat0b");
  }

  @Test
  void aReceiversChatsWithoutAppCredentialsInTheConfigFailWithNoConfigWhileItsRobotSends()
      throws Exception {
    routes.add("/robot/send", Replies.ok());
    DingTalkReceiver receiver =
        receiverBlock(
            Map.of(
                "chatbot",
                chatbotSpec(List.of(), false),
                "conversation",
                Map.of("chatids", List.of("chat0a"))));

    SendResult r = sendTo(receiver, configBlock(Map.of()), EgressPolicy.UNRESTRICTED);

    assertThat(r).isInstanceOf(SendResult.Failed.class);
    SendResult.Failed f = (SendResult.Failed) r;
    assertThat(f.reason()).isEqualTo(Reason.NO_CONFIG);
    assertThat(f.retryable()).isFalse();
    assertThat(f.detail()).contains("conversation").contains("appkey, appsecret");
    assertThat(requests())
        .extracting(RecordedRequest::getTarget)
        .containsExactly("/robot/send?access_token=robot0token");
  }
}
