package io.nm4j.channel.telegram.internal;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertFormat;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.Notification;
import io.nm4j.spi.TextSplitter;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Renders a notification as Telegram messages in its HTML parse mode: firing alerts first, then
 * resolved ones; each with its name, summary, times, every label (alertname, namespace and severity
 * first) and every other annotation, and a link to its source.
 *
 * <p>Every text taken from an alert is escaped ({@code &}, {@code <}, {@code >}, and {@code "} in
 * attributes) and put on one line, so an alert can neither open a tag nor end one. The message is
 * built from lines that are each complete HTML (every tag they open, they close): messages are
 * split only between lines, so a part never ends inside a tag or an entity. A line longer than
 * {@link #MAX_LINE_CHARS} is cut before an entity, never inside one.
 *
 * <p>Telegram takes at most {@link #MAX_MESSAGE_CHARS} characters of text after parsing the tags;
 * the tags are counted too, so a part is always within the limit.
 *
 * <p>Kept apart from the channel so a template engine can replace it.
 */
public final class TelegramRenderer {
  /**
   * Telegram's limit on one message's text: "1-4096 characters after entities parsing"
   * (https://core.telegram.org/bots/api#sendmessage).
   */
  public static final int MAX_MESSAGE_CHARS = 4_096;

  /** One line at most, so any alert's heading and a line fit a message with the title. */
  static final int MAX_LINE_CHARS = 1_000;

  /** Room kept in each message for its title and mentions. */
  private static final int TITLE_RESERVE = 700;

  private static final int MAX_TITLE_NAME = 80;

  /**
   * The messages of a notification, in the order they are to be posted; never empty.
   *
   * @param mentions usernames ({@code @oncall}) put at the start of the first message
   */
  public List<String> render(Notification notification, List<String> mentions) {
    Map<AlertStatus, List<Alert>> byStatus = AlertFormat.byStatus(notification.alerts());
    List<Alert> firing = byStatus.get(AlertStatus.FIRING);
    List<Alert> resolved = byStatus.get(AlertStatus.RESOLVED);
    List<List<String>> bodies = new ArrayList<>();
    List<String> current = new ArrayList<>();
    int used = 0;
    int budget = MAX_MESSAGE_CHARS - TITLE_RESERVE;
    for (Map.Entry<String, List<Alert>> group :
        List.of(Map.entry("Firing", firing), Map.entry("Resolved", resolved))) {
      List<Alert> alerts = group.getValue();
      for (int i = 0; i < alerts.size(); i++) {
        List<String> block = new ArrayList<>();
        if (i == 0) {
          block.add("");
          block.add("<b>" + group.getKey() + " (" + count(alerts.size()) + ")</b>");
        }
        block.addAll(lines(alerts.get(i)));
        for (String line : block) {
          if (used + line.length() + 1 > budget && !current.isEmpty()) {
            bodies.add(current);
            current = new ArrayList<>();
            used = 0;
          }
          current.add(line);
          used += line.length() + 1;
        }
      }
    }
    int left = notification.batch().truncatedAlerts();
    if (left > 0) {
      String note =
          "<i>"
              + left
              + (left == 1 ? " more alert was" : " more alerts were")
              + " left out by Alertmanager.</i>";
      if (used + note.length() + 2 > budget && !current.isEmpty()) {
        bodies.add(current);
        current = new ArrayList<>();
      }
      current.add("");
      current.add(note);
    }
    bodies.add(current);

    String head = head(firing, resolved, notification.alerts());
    List<String> out = new ArrayList<>(bodies.size());
    for (int i = 0; i < bodies.size(); i++) {
      StringBuilder text = new StringBuilder();
      if (i == 0 && !mentions.isEmpty()) {
        text.append(escape(String.join(" ", mentions))).append('\n');
      }
      text.append("<b>")
          .append(head)
          .append(bodies.size() == 1 ? "" : " " + TextSplitter.partLabel(i, bodies.size()))
          .append("</b>");
      for (String line : bodies.get(i)) {
        text.append('\n').append(line);
      }
      out.add(text.toString());
    }
    return List.copyOf(out);
  }

  private static String head(List<Alert> firing, List<Alert> resolved, List<Alert> all) {
    String counts =
        (firing.isEmpty() ? "" : "[FIRING:" + firing.size() + "]")
            + (!firing.isEmpty() && !resolved.isEmpty() ? " " : "")
            + (resolved.isEmpty() ? "" : "[RESOLVED:" + resolved.size() + "]");
    String name;
    if (all.isEmpty()) {
      name = "No alerts";
    } else {
      String common = AlertFormat.commonName(all);
      name =
          common == null
              ? all.size() + " alerts"
              : clip(escape(AlertFormat.oneLine(common)), MAX_TITLE_NAME);
    }
    return counts.isEmpty() ? name : counts + " " + name;
  }

  /** An alert's lines: each complete HTML, at most {@link #MAX_LINE_CHARS} characters. */
  private static List<String> lines(Alert alert) {
    List<String> out = new ArrayList<>();
    out.add(line("<b>• ", AlertFormat.name(alert), "</b>"));
    String summary = AlertFormat.summary(alert);
    if (summary != null) {
      out.add(line("<i>", summary, "</i>"));
    }
    if (alert.startsAt() != null) {
      String times = "started " + DateTimeFormatter.ISO_INSTANT.format(alert.startsAt());
      if (alert.status() == AlertStatus.RESOLVED && alert.endsAt() != null) {
        times += ", ended " + DateTimeFormatter.ISO_INSTANT.format(alert.endsAt());
      }
      out.add(times);
    }
    for (Map.Entry<String, String> label : AlertFormat.labelsInDisplayOrder(alert.labels())) {
      if (!label.getKey().equals("alertname")) {
        out.add(field(label.getKey(), label.getValue()));
      }
    }
    for (Map.Entry<String, String> annotation :
        AlertFormat.labelsInDisplayOrder(alert.annotations())) {
      String value = annotation.getValue();
      if (!value.isBlank() && !value.strip().equals(summary)) {
        out.add(field(annotation.getKey(), value.strip()));
      }
    }
    String link = link(alert.generatorURL());
    if (link != null) {
      out.add(link);
    }
    return out;
  }

  private static String field(String name, String value) {
    String shownName = clip(escape(AlertFormat.oneLine(name)), 100);
    return line("<code>" + shownName + "</code>: ", value, "");
  }

  /** {@code open}, then the escaped value on one line, cut to fit, then {@code close}. */
  private static String line(String open, String value, String close) {
    int room = MAX_LINE_CHARS - open.length() - close.length();
    return open + clip(escape(AlertFormat.oneLine(value)), room) + close;
  }

  /** A link to the alert's source, only for plain http(s) URLs. */
  private static @Nullable String link(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (!(lower.startsWith("http://") || lower.startsWith("https://"))
        || url.length() > 500
        || url.chars().anyMatch(c -> c <= ' ')) {
      return null;
    }
    return "<a href=\"" + escape(url) + "\">source</a>";
  }

  private static String count(int n) {
    return n + (n == 1 ? " alert" : " alerts");
  }

  /**
   * Escapes what Telegram's HTML mode reserves: {@code &}, {@code <} and {@code >} in text, and
   * {@code "} so the same escaping serves attribute values.
   */
  public static String escape(String value) {
    StringBuilder out = new StringBuilder(value.length() + 16);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * At most {@code max} characters of escaped text, ending in an ellipsis when cut, never inside an
   * entity nor between the two halves of a surrogate pair.
   */
  static String clip(String escaped, int max) {
    if (escaped.length() <= max) {
      return escaped;
    }
    String cut = TextSplitter.truncateChars(escaped, max - TextSplitter.ELLIPSIS.length());
    int amp = cut.lastIndexOf('&');
    if (amp >= 0 && cut.indexOf(';', amp) < 0) {
      cut = cut.substring(0, amp);
    }
    return cut + TextSplitter.ELLIPSIS;
  }
}
