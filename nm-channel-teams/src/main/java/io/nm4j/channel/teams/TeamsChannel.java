package io.nm4j.channel.teams;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nm4j.channel.teams.internal.AdaptiveCardRenderer;
import io.nm4j.http.HttpClientFactory;
import io.nm4j.http.HttpExchange;
import io.nm4j.http.HttpSettings;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.ChannelTemplates;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SendProgress;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.spi.SendTargets;
import io.nm4j.spi.TemplateEngine;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.jspecify.annotations.Nullable;

/**
 * Posts a notification to a Microsoft Teams Workflows webhook ("When a Teams webhook request is
 * received"), as a message with one Adaptive Card: {@code {"type":"message","attachments":[{
 * "contentType":"application/vnd.microsoft.card.adaptive","content":{...}}]}}. The workflow answers
 * {@code 202 Accepted}; any 2xx is delivered.
 *
 * <p>Teams refuses a message over about 28 KB ({@code 413}); a notification that does not fit
 * {@link #DEFAULT_MAX_MESSAGE_BYTES} is posted as several cards, in order. {@code 429} is retryable
 * after its {@code Retry-After}, {@code 5xx} and connection failures are retryable, {@code 413} is
 * {@code TOO_LARGE} and other {@code 4xx} are permanent. A failed result reports the cards that
 * arrived as its progress, so a retry posts only the rest.
 *
 * <p>The webhook URL is the receiver's: connections to it are checked against the egress policy of
 * the receiver's owner ({@link SendRequest#receiverEgress()}).
 */
public final class TeamsChannel implements Channel<TeamsReceiver, TeamsConfig> {
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final int MAX_REPLY_BYTES = 16 * 1024;

  /**
   * The largest message body posted, in UTF-8 bytes: below the 28 KB Teams documents for a posted
   * card, leaving room for what the workflow adds around it.
   */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 24_000;

  private final HttpClientFactory http;
  private final boolean ownsFactory;
  private final Clock clock;
  private final HttpSettings settings;
  private final int maxMessageBytes;
  private final AdaptiveCardRenderer renderer;

  private TeamsChannel(Builder b) {
    this.ownsFactory = b.http == null;
    this.http = b.http != null ? b.http : HttpClientFactory.create();
    this.clock = b.clock;
    this.settings = HttpSettings.builder().proxyUrl(b.proxyUrl).build();
    this.maxMessageBytes = b.maxMessageBytes;
    this.renderer =
        new AdaptiveCardRenderer(
            b.templateEngine != null
                ? b.templateEngine
                : TemplateEngine.onClassPath(TeamsChannel.class.getClassLoader()),
            maxMessageBytes);
    try {
      // Fails now, at start-up, on a proxy URL that can never work.
      http.client(settings);
    } catch (IllegalArgumentException e) {
      if (ownsFactory) {
        http.close();
      }
      throw new IllegalArgumentException("teams." + e.getMessage(), e);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** One workflow per call; messages up to the configured size; no rate of its own. */
  @Override
  public ChannelLimits limits(TeamsConfig config) {
    return new ChannelLimits(maxMessageBytes, 1, null);
  }

  @Override
  public SendResult send(SendRequest<TeamsReceiver, TeamsConfig> request) {
    Secret webhook = request.secret(TeamsReceiver.WEBHOOK);
    if (webhook == null) {
      return SendResult.missingSecret(TeamsReceiver.WEBHOOK, request.receiver().webhook());
    }
    HttpUrl url = HttpUrl.parse(webhook.reveal().trim());
    if (url == null) {
      return SendResult.permanent(
          Reason.REJECTED, TeamsReceiver.WEBHOOK + ": the secret's value is not an http(s) URL");
    }
    // The URL is the receiver's: its owner's policy applies, whoever owns the config.
    OkHttpClient client =
        http.client(
            settings.toBuilder().egress(request.receiverEgress()).origin(request.origin()).build());
    List<byte[]> messages = new ArrayList<>();
    ChannelTemplates.Rendering rendering =
        renderer.render(request.notification(), request.rendering());
    renderer.messages(rendering.text()).forEach(m -> messages.add(bytes(m)));
    SendTargets targets = SendTargets.of(request, request.configName("TeamsConfig"));
    targets.send(
        "workflow",
        SendProgress.key("teams", url.toString()),
        messages,
        body -> List.of(new String(body, StandardCharsets.UTF_8)),
        body -> post(client, url, body, request.deadline()));
    return ChannelTemplates.annotate(targets.result(), rendering.fallbackReason());
  }

  private SendResult post(OkHttpClient client, HttpUrl url, byte[] body, Instant deadline) {
    Request post =
        new Request.Builder()
            .url(url)
            .header("User-Agent", "nm4j")
            .post(RequestBody.create(body, JSON))
            .build();
    HttpExchange exchange = HttpExchange.run(client, post, deadline, clock, MAX_REPLY_BYTES);
    if (!(exchange instanceof HttpExchange.Reply reply)) {
      return ((HttpExchange.Failure) exchange).failure();
    }
    if (reply.code() == 413) {
      return SendResult.permanent(
          Reason.TOO_LARGE, reply.describe() + ": HTTP 413, the card is larger than Teams takes");
    }
    return reply.byStatus(clock);
  }

  private static byte[] bytes(ObjectNode message) {
    try {
      return MAPPER.writeValueAsBytes(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  @Override
  public void close() {
    if (ownsFactory) {
      http.close();
    }
  }

  /** Builds a {@link TeamsChannel}; every setting has a default. */
  public static final class Builder {
    private @Nullable HttpClientFactory http;
    private Clock clock = Clock.systemUTC();
    private @Nullable String proxyUrl;
    private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
    private @Nullable TemplateEngine templateEngine;

    private Builder() {}

    /**
     * The engine the built-in templates compile with: the host's ({@link
     * io.nm4j.spi.ChannelContext#templateEngine}), by default the one on the class path.
     */
    public Builder templateEngine(TemplateEngine value) {
      this.templateEngine = Objects.requireNonNull(value, "templateEngine");
      return this;
    }

    /** The host's client factory, which the host closes; by default the channel has its own. */
    public Builder httpClientFactory(HttpClientFactory value) {
      this.http = Objects.requireNonNull(value, "httpClientFactory");
      return this;
    }

    /** The clock of deadlines and {@code Retry-After} dates. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** An HTTP proxy, {@code http://host:port}, for every call; {@code null} connects directly. */
    public Builder proxyUrl(@Nullable String value) {
      this.proxyUrl = value;
      return this;
    }

    /**
     * The largest message body in UTF-8 bytes, 4,096 to 28,000, default {@value
     * #DEFAULT_MAX_MESSAGE_BYTES}.
     */
    public Builder maxMessageBytes(int value) {
      if (value < 4_096 || value > 28_000) {
        throw new IllegalArgumentException(
            "teams.maxMessageBytes: must be 4096..28000, was " + value);
      }
      this.maxMessageBytes = value;
      return this;
    }

    public TeamsChannel build() {
      return new TeamsChannel(this);
    }
  }

  @Override
  public String toString() {
    return "TeamsChannel[maxMessageBytes=" + maxMessageBytes + "]";
  }
}
