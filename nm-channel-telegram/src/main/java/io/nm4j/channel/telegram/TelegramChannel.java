package io.nm4j.channel.telegram;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nm4j.channel.telegram.internal.TelegramRenderer;
import io.nm4j.channel.telegram.internal.TelegramReplies;
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
import java.util.Objects;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.jspecify.annotations.Nullable;

/**
 * Posts a notification's alerts to Telegram chats with the Bot API's {@code sendMessage} ({@code
 * POST <api>/bot<token>/sendMessage}, JSON {@code {chat_id, text, parse_mode: "HTML"}}), one chat
 * after the other; alerts that do not fit one message go out as several, in order.
 *
 * <p>The bot token is part of the request's path, so no detail ever shows the path as sent: every
 * detail names the request as {@code POST https://api.telegram.org:443/bot<token>/sendMessage}.
 *
 * <p>A reply is delivered only when it says {@code "ok": true}. Flood control (429) is retryable
 * after its {@code parameters.retry_after}; a chat that does not exist or has blocked the bot is a
 * permanent failure of that chat, and the other chats still get the notification; a rejected token
 * is permanent. A failure reports the messages already posted as its progress (by chat and
 * content), so the retry posts only the rest.
 *
 * <p>Thread-safe. Build it with {@link #builder()}; {@link TelegramChannelProvider} does so from
 * the channel options ({@code telegram.apiUrl}).
 */
public final class TelegramChannel implements Channel<TelegramReceiver, TelegramConfig> {
  /** The Bot API server. */
  public static final String DEFAULT_API_URL = "https://api.telegram.org/";

  /**
   * One message carries at most 4,096 characters of text, so at most 12,288 bytes of UTF-8 (a
   * character of Java's UTF-16 takes at most three); one chat per call. Telegram's broadcast limit
   * is about 30 messages a second per bot (https://core.telegram.org/bots/faq), enforced with 429.
   */
  static final ChannelLimits LIMITS =
      new ChannelLimits(3 * TelegramRenderer.MAX_MESSAGE_CHARS, 1, null);

  /** What one group or channel takes from a bot: 20 messages a minute. */
  public static final ChannelLimits.Rate GROUP_RATE =
      new ChannelLimits.Rate(20, Duration.ofMinutes(1));

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_REPLY_BYTES = 64 * 1024;
  private static final String REDACTED_TOKEN = "bot<token>";
  private static final Pattern BOT_TOKEN = Pattern.compile("[0-9]{1,20}:[A-Za-z0-9_-]{1,200}");

  private final HttpClientFactory http;
  private final boolean ownsFactory;
  private final Clock clock;
  private final RatePermits permits;
  private final HttpUrl apiUrl;
  private final String shownPath;
  private final TelegramRenderer renderer;

