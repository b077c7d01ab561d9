package io.nm4j.channel.wechat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nm4j.channel.wechat.internal.ChatbotSender;
import io.nm4j.channel.wechat.internal.RecipientBatches;
import io.nm4j.channel.wechat.internal.WechatErrorCodes;
import io.nm4j.channel.wechat.internal.WechatRenderer;
import io.nm4j.channel.wechat.internal.WechatSettingsOptions;
import io.nm4j.http.AccessTokenCache;
import io.nm4j.http.HttpClientFactory;
import io.nm4j.http.HttpExchange;
import io.nm4j.http.HttpOutcomes;
import io.nm4j.http.HttpSettings;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.ChannelTemplates;
import io.nm4j.spi.RatePermits;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SendProgress;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.spi.TemplateEngine;
import io.nm4j.spi.TemplateProblem;
import io.nm4j.spi.TextSplitter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.jspecify.annotations.Nullable;

/**
 * Sends notifications as WeChat Work app messages: an access token from {@code gettoken} (cached
 * per corp ID and secret until shortly before it expires), then {@code message/send} to the
 * receiver's users, parties and tags, in as many calls as WeChat Work's per-call recipient limits
 * need, with content longer than WeChat Work accepts split into parts sent in order.
 *
 * <p>Delivered only when every call replies {@code errcode} 0. Recipients the API reports invalid
 * ({@code invaliduser}, {@code invalidparty}, {@code invalidtag}) are named in the result's detail.
 * A token the API refuses ({@code 40001}, {@code 40014}, {@code 42001}) is replaced once per send
 * and the call repeated. A failure after some calls succeeded reports them as its progress, so the
 * retry makes only the calls that did not: a call is recognised by its recipients and its content,
 * so a part that renders differently on the retry is sent.
 *
 * <p>A receiver's {@code chatbot} (a group robot) gets the same content through its webhook (see
 * {@link ChatbotSender}), beside the app messages or alone; app messages and robot are tried both
 * even when one fails, and what either delivered is progress for the retry. Thread-safe.
 */
public final class WechatChannel implements Channel<WechatReceiver, WechatConfig> {
  /** The most UTF-8 bytes of a message's content, for text and markdown alike. */
  public static final int MAX_CONTENT_BYTES = 2048;

  /** The field path of the app secret. */
  public static final String SECRET_FIELD = "spec.wechatApiSecret";

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern BAR = Pattern.compile("|", Pattern.LITERAL);
  private static final int MAX_ERRMSG = 300;
  private static final int MAX_REPLY_BYTES = 64 * 1024;

  /**
   * How long WeChat Work remembers a message to drop a duplicate: its default of 30 minutes (at
   * most 4 hours), longer than the retries of one notification usually take, and shorter than
   * Alertmanager's repeat interval, whose identical reminders must still arrive.
   */
  static final int DUPLICATE_CHECK_INTERVAL_SECONDS = 1800;

  /** The kind of app message sent. */
  public enum MessageType {
    /** {@code msgtype: text}: shown in WeChat Work and WeChat. */
    TEXT,
    /** {@code msgtype: markdown}: WeChat Work's markdown subset, shown in WeChat Work only. */
    MARKDOWN;

    /** The wire name, {@code text} or {@code markdown}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final HttpClientFactory http;
  private final Clock clock;
  private final @Nullable HttpUrl apiUrl;
  private final MessageType messageType;
  private final boolean ownsFactory;
  private final AccessTokenCache tokens;
  private final ChatbotSender chatbots;
  private final WechatRenderer renderer;

  private WechatChannel(Builder b) {
    this.http = b.http;
    this.clock = b.clock;
    this.apiUrl = b.apiUrl;
    this.messageType = b.messageType;
    this.ownsFactory = b.ownsFactory;
    this.tokens = new AccessTokenCache(b.clock, 1024);
    this.chatbots = new ChatbotSender(b.clock, b.permits);
    this.renderer =
        new WechatRenderer(
            b.templateEngine != null
                ? b.templateEngine
                : TemplateEngine.onClassPath(WechatChannel.class.getClassLoader()));
  }

  /**
   * A builder of a channel using the host's client factory, which the host closes.
   *
   * @param http where clients come from
   * @param clock the clock of deadlines and token lifetimes
   */
  public static Builder builder(HttpClientFactory http, Clock clock) {
    return new Builder(http, clock);
  }

