package io.nm4j.channel.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.test.ChannelCompatibilityKit;
import io.nm4j.test.TestManifests;
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

/** The Slack channel against the kit, with Slack's API redirected to a local server. */
class SlackChannelCompatibilityTest
    extends ChannelCompatibilityKit<SlackReceiver, SlackConfig, MockResponse> {
  static final String TOKEN = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy";
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
  protected ChannelProvider<SlackReceiver, SlackConfig> provider() {
    return new SlackChannelProvider();
  }

  @Override
  protected ChannelContext context() {
    return new ChannelContext(Map.of("apiUrl", server.url("/api/").toString()), Clock.systemUTC());
  }

  @Override
  protected Map<String, Object> validReceiverSpec() {
    return Map.of(
        "channel",
        "#alerts",
        "slackConfigSelector",
        Map.of("matchLabels", Map.of("type", "global")));
  }

  @Override
  protected Map<String, Object> validConfigSpec() {
    return Map.of("slackTokenSecret", Map.of("name", "global-slack-secret", "key", "token"));
  }

  @Override
  protected Map<String, Secret> secrets() {
    return Map.of(SlackConfig.TOKEN_FIELD, Secret.of(TOKEN));
  }

  @Override
  protected void enqueue(MockResponse reply) {
    server.enqueue(reply);
  }

  /** Two alerts too long to share a post: two posts. */
  @Override
  protected Resumption<MockResponse> resumption() {
    return new Resumption<>(
        validReceiverSpec(),
        manyAlerts(2, 2_400),
        List.of(SlackReplies.ok(), SlackReplies.error("internal_error")),
        List.of(SlackReplies.ok(), SlackReplies.ok()));
  }

  @Override
  protected List<MockResponse> successReplies() {
    return List.of(SlackReplies.ok());
  }

  private static ErrorReply<MockResponse> slack(String code, Reason reason, boolean retryable) {
    return ErrorReply.of("ok=false error=" + code, SlackReplies.error(code), reason, retryable);
  }

  @Override
  protected List<ErrorReply<MockResponse>> errorReplies() {
    MockResponse drop =
        new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build();
    return List.of(
        slack("invalid_auth", Reason.AUTH_REJECTED, false),
        slack("not_authed", Reason.AUTH_REJECTED, false),
        slack("account_inactive", Reason.AUTH_REJECTED, false),
        slack("token_revoked", Reason.AUTH_REJECTED, false),
        slack("missing_scope", Reason.AUTH_REJECTED, false),
        slack("channel_not_found", Reason.INVALID_RECIPIENT, false),
        slack("not_in_channel", Reason.INVALID_RECIPIENT, false),
        slack("is_archived", Reason.INVALID_RECIPIENT, false),
        slack("msg_too_long", Reason.TOO_LARGE, false),
        slack("no_text", Reason.REJECTED, false),
        slack("invalid_blocks", Reason.REJECTED, false),
        slack("ratelimited", Reason.RATE_LIMITED, true),
        slack("internal_error", Reason.REMOTE_ERROR, true),
        slack("fatal_error", Reason.REMOTE_ERROR, true),
        slack("service_unavailable", Reason.REMOTE_ERROR, true),
        slack("request_timeout", Reason.REMOTE_ERROR, true),
        ErrorReply.of(
                "HTTP 429 Retry-After 30", SlackReplies.rateLimited(30), Reason.RATE_LIMITED, true)
            .withRetryAfter(Duration.ofSeconds(30)),
        ErrorReply.of(
            "HTTP 500", new MockResponse.Builder().code(500).build(), Reason.REMOTE_ERROR, true),
        ErrorReply.of(
            "HTTP 503",
            new MockResponse.Builder().code(503).body("upstream unavailable").build(),
            Reason.REMOTE_ERROR,
            true),
        ErrorReply.of(
            "HTTP 200 that is not Slack's JSON",
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
        BadSpec.config(
            "token reference without name",
            TestManifests.lastOf("invalid/slack-config-secret-ref-without-name.yaml").spec(),
            "spec.slackTokenSecret.name"),
        BadSpec.config("no token", Map.of(), "spec.slackTokenSecret"),
        BadSpec.config(
            "token as plain text", Map.of("slackTokenSecret", TOKEN), "spec.slackTokenSecret"),
        BadSpec.receiver(
            "no channel",
            TestManifests.lastOf("invalid/slack-receiver-no-channel.yaml").spec(),
            "spec.channel"),
        BadSpec.receiver("channel with a space", Map.of("channel", "#my alerts"), "spec.channel"),
        BadSpec.receiver(
            "selector In without values",
            TestManifests.lastOf("invalid/selector-in-without-values.yaml").spec(),
            "spec.slackConfigSelector.matchExpressions[0].values"));
  }

  @Override
  protected ChannelLimits expectedLimits() {
    return new ChannelLimits(12_000, 1, null);
  }

  /** The UTF-8 size of each post's {@code text}: the message; its blocks repeat the content. */
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
