package io.nm4j.channel.feishu.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nm4j.spi.ChannelTemplates;
import io.nm4j.spi.Notification;
import io.nm4j.spi.RenderOptions;
import io.nm4j.spi.TemplateEngine;
import io.nm4j.spi.TemplateFormat;
import io.nm4j.spi.TemplateLimits;
import io.nm4j.spi.TemplateSlots;
import io.nm4j.spi.TextSplitter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Renders a notification as Feishu messages, rich text ({@code post}) or plain {@code text}, from
 * the {@code feishu/message.ftl} template (or the receiver's own), in plain text: a post's text
 * elements show no markup, so nothing in an alert can format one. The first line is the title (a
 * post's title, a text message's first line); the other lines are a post's paragraphs. What does
 * not fit one message goes out as several, each repeating the title with its part. When the bot has
 * keywords and a message contains none, it ends with a line naming them, so the bot accepts it.
 *
 * <p>{@code tmplType} chooses how the text is sent, not which template renders it: both types
 * render the same template, so a custom {@code template} serves both.
 */
public final class FeishuRenderer {
  /** The name of the built-in template, and of the custom one that replaces it. */
  public static final String MESSAGE = "message";

  /** The one template a custom one may replace, for either {@code tmplType}. */
  public static final TemplateSlots SLOTS =
      new TemplateSlots(
          Map.of(MESSAGE, TemplateFormat.TEXT),
          MESSAGE,
          Map.of("post", MESSAGE, "text", MESSAGE),
          null,
          null);

  /** Room kept in each message for the keywords' line and the JSON around the text. */
  private static final int RESERVE_BYTES = 300;

  private static final Pattern AT_TAG = Pattern.compile("<(?=at)", Pattern.CASE_INSENSITIVE);
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private final ChannelTemplates templates;

  public FeishuRenderer(TemplateEngine engine) {
    this.templates =
        ChannelTemplates.load(
            "feishu",
            engine,
            FeishuRenderer.class.getClassLoader(),
            SLOTS.formats(),
            TemplateLimits.DEFAULT);
  }

  /**
   * One message: its {@code msg_type} and {@code content}.
   *
   * @param msgType {@code post} or {@code text}
   * @param content the {@code content} object
   */
  public record Message(String msgType, ObjectNode content) {}

  /** The rendered text, before splitting. */
  public ChannelTemplates.Rendering render(Notification notification, RenderOptions options) {
    return templates.render(MESSAGE, notification, options);
  }

  /**
   * The messages of a rendered text, in the order they are to be sent; never empty.
   *
   * @param type {@code post} or {@code text}
   * @param keywords the bot's keywords; empty for the app and for bots without them
   * @param maxContentBytes the most UTF-8 bytes of one message's {@code content} as JSON
   */
  public static List<Message> messages(
      String text, String type, List<String> keywords, int maxContentBytes) {
    boolean post = type.equals("post");
    String keywordLine = keywords.isEmpty() ? null : "[Keywords] " + String.join(", ", keywords);
    String whole = text.strip();
    int budget =
        maxContentBytes
            - RESERVE_BYTES
            - (keywordLine == null ? 0 : TextSplitter.utf8Length(keywordLine));
    while (true) {
      List<Message> messages = new ArrayList<>();
      boolean fits = true;
      for (String part : TextSplitter.splitUtf8UnderHeading(whole, budget)) {
        int lineEnd = part.indexOf('\n');
        String title = lineEnd < 0 ? part : part.substring(0, lineEnd).strip();
        List<String> lines =
            new ArrayList<>(
                lineEnd < 0
                    ? List.of()
                    : Arrays.asList(part.substring(lineEnd + 1).strip().split("\n", -1)));
        if (keywordLine != null && !containsAny(part, keywords)) {
          lines.add(keywordLine);
        }
        ObjectNode content = content(post, title, lines);
        fits &= size(content) <= maxContentBytes;
        messages.add(new Message(post ? "post" : "text", content));
      }
      // JSON escapes and a post's paragraphs add to the text: split finer until each fits.
      if (fits || budget <= 1_024) {
        return List.copyOf(messages);
      }
      budget = budget * 3 / 4;
    }
  }

  /** The UTF-8 bytes of a node written as JSON. */
  public static int size(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  private static boolean containsAny(String text, List<String> keywords) {
    return keywords.stream().anyMatch(text::contains);
  }

  private static ObjectNode content(boolean post, String title, List<String> lines) {
    ObjectNode content = MAPPER.createObjectNode();
    if (!post) {
      content.put("text", unmentionable(title + "\n" + String.join("\n", lines)));
      return content;
    }
    // zh_cn is the language every Feishu and Lark client shows when it has no other.
    ObjectNode body = content.putObject("post").putObject("zh_cn").put("title", title);
    ArrayNode paragraphs = body.putArray("content");
    for (String line : lines) {
      paragraphs.addArray().addObject().put("tag", "text").put("text", line);
    }
    return content;
  }

  /**
   * A text message reads {@code <at user_id="all"></at>} as a mention: a zero-width space after
   * each {@code <} of {@code <at} keeps the text (an alert's, or a template's) from mentioning
   * anyone. A post's text elements mention nobody.
   */
  static String unmentionable(String text) {
    return AT_TAG.matcher(text).replaceAll("<\u200b");
  }
}