  /**
   * 2,048 bytes of app message content (4,096 of a group robot's markdown) and 1,000 users (100
   * parties, 100 tags) per call; no rate per config: a robot's 20 messages a minute belong to the
   * robot, which the receiver names, so they are counted per robot with the core's permits.
   */
  @Override
  public ChannelLimits limits(WechatConfig config) {
    return new ChannelLimits(ChatbotSender.MAX_MARKDOWN_BYTES, RecipientBatches.MAX_USERS, null);
  }

  @Override
  public SendResult send(SendRequest<WechatReceiver, WechatConfig> request) {
    WechatReceiver receiver = request.receiver();
    SendProgress.Builder done = request.progress().toBuilder();
    SendResult app = null;
    if (receiver.hasAppRecipients()) {
      app = sendAppMessages(request, done);
    }
    WechatChatbot chatbot = receiver.chatbot();
    if (chatbot == null) {
      return Objects.requireNonNull(app);
    }
    SendResult robot = sendToChatbot(request, chatbot, done);
    if (app == null) {
      return robot;
    }
    return both(app, robot, done.build());
  }

  /**
   * The outcome of app messages and robot together: delivered when both were; otherwise the
   * failure, a retryable one first so that the retry sends what is missing of either, with what
   * both delivered as its progress.
   */
  private static SendResult both(SendResult app, SendResult robot, SendProgress done) {
    if (app instanceof SendResult.Delivered a && robot instanceof SendResult.Delivered r) {
      return SendResult.delivered(a.detail() + "; " + r.detail());
    }
    SendResult.Failed failed =
        app instanceof SendResult.Failed a
                && (a.retryable() || !(robot instanceof SendResult.Failed r && r.retryable()))
            ? a
            : (SendResult.Failed) robot;
    SendResult other = failed == app ? robot : app;
    String also =
        other instanceof SendResult.Failed f
            ? "; also failed: " + f.detail()
            : "; " + ((SendResult.Delivered) other).detail();
    return failed.withDetail(failed.detail() + also).withProgress(done);
  }

  private SendResult sendToChatbot(
      SendRequest<WechatReceiver, WechatConfig> request,
      WechatChatbot chatbot,
      SendProgress.Builder done) {
    String where = request.notification().receiver() + ": chatbot";
    Secret webhook = request.secret(WechatChatbot.WEBHOOK_FIELD);
    if (webhook == null) {
      return SendResult.missingSecret(
          request.notification().receiver() + ": " + WechatChatbot.WEBHOOK_FIELD,
          chatbot.webhook());
    }
    HttpUrl url = HttpUrl.parse(webhook.reveal().strip());
    if (url == null || !url.encodedUsername().isEmpty() || !url.encodedPassword().isEmpty()) {
      // Never repeated: the value holds the robot's key.
      return SendResult.permanent(
          Reason.REJECTED,
          where
              + ": "
              + WechatChatbot.WEBHOOK_FIELD
              + ": secret \""
              + chatbot.webhook().name()
              + "\" key \""
              + chatbot.webhook().key()
              + "\" does not hold an http(s) webhook URL without user info");
    }
    if (!clock.instant().isBefore(request.deadline())) {
      return SendResult.retryable(Reason.TIMEOUT, where + ": deadline passed before sending");
    }
    // The robot's URL is the receiver's: its owner's egress policy applies, whoever owns the
    // config.
    OkHttpClient client =
        http.client(HttpSettings.forSend(request).egress(request.receiverEgress()).build());
    boolean markdown = messageType(request) == MessageType.MARKDOWN;
    ChannelTemplates.Rendering plain =
        renderer.render(request.notification(), request.rendering(), false);
    ChannelTemplates.Rendering content =
        markdown ? renderer.render(request.notification(), request.rendering(), true) : plain;
    String text = plain.text().strip();
    int firstBreak = text.indexOf('\n');
    SendResult result =
        chatbots.send(
            client,
            url,
            markdown,
            content.text().strip(),
            firstBreak < 0 ? text : text.substring(0, firstBreak),
            chatbot.atUsers(),
            chatbot.atMobiles(),
            request.deadline(),
            done,
            where);
    result = ChannelTemplates.annotate(result, content.fallbackReason());
    return result instanceof SendResult.Failed f ? f.withProgress(done.build()) : result;
  }

