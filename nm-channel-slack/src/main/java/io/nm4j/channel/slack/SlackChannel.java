package io.nm4j.channel.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nm4j.channel.slack.internal.SlackErrorCodes;
import io.nm4j.channel.slack.internal.SlackMessage;
import io.nm4j.channel.slack.internal.SlackRenderer;
import io.nm4j.http.ApiBaseUrl;
import io.nm4j.http.HttpAuth;
import io.nm4j.http.HttpClientFactory;
import io.nm4j.http.HttpExchange;
import io.nm4j.http.HttpOutcomes;
import io.nm4j.http.HttpSettings;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.ChannelTemplates;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SendProgress;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.spi.TemplateEngine;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.jspecify.annotations.Nullable;

/**
 * Posts a notification's alerts to a Slack channel with {@code chat.postMessage}: {@code
 * Authorization: Bearer <bot token>}, a JSON body with the receiver's {@code channel}, a plain
 * {@code text} fallback and mrkdwn section blocks. Alerts that do not fit one message go out as
 * several posts, in order.
 *
 * <p>Slack answers most errors with HTTP 200 and {@code {"ok": false, "error": "<code>"}}: a reply
 * is delivered only when it says {@code "ok": true}. Bad credentials and unknown channels are
 * permanent; {@code ratelimited}, Slack's internal errors, HTTP 429 (with its {@code Retry-After})
 * and 5xx are retryable.
 *
 * <p>A failure after some parts were posted reports them as its progress, so the retry posts only
 * the parts it did not: a part is recognised by its channel and its content, so a part that renders
 * differently on the retry is posted.
 *
 * <p>Thread-safe. Build it with {@link #builder()}; {@link SlackChannelProvider} does so from the
 * channel options ({@code slack.apiUrl}).
 */
public final class SlackChannel implements Channel<SlackReceiver, SlackConfig> {
  /** Slack's Web API base URL. */
  public static final String DEFAULT_API_URL = "https://slack.com/api/";

  /**
   * One post carries a fallback text of at most 4,000 characters, so at most 12,000 bytes of UTF-8
   * (a character of Java's UTF-16 takes at most three); the blocks repeat the same content.
   */
  static final ChannelLimits LIMITS = new ChannelLimits(3 * SlackRenderer.MAX_TEXT_CHARS, 1, null);

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_REPLY_BYTES = 64 * 1024;

  private final HttpClientFactory http;
  private final boolean ownsFactory;
  private final Clock clock;
  private final HttpUrl postMessage;
  private final SlackRenderer renderer;

