package io.nm4j.channel.wechat.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nm4j.http.HttpExchange;
import io.nm4j.http.HttpOutcomes;
import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.RatePermits;
import io.nm4j.spi.SendProgress;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.spi.TextSplitter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.jspecify.annotations.Nullable;

/**
 * Posts a notification to a WeChat Work group robot: {@code POST <webhook>} ({@code
 * .../cgi-bin/webhook/send?key=KEY}) with {@code {"msgtype": "text", "text": {"content": ...,
 * "mentioned_list": [...], "mentioned_mobile_list": [...]}}} or {@code {"msgtype": "markdown",
 * "markdown": {"content": ...}}} (https://developer.work.weixin.qq.com/document/path/91770).
 *
 * <p>Text content takes at most 2,048 bytes of UTF-8 and markdown 4,096: longer content goes out as
 * several messages, in order, each under the content's first line (the title) with its part, as app
 * messages are split. Markdown cannot carry {@code mentioned_list}, so mentions then follow in one
 * short text message. Alert text cannot mention anyone: the robot's {@code <@userid>} syntax is
 * broken up wherever it appears in the content.
 *
 * <p>A robot takes at most 20 messages a minute; beyond that it answers {@code 45009}. Every
 * message posted takes a permit of the robot's {@link #RATE} from the core's {@link RatePermits},
 * keyed by a digest of the webhook, so every receiver naming one robot shares its budget; when none
 * is free the send waits for one instead of posting. A {@code 45009} all the same (another client
 * posting through the robot) holds the robot for a minute. {@code 93000} (invalid webhook URL, a
 * wrong or deleted key) is permanent. The webhook's key is in its query, which no detail shows.
 * Each message delivered is recorded as progress (by webhook and content), so a retry posts only
 * the rest.
 */
public final class ChatbotSender {
  /** The most UTF-8 bytes of a text message's content. */
  public static final int MAX_TEXT_BYTES = 2_048;

  /** The most UTF-8 bytes of a markdown message's content. */
  public static final int MAX_MARKDOWN_BYTES = 4_096;

  /** The robot's frequency limit: 20 messages a minute, so the next minute is the earliest. */
  static final Duration FREQUENCY_WAIT = Duration.ofMinutes(1);

  /** What one robot takes: 20 messages a minute. */
  public static final ChannelLimits.Rate RATE = new ChannelLimits.Rate(20, FREQUENCY_WAIT);

  /** Too many messages in the minute. */
  static final int FREQUENCY_LIMITED = 45009;

  /** Invalid webhook URL: the key is wrong or the robot was removed. */
  static final int INVALID_WEBHOOK = 93000;

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_REPLY_BYTES = 16 * 1024;
  private static final int MAX_ERRMSG = 200;

  private final Clock clock;
  private final RatePermits permits;

  public ChatbotSender(Clock clock, RatePermits permits) {
    this.clock = clock;
    this.permits = permits;
  }

