package io.nm4j.channel.teams;

import io.nm4j.channel.teams.internal.AdaptiveCardRenderer;
import io.nm4j.spi.Alert;
import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.RenderOptions;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.spi.TemplateEngine;
import io.nm4j.test.ChannelCompatibilityKit;
import java.net.InetAddress;
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

/** The Teams channel against the kit, with a workflow's webhook on a local server. */
class TeamsChannelCompatibilityTest
    extends ChannelCompatibilityKit<TeamsReceiver, TeamsConfig, MockResponse> {
  static final String SIGNATURE = "sig=Q2hhbm5lbFNlY3JldDEyMzQ1Njc4OTAxMjM0NTY3ODkw";

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
  protected ChannelProvider<TeamsReceiver, TeamsConfig> provider() {
    return new TeamsChannelProvider();
  }

  @Override
  protected Map<String, Object> validReceiverSpec() {
    return Map.of(
        "webhook",
        Map.of("name", "teams-webhook", "key", "url"),
        "teamsConfigSelector",
        Map.of("matchLabels", Map.of("type", "default")));
  }

  @Override
  protected Map<String, Object> validConfigSpec() {
    return Map.of();
  }

  @Override
  protected Map<String, Secret> secrets() {
    String url =
        server.url("/workflows/abc123/triggers/manual/paths/invoke").toString()
            + "?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&"
            + SIGNATURE;
    return Map.of(TeamsReceiver.WEBHOOK, Secret.of(url));
  }

  @Override
  protected java.util.Set<String> secretTexts() {
    return java.util.Set.of(SIGNATURE);
  }

  @Override
  protected void enqueue(MockResponse reply) {
    server.enqueue(reply);
  }

  @Override
  protected List<MockResponse> successReplies() {
    return List.of(TeamsReplies.accepted());
  }

  /** Forty alerts with long descriptions: several cards. */
  @Override
  protected Resumption<MockResponse> resumption() {
    List<Alert> alerts = manyAlerts(40, 900);
    AdaptiveCardRenderer renderer =
        new AdaptiveCardRenderer(
            TemplateEngine.onClassPath(getClass().getClassLoader()),
            TeamsChannel.DEFAULT_MAX_MESSAGE_BYTES);
    int cards =
        renderer
            .messages(renderer.render(notification(alerts), RenderOptions.DEFAULT).text())
            .size();
    List<MockResponse> all = new ArrayList<>();
    for (int i = 0; i < cards; i++) {
      all.add(TeamsReplies.accepted());
    }
    return new Resumption<>(
        validReceiverSpec(),
        alerts,
        List.of(TeamsReplies.accepted(), new MockResponse.Builder().code(502).build()),
        all);
  }

  @Override
  protected List<ErrorReply<MockResponse>> errorReplies() {
    MockResponse drop =
        new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build();
    return List.of(
        ErrorReply.of(
                "HTTP 429 Retry-After 17", TeamsReplies.throttled(17), Reason.RATE_LIMITED, true)
            .withRetryAfter(Duration.ofSeconds(17)),
        ErrorReply.of(
            "HTTP 400 TriggerInputSchemaMismatch",
            TeamsReplies.error(400, "TriggerInputSchemaMismatch", "The input body does not match"),
            Reason.REJECTED,
            false),
        ErrorReply.of(
            "HTTP 401 DirectApiAuthorizationRequired",
            TeamsReplies.error(401, "DirectApiAuthorizationRequired", "no signature"),
            Reason.AUTH_REJECTED,
            false),
        ErrorReply.of(
            "HTTP 404 WorkflowNotFound",
            TeamsReplies.error(404, "WorkflowNotFound", "The workflow was not found"),
            Reason.REJECTED,
            false),
        ErrorReply.of(
            "HTTP 413",
            TeamsReplies.error(413, "RequestEntityTooLarge", "Request Entity too large"),
            Reason.TOO_LARGE,
            false),
        ErrorReply.of(
            "HTTP 500", new MockResponse.Builder().code(500).build(), Reason.REMOTE_ERROR, true),
        ErrorReply.of(
            "HTTP 503",
            TeamsReplies.error(503, "ServiceUnavailable", "try later"),
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
            Map.of("webhook", "https://example.invalid/workflows/1"),
            "spec.webhook"),
        BadSpec.receiver(
            "webhook reference without key",
            Map.of("webhook", Map.of("name", "teams-webhook")),
            "spec.webhook.key"),
        BadSpec.receiver(
            "selector In without values",
            Map.of(
                "webhook",
                Map.of("name", "w", "key", "url"),
                "teamsConfigSelector",
                Map.of(
                    "matchExpressions",
                    List.of(Map.of("key", "team", "operator", "In", "values", List.of())))),
            "spec.teamsConfigSelector.matchExpressions[0].values"));
  }

  @Override
  protected ChannelLimits expectedLimits() {
    return new ChannelLimits(TeamsChannel.DEFAULT_MAX_MESSAGE_BYTES, 1, null);
  }

  /** The size of each posted body: the message is the whole JSON document. */
  @Override
  protected List<Integer> receivedMessageSizes() {
    try {
      RecordedRequest r;
      while ((r = server.takeRequest(0, TimeUnit.SECONDS)) != null) {
        sizes.add((int) r.getBodySize());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return List.copyOf(sizes);
  }
}