  private SlackChannel(Builder b) {
    this.ownsFactory = b.http == null;
    this.http = b.http != null ? b.http : HttpClientFactory.create();
    this.clock = b.clock;
    this.postMessage = b.apiUrl.resolve("chat.postMessage");
    this.renderer =
        new SlackRenderer(
            b.templateEngine != null
                ? b.templateEngine
                : TemplateEngine.onClassPath(SlackChannel.class.getClassLoader()));
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public ChannelLimits limits(SlackConfig config) {
    return LIMITS;
  }

  @Override
  public SendResult send(SendRequest<SlackReceiver, SlackConfig> request) {
    String config = request.configName("SlackConfig");
    Secret token = request.secret(SlackConfig.TOKEN_FIELD);
    SecretKeySelector ref = request.config().slackTokenSecret();
    if (token == null) {
      return SendResult.missingSecret(config + ": " + SlackConfig.TOKEN_FIELD, ref);
    }
    if (token.isEmpty()) {
      return SendResult.permanent(
          Reason.MISSING_SECRET,
          config
              + ": "
              + SlackConfig.TOKEN_FIELD
              + ": secret \""
              + ref.name()
              + "\" has no key \""
              + ref.key()
              + "\" with a value (it is empty)");
    }
    HttpAuth bearer;
    try {
      bearer = HttpAuth.bearer(token);
    } catch (IllegalArgumentException e) {
      return SendResult.permanent(
          Reason.AUTH_REJECTED, config + ": " + SlackConfig.TOKEN_FIELD + ": " + e.getMessage());
    }
    // The API URL is the operator's (slack.apiUrl), not the config's: no egress policy applies.
    OkHttpClient client =
        http.client(HttpSettings.builder().auth(bearer).origin(request.origin()).build());
    ChannelTemplates.Rendering rendering =
        renderer.render(request.notification(), request.rendering());
    List<SlackMessage> parts = SlackRenderer.messages(rendering.text());
    String channel = request.receiver().channel();
    SendProgress.Builder posted = request.progress().toBuilder();
    int earlier = 0;
    for (int i = 0; i < parts.size(); i++) {
      String body = body(channel, parts.get(i));
      String key = SendProgress.key(channel, body);
      if (posted.contains(key)) {
        earlier++;
        continue;
      }
      SendResult result = post(client, parts.get(i), body, request, channel);
      if (result instanceof SendResult.Failed f) {
        String where = parts.size() == 1 ? "" : partial(i, parts.size(), earlier);
        return f.withDetail(rendering.annotate(config + ": " + where + f.detail()))
            .withProgress(posted.build());
      }
      posted.add(key);
    }
    return SendResult.delivered(
        rendering.annotate(
            "POST "
                + HttpOutcomes.redactedUrl(postMessage)
                + ": "
                + (parts.size() == 1 ? "posted" : parts.size() + " parts posted")
                + " to "
                + channel
                + (earlier == 0 ? "" : " (" + earlier + " on an earlier attempt)")));
  }

  private SendResult post(
      OkHttpClient client,
      SlackMessage message,
      String body,
      SendRequest<SlackReceiver, SlackConfig> request,
      String channel) {
    Request post =
        new Request.Builder()
            .url(postMessage)
            .header("User-Agent", "nm4j")
            .post(RequestBody.create(body, JSON))
            .build();
    HttpExchange exchange =
        HttpExchange.run(client, post, request.deadline(), clock, MAX_REPLY_BYTES);
    if (!(exchange instanceof HttpExchange.Reply response)) {
      return ((HttpExchange.Failure) exchange).failure();
    }
    @Nullable JsonNode reply = parse(response.body());
    @Nullable String error = errorCode(reply);
    if (!response.isSuccessful()) {
      SendResult byStatus = response.byStatus(clock);
      if (error == null || !(byStatus instanceof SendResult.Failed f)) {
        return byStatus;
      }
      return f.withDetail(f.detail() + ": Slack error " + error);
    }
    String what = response.describe();
    if (reply == null || !reply.path("ok").isBoolean()) {
      // A 200 that is not Slack's JSON comes from something in between (a proxy, a portal).
      return SendResult.retryable(
          Reason.REMOTE_ERROR,
          what + ": HTTP " + response.code() + " without Slack's {\"ok\": ...} reply");
    }
    if (reply.path("ok").booleanValue()) {
      return SendResult.delivered(what + ": ok");
    }
    String code = error == null ? "unknown" : error;
    String detail = what + ": Slack error " + code + " (channel " + channel + ")";
    if (code.equals("msg_blocks_too_long")) {
      detail += blocksBudget(message);
    }
    return SlackErrorCodes.failure(code, response.retryAfter(clock), detail);
  }

  /**
   * What a post Slack found too long held: the renderer keeps every post within {@link
   * SlackRenderer#MAX_BLOCKS_CHARS}, and a post of one alert is far below it, so this names a limit
   * of Slack's lower than the one observed, which splitting further would not get past for good.
   */
  private static String blocksBudget(SlackMessage message) {
    int chars = 0;
    for (String section : message.sections()) {
      chars += section.length();
    }
    return "; the post held "
        + message.sections().size()
        + " blocks of "
        + chars
        + " characters, within nm4j's budget of "
        + SlackRenderer.MAX_BLOCKS_CHARS;
  }

  /** Where the failed part is, and how many went before it (on this attempt or earlier ones). */
  private static String partial(int index, int total, int earlier) {
    return "part "
        + (index + 1)
        + " of "
        + total
        + " failed after "
        + index
        + (index == 1 ? " part was" : " parts were")
        + " posted"
        + (earlier == 0 ? "" : " (" + earlier + " on an earlier attempt)")
        + ": ";
  }

  static String body(String channel, SlackMessage message) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("channel", channel);
    root.put("text", message.text());
    ArrayNode blocks = root.putArray("blocks");
    for (String section : message.sections()) {
      ObjectNode block = blocks.addObject();
      block.put("type", "section");
      ObjectNode text = block.putObject("text");
      text.put("type", "mrkdwn");
      text.put("text", section);
    }
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings always serialises", e);
    }
  }

  private static @Nullable JsonNode parse(String reply) {
    try {
      JsonNode node = MAPPER.readTree(reply);
      return node != null && node.isObject() ? node : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /**
   * The reply's {@code error}, if it looks like one of Slack's codes: anything else is not
   * repeated, so a reply can never bring text of its own (or an echo of the request) into a detail.
   */
  private static @Nullable String errorCode(@Nullable JsonNode reply) {
    if (reply == null) {
      return null;
    }
    String error = reply.path("error").asText("");
    return error.matches("[a-z0-9_.]{1,64}") ? error : null;
  }

  @Override
  public void close() {
    if (ownsFactory) {
      http.close();
    }
  }

  @Override
  public String toString() {
    return "SlackChannel[" + HttpOutcomes.redactedUrl(postMessage) + "]";
  }

  /** Builds a {@link SlackChannel}; every value has a default. */
  public static final class Builder {
    private HttpUrl apiUrl = Objects.requireNonNull(HttpUrl.parse(DEFAULT_API_URL));
    private @Nullable HttpClientFactory http;
    private Clock clock = Clock.systemUTC();
    private @Nullable TemplateEngine templateEngine;

    private Builder() {}

    /**
     * The engine the messages are rendered with; by default the one on the class path (FreeMarker,
     * which this module brings).
     */
    public Builder templateEngine(TemplateEngine value) {
      this.templateEngine = Objects.requireNonNull(value, "templateEngine");
      return this;
    }

    /**
     * The Web API base URL, {@code https://slack.com/api/} by default; {@code chat.postMessage} is
     * resolved against it. Tests and proxies redirect it.
     *
     * @throws IllegalArgumentException when it is not an absolute http(s) URL without a query
     */
    public Builder apiUrl(String value) {
      this.apiUrl = ApiBaseUrl.parse("apiUrl", value);
      return this;
    }

    /**
     * The host's client factory, which the host closes; by default the channel makes its own and
     * closes it with itself.
     */
    public Builder httpClientFactory(HttpClientFactory value) {
      this.http = Objects.requireNonNull(value, "httpClientFactory");
      return this;
    }

    /** The clock deadlines and {@code Retry-After} dates are measured with. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    public SlackChannel build() {
      return new SlackChannel(this);
    }
  }
}