  /** The receiver's tmplType, when it names one, decides over the channel's messageType. */
  private MessageType messageType(SendRequest<WechatReceiver, WechatConfig> request) {
    return switch (request.rendering().type(messageType.wireName())) {
      case "markdown" -> MessageType.MARKDOWN;
      case "text" -> MessageType.TEXT;
      default -> messageType;
    };
  }

  /** The app messages to the receiver's users, departments and tags. */
  private SendResult sendAppMessages(
      SendRequest<WechatReceiver, WechatConfig> request, SendProgress.Builder done) {
    String config = request.configName("WechatConfig");
    Secret secret = request.secret(SECRET_FIELD);
    if (secret == null) {
      return SendResult.missingSecret(
          config + ": " + SECRET_FIELD, request.config().wechatApiSecret());
    }
    // The operator's API base (wechat.apiUrl) is the operator's to reach; a config's own
    // wechatApiUrl is its owner's choice, so the owner's egress policy applies to it.
    HttpUrl base =
        apiUrl != null ? apiUrl : HttpUrl.get(request.config().wechatApiUrl().toString());
    HttpSettings settings =
        HttpSettings.builder()
            .egress(apiUrl != null ? null : request.egress())
            .origin(request.origin())
            .build();
    SendAttempt attempt = new SendAttempt(request, config, base, secret, http.client(settings));
    SendResult result = attempt.run();
    done.addAll(attempt.progress.build());
    return result;
  }

  /** One send of one request: its token, its calls and what they replied. */
  private final class SendAttempt {
    private final SendRequest<WechatReceiver, WechatConfig> request;
    private final String config;
    private final HttpUrl base;
    private final Secret secret;
    private final AccessTokenCache.Key key;
    private final OkHttpClient client;
    private final SendProgress.Builder progress;
    private final WechatSettingsOptions options;
    private @Nullable Secret token;
    private int calls;
    private int earlier;
    private int totalCalls;
    private MessageType type = messageType;
    private @Nullable TemplateProblem templateProblem;

    SendAttempt(
        SendRequest<WechatReceiver, WechatConfig> request,
        String config,
        HttpUrl base,
        Secret secret,
        OkHttpClient client) {
      this.request = request;
      this.config = config;
      this.base = base;
      this.secret = secret;
      this.key =
          AccessTokenCache.Key.of(base.toString(), request.config().wechatApiCorpId(), secret);
      this.client = client;
      this.progress = request.progress().toBuilder();
      this.options =
          request.settingsOptions(
              WechatSettingsOptions.class, WechatSettingsOptions.defaults(MAX_CONTENT_BYTES));
    }

