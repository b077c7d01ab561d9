package io.nm4j.channel.dingtalk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nm4j.channel.dingtalk.internal.DingTalkErrorCodes;
import io.nm4j.channel.dingtalk.internal.DingTalkReply;
import io.nm4j.channel.dingtalk.internal.MarkdownMessage;
import io.nm4j.channel.dingtalk.internal.MarkdownRenderer;
import io.nm4j.channel.dingtalk.internal.Signer;
import io.nm4j.http.AccessTokenCache;
import io.nm4j.http.HttpClientFactory;
import io.nm4j.http.HttpExchange;
import io.nm4j.http.HttpOutcomes;
import io.nm4j.http.HttpSettings;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SendProgress;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.spi.TemplateEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
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
 * failure (retryable if either failure is), with a detail stating each target's outcome. A failed
 * result reports as its progress the parts each target took and the targets that failed for good,
 * so when the dispatcher retries the notification only what did not arrive is sent again, and a
 * target that refused it for good is not tried again. A part is recognised by its target and its
 * content: one that renders differently on the retry is sent.
 */
public final class DingTalkChannel implements Channel<DingTalkReceiver, DingTalkConfig> {
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final int MAX_REPLY_BYTES = 64 * 1024;

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
  private final AccessTokenCache tokens;
  private final MarkdownRenderer renderer;

  private DingTalkChannel(Builder b) {
    this.ownsFactory = b.http == null;
    this.http = b.http != null ? b.http : HttpClientFactory.create();
    this.clock = b.clock;
    this.apiUrl = b.apiUrl;
    this.settings = HttpSettings.builder().proxyUrl(b.proxyUrl).build();
    this.chatbotMaxTextBytes = b.chatbotMaxTextBytes;
    this.conversationMaxTextBytes = b.conversationMaxTextBytes;
    this.tokens = new AccessTokenCache(clock, 1024);
    this.renderer =
        new MarkdownRenderer(
            b.templateEngine != null
                ? b.templateEngine
                : TemplateEngine.onClassPath(DingTalkChannel.class.getClassLoader()));
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
    SendProgress.Builder progress = request.progress().toBuilder();
    List<TargetResult> results = new ArrayList<>(2);
    DingTalkConfig.Chatbot bot = request.config().chatbot();
    if (bot != null) {
      // The robot's URL comes from the config's secret: its owner's egress policy applies.
      HttpSettings robot =
          settings.toBuilder().egress(request.egress()).origin(request.origin()).build();
      results.add(chatbot(request, bot, http.client(robot), progress));
    }
    DingTalkConfig.Conversation chat = request.config().conversation();
    if (chat != null) {
      // The group chat API is the operator's (dingtalk.apiUrl).
      HttpSettings api = settings.toBuilder().origin(request.origin()).build();
      results.add(conversation(request, chat, http.client(api), progress));
    }
    return combine(config, results, progress.build());
  }

  /**
   * The outcome of one target.
   *
   * @param name {@code chatbot} or {@code conversation}
   * @param result what happened on this attempt, or on an earlier one
   * @param earlier whether the result is an earlier attempt's
   */
  private record TargetResult(String name, SendResult result, boolean earlier) {}

