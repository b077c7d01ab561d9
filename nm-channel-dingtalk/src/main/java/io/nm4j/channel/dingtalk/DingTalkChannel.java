package io.nm4j.channel.dingtalk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nm4j.channel.dingtalk.internal.DingTalkErrorCodes;
import io.nm4j.channel.dingtalk.internal.DingTalkReply;
import io.nm4j.channel.dingtalk.internal.DingTalkSettingsOptions;
import io.nm4j.channel.dingtalk.internal.MarkdownMessage;
import io.nm4j.channel.dingtalk.internal.MarkdownRenderer;
import io.nm4j.channel.dingtalk.internal.Signer;
import io.nm4j.http.AccessTokenCache;
import io.nm4j.http.ApiBaseUrl;
import io.nm4j.http.HttpClientFactory;
import io.nm4j.http.HttpExchange;
import io.nm4j.http.HttpOutcomes;
import io.nm4j.http.HttpSettings;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.ChannelTemplates;
import io.nm4j.spi.RatePermits;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SendProgress;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.spi.SendTargets;
import io.nm4j.spi.TemplateEngine;
import io.nm4j.spi.TemplateProblem;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * Sends a notification as a markdown message to a DingTalk custom robot, to an enterprise app's
 * group chat, or to both.
 *
 * <ul>
 *   <li><b>Robot</b>: {@code POST} to the webhook URL held in the {@code spec.chatbot.webhook}
 *       secret; with a signing secret, {@code timestamp} and {@code sign} are appended. When the
 *       title contains none of the robot's keywords, the first keyword is put in front of it (see
 *       {@link MarkdownRenderer}). A robot takes 20 messages a minute, counted on the robot (a
 *       digest of its webhook URL) in the core's {@link RatePermits}, so configs naming one robot
 *       share its budget and every part posted takes a permit; a part with no permit free is not
 *       posted, and the send fails retryably until the permit frees up. "Sent too fast" ({@code
 *       130101}) means DingTalk throttles the robot for ten minutes: the robot is held that long,
 *       so no send to it calls DingTalk before the throttle ends. A sign secret that is empty
 *       leaves the robot unsigned.
 *   <li><b>Group chat</b>: an access token from {@code gettoken} (app key and secret), cached until
 *       shortly before it expires and fetched again once, within the same send, when {@code
 *       chat/send} calls it invalid or expired ({@code 40014}, {@code 42001}).
 * </ul>
 *
 * <p>A v1alpha1 config names the robot and the group chat; a v2beta2 receiver names its robot
 * (reached under the receiver owner's egress policy, {@link SendRequest#receiverEgress()}) and its
 * group chats, which are sent through its config's app. A v2beta2 robot's mentions ({@code
 * atMobiles}, {@code atUsers}, {@code atAll}) go into the message's {@code at} object, and the
 * mobiles and user IDs, as {@code @...}, at the end of each part's text, where DingTalk shows them.
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
  private final RatePermits permits;
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
    this.permits = b.permits;
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
   * One target per call; the smaller text limit of the config's targets. No rate per config: the
   * robot's rate is counted per robot and per message, see {@link #CHATBOT_RATE}.
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
    return new ChannelLimits(max, 1, null);
  }

  @Override
  public SendResult send(SendRequest<DingTalkReceiver, DingTalkConfig> request) {
    SendTargets targets = SendTargets.of(request, request.configName("DingTalkConfig"));
    DingTalkSettingsOptions options =
        request.settingsOptions(
            DingTalkSettingsOptions.class,
            DingTalkSettingsOptions.defaults(chatbotMaxTextBytes, conversationMaxTextBytes));
    // Every target renders the same templates: one problem speaks for the send.
    TemplateProblem problem = null;
    DingTalkConfig.Chatbot receiverBot = request.receiver().chatbot();
    DingTalkConfig.Chatbot bot = receiverBot != null ? receiverBot : request.config().chatbot();
    if (bot != null) {
      // The robot's URL comes from a secret of whoever names the robot: that owner's egress policy
      // applies, the receiver's when a v2beta2 receiver names it.
      HttpSettings robot =
          settings.toBuilder()
              .egress(receiverBot != null ? request.receiverEgress() : request.egress())
              .origin(request.origin())
              .build();
      problem = chatbot(request, bot, http.client(robot), targets, options);
    }
    DingTalkConfig.Conversation chat = request.config().conversation();
    List<String> chatids = new ArrayList<>();
    if (chat != null && chat.chatid() != null) {
      chatids.add(chat.chatid());
    }
    chatids.addAll(request.receiver().chatids());
    if (!chatids.isEmpty()) {
      TemplateProblem chatProblem = null;
      if (chat == null) {
        targets.fail(
            "conversation",
            SendResult.permanent(
                Reason.NO_CONFIG,
                "the config has no conversation (appkey, appsecret) to post to group chats with"));
      } else {
        // The group chat API is the operator's (dingtalk.apiUrl).
        HttpSettings api = settings.toBuilder().origin(request.origin()).build();
        chatProblem = conversation(request, chat, chatids, http.client(api), targets, options);
      }
      problem = problem != null ? problem : chatProblem;
    }
    return ChannelTemplates.annotate(targets.result(), problem);
  }

  private @Nullable TemplateProblem chatbot(
      SendRequest<DingTalkReceiver, DingTalkConfig> request,
      DingTalkConfig.Chatbot bot,
      OkHttpClient client,
      SendTargets targets,
      DingTalkSettingsOptions options) {
    String name = "chatbot";
    Secret webhook = request.secret(DingTalkConfig.CHATBOT_WEBHOOK);
    if (webhook == null) {
      targets.fail(name, SendResult.missingSecret(DingTalkConfig.CHATBOT_WEBHOOK, bot.webhook()));
      return null;
    }
    Secret sign = null;
    SecretKeySelector signRef = bot.secret();
    if (signRef != null) {
      sign = request.secret(DingTalkConfig.CHATBOT_SECRET);
      if (sign == null) {
        targets.fail(name, SendResult.missingSecret(DingTalkConfig.CHATBOT_SECRET, signRef));
        return null;
      }
      if (sign.reveal().isBlank()) {
        // A robot without "加签" has no sign secret; an empty one is that, not a key for HMAC.
        sign = null;
      }
    }
    HttpUrl url = HttpUrl.parse(webhook.reveal().trim());
    if (url == null) {
      targets.fail(
          name,
          SendResult.permanent(
              Reason.REJECTED,
              DingTalkConfig.CHATBOT_WEBHOOK + ": the secret's value is not an http(s) URL"));
      return null;
    }
    String target = SendProgress.key(name, url.toString());
    String robotKey = robotKey(url);
    // DingTalk shows a mention in a markdown message only where the text names it.
    String mentions = mentionText(bot);
    int mentionBytes = mentions.getBytes(StandardCharsets.UTF_8).length;
    MarkdownRenderer.Rendered rendered =
        renderer.render(
            request.notification(),
            request.rendering(),
            bot.keywords(),
            Math.min(chatbotMaxTextBytes, options.chatbotMaxTextBytes()) - mentionBytes);
    List<MarkdownMessage> parts = new ArrayList<>(rendered.parts().size());
    for (MarkdownMessage part : rendered.parts()) {
      parts.add(new MarkdownMessage(part.title(), part.text() + mentions));
    }
    ObjectNode at = atOf(bot);
    Secret signing = sign;
    targets.send(
        name,
        target,
        parts,
        part -> List.of(part.title(), part.text()),
        part -> {
          SendResult.Failed throttled = throttled(name, robotKey, options.chatbotThrottle());
          if (throttled != null) {
            return throttled;
          }
          Instant now = clock.instant();
          Instant free = permits.tryAcquire(robotKey, CHATBOT_RATE, 1, now);
          if (free != null) {
            return RatePermits.waitFor(name, free, now);
          }
          return postToRobot(client, url, robotKey, signing, part, at, request.deadline());
        });
    return rendered.problem();
  }

  /** The mentions appended to each part's text: {@code @mobile} and {@code @userId}. */
  private static String mentionText(DingTalkConfig.Chatbot bot) {
    StringBuilder text = new StringBuilder();
    for (String mobile : bot.atMobiles()) {
      text.append(text.isEmpty() ? "\n\n" : " ").append('@').append(mobile);
    }
    for (String user : bot.atUsers()) {
      text.append(text.isEmpty() ? "\n\n" : " ").append('@').append(user);
    }
    return text.toString();
  }

  /** The robot API's {@code at} object; {@code null} when the robot mentions nobody. */
  private static @Nullable ObjectNode atOf(DingTalkConfig.Chatbot bot) {
    if (!bot.mentions()) {
      return null;
    }
    ObjectNode at = MAPPER.createObjectNode();
    bot.atMobiles().forEach(at.putArray("atMobiles")::add);
    bot.atUsers().forEach(at.putArray("atUserIds")::add);
    at.put("isAtAll", bot.atAll());
    return at;
  }

  /**
   * The failure of a message the operator's throttle holds back, or {@code null} when it took a
   * permit (or there is no throttle). Counted on its own key, beside DingTalk's rate: a throttle
   * slower on average may still allow bursts DingTalk refuses. A wait within {@code maxWaitTime}
   * does not count as an attempt; a longer one is a rate-limited attempt, retried later.
   */
  private SendResult.@Nullable Failed throttled(
      String name, String endpointKey, DingTalkSettingsOptions.@Nullable Throttle throttle) {
    if (throttle == null) {
      return null;
    }
    Instant now = clock.instant();
    Instant free = permits.tryAcquire(endpointKey + " throttle", throttle.rate(), 1, now);
    if (free == null) {
      return null;
    }
    Duration wait = Duration.between(now, free);
    if (throttle.maxWait() == null || wait.compareTo(throttle.maxWait()) <= 0) {
      return RatePermits.waitFor(name, free, now);
    }
    return SendResult.retryAfter(
        Reason.RATE_LIMITED,
        wait,
        name
            + ": not sent, the throttle of the settings allows the next message at "
            + free
            + ", later than its maxWaitTime "
            + throttle.maxWait());
  }

  /**
   * The key the robot's rate is counted on: a digest of its webhook URL (which holds its token),
   * without signature parameters.
   */
  private static String robotKey(HttpUrl webhook) {
    return SendProgress.key("dingtalk robot", webhook.toString());
  }

  private SendResult postToRobot(
      OkHttpClient client,
      HttpUrl webhook,
      String robotKey,
      @Nullable Secret sign,
      MarkdownMessage message,
      @Nullable ObjectNode at,
      Instant deadline) {
    HttpUrl url = sign == null ? webhook : Signer.sign(webhook, clock.millis(), sign);
    ObjectNode body = MAPPER.createObjectNode().put("msgtype", "markdown");
    body.set("markdown", markdown(message));
    if (at != null) {
      body.set("at", at);
    }
    Request post = post(url, body);
    ReplyOrFailure answer = call(client, post, deadline);
    if (answer.failure != null) {
      return answer.failure;
    }
    DingTalkReply reply = Objects.requireNonNull(answer.reply);
    if (reply.errcode() == DingTalkErrorCodes.TOO_FAST) {
      // DingTalk refuses the robot's messages for the whole throttle: hold it for every config.
      permits.hold(robotKey, clock.instant().plus(DingTalkErrorCodes.TOO_FAST_RETRY_AFTER));
    }
    return DingTalkErrorCodes.robot(HttpOutcomes.describe(post), reply);
  }

  /**
   * Posts to each group chat in turn through the config's app. A v1alpha1 config's own chat is
   * named {@code conversation} in details, a receiver's {@code conversation <chatid>}.
   */
  private @Nullable TemplateProblem conversation(
      SendRequest<DingTalkReceiver, DingTalkConfig> request,
      DingTalkConfig.Conversation chat,
      List<String> chatids,
      OkHttpClient client,
      SendTargets targets,
      DingTalkSettingsOptions options) {
    String name = "conversation";
    Secret appkey = request.secret(DingTalkConfig.CONVERSATION_APPKEY);
    if (appkey == null) {
      targets.fail(
          name, SendResult.missingSecret(DingTalkConfig.CONVERSATION_APPKEY, chat.appkey()));
      return null;
    }
    Secret appsecret = request.secret(DingTalkConfig.CONVERSATION_APPSECRET);
    if (appsecret == null) {
      targets.fail(
          name, SendResult.missingSecret(DingTalkConfig.CONVERSATION_APPSECRET, chat.appsecret()));
      return null;
    }
    AccessTokenCache.Key app = AccessTokenCache.Key.of(apiUrl.toString(), "", appkey, appsecret);
    // Keywords are the robot's rule; the group chat gets the title as rendered.
    MarkdownRenderer.Rendered rendered =
        renderer.render(
            request.notification(),
            request.rendering(),
            List.of(),
            Math.min(conversationMaxTextBytes, options.conversationMaxTextBytes()));
    Instant deadline = request.deadline();
    AccessTokenCache.Use token =
        tokens.use(
            app,
            deadline,
            () -> fetchToken(client, appkey, appsecret, deadline, options.tokenExpires()));
    for (String chatid : chatids) {
      String target = SendProgress.key(name, app.credentialsDigest(), chatid);
      targets.send(
          chatid.equals(chat.chatid()) ? name : name + " " + chatid,
          target,
          rendered.parts(),
          part -> List.of(part.title(), part.text()),
          part -> {
            SendResult.Failed throttled = throttled(name, target, options.conversationThrottle());
            return throttled != null
                ? throttled
                : postToChat(client, token, chatid, part, deadline);
          });
    }
    return rendered.problem();
  }

  private AccessTokenCache.Fetched fetchToken(
      OkHttpClient client,
      Secret appkey,
      Secret appsecret,
      Instant deadline,
      @Nullable Duration tokenExpires) {
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
    Duration lasts = Duration.ofSeconds(seconds);
    // The settings' tokenExpires may shorten how long a token is kept, never lengthen it.
    if (tokenExpires != null && tokenExpires.compareTo(lasts) < 0) {
      lasts = tokenExpires;
    }
    return AccessTokenCache.Fetched.of(Secret.of(value), lasts);
  }

  private SendResult postToChat(
      OkHttpClient client,
      AccessTokenCache.Use tokenUse,
      String chatid,
      MarkdownMessage message,
      Instant deadline) {
    AccessTokenCache.Fetched token = tokenUse.get();
    if (token.failure() != null) {
      return token.failure();
    }
    Secret used = Objects.requireNonNull(token.token());
    Request post = chatSend(used, chatid, message);
    ReplyOrFailure answer = call(client, post, deadline);
    if (answer.failure != null) {
      return answer.failure;
    }
    DingTalkReply reply = Objects.requireNonNull(answer.reply);
    if (DingTalkErrorCodes.TOKEN_EXPIRED.contains(reply.errcode()) && tokenUse.mayReplace()) {
      // The cached token went stale before its time (revoked, or rotated elsewhere): once only.
      token = tokenUse.replace(used);
      if (token.failure() != null) {
        return token.failure();
      }
      used = Objects.requireNonNull(token.token());
      post = chatSend(used, chatid, message);
      answer = call(client, post, deadline);
      if (answer.failure != null) {
        return answer.failure;
      }
      reply = Objects.requireNonNull(answer.reply);
    }
    if (DingTalkErrorCodes.TOKEN_EXPIRED.contains(reply.errcode())) {
      tokenUse.invalidate(used);
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
    private RatePermits permits = new RatePermits();
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

    /**
     * Where robots' rates are counted; the manager's, shared by all its channels, or by default
     * this channel's own.
     */
    public Builder permits(RatePermits value) {
      this.permits = Objects.requireNonNull(value, "permits");
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
      this.apiUrl = ApiBaseUrl.parse("dingtalk.apiUrl", value);
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