    SendResult run() {
      if (!clock.instant().isBefore(request.deadline())) {
        return SendResult.retryable(
            Reason.TIMEOUT, config + ": deadline passed before sending to WeChat Work");
      }
      type = messageType(request);
      ChannelTemplates.Rendering rendering =
          renderer.render(
              request.notification(), request.rendering(), type == MessageType.MARKDOWN);
      templateProblem = rendering.fallbackReason();
      List<String> parts =
          TextSplitter.splitUtf8UnderHeading(rendering.text().strip(), options.maxContentBytes());
      WechatReceiver r = request.receiver();
      List<RecipientBatches> batches = RecipientBatches.of(r.toUser(), r.toParty(), r.toTag());
      if (parts.isEmpty() || batches.isEmpty()) {
        return SendResult.delivered(config + ": nothing to send");
      }
      totalCalls = parts.size() * batches.size();

      boolean refreshed = false;
      int unreachable = 0;
      Set<String> invalidUsers = new LinkedHashSet<>();
      Set<String> invalidParties = new LinkedHashSet<>();
      Set<String> invalidTags = new LinkedHashSet<>();
      Set<String> unlicensedUsers = new LinkedHashSet<>();
      List<String> unreachableCalls = new ArrayList<>();
      for (int b = 0; b < batches.size(); b++) {
        RecipientBatches batch = batches.get(b);
        for (String part : parts) {
          byte[] body = body(batch, part);
          String sent =
              SendProgress.key(
                  base.toString(),
                  request.config().wechatApiCorpId(),
                  new String(body, StandardCharsets.UTF_8));
          if (progress.contains(sent)) {
            earlier++;
            continue;
          }
          if (token == null) {
            AccessTokenCache.Fetched first = tokens.get(key, request.deadline(), this::fetchToken);
            if (first.failure() != null) {
              return progress(first.failure());
            }
            token = first.token();
          }
          ApiReply reply = post(body);
          if (reply.failure() != null) {
            return progress(reply.failure());
          }
          int code = reply.code();
          if (WechatErrorCodes.tokenRejected(code) && !refreshed) {
            refreshed = true;
            AccessTokenCache.Fetched fresh =
                tokens.replace(
                    key, Objects.requireNonNull(token), request.deadline(), this::fetchToken);
            if (fresh.failure() != null) {
              return progress(fresh.failure());
            }
            token = fresh.token();
            reply = post(body);
            if (reply.failure() != null) {
              return progress(reply.failure());
            }
            code = reply.code();
          }
          if (code == WechatErrorCodes.OK) {
            calls++;
            progress.add(sent);
            addIds(invalidUsers, reply.body().path("invaliduser").asText(""));
            addIds(invalidParties, reply.body().path("invalidparty").asText(""));
            addIds(invalidTags, reply.body().path("invalidtag").asText(""));
            addIds(unlicensedUsers, reply.body().path("unlicenseduser").asText(""));
            continue;
          }
          if (code == WechatErrorCodes.ALL_RECIPIENTS_INVALID && batches.size() > 1) {
            // Only this call's recipients are unreachable; the other calls still deliver.
            unreachable++;
            unreachableCalls.add(
                "call "
                    + (b + 1)
                    + " of "
                    + batches.size()
                    + ": "
                    + describe("message/send", reply));
            break;
          }
          return progress(WechatErrorCodes.failure(code, describe("message/send", reply)));
        }
      }
      if (unreachable == batches.size()) {
        return SendResult.permanent(
            Reason.INVALID_RECIPIENT,
            config + ": no recipient is valid: " + String.join("; ", unreachableCalls));
      }
      StringBuilder detail =
          new StringBuilder(config)
              .append(": ")
              .append(calls)
              .append(calls == 1 ? " message/send call" : " message/send calls")
              .append(" (")
              .append(batches.size())
              .append(batches.size() == 1 ? " recipient batch" : " recipient batches")
              .append(" x ")
              .append(parts.size())
              .append(parts.size() == 1 ? " part)" : " parts)");
      if (earlier > 0) {
        detail.append("; ").append(earlier).append(" on an earlier attempt");
      }
      appendIds(detail, "invaliduser", invalidUsers);
      appendIds(detail, "invalidparty", invalidParties);
      appendIds(detail, "invalidtag", invalidTags);
      appendIds(detail, "unlicenseduser", unlicensedUsers);
      for (String u : unreachableCalls) {
        detail.append("; ").append(u);
      }
      return SendResult.delivered(ChannelTemplates.annotate(detail.toString(), templateProblem));
    }

