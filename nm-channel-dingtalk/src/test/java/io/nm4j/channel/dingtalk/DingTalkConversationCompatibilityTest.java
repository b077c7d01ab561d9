package io.nm4j.channel.dingtalk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.nm4j.channel.dingtalk.internal.MarkdownRenderer;
import io.nm4j.spi.Alert;
import io.nm4j.spi.ChannelContext;
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
import java.time.Clock;
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

/**
 * An enterprise app's group chat against the kit: {@code gettoken} then {@code chat/send}, with the
 * API base redirected by the {@code apiUrl} option. Replies are routed by path, since a cached
 * token skips {@code gettoken}.
 */
class DingTalkConversationCompatibilityTest
    extends ChannelCompatibilityKit<
        DingTalkReceiver, DingTalkConfig, DingTalkConversationCompatibilityTest.Routed> {
  static final String APP_KEY = "dingkitappkey0b3e";
  static final String APP_SECRET = "kit-app-secret-5f0c2a9d";
  static final String ACCESS_TOKEN = "kit-access-token-e41b77";
  static final String GETTOKEN = "/gettoken";
  static final String CHAT_SEND = "/chat/send";
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** A reply for one path. */
  record Routed(String path, MockResponse response) {}

  private final MockWebServer server = new MockWebServer();
  private final Routes routes = new Routes();
  private final List<Integer> sizes = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(routes);
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Override
  protected ChannelContext context() {
    return new ChannelContext(Map.of("apiUrl", server.url("/").toString()), Clock.systemUTC());
  }

  @Override
  protected ChannelProvider<DingTalkReceiver, DingTalkConfig> provider() {
    return new DingTalkChannelProvider();
  }

  @Override
  protected Map<String, Object> validReceiverSpec() {
    return Map.of("dingtalkConfigSelector", Map.of("matchLabels", Map.of("type", "tenant")));
  }

  @Override
  protected Map<String, Object> validConfigSpec() {
    return Map.of(
        "conversation",
        Map.of("appkey", ref("appkey"), "appsecret", ref("appsecret"), "chatid", "chat0kit"));
  }

  private static Map<String, Object> ref(String key) {
    return Map.of("name", "kit-dingtalk-app", "key", key);
  }

  @Override
  protected Map<String, Secret> secrets() {
    Map<String, Secret> s = new LinkedHashMap<>();
    s.put(DingTalkConfig.CONVERSATION_APPKEY, Secret.of(APP_KEY));
    s.put(DingTalkConfig.CONVERSATION_APPSECRET, Secret.of(APP_SECRET));
    return s;
  }

  @Override
  protected Set<String> secretTexts() {
    Set<String> texts = new HashSet<>(super.secretTexts());
    texts.add(ACCESS_TOKEN);
    return texts;
  }

  @Override
  protected void enqueue(Routed reply) {
    routes.add(reply.path(), reply.response());
  }

  private static Routed token() {
    return new Routed(GETTOKEN, Replies.token(ACCESS_TOKEN));
  }

  private static Routed send(MockResponse r) {
    return new Routed(CHAT_SEND, r);
  }

  /** A notification in several parts of a group chat's smaller limit. */
  @Override
  protected Resumption<Routed> resumption() {
    List<Alert> alerts = manyAlerts(20, 400);
    int parts =
        new MarkdownRenderer(TemplateEngine.onClassPath(getClass().getClassLoader()))
            .render(
                notification(alerts),
                RenderOptions.DEFAULT,
                List.of(),
                DingTalkChannel.CONVERSATION_MAX_TEXT_BYTES)
            .parts()
            .size();
    List<Routed> accepted = new ArrayList<>(List.of(token()));
    for (int i = 0; i < parts; i++) {
      accepted.add(send(Replies.ok()));
    }
    return new Resumption<>(
        validReceiverSpec(),
        alerts,
        List.of(token(), send(Replies.ok()), send(Replies.error(-1, "系统繁忙"))),
        accepted);
  }

  @Override
  protected List<Routed> successReplies() {
    return List.of(token(), send(Replies.ok()));
  }

  private static ErrorReply<Routed> sendError(
      String name, MockResponse reply, Reason reason, boolean retryable) {
    return new ErrorReply<>(name, List.of(token(), send(reply)), reason, retryable, null);
  }

  @Override
  protected List<ErrorReply<Routed>> errorReplies() {
    Routed drop =
        send(new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    return List.of(
        ErrorReply.of(
            "gettoken 40089 invalid app key or secret",
            new Routed(GETTOKEN, Replies.error(40089, "不合法的corpid或corpsecret")),
            Reason.AUTH_REJECTED,
            false),
        ErrorReply.of(
            "gettoken -1 busy",
            new Routed(GETTOKEN, Replies.error(-1, "系统繁忙")),
            Reason.REMOTE_ERROR,
            true),
        ErrorReply.of(
            "gettoken HTTP 503",
            new Routed(GETTOKEN, new MockResponse.Builder().code(503).build()),
            Reason.REMOTE_ERROR,
            true),
        new ErrorReply<>(
            "42001 twice: refreshed token refused too",
            List.of(
                token(),
                send(Replies.error(42001, "access_token超时")),
                token(),
                send(Replies.error(42001, "access_token超时"))),
            Reason.AUTH_REJECTED,
            false,
            null),
        sendError("chat/send -1 busy", Replies.error(-1, "系统繁忙"), Reason.REMOTE_ERROR, true),
        sendError(
            "chat/send 88 not authorised",
            Replies.error(88, "ding talk error[subcode=60011,submsg=没有调用该接口的权限]"),
            Reason.AUTH_REJECTED,
            false),
        sendError(
            "chat/send other errcode", Replies.error(40035, "不合法的参数"), Reason.REJECTED, false),
        sendError(
            "chat/send HTTP 500",
            new MockResponse.Builder().code(500).build(),
            Reason.REMOTE_ERROR,
            true),
        new ErrorReply<>(
            "connection dropped",
            // OkHttp retries a dropped connection by itself; it never gets past these.
            List.of(token(), drop, drop, drop, drop),
            Reason.CONNECTION_FAILED,
            true,
            null));
  }

  @Override
  protected Routed noReply() {
    return new Routed(
        GETTOKEN, new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
  }

  @Override
  protected List<BadSpec> badSpecs() {
    return List.of(
        BadSpec.config(
            "conversation without chatid",
            TestManifests.lastOf("invalid/dingtalk-config-conversation-without-chatid.yaml").spec(),
            "spec.conversation.chatid"),
        BadSpec.config(
            "conversation without appsecret",
            Map.of("conversation", Map.of("appkey", ref("appkey"), "chatid", "c")),
            "spec.conversation.appsecret"));
  }

  @Override
  protected ChannelLimits expectedLimits() {
    return new ChannelLimits(DingTalkChannel.CONVERSATION_MAX_TEXT_BYTES, 1, null);
  }

  @Override
  protected List<Integer> receivedMessageSizes() {
    try {
      RecordedRequest r;
      while ((r = server.takeRequest(0, TimeUnit.SECONDS)) != null) {
        if (r.getUrl().encodedPath().equals(CHAT_SEND)) {
          JsonNode body = JSON.readTree(r.getBody().string(StandardCharsets.UTF_8));
          sizes.add(body.at("/msg/markdown/text").asText().getBytes(StandardCharsets.UTF_8).length);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return List.copyOf(sizes);
  }
}
