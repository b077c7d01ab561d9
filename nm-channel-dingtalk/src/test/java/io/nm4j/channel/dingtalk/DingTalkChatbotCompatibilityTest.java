package io.nm4j.channel.dingtalk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.nm4j.channel.dingtalk.internal.MarkdownRenderer;
import io.nm4j.spi.Alert;
import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.RenderOptions;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.spi.TemplateEngine;
import io.nm4j.test.ChannelCompatibilityKit;
import io.nm4j.test.TestManifests;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A signing custom robot with keywords against the kit. */
class DingTalkChatbotCompatibilityTest
    extends ChannelCompatibilityKit<DingTalkReceiver, DingTalkConfig, MockResponse> {
  static final String ROBOT_TOKEN = "kit-robot-token-7c1d9e";
  static final String SIGN_SECRET = "SECkit0sign0secret0a81f44";
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final MockWebServer server = new MockWebServer();
  private final List<Integer> sizes = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Override
  protected ChannelProvider<DingTalkReceiver, DingTalkConfig> provider() {
    return new DingTalkChannelProvider();
  }

  @Override
  protected Map<String, Object> validReceiverSpec() {
    return Map.of("dingTalkConfigSelector", Map.of("matchLabels", Map.of("type", "tenant")));
  }

  @Override
  protected Map<String, Object> validConfigSpec() {
    return Map.of(
        "chatbot",
        Map.of(
            "webhook", ref("webhook"),
            "keywords", List.of("alert", "kubesphere"),
            "secret", ref("sign")));
  }

  private static Map<String, Object> ref(String key) {
    return Map.of("name", "kit-dingtalk-secret", "key", key);
  }

  @Override
  protected Map<String, Secret> secrets() {
    Map<String, Secret> s = new LinkedHashMap<>();
    s.put(
        DingTalkConfig.CHATBOT_WEBHOOK,
        Secret.of(server.url("/robot/send?access_token=" + ROBOT_TOKEN).toString()));
    s.put(DingTalkConfig.CHATBOT_SECRET, Secret.of(SIGN_SECRET));
    return s;
  }

  @Override
  protected Set<String> secretTexts() {
    Set<String> texts = new HashSet<>(super.secretTexts());
    texts.add(ROBOT_TOKEN);
    return texts;
  }

  @Override
  protected void enqueue(MockResponse reply) {
    server.enqueue(reply);
  }

  /** A notification in three parts. */
  @Override
  protected Resumption<MockResponse> resumption() {
    List<Alert> alerts = manyAlerts(120, 400);
    int parts =
        new MarkdownRenderer(TemplateEngine.onClassPath(getClass().getClassLoader()))
            .render(
                notification(alerts),
                RenderOptions.DEFAULT,
                List.of("alert", "kubesphere"),
                DingTalkChannel.CHATBOT_MAX_TEXT_BYTES)
            .parts()
            .size();
    List<MockResponse> accepted = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      accepted.add(Replies.ok());
    }
    return new Resumption<>(
        validReceiverSpec(), alerts, List.of(Replies.ok(), Replies.tooFast()), accepted);
  }

  @Override
  protected List<MockResponse> successReplies() {
    return List.of(Replies.ok());
  }

  @Override
  protected List<ErrorReply<MockResponse>> errorReplies() {
    MockResponse drop =
        new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build();
    return List.of(
        ErrorReply.of("130101 send too fast", Replies.tooFast(), Reason.RATE_LIMITED, true)
            .withRetryAfter(Duration.ofMinutes(10)),
        ErrorReply.of(
            "310000 keywords not in content",
            Replies.error(310000, "keywords not in content"),
            Reason.AUTH_REJECTED,
            false),
        ErrorReply.of(
            "310000 sign not match",
            Replies.error(310000, "sign not match, more: [https://ding-doc.dingtalk.com/doc#/]"),
            Reason.AUTH_REJECTED,
            false),
        ErrorReply.of(
            "310000 ip not in whitelist",
            Replies.error(310000, "ip X.X.X.X not in whitelist"),
            Reason.AUTH_REJECTED,
            false),
        ErrorReply.of(
            "300001 invalid token",
            Replies.error(300001, "token is not exist"),
            Reason.AUTH_REJECTED,
            false),
        ErrorReply.of(
            "300005 token is not exist",
            Replies.error(300005, "token is not exist"),
            Reason.AUTH_REJECTED,
            false),
        ErrorReply.of(
            "400102 robot disabled",
            Replies.error(400102, "robot is stopped"),
            Reason.INVALID_RECIPIENT,
            false),
        ErrorReply.of(
            "460101 message too long",
            Replies.error(460101, "message too long, exceed 20000 bytes"),
            Reason.TOO_LARGE,
            false),
        ErrorReply.of("-1 system busy", Replies.error(-1, "系统繁忙"), Reason.REMOTE_ERROR, true),
        ErrorReply.of("other errcode", Replies.error(40035, "缺少参数 json"), Reason.REJECTED, false),
        ErrorReply.of(
            "HTTP 200 without errcode", Replies.json("<html></html>"), Reason.REMOTE_ERROR, true),
        ErrorReply.of(
            "HTTP 500", new MockResponse.Builder().code(500).build(), Reason.REMOTE_ERROR, true),
        ErrorReply.of(
                "HTTP 429 Retry-After 30",
                new MockResponse.Builder().code(429).addHeader("Retry-After", "30").build(),
                Reason.RATE_LIMITED,
                true)
            .withRetryAfter(Duration.ofSeconds(30)),
        new ErrorReply<>(
            "connection dropped", List.of(drop, drop), Reason.CONNECTION_FAILED, true, null));
  }

  @Override
  protected MockResponse noReply() {
    return new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
  }

  @Override
  protected List<BadSpec> badSpecs() {
    return List.of(
        BadSpec.config(
            "chatbot without webhook",
            TestManifests.lastOf("invalid/dingtalk-config-chatbot-without-webhook.yaml").spec(),
            "spec.chatbot.webhook"),
        BadSpec.config(
            "eleven keywords",
            TestManifests.lastOf("invalid/dingtalk-config-eleven-keywords.yaml").spec(),
            "spec.chatbot.keywords"),
        BadSpec.config(
            "conversation without chatid",
            TestManifests.lastOf("invalid/dingtalk-config-conversation-without-chatid.yaml").spec(),
            "spec.conversation.chatid"),
        BadSpec.config("neither chatbot nor conversation", Map.of(), "spec"),
        BadSpec.receiver(
            "both selector spellings",
            Map.of(
                "dingTalkConfigSelector", Map.of("matchLabels", Map.of("a", "b")),
                "dingtalkConfigSelector", Map.of("matchLabels", Map.of("a", "c"))),
            "spec.dingtalkConfigSelector"));
  }

  @Override
  protected ChannelLimits expectedLimits() {
    return new ChannelLimits(DingTalkChannel.CHATBOT_MAX_TEXT_BYTES, 1, null);
  }

  /** The UTF-8 size of each received message's markdown text, the part the limit is about. */
  @Override
  protected List<Integer> receivedMessageSizes() {
    try {
      RecordedRequest r;
      while ((r = server.takeRequest(0, TimeUnit.SECONDS)) != null) {
        JsonNode body = JSON.readTree(r.getBody().string(StandardCharsets.UTF_8));
        sizes.add(body.at("/markdown/text").asText().getBytes(StandardCharsets.UTF_8).length);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return List.copyOf(sizes);
  }
}