    private AccessTokenCache.Fetched fetchToken() {
      HttpUrl url =
          base.newBuilder()
              .addPathSegment("gettoken")
              .addQueryParameter("corpid", request.config().wechatApiCorpId())
              .addQueryParameter("corpsecret", secret.reveal())
              .build();
      ApiReply reply =
          call(new Request.Builder().url(url).header("User-Agent", "nm4j").get().build());
      if (reply.failure() != null) {
        return AccessTokenCache.Fetched.failed(reply.failure());
      }
      if (reply.code() != WechatErrorCodes.OK) {
        return AccessTokenCache.Fetched.failed(
            WechatErrorCodes.failure(reply.code(), describe("gettoken", reply)));
      }
      String value = reply.body().path("access_token").asText("");
      if (value.isBlank()) {
        return AccessTokenCache.Fetched.failed(
            SendResult.retryable(
                Reason.REMOTE_ERROR, config + ": gettoken replied errcode 0 without access_token"));
      }
      long expiresIn = reply.body().path("expires_in").asLong(0);
      // 7200 s is what WeChat Work documents; a reply without a usable value gets that.
      Duration lasts = Duration.ofSeconds(expiresIn > 0 ? expiresIn : 7200);
      // The settings' tokenExpires may shorten how long a token is kept, never lengthen it.
      Duration cap = options.tokenExpires();
      return AccessTokenCache.Fetched.of(
          Secret.of(value), cap != null && cap.compareTo(lasts) < 0 ? cap : lasts);
    }

    /** The JSON of one {@code message/send} call: the batch's recipients and the content. */
    private byte[] body(RecipientBatches batch, String content) {
      ObjectNode body = MAPPER.createObjectNode();
      if (!batch.users().isEmpty()) {
        body.put("touser", String.join("|", batch.users()));
      }
      if (!batch.parties().isEmpty()) {
        body.put("toparty", String.join("|", batch.parties()));
      }
      if (!batch.tags().isEmpty()) {
        body.put("totag", String.join("|", batch.tags()));
      }
      body.put("msgtype", type.wireName());
      body.put("agentid", Long.parseLong(request.config().wechatApiAgentId()));
      body.putObject(type.wireName()).put("content", content);
      askForDuplicateCheck(body);
      try {
        return MAPPER.writeValueAsBytes(body);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write a JSON tree", e);
      }
    }

    /**
     * WeChat Work drops a message whose request JSON equals one it took within the interval, so a
     * call whose reply was lost (a timeout after WeChat took it) is not shown twice when the retry
     * makes it again; progress already skips the calls whose reply arrived.
     */
    private static void askForDuplicateCheck(ObjectNode body) {
      body.put("enable_duplicate_check", 1);
      body.put("duplicate_check_interval", DUPLICATE_CHECK_INTERVAL_SECONDS);
    }

    private ApiReply post(byte[] json) {
      HttpUrl url =
          base.newBuilder()
              .addPathSegments("message/send")
              .addQueryParameter("access_token", Objects.requireNonNull(token).reveal())
              .build();
      return call(
          new Request.Builder()
              .url(url)
              .header("User-Agent", "nm4j")
              .post(RequestBody.create(json, JSON))
              .build());
    }

    /** One exchange: a failure by HTTP status or transport, or the reply's JSON object. */
    private ApiReply call(Request req) {
      HttpExchange exchange =
          HttpExchange.run(client, req, request.deadline(), clock, MAX_REPLY_BYTES);
      if (!(exchange instanceof HttpExchange.Reply response)) {
        return ApiReply.failed(prefixed(((HttpExchange.Failure) exchange).failure()));
      }
      if (!response.isSuccessful()) {
        return ApiReply.failed(prefixed((SendResult.Failed) response.byStatus(clock)));
      }
      JsonNode node;
      try {
        node = MAPPER.readTree(response.body());
      } catch (JsonProcessingException e) {
        return ApiReply.failed(notWechat(req));
      }
      if (node == null || !node.isObject() || !node.path("errcode").canConvertToInt()) {
        return ApiReply.failed(notWechat(req));
      }
      return new ApiReply(node, null);
    }

    private SendResult.Failed notWechat(Request req) {
      return SendResult.retryable(
          Reason.REMOTE_ERROR,
          config
              + ": "
              + HttpOutcomes.describe(req)
              + ": reply is not a WeChat Work JSON object with errcode");
    }

    private SendResult.Failed prefixed(SendResult.Failed f) {
      return f.withDetail(config + ": " + f.detail());
    }

    /**
     * The failure with how far the send got, so a partial delivery is never mistaken for none, and
     * the calls that succeeded as its progress.
     */
    private SendResult.Failed progress(SendResult.Failed f) {
      int done = calls + earlier;
      String went =
          done == 0
              ? ""
              : " ("
                  + done
                  + " of "
                  + totalCalls
                  + " message/send calls succeeded"
                  + (earlier == 0 ? "" : ", " + earlier + " on an earlier attempt")
                  + ")";
      return f.withDetail(ChannelTemplates.annotate(f.detail() + went, templateProblem))
          .withProgress(progress.build());
    }

