package io.nm4j.channel.feishu;

import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.Secret;
import io.nm4j.test.ChannelCompatibilityKit;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** What the Feishu kits share: a local open platform and bot, and how messages are counted. */
abstract class FeishuCompatibilityKit
    extends ChannelCompatibilityKit<FeishuReceiver, FeishuConfig, MockResponse> {
  static final String HOOK_TOKEN = "2d8e6f0a-5b1c-4c3e-9f7a-0e1d2c3b4a59";
  static final String SIGN_SECRET = "fs-sign-secret-0123456789";
  static final String APP_ID = "cli_a1b2c3d4e5f6a7b8";
  static final String APP_SECRET = "dskLLdkasdjlasdKKqwertyuiop123456";

  final MockWebServer server = new MockWebServer();
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
  protected ChannelProvider<FeishuReceiver, FeishuConfig> provider() {
    return new FeishuChannelProvider();
  }

  @Override
  protected ChannelContext context() {
    return new ChannelContext(Map.of("apiUrl", server.url("/").toString()), Clock.systemUTC());
  }

  static Map<String, Object> appConfigSpec() {
    return Map.of(
        "appID",
        Map.of("name", "feishu-app", "key", "id"),
        "appSecret",
        Map.of("name", "feishu-app", "key", "secret"));
  }

  static Map<String, Secret> botSecrets(MockWebServer server) {
    return Map.of(
        FeishuReceiver.CHATBOT_WEBHOOK,
        Secret.of(server.url("/open-apis/bot/v2/hook/" + HOOK_TOKEN).toString()),
        FeishuReceiver.CHATBOT_SECRET,
        Secret.of(SIGN_SECRET));
  }

  static Map<String, Secret> appSecrets() {
    return Map.of(
        FeishuConfig.APP_ID, Secret.of(APP_ID), FeishuConfig.APP_SECRET, Secret.of(APP_SECRET));
  }

  @Override
  protected java.util.Set<String> secretTexts() {
    return java.util.Set.of(HOOK_TOKEN, SIGN_SECRET, APP_SECRET, FeishuReplies.TOKEN);
  }

  @Override
  protected void enqueue(MockResponse reply) {
    server.enqueue(reply);
  }

  @Override
  protected MockResponse noReply() {
    return new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
  }

  static MockResponse dropped() {
    return new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build();
  }

  @Override
  protected ChannelLimits expectedLimits() {
    return new ChannelLimits(FeishuChannel.MAX_BODY_BYTES, FeishuReceiver.MAX_IDS, null);
  }

  /** The size of each message's body; token requests are not messages. */
  @Override
  protected List<Integer> receivedMessageSizes() {
    try {
      RecordedRequest r;
      while ((r = server.takeRequest(0, TimeUnit.SECONDS)) != null) {
        if (!r.getTarget().contains("tenant_access_token")) {
          sizes.add((int) r.getBodySize());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return List.copyOf(sizes);
  }
}