  /**
   * Posts {@code content} through the robot.
   *
   * @param client the send's client (its egress policy and origin mark applied)
   * @param webhook the robot's webhook URL, from the receiver's secret
   * @param markdown whether to post markdown rather than text
   * @param content the rendered notification
   * @param mentionTitle the short text a markdown notification's mentions are sent with
   * @param atUsers member IDs to mention
   * @param atMobiles mobile numbers to mention
   * @param deadline when the send must be over
   * @param progress what earlier attempts delivered; this send adds what it delivers
   * @param where how details name the robot, e.g. {@code WechatReceiver/ops: chatbot}
   */
  public SendResult send(
      OkHttpClient client,
      HttpUrl webhook,
      boolean markdown,
      String content,
      String mentionTitle,
      List<String> atUsers,
      List<String> atMobiles,
      Instant deadline,
      SendProgress.Builder progress,
      String where) {
    String safe = unmentionable(content);
    List<String> parts =
        TextSplitter.splitUtf8UnderHeading(safe, markdown ? MAX_MARKDOWN_BYTES : MAX_TEXT_BYTES);
    boolean mentions = !atUsers.isEmpty() || !atMobiles.isEmpty();
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      bodies.add(
          markdown
              ? body("markdown", parts.get(i), List.of(), List.of())
              : body(
                  "text",
                  parts.get(i),
                  i == 0 ? atUsers : List.of(),
                  i == 0 ? atMobiles : List.of()));
    }
    if (markdown && mentions) {
      String title = TextSplitter.truncateUtf8(unmentionable(mentionTitle), MAX_TEXT_BYTES);
      bodies.add(body("text", title, atUsers, atMobiles));
    }
    String target = HttpOutcomes.redactedUrl(webhook);
    String robotKey = SendProgress.key("wechat robot", webhook.toString());
    int sent = 0;
    int earlier = 0;
    for (int i = 0; i < bodies.size(); i++) {
      String body = bodies.get(i);
      String key = SendProgress.key(webhook.toString(), body);
      if (progress.contains(key)) {
        earlier++;
        continue;
      }
      Instant now = clock.instant();
      Instant free = permits.tryAcquire(robotKey, RATE, 1, now);
      SendResult result =
          free != null
              ? RatePermits.waitFor("20 messages a minute per robot", free, now)
              : post(client, webhook, robotKey, body, deadline);
      if (result instanceof SendResult.Failed f) {
        String part =
            bodies.size() == 1 ? "" : "message " + (i + 1) + " of " + bodies.size() + ": ";
        return f.withDetail(where + ": " + part + f.detail());
      }
      progress.add(key);
      sent++;
    }
    return SendResult.delivered(
        where
            + ": POST "
            + target
            + ": "
            + sent
            + (sent == 1 ? " message" : " messages")
            + (earlier == 0 ? "" : " (" + earlier + " on an earlier attempt)"));
  }

  private SendResult post(
      OkHttpClient client, HttpUrl webhook, String robotKey, String body, Instant deadline) {
    Request post =
        new Request.Builder()
            .url(webhook)
            .header("User-Agent", "nm4j")
            .post(RequestBody.create(body, JSON))
            .build();
    HttpExchange exchange = HttpExchange.run(client, post, deadline, clock, MAX_REPLY_BYTES);
    if (!(exchange instanceof HttpExchange.Reply reply)) {
      return ((HttpExchange.Failure) exchange).failure();
    }
    if (!reply.isSuccessful()) {
      return reply.byStatus(clock);
    }
    JsonNode json = parse(reply.body());
    String what = reply.describe();
    if (json == null || !json.path("errcode").canConvertToInt()) {
      return SendResult.retryable(
          Reason.REMOTE_ERROR,
          what + ": HTTP " + reply.code() + " without WeChat Work's {\"errcode\": ...} reply");
    }
    int code = json.path("errcode").asInt();
    if (code == WechatErrorCodes.OK) {
      return SendResult.delivered(what + ": errcode 0");
    }
    String message = json.path("errmsg").asText("");
    // errmsg repeats WeChat Work's hint and the caller's IP, never the key; bounded all the same.
    message = HttpOutcomes.remoteMessage(message, MAX_ERRMSG);
    String detail = what + ": errcode " + code + (message.isEmpty() ? "" : " " + message);
    return switch (code) {
      case FREQUENCY_LIMITED -> {
        permits.hold(robotKey, clock.instant().plus(FREQUENCY_WAIT));
        yield SendResult.retryAfter(Reason.RATE_LIMITED, FREQUENCY_WAIT, detail);
      }
      case INVALID_WEBHOOK -> SendResult.permanent(Reason.INVALID_RECIPIENT, detail);
      default -> WechatErrorCodes.failure(code, detail);
    };
  }

  private static String body(
      String type, String content, List<String> atUsers, List<String> atMobiles) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("msgtype", type);
    ObjectNode message = root.putObject(type);
    message.put("content", content);
    if (!atUsers.isEmpty()) {
      atUsers.forEach(message.putArray("mentioned_list")::add);
    }
    if (!atMobiles.isEmpty()) {
      atMobiles.forEach(message.putArray("mentioned_mobile_list")::add);
    }
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings always serialises", e);
    }
  }

  /**
   * The content with the robot's mention syntax {@code <@userid>} broken up (a zero-width space
   * after the {@code <}), so no alert text can mention a member or everyone.
   */
  static String unmentionable(String content) {
    return content.replace("<@", "<\u200b@");
  }

  private static @Nullable JsonNode parse(String body) {
    try {
      JsonNode node = MAPPER.readTree(body);
      return node != null && node.isObject() ? node : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
