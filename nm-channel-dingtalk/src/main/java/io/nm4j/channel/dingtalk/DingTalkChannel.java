package io.nm4j.channel.dingtalk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nm4j.channel.dingtalk.internal.DeliveryMemory;
import io.nm4j.channel.dingtalk.internal.MarkdownMessage;
import io.nm4j.channel.dingtalk.internal.MarkdownRenderer;
import io.nm4j.channel.dingtalk.internal.Outcomes;
import io.nm4j.channel.dingtalk.internal.Reply;
import io.nm4j.channel.dingtalk.internal.Signer;
import io.nm4j.channel.dingtalk.internal.TokenCache;
import io.nm4j.http.HttpClientFactory;
import io.nm4j.http.HttpOutcomes;
import io.nm4j.http.HttpSettings;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * Sends a notification as a markdown message to a DingTalk custom robot, to an enterprise app's
 * group chat, or to both.
 *
 * <ul>
 *   <li><b>Robot</b>: {@code POST} to the webhook URL held in the {@code spec.chatbot.webhook}
 *       secret; with a signing secret, {@code timestamp} and {@code sign} are appended. When the
 *       title contains none of the robot's keywords, the first keyword is put in front of it (see
 *       {@link MarkdownRenderer}). A robot takes 20 messages a minute: {@link #limits} declares it
 *       for the dispatcher to queue by, and "sent too fast" ({@code 130101}) is retryable after a
 *       minute.
 *   <li><b>Group chat</b>: an access token from {@code gettoken} (app key and secret), cached until
 *       shortly before it expires and fetched again once, within the same send, when {@code
 *       chat/send} calls it invalid or expired ({@code 40014}, {@code 42001}).
 * </ul>
 *
 * <p>Messages longer than a target's limit are split and sent in order. <b>Both targets:</b> each
 * is tried whatever the other's outcome; the result is delivered when both are, otherwise the
 * failure (retryable if either failure is), with a detail stating each target's outcome. The
 * channel remembers, per notification ID, the parts each target has taken and the targets that
 * failed for good, so when the dispatcher retries a notification only what did not arrive is sent
 * again. That memory is bounded and expires by the clock (see {@link Builder#retryMemory}).
 */
public final class DingTalkChannel implements Channel<DingTalkReceiver, DingTalkConfig> {
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  /** The API base of group chat messages ({@code gettoken}, {@code chat/send}). */
  public static final String DEFAULT_API_URL = "https://oapi.dingtalk.com/";

  /** Largest markdown text sent to a robot in one message, in UTF-8 bytes. */
  public static final int CHATBOT_MAX_TEXT_BYTES = 19_960;

  /** Largest markdown text sent to a group chat in one message, in UTF-8 bytes. */
  public static final int CONVERSATION_MAX_TEXT_BYTES = 5_000;

  /** DingTalk lets a custom robot send 20 messages a minute, then throttles it for 10 minutes. */
  public static final ChannelLimits.Rate CHATBOT_RATE =
      new ChannelLimits.Rate(20, Duration.ofMinutes(1));

  private static final long DEFAULT_TOKEN_SECONDS = 7200;

  private final HttpClientFactory http;
  private final boolean ownsFactory;
  private final Clock clock;
  private final HttpUrl apiUrl;
  private final HttpSettings settings;
  private final int chatbotMaxTextBytes;
  private final int conversationMaxTextBytes;
  private final TokenCache tokens = new TokenCache(1024);
  private final DeliveryMemory memory;

  private DingTalkChannel(Builder b) {
    this.ownsFactory = b.http == null;
    this.http = b.http != null ? b.http : HttpClientFactory.create();
    this.clock = b.clock;
    this.apiUrl = b.apiUrl;
    this.settings = HttpSettings.builder().proxyUrl(b.proxyUrl).build();
    this.chatbotMaxTextBytes = b.chatbotMaxTextBytes;
    this.conversationMaxTextBytes = b.conversationMaxTextBytes;
    this.memory = new DeliveryMemory(clock, b.memoryTtl, b.memoryMaxNotifications);
    try {
      // Fails now, at start-up, on a proxy URL that can never work.
      http.client(settings);
    } catch (IllegalArgumentException e) {
      if (ownsFactory) {
        http.close();
      }
      throw new IllegalArgumentException("dingtalk." + e.getMessage(), e);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The API base URL group chat calls go to. */
  public String apiUrl() {
    return apiUrl.toString();
  }

  /**
   * One target per call; the smaller text limit of the config's targets; 20 messages a minute when
   * the config has a robot.
   */
  @Override
  public ChannelLimits limits(DingTalkConfig config) {
    int max = Integer.MAX_VALUE;
    if (config.chatbot() != null) {
      max = Math.min(max, chatbotMaxTextBytes);
    }
    if (config.conversation() != null) {
      max = Math.min(max, conversationMaxTextBytes);
    }
    return new ChannelLimits(max, 1, config.chatbot() != null ? CHATBOT_RATE : null);
  }

  @Override
  public SendResult send(SendRequest<DingTalkReceiver, DingTalkConfig> request) {
    String config = request.configName("DingTalkConfig");
    List<Outcome> outcomes = new ArrayList<>(2);
    DingTalkConfig.Chatbot bot = request.config().chatbot();
    if (bot != null) {
      // The robot's URL comes from the config's secret: its owner's egress policy applies.
      HttpSettings robot =
          settings.toBuilder().egress(request.egress()).origin(request.origin()).build();
      outcomes.add(chatbot(request, bot, http.client(robot)));
    }
    DingTalkConfig.Conversation chat = request.config().conversation();
    if (chat != null) {
      // The group chat API is the operator's (dingtalk.apiUrl).
      HttpSettings api = settings.toBuilder().origin(request.origin()).build();
      outcomes.add(conversation(request, chat, http.client(api)));
    }
    return combine(config, request.notification().id(), outcomes);
  }

  /**
   * The outcome of one target.
   *
   * @param name {@code chatbot} or {@code conversation}
   * @param result what happened on this attempt, or on an earlier one
   * @param earlier whether the result is remembered from an earlier attempt
   */
  private record Outcome(String name, SendResult result, boolean earlier) {}

  // ---- robot ----------------------------------------------------------------------------------

  private Outcome chatbot(
      SendRequest<DingTalkReceiver, DingTalkConfig> request,
      DingTalkConfig.Chatbot bot,
      OkHttpClient client) {
    String name = "chatbot";
    Secret webhook = request.secret(DingTalkConfig.CHATBOT_WEBHOOK);
    if (webhook == null) {
      return new Outcome(
          name, SendResult.missingSecret(DingTalkConfig.CHATBOT_WEBHOOK, bot.webhook()), false);
    }
    Secret sign = null;
    SecretKeySelector signRef = bot.secret();
    if (signRef != null) {
      sign = request.secret(DingTalkConfig.CHATBOT_SECRET);
      if (sign == null) {
        return new Outcome(
            name, SendResult.missingSecret(DingTalkConfig.CHATBOT_SECRET, signRef), false);
      }
    }
    HttpUrl url = HttpUrl.parse(webhook.reveal().trim());
    if (url == null) {
      return new Outcome(
          name,
          SendResult.permanent(
              Reason.REJECTED,
              DingTalkConfig.CHATBOT_WEBHOOK + ": the secret's value is not an http(s) URL"),
          false);
    }
    String target = "chatbot:" + TokenCache.fingerprint(url.toString());
    List<MarkdownMessage> parts =
        MarkdownRenderer.render(request.notification(), bot.keywords(), chatbotMaxTextBytes);
    Secret signing = sign;
    return sendParts(
        name,
        target,
        request,
        parts,
        part -> postToRobot(client, url, signing, part, request.deadline()));
  }

  private SendResult postToRobot(
      OkHttpClient client,
      HttpUrl webhook,
      @Nullable Secret sign,
      MarkdownMessage message,
      Instant deadline) {
    HttpUrl url = sign == null ? webhook : Signer.sign(webhook, clock.millis(), sign);
    ObjectNode body = MAPPER.createObjectNode().put("msgtype", "markdown");
    body.set("markdown", markdown(message));
    Request post = post(url, body);
    Answer answer = call(client, post, deadline);
    return answer.failure != null
        ? answer.failure
        : Outcomes.robot(describe(post), Objects.requireNonNull(answer.reply));
  }

  // ---- group chat -----------------------------------------------------------------------------

  private Outcome conversation(
      SendRequest<DingTalkReceiver, DingTalkConfig> request,
      DingTalkConfig.Conversation chat,
      OkHttpClient client) {
    String name = "conversation";
    Secret appkey = request.secret(DingTalkConfig.CONVERSATION_APPKEY);
    if (appkey == null) {
      return new Outcome(
          name, SendResult.missingSecret(DingTalkConfig.CONVERSATION_APPKEY, chat.appkey()), false);
    }
    Secret appsecret = request.secret(DingTalkConfig.CONVERSATION_APPSECRET);
    if (appsecret == null) {
      return new Outcome(
          name,
          SendResult.missingSecret(DingTalkConfig.CONVERSATION_APPSECRET, chat.appsecret()),
          false);
    }
    String app = TokenCache.key(appkey, appsecret);
    String target = "conversation:" + app.substring(0, 16) + ":" + chat.chatid();
    // Keywords are the robot's rule; the group chat gets the title as rendered.
    List<MarkdownMessage> parts =
        MarkdownRenderer.render(request.notification(), List.of(), conversationMaxTextBytes);
    boolean[] refreshed = {false};
    return sendParts(
        name,
        target,
        request,
        parts,
        part ->
            postToChat(
                client,
                appkey,
                appsecret,
                app,
                chat.chatid(),
                part,
                request.deadline(),
                refreshed));
  }

  private SendResult postToChat(
      OkHttpClient client,
      Secret appkey,
      Secret appsecret,
      String app,
      String chatid,
      MarkdownMessage message,
      Instant deadline,
      boolean[] refreshed) {
    TokenOrFailure token = token(client, appkey, appsecret, app, deadline);
    if (token.failure != null) {
      return token.failure;
    }
    Request post = chatSend(Objects.requireNonNull(token.token), chatid, message);
    Answer answer = call(client, post, deadline);
    if (answer.failure != null) {
      return answer.failure;
    }
    Reply reply = Objects.requireNonNull(answer.reply);
    if (Outcomes.TOKEN_EXPIRED.contains(reply.errcode()) && !refreshed[0]) {
      // The cached token went stale before its time (revoked, or rotated elsewhere): once only.
      refreshed[0] = true;
      tokens.invalidate(app, token.token);
      token = token(client, appkey, appsecret, app, deadline);
      if (token.failure != null) {
        return token.failure;
      }
      post = chatSend(Objects.requireNonNull(token.token), chatid, message);
      answer = call(client, post, deadline);
      if (answer.failure != null) {
        return answer.failure;
      }
      reply = Objects.requireNonNull(answer.reply);
    }
    if (Outcomes.TOKEN_EXPIRED.contains(reply.errcode())) {
      tokens.invalidate(app, token.token);
    }
    return Outcomes.chat(describe(post), reply);
  }

  private Request chatSend(Secret token, String chatid, MarkdownMessage message) {
    HttpUrl url =
        Objects.requireNonNull(apiUrl.resolve("chat/send"))
            .newBuilder()
            .addQueryParameter("access_token", token.reveal())
            .build();
    ObjectNode body = MAPPER.createObjectNode().put("chatid", chatid);
    ObjectNode msg = body.putObject("msg").put("msgtype", "markdown");
    msg.set("markdown", markdown(message));
    return post(url, body);
  }

  private record TokenOrFailure(@Nullable Secret token, SendResult.@Nullable Failed failure) {}

  private TokenOrFailure token(
      OkHttpClient client, Secret appkey, Secret appsecret, String app, Instant deadline) {
    Secret cached = tokens.get(app, clock.instant());
    if (cached != null) {
      return new TokenOrFailure(cached, null);
    }
    HttpUrl url =
        Objects.requireNonNull(apiUrl.resolve("gettoken"))
            .newBuilder()
            .addQueryParameter("appkey", appkey.reveal())
            .addQueryParameter("appsecret", appsecret.reveal())
            .build();
    Request get = new Request.Builder().url(url).header("User-Agent", "nm4j").get().build();
    Answer answer = call(client, get, deadline);
    if (answer.failure != null) {
      return new TokenOrFailure(null, answer.failure);
    }
    Reply reply = Objects.requireNonNull(answer.reply);
    String value = reply.accessToken();
    if (reply.errcode() != 0 || value == null || value.isBlank()) {
      return new TokenOrFailure(null, Outcomes.token(describe(get), reply));
    }
    long seconds = reply.expiresIn() > 0 ? reply.expiresIn() : DEFAULT_TOKEN_SECONDS;
    // Renew a little early, so a token does not expire between the check and the call.
    long margin = Math.min(300, seconds / 10);
    Secret token = Secret.of(value);
    tokens.put(app, token, clock.instant().plusSeconds(seconds - margin));
    return new TokenOrFailure(token, null);
  }

  // ---- shared ---------------------------------------------------------------------------------

  private Outcome sendParts(
      String name,
      String target,
      SendRequest<DingTalkReceiver, DingTalkConfig> request,
      List<MarkdownMessage> parts,
      Function<MarkdownMessage, SendResult> send) {
    String id = request.notification().id();
    SendResult.Failed earlier = memory.permanentFailure(id, target);
    if (earlier != null) {
      return new Outcome(name, earlier, true);
    }
    int n = parts.size();
    int before = 0;
    for (int i = 0; i < n; i++) {
      if (memory.partDelivered(id, target, i, n)) {
        before++;
        continue;
      }
      SendResult result = send.apply(parts.get(i));
      if (result instanceof SendResult.Failed f) {
        SendResult.Failed failed =
            n == 1
                ? f
                : new SendResult.Failed(
                    f.reason(),
                    f.retryable(),
                    f.retryAfter(),
                    f.detail() + " (part " + (i + 1) + " of " + n + "; " + i + " delivered)");
        if (!failed.retryable()) {
          memory.recordPermanent(id, target, failed);
        }
        return new Outcome(name, failed, false);
      }
      memory.recordPart(id, target, i, n);
    }
    String detail =
        (n == 1 ? "" : n + " parts")
            + (before == 0 ? "" : (n == 1 ? "" : ", ") + before + " on an earlier attempt");
    return new Outcome(name, SendResult.delivered(detail), before == n);
  }

  private SendResult combine(String config, String id, List<Outcome> outcomes) {
    StringBuilder detail = new StringBuilder(config).append(": ");
    SendResult.Failed chosen = null;
    Duration retryAfter = null;
    boolean retryable = false;
    for (int i = 0; i < outcomes.size(); i++) {
      Outcome o = outcomes.get(i);
      if (i > 0) {
        detail.append("; ");
      }
      detail.append(o.name());
      if (o.result() instanceof SendResult.Delivered d) {
        detail.append(" delivered");
        if (o.earlier()) {
          detail.append(" on an earlier attempt");
        } else if (!d.detail().isEmpty()) {
          detail.append(" (").append(d.detail()).append(')');
        }
      } else if (o.result() instanceof SendResult.Failed f) {
        detail.append(o.earlier() ? " failed on an earlier attempt: " : " failed: ");
        detail.append(f.detail());
        if (f.retryable()) {
          retryable = true;
          if (f.retryAfter() != null
              && (retryAfter == null || f.retryAfter().compareTo(retryAfter) > 0)) {
            retryAfter = f.retryAfter();
          }
        }
        // The failure worth retrying speaks for the result; else the first one.
        if (chosen == null || (f.retryable() && !chosen.retryable())) {
          chosen = f;
        }
      }
    }
    if (chosen == null) {
      memory.forget(id);
      return SendResult.delivered(detail.toString());
    }
    if (!retryable) {
      memory.forget(id);
    }
    return new SendResult.Failed(chosen.reason(), retryable, retryAfter, detail.toString());
  }

  /** The reply of one call, or why there is none. */
  private record Answer(@Nullable Reply reply, SendResult.@Nullable Failed failure) {}

  private Answer call(OkHttpClient client, Request request, Instant deadline) {
    Call call;
    try {
      call = HttpOutcomes.newCall(client, request, deadline, clock);
    } catch (HttpOutcomes.DeadlinePassedException e) {
      return new Answer(null, HttpOutcomes.deadlinePassed(request));
    }
    try (Response response = call.execute()) {
      if (!response.isSuccessful()) {
        SendResult r = HttpOutcomes.ofResponse(response, clock);
        return new Answer(
            null,
            r instanceof SendResult.Failed f
                ? f
                : SendResult.permanent(Reason.REJECTED, describe(request) + ": unexpected reply"));
      }
      // Success is the body's errcode, never the status alone.
      String body = response.peekBody(64 * 1024).string();
      Reply reply = Reply.parse(body);
      if (reply == null) {
        return new Answer(
            null,
            SendResult.retryable(
                Reason.REMOTE_ERROR,
                describe(request) + ": HTTP " + response.code() + " without an errcode"));
      }
      return new Answer(reply, null);
    } catch (IOException e) {
      return new Answer(null, HttpOutcomes.ofException(request, e));
    }
  }

  private static Request post(HttpUrl url, ObjectNode body) {
    byte[] bytes;
    try {
      bytes = MAPPER.writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
    return new Request.Builder()
        .url(url)
        .header("User-Agent", "nm4j")
        .post(RequestBody.create(bytes, JSON))
        .build();
  }

  private static ObjectNode markdown(MarkdownMessage message) {
    return MAPPER.createObjectNode().put("title", message.title()).put("text", message.text());
  }

  /** {@code POST https://host:443/path}: never the query, where tokens and signatures are. */
  private static String describe(Request request) {
    return request.method() + " " + HttpOutcomes.redactedUrl(request.url());
  }

  @Override
  public void close() {
    if (ownsFactory) {
      http.close();
    }
  }

  /** Builds a {@link DingTalkChannel}; every setting has a default. */
  public static final class Builder {
    private @Nullable HttpClientFactory http;
    private Clock clock = Clock.systemUTC();
    private HttpUrl apiUrl = Objects.requireNonNull(HttpUrl.parse(DEFAULT_API_URL));
    private @Nullable String proxyUrl;
    private int chatbotMaxTextBytes = CHATBOT_MAX_TEXT_BYTES;
    private int conversationMaxTextBytes = CONVERSATION_MAX_TEXT_BYTES;
    private Duration memoryTtl = Duration.ofHours(24);
    private int memoryMaxNotifications = 10_000;

    private Builder() {}

    /** The host's client factory, which the host closes; by default the channel has its own. */
    public Builder httpClientFactory(HttpClientFactory value) {
      this.http = Objects.requireNonNull(value, "httpClientFactory");
      return this;
    }

    /** The clock of signatures, token expiry, deadlines and the retry memory. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * The API base of group chat calls ({@code gettoken}, {@code chat/send}), default {@value
     * #DEFAULT_API_URL}. Robots are reached at the URL of their webhook secret.
     *
     * @throws IllegalArgumentException when it is not an http(s) URL
     */
    public Builder apiUrl(String value) {
      Objects.requireNonNull(value, "apiUrl");
      HttpUrl url = HttpUrl.parse(value.trim());
      if (url == null) {
        throw new IllegalArgumentException(
            "dingtalk.apiUrl: must be an http or https URL, was \"" + value + "\"");
      }
      if (url.query() != null || !url.username().isEmpty() || !url.password().isEmpty()) {
        throw new IllegalArgumentException(
            "dingtalk.apiUrl: must not contain a query or user info");
      }
      String s = url.toString();
      this.apiUrl = s.endsWith("/") ? url : Objects.requireNonNull(HttpUrl.parse(s + "/"));
      return this;
    }

    /** An HTTP proxy, {@code http://host:port}, for every call; {@code null} connects directly. */
    public Builder proxyUrl(@Nullable String value) {
      this.proxyUrl = value;
      return this;
    }

    /** Largest robot message text in UTF-8 bytes, default {@value #CHATBOT_MAX_TEXT_BYTES}. */
    public Builder chatbotMaxTextBytes(int value) {
      this.chatbotMaxTextBytes = atLeast("chatbotMessageMaxSize", value);
      return this;
    }

    /**
     * Largest group chat message text in UTF-8 bytes, default {@value
     * #CONVERSATION_MAX_TEXT_BYTES}.
     */
    public Builder conversationMaxTextBytes(int value) {
      this.conversationMaxTextBytes = atLeast("conversationMessageMaxSize", value);
      return this;
    }

    /**
     * How long, and for how many notifications at most, the channel remembers what earlier attempts
     * delivered (default 24 hours, 10,000): longer than the dispatcher retries one.
     */
    public Builder retryMemory(Duration ttl, int maxNotifications) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.isNegative() || ttl.isZero() || maxNotifications < 1) {
        throw new IllegalArgumentException("retryMemory: needs a positive ttl and size");
      }
      this.memoryTtl = ttl;
      this.memoryMaxNotifications = maxNotifications;
      return this;
    }

    private static int atLeast(String name, int value) {
      if (value < 1024) {
        throw new IllegalArgumentException(
            "dingtalk." + name + ": must be at least 1024 bytes, was " + value);
      }
      return value;
    }

    public DingTalkChannel build() {
      return new DingTalkChannel(this);
    }
  }

  @Override
  public String toString() {
    return "DingTalkChannel["
        + apiUrl.scheme()
        + "://"
        + apiUrl.host().toLowerCase(Locale.ROOT)
        + "]";
  }
}
