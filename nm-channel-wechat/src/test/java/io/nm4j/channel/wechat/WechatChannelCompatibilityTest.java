package io.nm4j.channel.wechat;

import static io.nm4j.channel.wechat.WechatApi.sendError;
import static io.nm4j.channel.wechat.WechatApi.sent;
import static io.nm4j.channel.wechat.WechatApi.token;
import static io.nm4j.channel.wechat.WechatApi.tokenError;

import io.nm4j.channel.wechat.WechatApi.Endpoint;
import io.nm4j.channel.wechat.WechatApi.Reply;
import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.test.ChannelCompatibilityKit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The WeChat Work channel against the kit, with a server answering like WeChat Work. */
class WechatChannelCompatibilityTest
    extends ChannelCompatibilityKit<WechatReceiver, WechatConfig, Reply> {
  static final String SECRET = "kit-app-secret-7Hq2x";
  static final String TOKEN = "kit-access-token-A1b2";
  static final String FRESH_TOKEN = "kit-access-token-C3d4";

  private WechatApi api;

  @BeforeEach
  void start() {
    api = new WechatApi().start();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Override
  protected ChannelProvider<WechatReceiver, WechatConfig> provider() {
    return new WechatChannelProvider();
  }

  @Override
  protected Map<String, Object> validReceiverSpec() {
    return Map.of("toUser", "alice|bob", "toParty", "2", "toTag", "1");
  }

  @Override
  protected Map<String, Object> validConfigSpec() {
    return Map.of(
        "wechatApiUrl",
        api.baseUrl(),
        "wechatApiCorpId",
        "ww0000kit",
        "wechatApiAgentId",
        "1000002",
        "wechatApiSecret",
        Map.of("name", "kit-wechat", "key", "secret"));
  }

  @Override
  protected Map<String, Secret> secrets() {
    return Map.of(WechatChannel.SECRET_FIELD, Secret.of(SECRET));
  }

  /** The access tokens are credentials too. */
  @Override
  protected Set<String> secretTexts() {
    Set<String> texts = new HashSet<>(super.secretTexts());
    texts.add(TOKEN);
    texts.add(FRESH_TOKEN);
    return texts;
  }

  @Override
  protected void enqueue(Reply reply) {
    api.enqueue(reply);
  }

  /** 1,500 users: two calls of the one part. */
  @Override
  protected Resumption<Reply> resumption() {
    String users = String.join("|", IntStream.range(0, 1500).mapToObj(i -> "u" + i).toList());
    return new Resumption<>(
        Map.of("toUser", users),
        sampleAlerts(),
        List.of(token(TOKEN, 7200), sent(), sendError(-1, "system busy")),
        List.of(token(TOKEN, 7200), sent(), sent()));
  }

  @Override
  protected List<Reply> successReplies() {
    return List.of(token(TOKEN, 7200), sent());
  }

  private static ErrorReply<Reply> atToken(String name, Reply reply, Reason reason, boolean retry) {
    return ErrorReply.of("gettoken " + name, reply, reason, retry);
  }

  private static ErrorReply<Reply> atSend(String name, Reply reply, Reason reason, boolean retry) {
    return new ErrorReply<>(
        "message/send " + name, List.of(token(TOKEN, 7200), reply), reason, retry, null);
  }

  /** The token is refused, a fresh one is fetched, and that one is refused too. */
  private static ErrorReply<Reply> refusedTwice(int errcode, String errmsg, boolean retry) {
    return new ErrorReply<>(
        "message/send " + errcode + " again after a token refresh",
        List.of(
            token(TOKEN, 7200),
            sendError(errcode, errmsg),
            token(FRESH_TOKEN, 7200),
            sendError(errcode, errmsg)),
        Reason.AUTH_REJECTED,
        retry,
        null);
  }

  @Override
  protected List<ErrorReply<Reply>> errorReplies() {
    MockResponse tooMany =
        new MockResponse.Builder().code(429).addHeader("Retry-After", "7").build();
    return List.of(
        atToken(
            "40001 invalid credential (wrong secret)",
            tokenError(40001, "invalid credential"),
            Reason.AUTH_REJECTED,
            false),
        atToken(
            "40013 invalid corpid",
            tokenError(40013, "invalid corpid"),
            Reason.AUTH_REJECTED,
            false),
        atToken(
            "60020 not allow to access from your ip",
            tokenError(60020, "not allow to access from your ip"),
            Reason.AUTH_REJECTED,
            false),
        atToken("-1 system busy", tokenError(-1, "system busy"), Reason.REMOTE_ERROR, true),
        atToken(
            "45009 api freq out of limit",
            tokenError(45009, "api freq out of limit"),
            Reason.RATE_LIMITED,
            true),
        atToken("HTTP 503", WechatApi.status(Endpoint.TOKEN, 503), Reason.REMOTE_ERROR, true),
        atSend("-1 system busy", sendError(-1, "system busy"), Reason.REMOTE_ERROR, true),
        atSend(
            "45009 api freq out of limit",
            sendError(45009, "api freq out of limit"),
            Reason.RATE_LIMITED,
            true),
        atSend(
            "45033 api concurrent out of limit",
            sendError(45033, "api concurrent out of limit"),
            Reason.RATE_LIMITED,
            true),
        atSend(
            "40056 invalid agentid", sendError(40056, "invalid agentid"), Reason.REJECTED, false),
        atSend(
            "81013 user & party & tag all invalid",
            sendError(81013, "user & party & tag all invalid"),
            Reason.INVALID_RECIPIENT,
            false),
        atSend(
            "45002 content size out of limit",
            sendError(45002, "content size out of limit"),
            Reason.TOO_LARGE,
            false),
        atSend("HTTP 502", WechatApi.status(Endpoint.SEND, 502), Reason.REMOTE_ERROR, true),
        atSend(
            "HTTP 200 that is no WeChat Work reply",
            WechatApi.status(Endpoint.SEND, 200),
            Reason.REMOTE_ERROR,
            true),
        new ErrorReply<>(
            "message/send HTTP 429 Retry-After 7",
            List.of(token(TOKEN, 7200), new Reply(Endpoint.SEND, tooMany)),
            Reason.RATE_LIMITED,
            true,
            Duration.ofSeconds(7)),
        refusedTwice(40001, "invalid credential, access_token is invalid or not latest", false),
        refusedTwice(40014, "invalid access_token", false),
        refusedTwice(42001, "access_token expired", true),
        new ErrorReply<>(
            "message/send 42001, then gettoken 40001 on refresh",
            List.of(
                token(TOKEN, 7200),
                sendError(42001, "access_token expired"),
                tokenError(40001, "invalid credential")),
            Reason.AUTH_REJECTED,
            false,
            null));
  }

  @Override
  protected Reply noReply() {
    return WechatApi.stall(Endpoint.TOKEN);
  }

  @Override
  protected List<BadSpec> badSpecs() {
    Map<String, Object> secret = Map.of("name", "kit-wechat", "key", "secret");
    return List.of(
        BadSpec.config(
            "config without wechatApiSecret",
            Map.of("wechatApiCorpId", "ww1", "wechatApiAgentId", "1"),
            "spec.wechatApiSecret"),
        BadSpec.config(
            "agent ID that is not a number",
            Map.of(
                "wechatApiCorpId", "ww1",
                "wechatApiAgentId", "alerts",
                "wechatApiSecret", secret),
            "spec.wechatApiAgentId"),
        BadSpec.config(
            "API URL with a query",
            Map.of(
                "wechatApiUrl", "https://qyapi.weixin.qq.com/cgi-bin/?corpsecret=x",
                "wechatApiCorpId", "ww1",
                "wechatApiAgentId", "1",
                "wechatApiSecret", secret),
            "spec.wechatApiUrl"),
        BadSpec.receiver("receiver without users, parties or tags", Map.of(), "spec"),
        BadSpec.receiver("empty user ID", Map.of("toUser", "alice||bob"), "spec.toUser"));
  }

  @Override
  protected ChannelLimits expectedLimits() {
    return new ChannelLimits(4096, 1000, null);
  }

  @Override
  protected List<Integer> receivedMessageSizes() {
    return api.sentBodies().stream()
        .map(b -> b.path("text").path("content").asText().getBytes(StandardCharsets.UTF_8).length)
        .toList();
  }
}
