package io.nm4j.channel.discord.internal;

import io.nm4j.channel.discord.internal.DiscordMessage.Embed;
import io.nm4j.channel.discord.internal.DiscordMessage.Field;
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
 * Renders a notification as Discord webhook messages, firing alerts first, then resolved ones:
 * either markdown text ({@link #content}) or one embed per alert ({@link #embeds}), each alert with
 * its name, summary, times, every label (alertname, namespace and severity first) and every other
 * annotation. Content that does not fit one message goes out as several, in order, split between
 * lines.
 *
 * <p>Every text taken from an alert is put on one line and has Discord's markdown characters
 * escaped, so it cannot format, link or mention; which mentions may ping is the channel's {@code
 * allowed_mentions}.
 *
 * <p>Limits are Discord's (https://discord.com/developers/docs/resources/message#embed-object
 * -embed-limits and https://discord.com/developers/docs/resources/webhook#execute-webhook): content
 * 2,000 characters; 10 embeds a message; an embed's title 256, description 4,096, 25 fields of name
 * 256 and value 1,024; all embeds of a message together 6,000.
 *
 * <p>Kept apart from the channel so a template engine can replace it.
 */
public final class DiscordRenderer {
  public static final int MAX_CONTENT_CHARS = 2_000;
  static final int MAX_EMBEDS = 10;
  static final int MAX_EMBED_TOTAL = 6_000;
  static final int MAX_TITLE = 256;
  static final int MAX_FIELDS = 25;
  static final int MAX_FIELD_NAME = 256;
  static final int MAX_FIELD_VALUE = 1_024;

  /** An embed's size at most, so that any embed fits a message alone. */
  static final int MAX_EMBED_SIZE = 5_500;

  /** An embed's description at most. */
  static final int MAX_DESCRIPTION = 1_500;

  /** One line of content at most, so any line fits a message with its title and mentions. */
  static final int MAX_LINE_CHARS = 600;

  private static final int TITLE_RESERVE = 800;
  private static final int FIRING_COLOR = 0xE01E5A;
  private static final int RESOLVED_COLOR = 0x2EB67D;

  /**
   * The messages of a notification as markdown content, in order; never empty.
   *
   * @param mentions the mentions ({@code <@id>}, {@code <@&id>}) put at the start of the first
   */
  public List<DiscordMessage> content(Notification notification, String mentions) {
    Map<AlertStatus, List<Alert>> byStatus = AlertFormat.byStatus(notification.alerts());
    List<List<String>> bodies = new ArrayList<>();
    List<String> current = new ArrayList<>();
    int used = 0;
    int budget = MAX_CONTENT_CHARS - TITLE_RESERVE;
    for (AlertStatus status : List.of(AlertStatus.FIRING, AlertStatus.RESOLVED)) {
      List<Alert> alerts = byStatus.get(status);
      for (int i = 0; i < alerts.size(); i++) {
        List<String> block = new ArrayList<>();
        if (i == 0) {
          block.add("");
          block.add("**" + heading(status) + " (" + count(alerts.size()) + ")**");
        }
        block.addAll(contentLines(alerts.get(i)));
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
    String note = leftOut(notification);
    if (note != null) {
      if (used + note.length() + 1 > budget && !current.isEmpty()) {
        bodies.add(current);
        current = new ArrayList<>();
      }
      current.add(note);
    }
    bodies.add(current);
    String head = head(notification.alerts(), byStatus);
    List<DiscordMessage> out = new ArrayList<>(bodies.size());
    for (int i = 0; i < bodies.size(); i++) {
      StringBuilder text = new StringBuilder(title(head, i, bodies.size(), mentions));
      for (String line : bodies.get(i)) {
        text.append('\n').append(line);
      }
      out.add(new DiscordMessage(text.toString(), List.of()));
    }
    return List.copyOf(out);
  }

  /**
   * The messages of a notification as embeds, one per alert, in order; never empty.
   *
   * @param mentions the mentions put at the start of the first message's content
   */
  public List<DiscordMessage> embeds(Notification notification, String mentions) {
    Map<AlertStatus, List<Alert>> byStatus = AlertFormat.byStatus(notification.alerts());
    List<List<Embed>> groups = new ArrayList<>();
    List<Embed> current = new ArrayList<>();
    int used = 0;
    for (AlertStatus status : List.of(AlertStatus.FIRING, AlertStatus.RESOLVED)) {
      for (Alert alert : byStatus.get(status)) {
        Embed embed = embed(alert);
        if (!current.isEmpty()
            && (current.size() == MAX_EMBEDS || used + embed.size() > MAX_EMBED_TOTAL)) {
          groups.add(current);
          current = new ArrayList<>();
          used = 0;
        }
        current.add(embed);
        used += embed.size();
      }
    }
    groups.add(current);
    String head = head(notification.alerts(), byStatus);
    String note = leftOut(notification);
    List<DiscordMessage> out = new ArrayList<>(groups.size());
    for (int i = 0; i < groups.size(); i++) {
      String text = title(head, i, groups.size(), mentions);
      if (note != null && i == groups.size() - 1) {
        text += "\n" + note;
      }
      out.add(new DiscordMessage(text, groups.get(i)));
    }
    return List.copyOf(out);
  }

  private static Embed embed(Alert alert) {
    boolean firing = alert.status() == AlertStatus.FIRING;
    String title =
        clip(
            (firing ? "[FIRING] " : "[RESOLVED] ")
                + escape(AlertFormat.oneLine(AlertFormat.name(alert))),
            MAX_TITLE);
    List<String> lines = new ArrayList<>();
    String summary = AlertFormat.summary(alert);
    if (summary != null) {
      lines.add(escapeLine(summary, 500));
    }
    String times = times(alert);
    if (times != null) {
      lines.add(times);
    }
    lines.addAll(annotationLines(alert, 300));
    String description = clip(String.join("\n", lines), MAX_DESCRIPTION);
    List<Map.Entry<String, String>> labels = new ArrayList<>();
    for (Map.Entry<String, String> label : AlertFormat.labelsInDisplayOrder(alert.labels())) {
      if (!label.getKey().equals("alertname")) {
        labels.add(label);
      }
    }
    // The labels share what is left of the embed's budget, so that any embed fits a message.
    int left = MAX_EMBED_SIZE - title.length() - description.length();
    List<Field> fields = new ArrayList<>();
    for (int i = 0; i < labels.size() && i < MAX_FIELDS; i++) {
      int share = left / (Math.min(labels.size(), MAX_FIELDS) - i);
      Field field;
      if (i == MAX_FIELDS - 1 && labels.size() > MAX_FIELDS) {
        List<String> rest = new ArrayList<>();
        for (Map.Entry<String, String> more : labels.subList(i, labels.size())) {
          rest.add(
              escape(AlertFormat.oneLine(more.getKey()))
                  + ": "
                  + escape(AlertFormat.oneLine(more.getValue())));
        }
        String name = "more labels";
        field = new Field(name, clip(String.join("\n", rest), fieldRoom(share, name)));
      } else {
        Map.Entry<String, String> label = labels.get(i);
        String name = clip(nonEmpty(escape(AlertFormat.oneLine(label.getKey()))), 100);
        field =
            new Field(
                name,
                clip(
                    nonEmpty(escape(AlertFormat.oneLine(label.getValue()))),
                    fieldRoom(share, name)));
      }
      fields.add(field);
      left -= field.name().length() + field.value().length();
    }
    return new Embed(
        title,
        description,
        link(alert.generatorURL()),
        firing ? FIRING_COLOR : RESOLVED_COLOR,
        alert.startsAt() == null ? null : DateTimeFormatter.ISO_INSTANT.format(alert.startsAt()),
        fields);
  }

  /**
   * An alert's lines as content: its name, summary, times, labels ({@code `name`: value}), the
   * other annotations ({@code _name_: value}) and its source, each at most {@link #MAX_LINE_CHARS}.
   */
  private static List<String> contentLines(Alert alert) {
    List<String> out = new ArrayList<>();
    out.add("**• " + escapeLine(AlertFormat.name(alert), MAX_LINE_CHARS - 6) + "**");
    String summary = AlertFormat.summary(alert);
    if (summary != null) {
      out.add("> " + escapeLine(summary, MAX_LINE_CHARS - 2));
    }
    String times = times(alert);
    if (times != null) {
      out.add(times);
    }
    for (Map.Entry<String, String> label : AlertFormat.labelsInDisplayOrder(alert.labels())) {
      if (!label.getKey().equals("alertname")) {
        String name = code(label.getKey());
        out.add(
            "`" + name + "`: " + escapeLine(label.getValue(), MAX_LINE_CHARS - name.length() - 4));
      }
    }
    out.addAll(annotationLines(alert, MAX_LINE_CHARS));
    String link = link(alert.generatorURL());
    if (link != null) {
      // Angle brackets keep Discord from unfurling a preview of the source.
      out.add("<" + link + ">");
    }
    return out;
  }

  private static @Nullable String times(Alert alert) {
    if (alert.startsAt() == null) {
      return null;
    }
    String times = "started " + DateTimeFormatter.ISO_INSTANT.format(alert.startsAt());
    if (alert.status() == AlertStatus.RESOLVED && alert.endsAt() != null) {
      times += ", ended " + DateTimeFormatter.ISO_INSTANT.format(alert.endsAt());
    }
    return times;
  }

  /** The annotations other than the summary, {@code _name_: value}, at most {@code max} each. */
  private static List<String> annotationLines(Alert alert, int max) {
    String summary = AlertFormat.summary(alert);
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> annotation :
        AlertFormat.labelsInDisplayOrder(alert.annotations())) {
      String value = annotation.getValue().strip();
      if (!value.isEmpty() && !value.equals(summary)) {
        String name = clip(escape(AlertFormat.oneLine(annotation.getKey())), 100);
        out.add("_" + name + "_: " + escapeLine(value, max - name.length() - 4));
      }
    }
    return out;
  }

  /** A label name inside inline code: backticks cannot be escaped there, so they are replaced. */
  private static String code(String name) {
    return clip(AlertFormat.oneLine(name).replace('`', '\''), 100);
  }

  private static @Nullable String leftOut(Notification notification) {
    int left = notification.batch().truncatedAlerts();
    return left == 0
        ? null
        : "_"
            + left
            + (left == 1 ? " more alert was" : " more alerts were")
            + " left out by Alertmanager._";
  }

  private static String head(List<Alert> all, Map<AlertStatus, List<Alert>> byStatus) {
    int firing = byStatus.get(AlertStatus.FIRING).size();
    int resolved = byStatus.get(AlertStatus.RESOLVED).size();
    String counts =
        (firing == 0 ? "" : "[FIRING:" + firing + "]")
            + (firing > 0 && resolved > 0 ? " " : "")
            + (resolved == 0 ? "" : "[RESOLVED:" + resolved + "]");
    String name;
    if (all.isEmpty()) {
      name = "No alerts";
    } else {
      String common = AlertFormat.commonName(all);
      name = common == null ? all.size() + " alerts" : escapeLine(common, 80);
    }
    return counts.isEmpty() ? name : counts + " " + name;
  }

  private static String title(String head, int index, int count, String mentions) {
    String title =
        "**" + head + (count == 1 ? "" : " " + TextSplitter.partLabel(index, count)) + "**";
    return index == 0 && !mentions.isEmpty() ? mentions + "\n" + title : title;
  }

  private static String heading(AlertStatus status) {
    return status == AlertStatus.FIRING ? "Firing" : "Resolved";
  }

  private static String count(int n) {
    return n + (n == 1 ? " alert" : " alerts");
  }

  /** A field value's room: its share of the budget after the name, within Discord's limit. */
  private static int fieldRoom(int share, String name) {
    return Math.max(2, Math.min(MAX_FIELD_VALUE, share - name.length()));
  }

  private static String nonEmpty(String value) {
    return value.isEmpty() ? "\u200b" : value;
  }

  /** A plain http(s) URL for a link, or {@code null}. */
  private static @Nullable String link(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (!(lower.startsWith("http://") || lower.startsWith("https://"))
        || url.length() > 500
        || url.chars().anyMatch(c -> c <= ' ' || c == '<' || c == '>')) {
      return null;
    }
    return url;
  }

  private static String escapeLine(String value, int max) {
    return clip(escape(AlertFormat.oneLine(value)), max);
  }

  /**
   * Escapes Discord's markdown: a backslash before each character that formats, quotes, links or
   * mentions, so the text shows as written.
   */
  public static String escape(String value) {
    StringBuilder out = new StringBuilder(value.length() + 16);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ("\\*_~`|>#-[]()<@:!".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  /**
   * At most {@code max} characters of escaped text, ending in an ellipsis when cut, never between a
   * backslash and the character it escapes nor inside a surrogate pair.
   */
  static String clip(String escaped, int max) {
    if (escaped.length() <= max) {
      return escaped;
    }
    String cut = TextSplitter.truncateChars(escaped, max - TextSplitter.ELLIPSIS.length());
    int trailing = 0;
    while (trailing < cut.length() && cut.charAt(cut.length() - 1 - trailing) == '\\') {
      trailing++;
    }
    if (trailing % 2 == 1) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut + TextSplitter.ELLIPSIS;
  }
}
