package io.nm4j.channel.feishu.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertFormat;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.Notification;
import io.nm4j.spi.TextSplitter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Renders a notification as Feishu messages, rich text ({@code post}) or plain {@code text}: firing
 * alerts first, then resolved ones; per alert a line with its name and summary ({@link
 * AlertFormat}), then every label (leading ones first), every other annotation, its start (and end)
 * and its source, one per line. Messages are filled alert by alert up to the content size; what
 * does not fit goes into the next message, and an alert too large for a message of its own has its
 * values cut and then its last lines left out. When the bot has keywords and a message contains
 * none, it ends with a line naming them, so the bot accepts it.
 *
 * <p>Kept apart from the channel so a template engine can replace it.
 */
public final class FeishuRenderer {
  /** A value at most, in characters, so one alert with many long values still fits. */
  static final int MAX_VALUE_CHARS = 1_000;

  /** A value when even {@link #MAX_VALUE_CHARS} leaves an alert too large for a message. */
  static final int MIN_VALUE_CHARS = 100;

  /** Room kept in each message for its title, which names the part only once all are known. */
  private static final int TITLE_RESERVE = 300;

  private static final int MAX_TITLE_NAME = 120;

  private static final Pattern AT_TAG = Pattern.compile("<(?=at)", Pattern.CASE_INSENSITIVE);
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private FeishuRenderer() {}

  /**
   * One message: its {@code msg_type} and {@code content}.
   *
   * @param msgType {@code post} or {@code text}
   * @param content the {@code content} object
   */
  public record Message(String msgType, ObjectNode content) {}

  /**
   * The messages of a notification, in the order they are to be sent; never empty.
   *
   * @param type {@code post} or {@code text}
   * @param keywords the bot's keywords; empty for the app and for bots without them
   * @param maxContentBytes the most UTF-8 bytes of one message's {@code content} as JSON
   */
  public static List<Message> render(
      Notification notification, String type, List<String> keywords, int maxContentBytes) {
    boolean post = type.equals("post");
    String keywordLine = keywords.isEmpty() ? null : "[Keywords] " + String.join(", ", keywords);
    int reserve =
        TITLE_RESERVE + (keywordLine == null ? 0 : TextSplitter.utf8Length(keywordLine) + 64);
    int budget = maxContentBytes - reserve;
    List<List<String>> parts = new ArrayList<>();
    List<String> current = new ArrayList<>();
    Map<AlertStatus, List<Alert>> byStatus = AlertFormat.byStatus(notification.alerts());
    for (AlertStatus status : AlertStatus.values()) {
      List<Alert> alerts = byStatus.get(status);
      if (alerts.isEmpty()) {
        continue;
      }
      String heading = heading(status, alerts.size(), false);
      boolean headed = false;
      for (Alert alert : alerts) {
        List<String> entry = fitted(alert, post, budget - size(post, List.of(heading)));
        List<String> tried = new ArrayList<>(current);
        if (!headed) {
          tried.add(heading);
        }
        tried.addAll(entry);
        if (!current.isEmpty() && size(post, tried) > budget) {
          parts.add(current);
          tried = new ArrayList<>();
          tried.add(heading(status, alerts.size(), true));
          tried.addAll(entry);
        }
        current = tried;
        headed = true;
      }
    }
    int left = notification.batch().truncatedAlerts();
    if (left > 0) {
      String note =
          left
              + (left == 1 ? " more alert was" : " more alerts were")
              + " left out by Alertmanager.";
      List<String> tried = new ArrayList<>(current);
      tried.add(note);
      if (!current.isEmpty() && size(post, tried) > budget) {
        parts.add(current);
        tried = new ArrayList<>(List.of(note));
      }
      current = tried;
    }
    if (!current.isEmpty() || parts.isEmpty()) {
      parts.add(current);
    }
    String title = title(notification);
    List<Message> messages = new ArrayList<>(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      String t = parts.size() == 1 ? title : title + " " + TextSplitter.partLabel(i, parts.size());
      List<String> lines = new ArrayList<>(parts.get(i));
      if (keywordLine != null && !containsAny(t, lines, keywords)) {
        lines.add(keywordLine);
      }
      messages.add(new Message(post ? "post" : "text", content(post, t, lines)));
    }
    return List.copyOf(messages);
  }