  private TelegramChannel(Builder b) {
    this.ownsFactory = b.http == null;
    this.http = b.http != null ? b.http : HttpClientFactory.create();
    this.clock = b.clock;
    this.permits = b.permits;
    this.apiUrl = b.apiUrl;
    this.shownPath = apiUrl.encodedPath() + REDACTED_TOKEN + "/sendMessage";
    this.renderer =
        new TelegramRenderer(
            b.templateEngine != null
                ? b.templateEngine
                : TemplateEngine.onClassPath(TelegramChannel.class.getClassLoader()));
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public ChannelLimits limits(TelegramConfig config) {
    return LIMITS;
  }

  @Override
  public SendResult send(SendRequest<TelegramReceiver, TelegramConfig> request) {
    String config = request.configName("TelegramConfig");
    Secret token = request.secret(TelegramConfig.TOKEN_FIELD);
    SecretKeySelector ref = request.config().telegramTokenSecret();
    if (token == null) {
      return SendResult.missingSecret(config + ": " + TelegramConfig.TOKEN_FIELD, ref);
    }
    String bot = token.reveal().strip();
    if (!BOT_TOKEN.matcher(bot).matches()) {
      // Never repeated: even a malformed token is a secret.
      return SendResult.permanent(
          Reason.AUTH_REJECTED,
          config
              + ": "
              + TelegramConfig.TOKEN_FIELD
              + ": secret \""
              + ref.name()
              + "\" key \""
              + ref.key()
              + "\" does not hold a bot token (digits, a colon, then letters, digits, _ or -)");
    }
    HttpUrl sendMessage =
        apiUrl.newBuilder().addPathSegment("bot" + bot).addPathSegment("sendMessage").build();
    String what = "POST " + HttpOutcomes.redactedUrl(apiUrl) + REDACTED_TOKEN + "/sendMessage";
    // The API URL is the operator's (telegram.apiUrl), not the config's: no egress policy applies.
    OkHttpClient client = http.client(HttpSettings.builder().origin(request.origin()).build());
    TelegramReceiver receiver = request.receiver();
    ChannelTemplates.Rendering rendering =
        renderer.render(request.notification(), request.rendering());
    List<String> parts = TelegramRenderer.messages(rendering.text(), receiver.mentionedUsers());
    SendProgress.Builder posted = request.progress().toBuilder();
    List<SendResult.Failed> refused = new ArrayList<>();
    int sent = 0;
    int earlier = 0;
    for (String chat : receiver.channels()) {
      String chatKey = SendProgress.key("telegram chat", bot, chat);
      boolean group = chat.startsWith("-") || chat.startsWith("@");
      for (int i = 0; i < parts.size(); i++) {
        String body = body(chat, parts.get(i));
        String key = SendProgress.key(chat, body);
        if (posted.contains(key)) {
          earlier++;
          continue;
        }
        Instant now = clock.instant();
        Instant free = group ? permits.tryAcquire(chatKey, GROUP_RATE, 1, now) : null;
        SendResult result =
            free != null
                ? RatePermits.waitFor("20 messages a minute to a group", free, now)
                : post(client, sendMessage, body, request, what, chat);
        if (result instanceof SendResult.Failed f) {
          SendResult.Failed failed =
              f.withDetail(config + ": " + where(chat, i, parts.size()) + f.detail());
          if (f.reason() != Reason.INVALID_RECIPIENT) {
            return failed
                .withDetail(rendering.annotate(failed.detail()))
                .withProgress(posted.build());
          }
          // This chat is gone or refuses the bot: the other chats still get their messages.
          refused.add(failed);
          break;
        }
        posted.add(key);
        sent++;
      }
    }
    if (!refused.isEmpty()) {
      SendResult.Failed first = refused.get(0);
      String others =
          refused.size() == 1 ? "" : " (and " + (refused.size() - 1) + " more chats refused)";
      return first
          .withDetail(rendering.annotate(first.detail() + others))
          .withProgress(posted.build());
    }
    return SendResult.delivered(
        rendering.annotate(
            what
                + ": "
                + sent
                + (sent == 1 ? " message" : " messages")
                + " sent to "
                + String.join(", ", receiver.channels())
                + (earlier == 0 ? "" : " (" + earlier + " on an earlier attempt)")));
  }

  private SendResult post(
      OkHttpClient client,
      HttpUrl sendMessage,
      String body,
      SendRequest<TelegramReceiver, TelegramConfig> request,
      String what,
      String chat) {
    Request post =
        SecretPath.mark(
                new Request.Builder()
                    .url(sendMessage)
                    .header("User-Agent", "nm4j")
                    .post(RequestBody.create(body, JSON)),
                shownPath)
            .build();
    HttpExchange exchange =
        HttpExchange.run(client, post, request.deadline(), clock, MAX_REPLY_BYTES);
    if (!(exchange instanceof HttpExchange.Reply reply)) {
      return ((HttpExchange.Failure) exchange).failure();
    }
    return TelegramReplies.of(reply.code(), reply.body(), reply.retryAfter(clock), what, chat);
  }

  private static String where(String chat, int index, int total) {
    return "chat " + chat + (total == 1 ? "" : ", part " + (index + 1) + " of " + total) + ": ";
  }

  static String body(String chat, String text) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("chat_id", chat);
    root.put("text", text);
    root.put("parse_mode", "HTML");
    root.putObject("link_preview_options").put("is_disabled", true);
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings always serialises", e);
    }
  }

  @Override
  public void close() {
    if (ownsFactory) {
      http.close();
    }
  }

  @Override
  public String toString() {
    return "TelegramChannel[" + HttpOutcomes.redactedUrl(apiUrl) + "]";
  }

  /** Builds a {@link TelegramChannel}; every value has a default. */
  public static final class Builder {
    private HttpUrl apiUrl = Objects.requireNonNull(HttpUrl.parse(DEFAULT_API_URL));
    private @Nullable HttpClientFactory http;
    private Clock clock = Clock.systemUTC();
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
     * Where chats' permits are counted: the core's ({@link io.nm4j.spi.ChannelContext#permits()}),
     * so every config naming one bot and chat shares its pace; by default this channel's own.
     */
    public Builder permits(RatePermits value) {
      this.permits = Objects.requireNonNull(value, "permits");
      return this;
    }

    /**
     * The Bot API server, {@code https://api.telegram.org/} by default; {@code
     * bot<token>/sendMessage} is resolved against it. A local Bot API server, a proxy or a test
     * redirects it.
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

    public TelegramChannel build() {
      return new TelegramChannel(this);
    }
  }
}
