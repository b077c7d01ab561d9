package io.nm4j.channel.wechat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.test.ChannelCompatibilityKit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
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

/**
 * The WeChat Work channel's group robot against the kit: a receiver with only a {@code chatbot},
 * its webhook on a local server answering as the robot API does
 * (https://developer.work.weixin.qq.com/document/path/91770).
 */
class WechatChatbotCompatibilityTest
    extends ChannelCompatibilityKit<WechatReceiver, WechatConfig, MockResponse> {
  static final String KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";
  private static final ObjectMapper JSON = new ObjectMapper();

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

  static MockResponse reply(int errcode, String errmsg) {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/json; charset=UTF-8")
        .body("{\"errcode\":" + errcode + ",\"errmsg\":\"" + errmsg + "\"}")
        .build();
  }

  static MockResponse ok() {
    return reply(0, "ok");
  }

  @Override
  protected ChannelProvider<WechatReceiver, WechatConfig> provider() {
    return new WechatChannelProvider();
  }

  @Override
  protected ChannelContext context() {
    return new ChannelContext(Map.of("messageType", "markdown"), Clock.systemUTC());
  }

  @Override
  protected Map<String, Object> validReceiverSpec() {
    return Map.of(
        "chatbot",
        Map.of(
            "webhook",
            Map.of("name", "ops-robot", "key", "webhook"),
            "atUsers",
            List.of("zhangsan", "@all"),
            "atMobiles",
            List.of("13800001111")));
  }

  @Override
  protected Map<String, Object> validConfigSpec() {
    return Map.of(
        "wechatApiCorpId",
        "ww0000kit",
        "wechatApiAgentId",
        "1000002",
        "wechatApiSecret",
        Map.of("name", "kit-wechat", "key", "secret"));
  }

  @Override
  protected Map<String, Secret> secrets() {
    return Map.of(
        WechatChatbot.WEBHOOK_FIELD,
        Secret.of(server.url("/cgi-bin/webhook/send?key=" + KEY).toString()));
  }

  @Override
  protected Set<String> secretTexts() {
    Set<String> texts = new HashSet<>(super.secretTexts());
    texts.add(KEY);
    return texts;
  }

  @Override
  protected void enqueue(MockResponse reply) {
    server.enqueue(reply);
  }

  /** Markdown and its mentions: two messages, the mentions' text message failing busy. */
  @Override
  protected Resumption<MockResponse> resumption() {
    return new Resumption<>(
        validReceiverSpec(),
        sampleAlerts(),
        List.of(ok(), reply(-1, "system busy")),
        List.of(ok(), ok()));
  }

  /** The markdown message and the text message carrying the mentions. */
  @Override
  protected List<MockResponse> successReplies() {
    return List.of(ok(), ok());
  }

  @Override
  protected List<ErrorReply<MockResponse>> errorReplies() {
    MockResponse drop =
        new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build();
    return List.of(
        ErrorReply.of(
            "93000 invalid webhook url",
            reply(
                93000,
                "invalid webhook url, hint: [1733180000_xyz], from ip: 203.0.113.7, more info at"
                    + " https://open.work.weixin.qq.com/devtool/query?e=93000"),
            Reason.INVALID_RECIPIENT,
            false),
        ErrorReply.of(
                "45009 api freq out of limit",
                reply(45009, "api freq out of limit, hint: [1733180000_abc]"),
                Reason.RATE_LIMITED,
                true)
            .withRetryAfter(Duration.ofMinutes(1)),
        ErrorReply.of("-1 system busy", reply(-1, "system busy"), Reason.REMOTE_ERROR, true),
        ErrorReply.of(
            "40008 invalid message type",
            reply(40008, "invalid message type"),
            Reason.REJECTED,
            false),
        ErrorReply.of(
            "HTTP 502",
            new MockResponse.Builder().code(502).body("bad gateway").build(),
            Reason.REMOTE_ERROR,
            true),
        ErrorReply.of(
            "HTTP 200 that is not WeChat Work's JSON",
            new MockResponse.Builder().code(200).body("<html>portal</html>").build(),
            Reason.REMOTE_ERROR,
            true),
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
        BadSpec.receiver(
            "chatbot without webhook", Map.of("chatbot", Map.of()), "spec.chatbot.webhook"),
        BadSpec.receiver(
            "webhook as plain text",
            Map.of(
                "chatbot",
                Map.of("webhook", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x")),
            "spec.chatbot.webhook"),
        BadSpec.receiver(
            "a mobile that is no number",
            Map.of(
                "chatbot",
                Map.of(
                    "webhook", Map.of("name", "r", "key", "k"), "atMobiles", List.of("call me"))),
            "spec.chatbot.atMobiles[0]"),
        BadSpec.receiver(
            "a member ID with a space",
            Map.of(
                "chatbot",
                Map.of("webhook", Map.of("name", "r", "key", "k"), "atUsers", List.of("a b"))),
            "spec.chatbot.atUsers[0]"));
  }

  @Override
  protected ChannelLimits expectedLimits() {
    return new ChannelLimits(4096, 1000, null);
  }

  /** The UTF-8 size of each message's content. */
  @Override
  protected List<Integer> receivedMessageSizes() {
    try {
      RecordedRequest r;
      while ((r = server.takeRequest(0, TimeUnit.SECONDS)) != null) {
        var body = JSON.readTree(r.getBody().string(StandardCharsets.UTF_8));
        String type = body.path("msgtype").asText();
        String content = body.path(type).path("content").asText();
        sizes.add(content.getBytes(StandardCharsets.UTF_8).length);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(sizes);
  }
}