    private String describe(String api, ApiReply reply) {
      String msg = reply.body().path("errmsg").asText("");
      // WeChat Work does not echo credentials, but a proxy or a future version might.
      msg = msg.replace(secret.reveal(), "[redacted]");
      if (token != null) {
        msg = msg.replace(token.reveal(), "[redacted]");
      }
      msg = TextSplitter.ellipsize(msg, MAX_ERRMSG);
      return config + ": " + api + ": errcode " + reply.code() + (msg.isEmpty() ? "" : " " + msg);
    }
  }

  /**
   * A reply: the JSON object of WeChat Work, or a failure before one.
   *
   * @param json the reply's object, {@code null} on failure
   * @param failure why there is none
   */
  private record ApiReply(@Nullable JsonNode json, SendResult.@Nullable Failed failure) {
    static ApiReply failed(SendResult.Failed f) {
      return new ApiReply(null, f);
    }

    JsonNode body() {
      return Objects.requireNonNull(json);
    }

    int code() {
      return body().path("errcode").asInt();
    }
  }

  private static void addIds(Set<String> into, String joined) {
    for (String id : BAR.split(joined)) {
      if (!id.isBlank()) {
        into.add(id.strip());
      }
    }
  }

  private static void appendIds(StringBuilder detail, String field, Set<String> ids) {
    if (!ids.isEmpty()) {
      detail.append("; ").append(field).append('=').append(String.join("|", ids));
    }
  }

  @Override
  public void close() {
    if (ownsFactory) {
      http.close();
    }
  }

  /** Builds a {@link WechatChannel}. */
  public static final class Builder {
    private final HttpClientFactory http;
    private final Clock clock;
    private @Nullable HttpUrl apiUrl;
    private MessageType messageType = MessageType.TEXT;
    private @Nullable TemplateEngine templateEngine;
    private boolean ownsFactory;
    private RatePermits permits = new RatePermits();

    private Builder(HttpClientFactory http, Clock clock) {
      this.http = Objects.requireNonNull(http, "http");
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * An API base for every config, instead of each config's {@code wechatApiUrl} (tests, proxies);
     * {@code null} uses the configs'.
     *
     * @throws IllegalArgumentException when it is not an http(s) URL
     */
    public Builder apiUrl(@Nullable String value) {
      if (value == null || value.isBlank()) {
        this.apiUrl = null;
        return this;
      }
      HttpUrl url = HttpUrl.parse(value.strip());
      if (url == null || url.querySize() > 0 || !url.username().isEmpty()) {
        throw new IllegalArgumentException(
            "apiUrl: must be an http(s) URL without user info or query, like "
                + WechatConfig.DEFAULT_API_URL);
      }
      String s = url.toString();
      this.apiUrl = s.endsWith("/") ? url : HttpUrl.get(s + "/");
      return this;
    }

    /**
     * The engine the messages are rendered with; by default the one on the class path (FreeMarker,
     * which this module brings).
     */
    public Builder templateEngine(TemplateEngine value) {
      this.templateEngine = Objects.requireNonNull(value, "templateEngine");
      return this;
    }

    /** Text (the default) or markdown messages, unless a receiver's tmplType says otherwise. */
    public Builder messageType(MessageType value) {
      this.messageType = Objects.requireNonNull(value, "messageType");
      return this;
    }

    /**
     * Where group robots' permits are counted: the core's ({@link
     * io.nm4j.spi.ChannelContext#permits()}), so every channel posting to a robot shares its rate;
     * by default this channel's own.
     */
    public Builder permits(RatePermits value) {
      this.permits = Objects.requireNonNull(value, "permits");
      return this;
    }

    /** Whether {@link WechatChannel#close()} closes the factory (when the provider made it). */
    Builder ownsFactory(boolean value) {
      this.ownsFactory = value;
      return this;
    }

    public WechatChannel build() {
      return new WechatChannel(this);
    }
  }
}
