package io.nm4j.channel.feishu;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nm4j.channel.feishu.internal.FeishuErrorCodes;
import io.nm4j.channel.feishu.internal.FeishuRenderer;
import io.nm4j.channel.feishu.internal.FeishuReply;
import io.nm4j.channel.feishu.internal.FeishuSigner;
import io.nm4j.http.AccessTokenCache;
import io.nm4j.http.ApiBaseUrl;
import io.nm4j.http.HttpClientFactory;
import io.nm4j.http.HttpExchange;
import io.nm4j.http.HttpOutcomes;
import io.nm4j.http.HttpSettings;
import io.nm4j.http.SecretPath;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.ChannelTemplates;
import io.nm4j.spi.RatePermits;
import io.nm4j.spi.RetryAfter;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SendProgress;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.spi.SendTargets;
import io.nm4j.spi.TemplateEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.jspecify.annotations.Nullable;

/**
 * Sends a notification to a Feishu (Lark) group's custom bot, to users and departments through an
 * app, or to both.
 *
 * <ul>
 *   <li><b>Custom bot</b>: {@code POST} to the webhook URL held in the receiver's {@code
 *       spec.chatbot.webhook} secret, body {@code {"msg_type":"post"|"text","content":{...}}}; with
 *       a signing secret the body carries {@code timestamp} (epoch seconds) and {@code sign}
 *       ({@link FeishuSigner}). The URL is the receiver's, so the receiver owner's egress policy
 *       applies.
 *   <li><b>App</b>: a tenant access token from {@code auth/v3/tenant_access_token/internal} (the
 *       config's {@code appID} and {@code appSecret}), cached until shortly before it expires and
 *       fetched again once, within the same send, when a call names it invalid or expired; then
 *       {@code message/v4/batch_send} with the receiver's {@code user_ids} and {@code
 *       department_ids}.
 * </ul>
 *
 * <p>Success is {@code code: 0} in the body, whatever the status ({@link FeishuErrorCodes} maps the
 * rest). A request body stays within 20 KB, Feishu's limit for a bot message: a larger notification
 * is sent as several messages, in order. Each target is tried whatever the other's outcome; a
 * failed result reports as its progress the messages each target took and the targets that failed
 * for good, so a retry sends only what did not arrive.
 *
 * <p>A custom bot takes at most 100 messages a minute and 5 a second (custom bot guide of the
 * Feishu open platform): every message posted to a bot takes a permit of both rates from the core's
 * {@link RatePermits}, keyed by a digest of the webhook, so every receiver naming one bot shares
 * its budget; when none is free the send waits for one instead of posting.
 */
public final class FeishuChannel implements Channel<FeishuReceiver, FeishuConfig> {
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final int MAX_REPLY_BYTES = 64 * 1024;

  /** The open platform of the app's calls; Lark's is {@code https://open.larksuite.com/}. */
  public static final String DEFAULT_API_URL = "https://open.feishu.cn/";

  /**
   * The largest request body, in UTF-8 bytes: a custom bot takes at most 20 KB (custom bot guide of
   * the Feishu open platform); the app's messages are kept to the same.
   */
  public static final int MAX_BODY_BYTES = 20_000;

  /** Room in a body for what surrounds the content ({@code msg_type}, {@code sign}...). */
  private static final int ENVELOPE_BYTES = 200;

  /** The most UTF-8 bytes of a bot message's {@code content}. */
  static final int MAX_CONTENT_BYTES = MAX_BODY_BYTES - ENVELOPE_BYTES;

  private static final long DEFAULT_TOKEN_SECONDS = 7200;

  /** What one custom bot takes in a minute. */
  public static final ChannelLimits.Rate BOT_RATE_PER_MINUTE =
      new ChannelLimits.Rate(100, Duration.ofMinutes(1));

  /** What one custom bot takes in a second. */
  public static final ChannelLimits.Rate BOT_RATE_PER_SECOND =
      new ChannelLimits.Rate(5, Duration.ofSeconds(1));

