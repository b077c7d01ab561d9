package io.nm4j.channel.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.test.ChannelCompatibilityKit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
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

/** The Discord channel against the kit, its webhook on a local server. */
class DiscordChannelCompatibilityTest
    extends ChannelCompatibilityKit<DiscordReceiver, DiscordConfig, MockResponse> {
  static final String TOKEN = "dQw4w9WgXcQ-_kq3yVfA8nLx2eZr7TtP1mHuJbGsYcKoEiWv5NaDlRpUxM0zBgFhCjQ";
  static final String WEBHOOK_PATH = "/api/webhooks/1311970000000000000/" + TOKEN;
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
  protected ChannelProvider<DiscordReceiver, DiscordConfig> provider() {
    return new DiscordChannelProvider();
  }

  @Override
  protected Map<String, Object> validReceiverSpec() {
    return Map.of(
        "webhook",
        Map.of("name", "discord-webhook", "key", "url"),
        "type",
        "embed",
        "mentionedUsers",
        List.of("80351110224678912"),
        "mentionedRoles",
        List.of("165511591545143296"),
        "discordConfigSelector",
        Map.of("matchLabels", Map.of("type", "global")));
  }

  @Override
  protected Map<String, Object> validConfigSpec() {
    return Map.of("username", "Alertmanager");
  }

  @Override
  protected Map<String, Secret> secrets() {
    return Map.of(DiscordReceiver.WEBHOOK_FIELD, Secret.of(server.url(WEBHOOK_PATH).toString()));
  }

  @Override
  protected Set<String> secretTexts() {
    Set<String> out = new HashSet<>(super.secretTexts());
    out.add(TOKEN);
    return out;
  }

  @Override
  protected void enqueue(MockResponse reply) {
    server.enqueue(reply);
  }

  /** Content messages: two alerts too long to share one. */
  @Override
  protected Resumption<MockResponse> resumption() {
    return new Resumption<>(
        Map.of("webhook", Map.of("name", "discord-webhook", "key", "url")),
        manyAlerts(2, 1_200),
        List.of(DiscordReplies.ok(), DiscordReplies.error(503, 0, "upstream connect error")),
        List.of(DiscordReplies.ok(), DiscordReplies.ok()));
  }

  @Override
  protected List<MockResponse> successReplies() {
    return List.of(DiscordReplies.ok());
  }

  @Override
  protected List<ErrorReply<MockResponse>> errorReplies() {
    MockResponse drop =
        new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build();
    return List.of(
        ErrorReply.of(
            "404 Unknown Webhook",
            DiscordReplies.error(404, 10015, "Unknown Webhook"),
            Reason.INVALID_RECIPIENT,
            false),
        ErrorReply.of(
            "401 Invalid Webhook Token",
            DiscordReplies.error(401, 50027, "Invalid Webhook Token"),
            Reason.AUTH_REJECTED,
            false),
        ErrorReply.of(
            "403 Missing Permissions",
            DiscordReplies.error(403, 50013, "Missing Permissions"),
            Reason.AUTH_REJECTED,
            false),
        ErrorReply.of(
            "400 Invalid Form Body",
            DiscordReplies.error(400, 50035, "Invalid Form Body"),
            Reason.REJECTED,
            false),
        ErrorReply.of(
            "413 Request entity too large",
            DiscordReplies.error(413, 40005, "Request entity too large"),
            Reason.TOO_LARGE,
            false),
        ErrorReply.of(
                "429 with retry_after 1.5",
                DiscordReplies.rateLimited("1.5"),
                Reason.RATE_LIMITED,
                true)
            .withRetryAfter(Duration.ofMillis(1500)),
        ErrorReply.of(
            "500",
            DiscordReplies.error(500, 0, "Internal Server Error"),
            Reason.REMOTE_ERROR,
            true),
        ErrorReply.of(
            "502 from Cloudflare",
            new MockResponse.Builder().code(502).body("<html>Bad gateway</html>").build(),
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
        BadSpec.receiver("no webhook", Map.of(), "spec.webhook"),
        BadSpec.receiver(
            "webhook as plain text",
            Map.of("webhook", "https://discord.com/api/webhooks/1/x"),
            "spec.webhook"),
        BadSpec.receiver(
            "unknown type",
            Map.of("webhook", Map.of("name", "d", "key", "url"), "type", "card"),
            "spec.type"),
        BadSpec.receiver(
            "a user mention that is no ID",
            Map.of(
                "webhook",
                Map.of("name", "d", "key", "url"),
                "mentionedUsers",
                List.of("@everyone")),
            "spec.mentionedUsers[0]"),
        BadSpec.receiver(
            "a role mention that is no ID",
            Map.of("webhook", Map.of("name", "d", "key", "url"), "mentionedRoles", List.of("here")),
            "spec.mentionedRoles[0]"),
        BadSpec.config(
            "a username Discord refuses", Map.of("username", "Discord Bot"), "spec.username"));
  }

  @Override
  protected ChannelLimits expectedLimits() {
    return new ChannelLimits(24_000, 1, null);
  }

  /** The UTF-8 size of each message's content and embed texts. */
  @Override
  protected List<Integer> receivedMessageSizes() {
    try {
      RecordedRequest r;
      while ((r = server.takeRequest(0, TimeUnit.SECONDS)) != null) {
        JsonNode body = JSON.readTree(r.getBody().string(StandardCharsets.UTF_8));
        StringBuilder text = new StringBuilder(body.path("content").asText());
        for (JsonNode embed : body.path("embeds")) {
          text.append(embed.path("title").asText()).append(embed.path("description").asText());
          for (JsonNode field : embed.path("fields")) {
            text.append(field.path("name").asText()).append(field.path("value").asText());
          }
        }
        sizes.add(text.toString().getBytes(StandardCharsets.UTF_8).length);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(sizes);
  }
}
