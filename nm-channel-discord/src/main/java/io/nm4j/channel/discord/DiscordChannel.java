package io.nm4j.channel.discord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nm4j.channel.discord.DiscordReceiver.MessageType;
import io.nm4j.channel.discord.internal.DiscordMessage;
import io.nm4j.channel.discord.internal.DiscordRenderer;
import io.nm4j.channel.discord.internal.DiscordReplies;
import io.nm4j.http.HttpClientFactory;
import io.nm4j.http.HttpExchange;
import io.nm4j.http.HttpOutcomes;
import io.nm4j.http.HttpSettings;
import io.nm4j.http.SecretPath;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.ChannelTemplates;
import io.nm4j.spi.Notification;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SendProgress;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.spi.TemplateEngine;
import java.time.Clock;
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
 * Posts a notification's alerts through a Discord channel webhook ({@code POST
 * <webhook>?wait=true}, JSON {@code {content, embeds?, allowed_mentions}}), rendered from the
 * built-in template {@code discord/message.ftl} or the receiver's own: markdown content, or one
 * embed a message; what does not fit one message goes out as several, in order.
 *
 * <p>{@code allowed_mentions} lists only the receiver's {@code mentionedUsers} and {@code
 * mentionedRoles} and parses nothing else, so no alert text can ping {@code @everyone}, {@code
 * @here}, a role or a user. {@code wait=true} makes Discord answer with the created message, so a
 * delivery is what Discord confirms.
 *
 * <p>The webhook URL is a secret; its path holds the webhook's token, so details show it as {@code
 * /api/webhooks/<id>/<token>}. Every connection goes through the receiver owner's egress policy. 429 is
 * retried after the reply's {@code retry_after}; 5xx and connection failures are retryable; an
 * unknown webhook, a rejected token and other 4xx are permanent. A failure reports the messages
 * already posted as its progress, so the retry posts only the rest.
 *
 * <p>Thread-safe. Build it with {@link #builder()}.
 */
public final class DiscordChannel implements Channel<DiscordReceiver, DiscordConfig> {
  /**
   * One message carries at most 2,000 characters of content and 6,000 of embeds, so at most 24,000
   * bytes of UTF-8 (a character of Java's UTF-16 takes at most three); one webhook per call.
   */
  static final ChannelLimits LIMITS = new ChannelLimits(3 * 8_000, 1, null);

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_REPLY_BYTES = 64 * 1024;
  private static final Pattern WEBHOOK_ID = Pattern.compile("[0-9]{1,20}");

  private final HttpClientFactory http;
  private final boolean ownsFactory;
  private final Clock clock;
  private final DiscordRenderer renderer;

  private DiscordChannel(Builder b) {
    this.ownsFactory = b.http == null;
    this.http = b.http != null ? b.http : HttpClientFactory.create();
    this.clock = b.clock;
    this.renderer =
        new DiscordRenderer(
            b.templateEngine != null
                ? b.templateEngine
                : TemplateEngine.onClassPath(DiscordChannel.class.getClassLoader()));
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public ChannelLimits limits(DiscordConfig config) {
    return LIMITS;
  }

  @Override
  public SendResult send(SendRequest<DiscordReceiver, DiscordConfig> request) {
    String receiverName = request.notification().receiver().toString();
    DiscordReceiver receiver = request.receiver();
    Secret webhook = request.secret(DiscordReceiver.WEBHOOK_FIELD);
    if (webhook == null) {
      return SendResult.missingSecret(
          receiverName + ": " + DiscordReceiver.WEBHOOK_FIELD, receiver.webhook());
    }
    HttpUrl url = HttpUrl.parse(webhook.reveal().strip());
    if (url == null || !url.encodedUsername().isEmpty() || !url.encodedPassword().isEmpty()) {
      // Never repeated: the value is the webhook's credential.
      return SendResult.permanent(
          Reason.REJECTED,
          receiverName
              + ": "
              + DiscordReceiver.WEBHOOK_FIELD
              + ": secret \""
              + receiver.webhook().name()
              + "\" key \""
              + receiver.webhook().key()
              + "\" does not hold an http(s) webhook URL without user info");
    }
    HttpUrl execute = url.newBuilder().setQueryParameter("wait", "true").build();
    String shown = shownPath(url);
    // The webhook is the receiver's: its owner's egress policy applies, whoever owns the config.
    OkHttpClient client =
        http.client(HttpSettings.forSend(request).egress(request.receiverEgress()).build());
    String mentions = mentions(receiver);
    ChannelTemplates.Rendering rendering =
        renderer.render(request.notification(), request.rendering());
    List<DiscordMessage> messages =
        receiver.type() == MessageType.EMBED
            ? DiscordRenderer.embeds(rendering.text(), mentions, firing(request.notification()))
            : DiscordRenderer.content(rendering.text(), mentions);
    SendProgress.Builder posted = request.progress().toBuilder();
    String target = webhook.reveal().strip();
    int earlier = 0;
    String root = HttpOutcomes.redactedUrl(url.newBuilder().encodedPath("/").build());
    String what = "POST " + root.substring(0, root.length() - 1) + shown;
    for (int i = 0; i < messages.size(); i++) {
      String body = body(messages.get(i), receiver, request.config());
      String key = SendProgress.key(target, body);
      if (posted.contains(key)) {
        earlier++;
        continue;
      }
      SendResult result = post(client, execute, shown, body, request);
      if (result instanceof SendResult.Failed f) {
        String where =
            messages.size() == 1 ? "" : "message " + (i + 1) + " of " + messages.size() + ": ";
        return f.withDetail(rendering.annotate(receiverName + ": " + where + f.detail()))
            .withProgress(posted.build());
      }
      posted.add(key);
    }
    return SendResult.delivered(
        rendering.annotate(
            what
                + ": "
                + (messages.size() == 1 ? "posted" : messages.size() + " messages posted")
                + (earlier == 0 ? "" : " (" + earlier + " on an earlier attempt)")));
  }

  private static boolean firing(Notification notification) {
    return notification.alerts().stream().anyMatch(a -> a.status() == AlertStatus.FIRING);
  }

  private SendResult post(
      OkHttpClient client,
      HttpUrl execute,
      String shown,
      String body,
      SendRequest<DiscordReceiver, DiscordConfig> request) {
    Request post =
        SecretPath.mark(
                new Request.Builder()
                    .url(execute)
                    .header("User-Agent", "nm4j")
                    .post(RequestBody.create(body, JSON)),
                shown)
            .build();
    HttpExchange exchange =
        HttpExchange.run(client, post, request.deadline(), clock, MAX_REPLY_BYTES);
    if (!(exchange instanceof HttpExchange.Reply reply)) {
      return ((HttpExchange.Failure) exchange).failure();
    }
    return DiscordReplies.of(
        reply.code(),
        reply.body(),
        reply.header("X-RateLimit-Reset-After"),
        reply.retryAfter(clock),
        reply.describe());
  }

  /**
   * The webhook's path as details show it: {@code /api/webhooks/<id>/<token>}, the token (and
   * anything after it) hidden; any other path is hidden whole.
   */
  static String shownPath(HttpUrl url) {
    List<String> segments = url.pathSegments();
    int at = segments.indexOf("webhooks");
    if (at >= 0 && segments.size() > at + 2 && WEBHOOK_ID.matcher(segments.get(at + 1)).matches()) {
      return "/" + String.join("/", segments.subList(0, at + 2)) + "/<token>";
    }
    return "/<path>";
  }

  /** The receiver's mentions, as Discord writes them: {@code <@user> <@&role>}. */
  private static String mentions(DiscordReceiver receiver) {
    StringBuilder out = new StringBuilder();
    for (String user : receiver.mentionedUsers()) {
      out.append(out.length() == 0 ? "" : " ").append("<@").append(user).append('>');
    }
    for (String role : receiver.mentionedRoles()) {
      out.append(out.length() == 0 ? "" : " ").append("<@&").append(role).append('>');
    }
    return out.toString();
  }

  static String body(DiscordMessage message, DiscordReceiver receiver, DiscordConfig config) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("content", message.content());
    if (config.username() != null) {
      root.put("username", config.username());
    }
    if (!message.embeds().isEmpty()) {
      ArrayNode embeds = root.putArray("embeds");
      for (DiscordMessage.Embed e : message.embeds()) {
        ObjectNode embed = embeds.addObject();
        embed.put("title", e.title());
        if (!e.description().isEmpty()) {
          embed.put("description", e.description());
        }
        embed.put("color", e.color());
      }
    }
    // Nothing is parsed from the text: only the receiver's own mentions may ping.
    ObjectNode allowed = root.putObject("allowed_mentions");
    allowed.putArray("parse");
    ArrayNode users = allowed.putArray("users");
    receiver.mentionedUsers().forEach(users::add);
    ArrayNode roles = allowed.putArray("roles");
    receiver.mentionedRoles().forEach(roles::add);
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
    return "DiscordChannel";
  }

  /** Builds a {@link DiscordChannel}; every value has a default. */
  public static final class Builder {
    private @Nullable HttpClientFactory http;
    private Clock clock = Clock.systemUTC();
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

    public DiscordChannel build() {
      return new DiscordChannel(this);
    }
  }
}