  private TargetResult chatbot(
      SendRequest<DingTalkReceiver, DingTalkConfig> request,
      DingTalkConfig.Chatbot bot,
      OkHttpClient client,
      SendProgress.Builder progress) {
    String name = "chatbot";
    Secret webhook = request.secret(DingTalkConfig.CHATBOT_WEBHOOK);
    if (webhook == null) {
      return new TargetResult(
          name, SendResult.missingSecret(DingTalkConfig.CHATBOT_WEBHOOK, bot.webhook()), false);
    }
    Secret sign = null;
    SecretKeySelector signRef = bot.secret();
    if (signRef != null) {
      sign = request.secret(DingTalkConfig.CHATBOT_SECRET);
      if (sign == null) {
        return new TargetResult(
            name, SendResult.missingSecret(DingTalkConfig.CHATBOT_SECRET, signRef), false);
      }
    }
    HttpUrl url = HttpUrl.parse(webhook.reveal().trim());
    if (url == null) {
      return new TargetResult(
          name,
          SendResult.permanent(
              Reason.REJECTED,
              DingTalkConfig.CHATBOT_WEBHOOK + ": the secret's value is not an http(s) URL"),
          false);
    }
    String target = SendProgress.key(name, url.toString());
    MarkdownRenderer.Rendered parts =
        renderer.render(
            request.notification(), request.rendering(), bot.keywords(), chatbotMaxTextBytes);
    Secret signing = sign;
    return sendParts(
        name,
        target,
        parts,
        progress,
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
    ReplyOrFailure answer = call(client, post, deadline);
    return answer.failure != null
        ? answer.failure
        : DingTalkErrorCodes.robot(
            HttpOutcomes.describe(post), Objects.requireNonNull(answer.reply));
  }

  private TargetResult conversation(
      SendRequest<DingTalkReceiver, DingTalkConfig> request,
      DingTalkConfig.Conversation chat,
      OkHttpClient client,
      SendProgress.Builder progress) {
    String name = "conversation";
    Secret appkey = request.secret(DingTalkConfig.CONVERSATION_APPKEY);
    if (appkey == null) {
      return new TargetResult(
          name, SendResult.missingSecret(DingTalkConfig.CONVERSATION_APPKEY, chat.appkey()), false);
    }
    Secret appsecret = request.secret(DingTalkConfig.CONVERSATION_APPSECRET);
    if (appsecret == null) {
      return new TargetResult(
          name,
          SendResult.missingSecret(DingTalkConfig.CONVERSATION_APPSECRET, chat.appsecret()),
          false);
    }
    AccessTokenCache.Key app = AccessTokenCache.Key.of(apiUrl.toString(), "", appkey, appsecret);
    String target = SendProgress.key(name, app.credentialsDigest(), chat.chatid());
    // Keywords are the robot's rule; the group chat gets the title as rendered.
    MarkdownRenderer.Rendered parts =
        renderer.render(
            request.notification(), request.rendering(), List.of(), conversationMaxTextBytes);
    TokenUse token = new TokenUse(client, app, appkey, appsecret, request.deadline());
    return sendParts(name, target, parts, progress, part -> postToChat(token, chat.chatid(), part));
  }

  /** One send's use of an app's access token: refreshed at most once, whatever the parts. */
  private final class TokenUse {
    final OkHttpClient client;
    final AccessTokenCache.Key app;
    final Secret appkey;
    final Secret appsecret;
    final Instant deadline;
    boolean refreshed;

    TokenUse(
        OkHttpClient client,
        AccessTokenCache.Key app,
        Secret appkey,
        Secret appsecret,
        Instant deadline) {
      this.client = client;
      this.app = app;
      this.appkey = appkey;
      this.appsecret = appsecret;
      this.deadline = deadline;
    }

    AccessTokenCache.Fetched get() {
      return tokens.get(app, deadline, this::fetch);
    }

    AccessTokenCache.Fetched replace(Secret rejected) {
      refreshed = true;
      return tokens.replace(app, rejected, deadline, this::fetch);
    }

    private AccessTokenCache.Fetched fetch() {
      HttpUrl url =
          Objects.requireNonNull(apiUrl.resolve("gettoken"))
              .newBuilder()
              .addQueryParameter("appkey", appkey.reveal())
              .addQueryParameter("appsecret", appsecret.reveal())
              .build();
      Request get = new Request.Builder().url(url).header("User-Agent", "nm4j").get().build();
      ReplyOrFailure answer = call(client, get, deadline);
      if (answer.failure != null) {
        return AccessTokenCache.Fetched.failed(answer.failure);
      }
      DingTalkReply reply = Objects.requireNonNull(answer.reply);
      String value = reply.accessToken();
      if (reply.errcode() != 0 || value == null || value.isBlank()) {
        return AccessTokenCache.Fetched.failed(
            DingTalkErrorCodes.token(HttpOutcomes.describe(get), reply));
      }
      long seconds = reply.expiresIn() > 0 ? reply.expiresIn() : DEFAULT_TOKEN_SECONDS;
      return AccessTokenCache.Fetched.of(Secret.of(value), Duration.ofSeconds(seconds));
    }
  }

  private SendResult postToChat(TokenUse tokenUse, String chatid, MarkdownMessage message) {
    AccessTokenCache.Fetched token = tokenUse.get();
    if (token.failure() != null) {
      return token.failure();
    }
    Secret used = Objects.requireNonNull(token.token());
    Request post = chatSend(used, chatid, message);
    ReplyOrFailure answer = call(tokenUse.client, post, tokenUse.deadline);
    if (answer.failure != null) {
      return answer.failure;
    }
    DingTalkReply reply = Objects.requireNonNull(answer.reply);
    if (DingTalkErrorCodes.TOKEN_EXPIRED.contains(reply.errcode()) && !tokenUse.refreshed) {
      // The cached token went stale before its time (revoked, or rotated elsewhere): once only.
      token = tokenUse.replace(used);
      if (token.failure() != null) {
        return token.failure();
      }
      used = Objects.requireNonNull(token.token());
      post = chatSend(used, chatid, message);
      answer = call(tokenUse.client, post, tokenUse.deadline);
      if (answer.failure != null) {
        return answer.failure;
      }
      reply = Objects.requireNonNull(answer.reply);
    }
    if (DingTalkErrorCodes.TOKEN_EXPIRED.contains(reply.errcode())) {
      tokens.invalidate(tokenUse.app, used);
    }
    return DingTalkErrorCodes.chat(HttpOutcomes.describe(post), reply);
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

  /**
   * Sends a target's parts in order, skipping those an earlier attempt delivered, and stops at the
   * first failure. A target that failed for good on an earlier attempt is not tried again.
   *
   * @param target what identifies the target in progress keys, without naming a secret
   */
  private static TargetResult sendParts(
      String name,
      String target,
      MarkdownRenderer.Rendered rendered,
      SendProgress.Builder progress,
      Function<MarkdownMessage, SendResult> send) {
    List<MarkdownMessage> parts = rendered.parts();
    for (Reason reason : Reason.values()) {
      if (progress.contains(gaveUp(target, reason))) {
        return new TargetResult(
            name, SendResult.permanent(reason, reason + ", not tried again"), true);
      }
    }
    int n = parts.size();
    int earlier = 0;
    for (int i = 0; i < n; i++) {
      MarkdownMessage part = parts.get(i);
      String key = SendProgress.key(target, part.title(), part.text());
      if (progress.contains(key)) {
        earlier++;
        continue;
      }
      SendResult result = send.apply(part);
      if (result instanceof SendResult.Failed f) {
        SendResult.Failed failed =
            n == 1
                ? f
                : f.withDetail(
                    f.detail() + " (part " + (i + 1) + " of " + n + "; " + i + " delivered)");
        if (!failed.retryable()) {
          progress.add(gaveUp(target, failed.reason()));
        }
        return new TargetResult(name, failed.withDetail(rendered.annotate(failed.detail())), false);
      }
      progress.add(key);
    }
    String detail =
        (n == 1 ? "" : n + " parts")
            + (earlier == 0 ? "" : (n == 1 ? "" : ", ") + earlier + " on an earlier attempt");
    return new TargetResult(
        name, SendResult.delivered(rendered.annotate(detail).strip()), earlier == n);
  }

  /** The progress key of a target that failed for good, with the reason it failed. */
  private static String gaveUp(String target, Reason reason) {
    return SendProgress.key(target, "failed for good", reason.name());
  }

  private static SendResult combine(
      String config, List<TargetResult> results, SendProgress progress) {
    StringBuilder detail = new StringBuilder(config).append(": ");
    SendResult.Failed chosen = null;
    Duration retryAfter = null;
    boolean retryable = false;
    for (int i = 0; i < results.size(); i++) {
      TargetResult o = results.get(i);
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
      return SendResult.delivered(detail.toString());
    }
    return new SendResult.Failed(
        chosen.reason(), retryable, retryAfter, detail.toString(), progress);
  }

  /** The reply of one call, or why there is none. */
  private record ReplyOrFailure(
      @Nullable DingTalkReply reply, SendResult.@Nullable Failed failure) {}

  private ReplyOrFailure call(OkHttpClient client, Request request, Instant deadline) {
    HttpExchange exchange = HttpExchange.run(client, request, deadline, clock, MAX_REPLY_BYTES);
    if (!(exchange instanceof HttpExchange.Reply response)) {
      return new ReplyOrFailure(null, ((HttpExchange.Failure) exchange).failure());
    }
    if (!response.isSuccessful()) {
      SendResult r = response.byStatus(clock);
      return new ReplyOrFailure(
          null,
          r instanceof SendResult.Failed f
              ? f
              : SendResult.permanent(
                  Reason.REJECTED, HttpOutcomes.describe(request) + ": unexpected reply"));
    }
    // Success is the body's errcode, never the status alone.
    DingTalkReply reply = DingTalkReply.parse(response.body());
    if (reply == null) {
      return new ReplyOrFailure(
          null,
          SendResult.retryable(
              Reason.REMOTE_ERROR,
              HttpOutcomes.describe(request)
                  + ": HTTP "
                  + response.code()
                  + " without an errcode"));
    }
    return new ReplyOrFailure(reply, null);
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
    private @Nullable TemplateEngine templateEngine;

    /**
     * The engine the messages are rendered with; by default the one on the class path (FreeMarker,
     * which this module brings).
     */
    public Builder templateEngine(TemplateEngine value) {
      this.templateEngine = Objects.requireNonNull(value, "templateEngine");
      return this;
    }

    private Builder() {}

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