  private final HttpClientFactory http;
  private final boolean ownsFactory;
  private final Clock clock;
  private final HttpUrl apiUrl;
  private final HttpSettings settings;
  private final AccessTokenCache tokens;
  private final RatePermits permits;
  private final FeishuRenderer renderer;

  private FeishuChannel(Builder b) {
    this.ownsFactory = b.http == null;
    this.http = b.http != null ? b.http : HttpClientFactory.create();
    this.clock = b.clock;
    this.apiUrl = b.apiUrl;
    this.settings = HttpSettings.builder().proxyUrl(b.proxyUrl).build();
    this.tokens = new AccessTokenCache(clock, 1024);
    this.permits = b.permits;
    this.renderer =
        new FeishuRenderer(
            b.templateEngine != null
                ? b.templateEngine
                : TemplateEngine.onClassPath(FeishuChannel.class.getClassLoader()));
    try {
      // Fails now, at start-up, on a proxy URL that can never work.
      http.client(settings);
    } catch (IllegalArgumentException e) {
      if (ownsFactory) {
        http.close();
      }
      throw new IllegalArgumentException("feishu." + e.getMessage(), e);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The open platform the app's calls go to. */
  public String apiUrl() {
    return apiUrl.toString();
  }

  /**
   * Bodies up to {@value #MAX_BODY_BYTES} bytes; up to 200 users and 200 departments per call. No
   * rate per config: a bot's limit (100 a minute, 5 a second) is per bot, and the bot is the
   * receiver's, so a per-config limit would make unrelated bots share one budget; Feishu's
   * frequency answers are retryable instead.
   */
  @Override
  public ChannelLimits limits(FeishuConfig config) {
    return new ChannelLimits(MAX_BODY_BYTES, FeishuReceiver.MAX_IDS, null);
  }

  @Override
  public SendResult send(SendRequest<FeishuReceiver, FeishuConfig> request) {
    String config = request.configName("FeishuConfig");
    SendTargets targets = SendTargets.of(request, config);
    FeishuReceiver receiver = request.receiver();
    FeishuReceiver.Chatbot bot = receiver.chatbot();
    ChannelTemplates.Rendering rendering =
        renderer.render(request.notification(), request.rendering());
    if (bot != null) {
      HttpSettings own =
          settings.toBuilder().egress(request.receiverEgress()).origin(request.origin()).build();
      chatbot(request, rendering.text(), bot, http.client(own), targets);
    }
    if (!receiver.user().isEmpty() || !receiver.department().isEmpty()) {
      // The open platform is the operator's (feishu.apiUrl).
      HttpSettings api = settings.toBuilder().origin(request.origin()).build();
      app(request, rendering.text(), config, http.client(api), targets);
    }
    return ChannelTemplates.annotate(targets.result(), rendering.fallbackReason());
  }

  private void chatbot(
      SendRequest<FeishuReceiver, FeishuConfig> request,
      String text,
      FeishuReceiver.Chatbot bot,
      OkHttpClient client,
      SendTargets targets) {
    String name = "chatbot";
    Secret webhook = request.secret(FeishuReceiver.CHATBOT_WEBHOOK);
    if (webhook == null) {
      targets.fail(name, SendResult.missingSecret(FeishuReceiver.CHATBOT_WEBHOOK, bot.webhook()));
      return;
    }
    Secret sign = null;
    SecretKeySelector signRef = bot.secret();
    if (signRef != null) {
      sign = request.secret(FeishuReceiver.CHATBOT_SECRET);
      if (sign == null) {
        targets.fail(name, SendResult.missingSecret(FeishuReceiver.CHATBOT_SECRET, signRef));
        return;
      }
      if (sign.reveal().isBlank()) {
        targets.fail(
            name,
            SendResult.permanent(
                Reason.AUTH_REJECTED, FeishuReceiver.CHATBOT_SECRET + ": the secret is empty"));
        return;
      }
    }
    HttpUrl url = HttpUrl.parse(webhook.reveal().trim());
    if (url == null) {
      targets.fail(
          name,
          SendResult.permanent(
              Reason.REJECTED,
              FeishuReceiver.CHATBOT_WEBHOOK + ": the secret's value is not an http(s) URL"));
      return;
    }
    List<FeishuRenderer.Message> messages =
        FeishuRenderer.messages(text, messageType(request), bot.keywords(), MAX_CONTENT_BYTES);
    Secret signing = sign;
    String target = SendProgress.key(name, url.toString());
    String botKey = SendProgress.key("feishu bot", url.toString());
    targets.send(
        name,
        target,
        messages,
        FeishuChannel::identity,
        message -> {
          Instant free = takePermit(botKey);
          return free != null
              ? RatePermits.waitFor(name, free, clock.instant())
              : postToBot(client, url, signing, message, request.deadline());
        });
  }

  /**
   * {@code post} or {@code text}: the template type of the send ({@code tmplType} of a v2beta2
   * block, where the core keeps it) when it names one of them, else the receiver's {@code
   * tmplType}.
   */
  private static String messageType(SendRequest<FeishuReceiver, FeishuConfig> request) {
    String type = request.rendering().type();
    return FeishuReceiver.POST.equals(type) || FeishuReceiver.TEXT.equals(type)
        ? type
        : request.receiver().tmplType();
  }

  /**
   * A permit of both of the bot's rates, or when the first is free again. The second is taken only
   * with the first: a permit of a second left unused costs at most that second.
   */
  private @Nullable Instant takePermit(String botKey) {
    Instant now = clock.instant();
    Instant free = permits.tryAcquire(botKey + "/s", BOT_RATE_PER_SECOND, 1, now);
    return free != null ? free : permits.tryAcquire(botKey + "/min", BOT_RATE_PER_MINUTE, 1, now);
  }

  private SendResult postToBot(
      OkHttpClient client,
      HttpUrl url,
      @Nullable Secret sign,
      FeishuRenderer.Message message,
      Instant deadline) {
    ObjectNode body = MAPPER.createObjectNode();
    if (sign != null) {
      long now = clock.instant().getEpochSecond();
      body.put("timestamp", String.valueOf(now)).put("sign", FeishuSigner.sign(now, sign));
    }
    body.put("msg_type", message.msgType());
    body.set("content", message.content());
    // The bot's token is the last segment of the webhook's path: logs and details omit the path.
    Request post = SecretPath.mark(post(url, body, null).newBuilder()).build();
    Answer answer = call(client, post, deadline);
    return answer.failure != null
        ? answer.failure
        : FeishuErrorCodes.message(
            HttpOutcomes.describe(post), Objects.requireNonNull(answer.reply), answer.retryAfter);
  }

  private void app(
      SendRequest<FeishuReceiver, FeishuConfig> request,
      String text,
      String config,
      OkHttpClient client,
      SendTargets targets) {
    String name = "app";
    FeishuConfig spec = request.config();
    SecretKeySelector idRef = spec.appID();
    SecretKeySelector secretRef = spec.appSecret();
    if (idRef == null || secretRef == null) {
      targets.fail(
          name,
          SendResult.permanent(
              Reason.NO_CONFIG,
              config
                  + ": spec.appID and spec.appSecret are not set; users and departments are sent"
                  + " to through an app"));
      return;
    }
    Secret appId = request.secret(FeishuConfig.APP_ID);
    if (appId == null) {
      targets.fail(name, SendResult.missingSecret(FeishuConfig.APP_ID, idRef));
      return;
    }
    Secret appSecret = request.secret(FeishuConfig.APP_SECRET);
    if (appSecret == null) {
      targets.fail(name, SendResult.missingSecret(FeishuConfig.APP_SECRET, secretRef));
      return;
    }
    FeishuReceiver receiver = request.receiver();
    ObjectNode recipients = MAPPER.createObjectNode();
    ArrayNode users = recipients.putArray("user_ids");
    receiver.user().forEach(users::add);
    ArrayNode departments = recipients.putArray("department_ids");
    receiver.department().forEach(departments::add);
    int room = MAX_CONTENT_BYTES - FeishuRenderer.size(recipients);
    List<FeishuRenderer.Message> messages =
        FeishuRenderer.messages(text, messageType(request), List.of(), Math.max(room, 4_096));
    AccessTokenCache.Key key = AccessTokenCache.Key.of(apiUrl.toString(), "", appId, appSecret);
    String target =
        SendProgress.key(
            name,
            key.credentialsDigest(),
            String.join(",", receiver.user()),
            String.join(",", receiver.department()));
    Instant deadline = request.deadline();
    AccessTokenCache.Use token =
        tokens.use(key, deadline, () -> fetchToken(client, appId, appSecret, deadline));
    targets.send(
        name,
        target,
        messages,
        FeishuChannel::identity,
        message -> batchSend(client, token, recipients, message, targets, deadline));
  }

  private AccessTokenCache.Fetched fetchToken(
      OkHttpClient client, Secret appId, Secret appSecret, Instant deadline) {
    ObjectNode body =
        MAPPER
            .createObjectNode()
            .put("app_id", appId.reveal())
            .put("app_secret", appSecret.reveal());
    Request post =
        post(
            Objects.requireNonNull(
                apiUrl.resolve("open-apis/auth/v3/tenant_access_token/internal")),
            body,
            null);
    Answer answer = call(client, post, deadline);
    if (answer.failure != null) {
      return AccessTokenCache.Fetched.failed(answer.failure);
    }
    FeishuReply reply = Objects.requireNonNull(answer.reply);
    String value = reply.token();
    if (reply.code() != 0 || value == null || value.isBlank()) {
      return AccessTokenCache.Fetched.failed(
          FeishuErrorCodes.token(HttpOutcomes.describe(post), reply, answer.retryAfter));
    }
    long seconds = reply.expire() > 0 ? reply.expire() : DEFAULT_TOKEN_SECONDS;
    return AccessTokenCache.Fetched.of(Secret.of(value), Duration.ofSeconds(seconds));
  }

  private SendResult batchSend(
      OkHttpClient client,
      AccessTokenCache.Use tokenUse,
      ObjectNode recipients,
      FeishuRenderer.Message message,
      SendTargets targets,
      Instant deadline) {
    AccessTokenCache.Fetched token = tokenUse.get();
    if (token.failure() != null) {
      return token.failure();
    }
    Secret used = Objects.requireNonNull(token.token());
    ObjectNode body = recipients.deepCopy();
    body.put("msg_type", message.msgType());
    body.set("content", message.content());
    HttpUrl url = Objects.requireNonNull(apiUrl.resolve("open-apis/message/v4/batch_send/"));
    Request post = post(url, body, used);
    Answer answer = call(client, post, deadline);
    if (answer.failure != null) {
      return answer.failure;
    }
    FeishuReply reply = Objects.requireNonNull(answer.reply);
    if (FeishuErrorCodes.TOKEN_INVALID.contains(reply.code()) && tokenUse.mayReplace()) {
      // The cached token went stale before its time (revoked, or the secret rotated): once only.
      token = tokenUse.replace(used);
      if (token.failure() != null) {
        return token.failure();
      }
      used = Objects.requireNonNull(token.token());
      post = post(url, body, used);
      answer = call(client, post, deadline);
      if (answer.failure != null) {
        return answer.failure;
      }
      reply = Objects.requireNonNull(answer.reply);
    }
    if (FeishuErrorCodes.TOKEN_INVALID.contains(reply.code())) {
      tokenUse.invalidate(used);
    }
    if (reply.code() == 0 && !reply.invalid().isEmpty()) {
      targets.note("not sent to " + String.join(", ", reply.invalid()));
    }
    return FeishuErrorCodes.message(HttpOutcomes.describe(post), reply, answer.retryAfter);
  }

  /** What makes a message what it is, for its progress key. */
  private static List<String> identity(FeishuRenderer.Message message) {
    return List.of(message.msgType(), message.content().toString());
  }

  /** Feishu's reply to one call with the delay it asks for, or why there is none. */
  private record Answer(
      @Nullable FeishuReply reply,
      @Nullable Duration retryAfter,
      SendResult.@Nullable Failed failure) {}

  private Answer call(OkHttpClient client, Request request, Instant deadline) {
    HttpExchange exchange = HttpExchange.run(client, request, deadline, clock, MAX_REPLY_BYTES);
    if (!(exchange instanceof HttpExchange.Reply response)) {
      return new Answer(null, null, ((HttpExchange.Failure) exchange).failure());
    }
    // Feishu's frequency limit names the wait in x-ogw-ratelimit-reset (seconds).
    Duration after = RetryAfter.parse(response.header("x-ogw-ratelimit-reset"), clock);
    if (after == null) {
      after = response.retryAfter(clock);
    }
    FeishuReply reply = FeishuReply.parse(response.body());
    if (response.code() == 429 || response.code() >= 500 || reply == null) {
      if (response.isSuccessful()) {
        return new Answer(
            null,
            null,
            SendResult.retryable(
                Reason.REMOTE_ERROR,
                HttpOutcomes.describe(request) + ": HTTP " + response.code() + " without a code"));
      }
      SendResult byStatus = response.byStatus(clock);
      SendResult.Failed failed =
          byStatus instanceof SendResult.Failed f
              ? f
              : SendResult.permanent(Reason.REJECTED, HttpOutcomes.describe(request));
      if (response.code() == 429 && after != null) {
        failed = SendResult.retryAfter(Reason.RATE_LIMITED, after, failed.detail());
      }
      return new Answer(null, null, failed);
    }
    // Feishu answers errors as 200 or 400 with a code in the body: the code decides.
    return new Answer(reply, after, null);
  }

  private static Request post(HttpUrl url, ObjectNode body, @Nullable Secret token) {
    byte[] bytes;
    try {
      bytes = MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
    Request.Builder b =
        new Request.Builder()
            .url(url)
            .header("User-Agent", "nm4j")
            .post(RequestBody.create(bytes, JSON));
    if (token != null) {
      b.header("Authorization", "Bearer " + token.reveal());
    }
    return b.build();
  }

  @Override
  public void close() {
    if (ownsFactory) {
      http.close();
    }
  }

  /** Builds a {@link FeishuChannel}; every setting has a default. */
  public static final class Builder {
    private @Nullable HttpClientFactory http;
    private Clock clock = Clock.systemUTC();
    private HttpUrl apiUrl = Objects.requireNonNull(HttpUrl.parse(DEFAULT_API_URL));
    private @Nullable String proxyUrl;
    private RatePermits permits = new RatePermits();
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

    /**
     * Where bots' permits are counted: the core's ({@link io.nm4j.spi.ChannelContext#permits()}),
     * so every channel posting to a bot shares its rate; by default this channel's own.
     */
    public Builder permits(RatePermits value) {
      this.permits = Objects.requireNonNull(value, "permits");
      return this;
    }

    /** The host's client factory, which the host closes; by default the channel has its own. */
    public Builder httpClientFactory(HttpClientFactory value) {
      this.http = Objects.requireNonNull(value, "httpClientFactory");
      return this;
    }

    /** The clock of signatures, token expiry and deadlines. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * The open platform of the app's calls, default {@value #DEFAULT_API_URL}. Bots are reached at
     * the URL of their webhook secret.
     *
     * @throws IllegalArgumentException when it is not an http(s) URL, or has a query or user info
     */
    public Builder apiUrl(String value) {
      this.apiUrl = ApiBaseUrl.parse("feishu.apiUrl", value);
      return this;
    }

    /** An HTTP proxy, {@code http://host:port}, for every call; {@code null} connects directly. */
    public Builder proxyUrl(@Nullable String value) {
      this.proxyUrl = value;
      return this;
    }

    public FeishuChannel build() {
      return new FeishuChannel(this);
    }
  }

  @Override
  public String toString() {
    return "FeishuChannel["
        + apiUrl.scheme()
        + "://"
        + apiUrl.host().toLowerCase(Locale.ROOT)
        + "]";
  }
}
