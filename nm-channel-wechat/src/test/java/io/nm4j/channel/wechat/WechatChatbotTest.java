package io.nm4j.channel.wechat;

import static io.nm4j.channel.wechat.WechatApi.sendError;
import static io.nm4j.channel.wechat.WechatApi.sent;
import static io.nm4j.channel.wechat.WechatApi.token;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.CompiledTemplate;
import io.nm4j.spi.EgressPolicy;
import io.nm4j.spi.MessageSettings;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.RatePermits;
import io.nm4j.spi.RenderOptions;
import io.nm4j.spi.Scope;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.spi.TemplateCompilation;
import io.nm4j.spi.TemplateEngine;
import io.nm4j.spi.TemplateFormat;
import io.nm4j.spi.TemplateSource;
import io.nm4j.test.CapturedAlerts;
import io.nm4j.test.MutableClock;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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

class WechatChatbotTest {
  private static final String KEY = WechatChatbotCompatibilityTest.KEY;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "app-secret-Zq81";

  private final MockWebServer robot = new MockWebServer();
  private WechatApi api;
  private final List<Channel<WechatReceiver, WechatConfig>> opened = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    robot.start(InetAddress.getByName("127.0.0.1"), 0);
    api = new WechatApi().start();
  }

  @AfterEach
  void stop() {
    opened.forEach(Channel::close);
    robot.close();
    api.close();
  }

  private Channel<WechatReceiver, WechatConfig> channel(String messageType) {
    Channel<WechatReceiver, WechatConfig> c =
        new WechatChannelProvider()
            .channel(
                new ChannelContext(
                    Map.of("apiUrl", api.baseUrl(), "messageType", messageType), Clock.systemUTC()))
            .orElseThrow();
    opened.add(c);
    return c;
  }

  private static Alert alert(String name, String summary) {
    return new Alert(
        AlertStatus.FIRING,
        Map.of("alertname", name, "namespace", "shop"),
        Map.of("summary", summary),
        Instant.parse("2026-11-24T15:55:41Z"),
        null,
        "",
        "fp-" + name);
  }

  private SendRequest<WechatReceiver, WechatConfig> request(
      WechatReceiver receiver, List<Alert> alerts, EgressPolicy egress) {
    return request(receiver, alerts, egress, Instant.now().plusSeconds(10));
  }

  private SendRequest<WechatReceiver, WechatConfig> request(
      WechatReceiver receiver, List<Alert> alerts, EgressPolicy egress, Instant deadline) {
    Notification n =
        new Notification(
            "n-1",
            new ObjectRef("WechatReceiver", "shop-wechat"),
            Scope.TENANT,
            "shop",
            new ObjectRef("WechatConfig", "default"),
            alerts,
            AlertBatch.of(alerts));
    Map<String, Secret> secrets = new HashMap<>();
    secrets.put(WechatChannel.SECRET_FIELD, Secret.of(SECRET));
    secrets.put(
        WechatChatbot.WEBHOOK_FIELD,
        Secret.of(robot.url("/cgi-bin/webhook/send?key=" + KEY).toString()));
    return new SendRequest<>(
        n,
        receiver,
        new WechatConfig(
            WechatConfig.DEFAULT_API_URL, "ww0000test", "1000002", new SecretKeySelector("w", "s")),
        secrets,
        deadline,
        egress,
        "");
  }

  private static WechatChatbot chatbot(List<String> users, List<String> mobiles) {
    return new WechatChatbot(new SecretKeySelector("robot", "webhook"), users, mobiles);
  }

  private List<JsonNode> robotBodies() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    RecordedRequest r;
    while ((r = robot.takeRequest(0, TimeUnit.SECONDS)) != null) {
      assertThat(r.getTarget()).isEqualTo("/cgi-bin/webhook/send?key=" + KEY);
      out.add(JSON.readTree(r.getBody().string(StandardCharsets.UTF_8)));
    }
    return out;
  }

  @Test
  void aReceiverWithOnlyAChatbotPostsTextWithItsMentionsAndNeverAsksForAnAppToken()
      throws Exception {
    robot.enqueue(WechatChatbotCompatibilityTest.ok());
    WechatReceiver receiver =
        new WechatReceiver(
            null,
            List.of(),
            List.of(),
            List.of(),
            chatbot(List.of("zhangsan"), List.of("13800001111")));

    SendResult result =
        channel("text")
            .send(
                request(
                    receiver,
                    List.of(alert("DiskFull", "Disk is full.")),
                    EgressPolicy.UNRESTRICTED));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    assertThat(((SendResult.Delivered) result).detail())
        .startsWith("WechatReceiver/shop-wechat: chatbot: POST http://")
        .endsWith("/cgi-bin/webhook/send: 1 message")
        .doesNotContain(KEY);
    JsonNode body = robotBodies().get(0);
    assertThat(body.path("msgtype").asText()).isEqualTo("text");
    assertThat(body.path("text").path("content").asText())
        .contains("DiskFull")
        .contains("Disk is full.");
    assertThat(body.path("text").path("mentioned_list").toString()).isEqualTo("[\"zhangsan\"]");
    assertThat(body.path("text").path("mentioned_mobile_list").toString())
        .isEqualTo("[\"13800001111\"]");
    assertThat(api.requests()).isEmpty();
  }

  @Test
  void markdownIsSplitWithinFourKilobytesInOrderAndTheMentionsFollowAsText() throws Exception {
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      alerts.add(alert("Alert" + i, "磁盘空间不足 ".repeat(40) + i));
    }
    for (int i = 0; i < 20; i++) {
      robot.enqueue(WechatChatbotCompatibilityTest.ok());
    }
    WechatReceiver receiver =
        new WechatReceiver(
            null, List.of(), List.of(), List.of(), chatbot(List.of("@all"), List.of()));

    SendResult result =
        channel("markdown").send(request(receiver, alerts, EgressPolicy.UNRESTRICTED));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    List<JsonNode> bodies = robotBodies();
    assertThat(bodies).hasSizeGreaterThan(2);
    StringBuilder all = new StringBuilder();
    for (JsonNode body : bodies.subList(0, bodies.size() - 1)) {
      assertThat(body.path("msgtype").asText()).isEqualTo("markdown");
      String content = body.path("markdown").path("content").asText();
      // Markdown content: at most 4,096 bytes of UTF-8
      // (developer.work.weixin.qq.com/document/path/91770)
      assertThat(content.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
      assertThat(body.path("markdown").has("mentioned_list")).isFalse();
      all.append(content);
    }
    assertThat(all.indexOf("Alert1*")).isLessThan(all.indexOf("Alert39"));
    for (int i = 0; i < bodies.size() - 1; i++) {
      assertThat(bodies.get(i).path("markdown").path("content").asText())
          .startsWith(
              "### [FIRING:40] 40 alerts (part " + (i + 1) + "/" + (bodies.size() - 1) + ")\n");
    }
    JsonNode mentions = bodies.get(bodies.size() - 1);
    assertThat(mentions.path("msgtype").asText()).isEqualTo("text");
    assertThat(mentions.path("text").path("mentioned_list").toString()).isEqualTo("[\"@all\"]");
  }

  @Test
  void theReceiversTmplTypeChoosesTheRobotsMessageAndItShowsEveryLabelOfACapturedPayload()
      throws Exception {
    robot.enqueue(WechatChatbotCompatibilityTest.ok());
    WechatReceiver receiver =
        new WechatReceiver(null, List.of(), List.of(), List.of(), chatbot(List.of(), List.of()));
    AlertBatch batch = CapturedAlerts.batch("grouped-multi-namespace");

    SendResult result =
        channel("text")
            .send(
                request(receiver, batch.alerts(), EgressPolicy.UNRESTRICTED)
                    .withRendering(
                        new RenderOptions(MessageSettings.DEFAULT, Map.of(), "markdown")));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    JsonNode body = robotBodies().get(0);
    assertThat(body.path("msgtype").asText()).isEqualTo("markdown");
    String content = body.path("markdown").path("content").asText();
    assertThat(content).startsWith("### [FIRING:5] HighErrorRate\n");
    for (String value : CapturedAlerts.shownValues(batch)) {
      if (!value.startsWith("https://")) {
        assertThat(content).contains(value.replace("_", "\\_").replace('\n', ' '));
      }
    }
    assertThat(content).contains("[Runbook](https://runbooks.example.com/HighErrorRate)");
  }

  @Test
  void aCustomTemplateReplacesTheRobotsBuiltInText() throws Exception {
    robot.enqueue(WechatChatbotCompatibilityTest.ok());
    WechatReceiver receiver =
        new WechatReceiver(null, List.of(), List.of(), List.of(), chatbot(List.of(), List.of()));
    CompiledTemplate custom =
        ((TemplateCompilation.Compiled)
                TemplateEngine.onClassPath(getClass().getClassLoader())
                    .compile(
                        new TemplateSource(
                            "robot.ftl", "${alerts?size} alert(s): ${names?join(\", \")}"),
                        TemplateFormat.TEXT))
            .template();

    channel("text")
        .send(
            request(receiver, List.of(alert("A", "s"), alert("B", "t")), EgressPolicy.UNRESTRICTED)
                .withRendering(
                    new RenderOptions(MessageSettings.DEFAULT, Map.of("text", custom), null)));

    assertThat(robotBodies().get(0).path("text").path("content").asText())
        .isEqualTo("2 alert(s): A, B");
  }

  @Test
  void alertTextCannotMentionAnyoneThroughTheRobotsSyntax() throws Exception {
    robot.enqueue(WechatChatbotCompatibilityTest.ok());
    WechatReceiver receiver =
        new WechatReceiver(null, List.of(), List.of(), List.of(), chatbot(List.of(), List.of()));

    channel("text")
        .send(
            request(
                receiver,
                List.of(alert("<@all> wake up", "<@zhangsan> <@all>")),
                EgressPolicy.UNRESTRICTED));

    JsonNode body = robotBodies().get(0);
    assertThat(body.path("text").path("content").asText())
        .doesNotContain("<@")
        .contains("<\u200b@all>");
    assertThat(body.path("text").has("mentioned_list")).isFalse();
  }

  @Test
  void appMessagesAndRobotAreBothTriedAndTheRetrySendsOnlyWhatFailed() throws Exception {
    api.enqueue(token("tok-1", 7200), sendError(-1, "system busy"));
    robot.enqueue(WechatChatbotCompatibilityTest.ok());
    WechatReceiver receiver =
        new WechatReceiver(
            null, List.of("alice"), List.of(), List.of(), chatbot(List.of(), List.of()));
    SendRequest<WechatReceiver, WechatConfig> first =
        request(receiver, List.of(alert("A", "a")), EgressPolicy.UNRESTRICTED);
    Channel<WechatReceiver, WechatConfig> channel = channel("text");

    SendResult.Failed failed = (SendResult.Failed) channel.send(first);
    assertThat(failed.reason()).isEqualTo(Reason.REMOTE_ERROR);
    assertThat(failed.retryable()).isTrue();
    assertThat(failed.detail()).contains("chatbot: POST").doesNotContain(KEY);
    assertThat(robotBodies()).hasSize(1);

    api.enqueue(sent());
    SendResult retried = channel.send(first.withProgress(failed.progress()));
    assertThat(retried).isInstanceOf(SendResult.Delivered.class);
    assertThat(robotBodies()).as("the robot already had it").isEmpty();
  }

  @Test
  void aFrequencyLimitedRobotIsRetriedAfterAMinuteAndAnInvalidWebhookIsPermanent() {
    WechatReceiver receiver =
        new WechatReceiver(null, List.of(), List.of(), List.of(), chatbot(List.of(), List.of()));
    robot.enqueue(WechatChatbotCompatibilityTest.reply(45009, "api freq out of limit"));
    SendResult.Failed limited =
        (SendResult.Failed)
            channel("text")
                .send(request(receiver, List.of(alert("A", "a")), EgressPolicy.UNRESTRICTED));
    assertThat(limited.reason()).isEqualTo(Reason.RATE_LIMITED);
    assertThat(limited.retryAfter()).hasSeconds(60);

    robot.enqueue(WechatChatbotCompatibilityTest.reply(93000, "invalid webhook url"));
    SendResult.Failed invalid =
        (SendResult.Failed)
            channel("text")
                .send(request(receiver, List.of(alert("A", "a")), EgressPolicy.UNRESTRICTED));
    assertThat(invalid.reason()).isEqualTo(Reason.INVALID_RECIPIENT);
    assertThat(invalid.retryable()).isFalse();
    assertThat(invalid.detail()).contains("errcode 93000").doesNotContain(KEY);
  }

  @Test
  void aRobotTakesTwentyMessagesAMinuteAcrossChannelsAndTheTwentyFirstWaitsForAPermit()
      throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    RatePermits shared = new RatePermits();
    Map<String, String> options = Map.of("apiUrl", api.baseUrl());
    Channel<WechatReceiver, WechatConfig> first =
        new WechatChannelProvider()
            .channel(new ChannelContext(options, clock, shared, null))
            .orElseThrow();
    Channel<WechatReceiver, WechatConfig> second =
        new WechatChannelProvider()
            .channel(new ChannelContext(options, clock, shared, null))
            .orElseThrow();
    opened.add(first);
    opened.add(second);
    WechatReceiver receiver =
        new WechatReceiver(null, List.of(), List.of(), List.of(), chatbot(List.of(), List.of()));
    for (int i = 0; i < 21; i++) {
      robot.enqueue(WechatChatbotCompatibilityTest.ok());
    }
    for (int i = 0; i < 20; i++) {
      Channel<WechatReceiver, WechatConfig> channel = i % 2 == 0 ? first : second;
      assertThat(
              channel.send(
                  request(receiver, List.of(alert("A" + i, "a")), EgressPolicy.UNRESTRICTED)))
          .isInstanceOf(SendResult.Delivered.class);
    }

    SendResult.Failed waiting =
        (SendResult.Failed)
            second.send(request(receiver, List.of(alert("A20", "a")), EgressPolicy.UNRESTRICTED));

    assertThat(waiting.reason()).isEqualTo(Reason.AWAITING_PERMIT);
    assertThat(waiting.retryAfter()).hasSeconds(60);
    assertThat(robot.getRequestCount()).isEqualTo(20);

    clock.advance(Duration.ofMinutes(1));
    assertThat(
            first.send(
                request(
                    receiver,
                    List.of(alert("A20", "a")),
                    EgressPolicy.UNRESTRICTED,
                    clock.instant().plusSeconds(10))))
        .isInstanceOf(SendResult.Delivered.class);
    assertThat(robot.getRequestCount()).isEqualTo(21);
  }

  @Test
  void aFrequencyLimitReplyHoldsTheRobotSoTheNextSendWaitsWithoutPosting() {
    MutableClock clock = new MutableClock(Instant.now());
    Channel<WechatReceiver, WechatConfig> channel =
        new WechatChannelProvider()
            .channel(
                new ChannelContext(Map.of("apiUrl", api.baseUrl()), clock, new RatePermits(), null))
            .orElseThrow();
    opened.add(channel);
    WechatReceiver receiver =
        new WechatReceiver(null, List.of(), List.of(), List.of(), chatbot(List.of(), List.of()));
    robot.enqueue(WechatChatbotCompatibilityTest.reply(45009, "api freq out of limit"));
    channel.send(request(receiver, List.of(alert("A", "a")), EgressPolicy.UNRESTRICTED));

    clock.advance(Duration.ofSeconds(30));
    SendResult.Failed held =
        (SendResult.Failed)
            channel.send(
                request(
                    receiver,
                    List.of(alert("B", "b")),
                    EgressPolicy.UNRESTRICTED,
                    clock.instant().plusSeconds(10)));

    assertThat(held.reason()).isEqualTo(Reason.AWAITING_PERMIT);
    assertThat(held.retryAfter()).hasSeconds(30);
    assertThat(robot.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aTenantsRobotWebhookOnAnInternalAddressIsRefusedBeforeAnythingIsSent() {
    WechatReceiver receiver =
        new WechatReceiver(null, List.of(), List.of(), List.of(), chatbot(List.of(), List.of()));

    SendResult.Failed failed =
        (SendResult.Failed)
            channel("text")
                .send(request(receiver, List.of(alert("A", "a")), EgressPolicy.tenantDefault()));

    assertThat(failed.reason()).isEqualTo(Reason.EGRESS_DENIED);
    assertThat(failed.detail()).doesNotContain(KEY);
    assertThat(robot.getRequestCount()).isZero();
  }
}