  /** The UTF-8 bytes of a node written as JSON. */
  public static int size(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  private static int size(boolean post, List<String> lines) {
    return size(content(post, "", lines));
  }

  private static boolean containsAny(String title, List<String> lines, List<String> keywords) {
    for (String keyword : keywords) {
      if (title.contains(keyword)) {
        return true;
      }
      for (String line : lines) {
        if (line.contains(keyword)) {
          return true;
        }
      }
    }
    return false;
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
   * each {@code <} of {@code <at} keeps alert text from mentioning anyone. A post's text elements
   * mention nobody.
   */
  static String unmentionable(String text) {
    return AT_TAG.matcher(text).replaceAll("<\u200b");
  }

  private static String title(Notification notification) {
    Map<AlertStatus, List<Alert>> byStatus = AlertFormat.byStatus(notification.alerts());
    int firing = byStatus.get(AlertStatus.FIRING).size();
    String status = firing > 0 ? "FIRING:" + firing : "RESOLVED";
    String name = AlertFormat.commonName(notification.alerts());
    if (name == null) {
      name = notification.alerts().size() + " alerts";
    }
    return "[" + status + "] " + TextSplitter.ellipsize(AlertFormat.oneLine(name), MAX_TITLE_NAME);
  }

  private static String heading(AlertStatus status, int count, boolean continued) {
    return (status == AlertStatus.FIRING ? "Firing" : "Resolved")
        + " ("
        + count
        + ")"
        + (continued ? ", continued" : "");
  }

  /**
   * The alert's lines; when larger than {@code budget} bytes, with shorter values and then fewer
   * lines (the rest counted) until they fit.
   */
  private static List<String> fitted(Alert alert, boolean post, int budget) {
    List<String> lines = lines(alert, MAX_VALUE_CHARS);
    if (size(post, lines) <= budget) {
      return lines;
    }
    List<String> all = lines(alert, MIN_VALUE_CHARS);
    int keep = all.size();
    List<String> shown = all;
    while (size(post, shown) > budget && keep > 1) {
      keep /= 2;
      shown = new ArrayList<>(all.subList(0, keep));
      int left = all.size() - keep;
      shown.add("    " + left + (left == 1 ? " more field" : " more fields") + " left out.");
    }
    return shown;
  }

  private static List<String> lines(Alert alert, int maxValueChars) {
    List<String> lines = new ArrayList<>();
    String summary = AlertFormat.summary(alert);
    String name = value(AlertFormat.name(alert), maxValueChars);
    lines.add(
        (alert.status() == AlertStatus.FIRING ? "● " : "○ ")
            + name
            + (summary == null ? "" : ": " + value(summary, maxValueChars)));
    String summaryKey = AlertFormat.summaryAnnotation(alert);
    for (Map.Entry<String, String> label : AlertFormat.labelsInDisplayOrder(alert.labels())) {
      lines.add(field(label.getKey(), label.getValue(), maxValueChars));
    }
    for (Map.Entry<String, String> annotation :
        AlertFormat.annotationsInDisplayOrder(alert.annotations())) {
      if (!annotation.getKey().equals(summaryKey)) {
        lines.add(field(annotation.getKey(), annotation.getValue(), maxValueChars));
      }
    }
    lines.add(field("startsAt", instant(alert.startsAt()), maxValueChars));
    if (alert.status() == AlertStatus.RESOLVED) {
      lines.add(field("endsAt", instant(alert.endsAt()), maxValueChars));
    }
    if (!alert.generatorURL().isBlank()) {
      lines.add(field("source", alert.generatorURL(), maxValueChars));
    }
    return lines;
  }

  private static String field(String key, String value, int maxValueChars) {
    return "    " + value(key, maxValueChars) + ": " + value(value, maxValueChars);
  }

  private static String instant(@Nullable Instant at) {
    return at == null ? "-" : at.toString();
  }

  private static String value(String raw, int maxChars) {
    return TextSplitter.ellipsize(AlertFormat.oneLine(raw.strip()), maxChars);
  }
}
