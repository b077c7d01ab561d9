package io.nm4j.channel.telegram;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The Telegram channel against the kit, with the Bot API redirected to a local server. */
class TelegramChannelCompatibilityTest
    extends ChannelCompatibilityKit<TelegramReceiver, TelegramConfig, MockResponse> {
  static final String TOKEN = "7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0";
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

  @Override
  protected ChannelProvider<TelegramReceiver, TelegramConfig> provider() {
    return new TelegramChannelProvider();
  }

  @Override
  protected ChannelContext context() {
    return new ChannelContext(Map.of("apiUrl", server.url("/").toString()), Clock.systemUTC());
  }

  @Override
  protected Map<String, Object> validReceiverSpec() {
    return Map.of(
        "channels",
        List.of("-1001234567890"),
        "mentionedUsers",
        List.of("@oncall_team"),
        "telegramConfigSelector",
        Map.of("matchLabels", Map.of("type", "global")));
  }

  @Override
  protected Map<String, Object> validConfigSpec() {
    return Map.of("telegramTokenSecret", Map.of("name", "global-telegram-secret", "key", "token"));
  }

  @Override
  protected Map<String, Secret> secrets() {
    return Map.of(TelegramConfig.TOKEN_FIELD, Secret.of(TOKEN));
  }

  @Override
  protected void enqueue(MockResponse reply) {
    server.enqueue(reply);
  }

  /** Two chats, one message each: the first posted, the second failing retryably. */
  @Override
  protected Resumption<MockResponse> resumption() {
    return new Resumption<>(
        Map.of("channels", List.of("-1001234567890", "@nm4j_alerts")),
        sampleAlerts(),
        List.of(TelegramReplies.ok(), TelegramReplies.error(502, "Bad Gateway")),
        List.of(TelegramReplies.ok(), TelegramReplies.ok()));
  }

  @Override
  protected List<MockResponse> successReplies() {
    return List.of(TelegramReplies.ok());
  }

  @Override
  protected List<ErrorReply<MockResponse>> errorReplies() {
    MockResponse drop =
        new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build();
    return List.of(
        ErrorReply.of(
            "400 chat not found",
            TelegramReplies.error(400, "Bad Request: chat not found"),
            Reason.INVALID_RECIPIENT,
            false),
        ErrorReply.of(
            "403 bot was blocked by the user",
            TelegramReplies.error(403, "Forbidden: bot was blocked by the user"),
            Reason.INVALID_RECIPIENT,
            false),
        ErrorReply.of(
            "403 bot was kicked from the group chat",
            TelegramReplies.error(403, "Forbidden: bot was kicked from the group chat"),
            Reason.INVALID_RECIPIENT,
            false),
        ErrorReply.of(
            "400 group upgraded to a supergroup",
            TelegramReplies.json(
                400,
                "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: group chat was"
                    + " upgraded to a supergroup chat\",\"parameters\":{\"migrate_to_chat_id\":"
                    + "-1009876543210}}"),
            Reason.INVALID_RECIPIENT,
            false),
        ErrorReply.of(
            "401 Unauthorized",
            TelegramReplies.error(401, "Unauthorized"),
            Reason.AUTH_REJECTED,
            false),
        ErrorReply.of(
            "404 Not Found (a token of the wrong shape)",
            TelegramReplies.error(404, "Not Found"),
            Reason.AUTH_REJECTED,
            false),
        ErrorReply.of(
            "400 can't parse entities",
            TelegramReplies.error(
                400, "Bad Request: can't parse entities: Unsupported start tag at byte offset 4"),
            Reason.REJECTED,
            false),
        ErrorReply.of(
            "400 message is too long",
            TelegramReplies.error(400, "Bad Request: message is too long"),
            Reason.TOO_LARGE,
            false),
        ErrorReply.of(
                "429 with parameters.retry_after",
                TelegramReplies.tooManyRequests(35),
                Reason.RATE_LIMITED,
                true)
            .withRetryAfter(Duration.ofSeconds(35)),
        ErrorReply.of(
            "500 Internal Server Error",
            TelegramReplies.error(500, "Internal Server Error"),
            Reason.REMOTE_ERROR,
            true),
        ErrorReply.of(
            "502 from a proxy, not the Bot API's JSON",
            new MockResponse.Builder().code(502).body("<html>bad gateway</html>").build(),
            Reason.REMOTE_ERROR,
            true),
        ErrorReply.of(
            "200 that is not the Bot API's JSON",
            new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "text/html")
                .body("<html>portal</html>")
                .build(),
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
        BadSpec.config("no token", Map.of(), "spec.telegramTokenSecret"),
        BadSpec.config(
            "token as plain text",
            Map.of("telegramTokenSecret", TOKEN),
            "spec.telegramTokenSecret"),
        BadSpec.config(
            "token reference without name",
            Map.of("telegramTokenSecret", Map.of("key", "token")),
            "spec.telegramTokenSecret.name"),
        BadSpec.receiver("no channels", Map.of(), "spec.channels"),
        BadSpec.receiver("empty channels", Map.of("channels", List.of()), "spec.channels"),
        BadSpec.receiver(
            "a chat that is neither an ID nor a username",
            Map.of("channels", List.of("-1001234567890", "alerts channel")),
            "spec.channels[1]"),
        BadSpec.receiver(
            "a mention without @",
            Map.of("channels", List.of("@nm4j_alerts"), "mentionedUsers", List.of("oncall")),
            "spec.mentionedUsers[0]"),
        BadSpec.receiver(
            "selector In without values",
            Map.of(
                "channels",
                List.of("@nm4j_alerts"),
                "telegramConfigSelector",
                Map.of(
                    "matchExpressions",
                    List.of(Map.of("key", "type", "operator", "In", "values", List.of())))),
            "spec.telegramConfigSelector.matchExpressions[0].values"));
  }

  @Override
  protected ChannelLimits expectedLimits() {
    return new ChannelLimits(12_288, 1, null);
  }

  /** The UTF-8 size of each message's {@code text}. */
  @Override
  protected List<Integer> receivedMessageSizes() {
    try {
      RecordedRequest r;
      while ((r = server.takeRequest(0, TimeUnit.SECONDS)) != null) {
        String text =
            JSON.readTree(r.getBody().string(StandardCharsets.UTF_8)).path("text").asText();
        sizes.add(text.getBytes(StandardCharsets.UTF_8).length);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(sizes);
  }
}
