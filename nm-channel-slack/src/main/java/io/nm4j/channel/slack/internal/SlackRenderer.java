package io.nm4j.channel.slack.internal;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertFormat;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.Notification;
import io.nm4j.spi.TextSplitter;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Renders a notification's alerts as Slack messages: firing alerts first, then resolved ones, each
 * with its alertname, namespace, severity, summary ({@link AlertFormat}) and start (and end) time.
 * Content that does not fit one message is split into several, in order, each within Slack's
 * limits: a fallback text of at most {@link #MAX_TEXT_CHARS} characters, at most {@link
 * #MAX_BLOCKS} blocks, at most {@link #MAX_SECTION_CHARS} characters per section and at most {@link
 * #MAX_BLOCKS_CHARS} characters in all its sections together. Every text taken from an alert is
 * escaped ({@code &}, {@code <}, {@code >}) as Slack requires.
 *
 * <p>Kept apart from the channel so a template engine can replace it.
 */
public final class SlackRenderer {
  /** Slack advises keeping {@code text} under 4,000 characters (it truncates at 40,000). */
  public static final int MAX_TEXT_CHARS = 4_000;

  /** Slack accepts at most 50 blocks in one message. */
  public static final int MAX_BLOCKS = 50;

  /** Slack rejects a section whose text is longer than 3,000 characters. */
  public static final int MAX_SECTION_CHARS = 3_000;

  /**
   * The characters of all sections of one message together. Slack refuses a message whose blocks
   * hold too much text ({@code msg_blocks_too_long}) without documenting how much: posts fail from
   * about 13,200 characters (slackapi/bolt-js#2509), far below the 50 blocks of 3,000 characters
   * its documentation allows, so nm4j keeps a margin below what was observed.
   */
  public static final int MAX_BLOCKS_CHARS = 12_000;

  /** One alert's line or section at most, so any alert fits a message with its headings. */
  static final int MAX_ENTRY_CHARS = 2_500;

  /** Room kept in each message for its title, which names the part only once all are known. */
  private static final int TITLE_RESERVE = 120;

  private static final int MAX_TITLE_NAME = 60;

  /** The messages of a notification, in the order they are to be posted; never empty. */
  public List<SlackMessage> render(Notification notification) {
    Map<AlertStatus, List<Alert>> byStatus = AlertFormat.byStatus(notification.alerts());
    List<Alert> firing = byStatus.get(AlertStatus.FIRING);
    List<Alert> resolved = byStatus.get(AlertStatus.RESOLVED);
    List<Draft> drafts = new ArrayList<>();
    Draft current = new Draft();
    for (Group group : List.of(new Group("Firing", firing), new Group("Resolved", resolved))) {
      boolean started = false;
      for (Alert alert : group.alerts()) {
        Entry entry = entry(alert);
        boolean needsHeading = current.group != group;
        Entry heading = group.heading(started);
        if (!current.isEmpty() && !current.fits(needsHeading ? heading : null, entry)) {
          drafts.add(current);
          current = new Draft();
          needsHeading = true;
        }
        if (needsHeading) {
          current.add(heading);
          current.group = group;
        }
        current.add(entry);
        started = true;
      }
    }
    int left = notification.batch().truncatedAlerts();
    if (left > 0) {
      String note =
          left
              + (left == 1 ? " more alert was" : " more alerts were")
              + " left out by Alertmanager";
      Entry entry = new Entry(note + ".", "_" + note + "._");
      if (!current.isEmpty() && !current.fits(null, entry)) {
        drafts.add(current);
        current = new Draft();
      }
      current.add(entry);
    }
    drafts.add(current);

    String name = titleName(notification.alerts());
    String counts =
        (firing.isEmpty() ? "" : "[FIRING:" + firing.size() + "]")
            + (!firing.isEmpty() && !resolved.isEmpty() ? " " : "")
            + (resolved.isEmpty() ? "" : "[RESOLVED:" + resolved.size() + "]");
    String head = counts.isEmpty() ? name : counts + " " + name;
    List<SlackMessage> out = new ArrayList<>(drafts.size());
    for (int i = 0; i < drafts.size(); i++) {
      String title =
          drafts.size() == 1 ? head : head + " " + TextSplitter.partLabel(i, drafts.size());
      Draft d = drafts.get(i);
      List<String> sections = new ArrayList<>(d.sections.size() + 1);
      sections.add("*" + title + "*");
      sections.addAll(d.sections);
      StringBuilder text = new StringBuilder(title);
      for (String line : d.lines) {
        text.append('\n').append(line);
      }
      out.add(new SlackMessage(text.toString(), sections));
    }
    return out;
  }

  private static String titleName(List<Alert> alerts) {
    if (alerts.isEmpty()) {
      return "No alerts";
    }
    String common = AlertFormat.commonName(alerts);
    return common == null ? alerts.size() + " alerts" : clip(escape(common), MAX_TITLE_NAME);
  }

  private static Entry entry(Alert alert) {
    String shownName = escape(AlertFormat.name(alert));
    List<String> facts = new ArrayList<>(2);
    String namespace = AlertFormat.label(alert, Alert.NAMESPACE_LABEL);
    if (namespace != null) {
      facts.add("namespace: " + escape(namespace));
    }
    String severity = AlertFormat.label(alert, "severity");
    if (severity != null) {
      facts.add("severity: " + escape(severity));
    }
    String plainSummary = AlertFormat.summary(alert);
    String summary = plainSummary == null ? null : escape(plainSummary);
    String times = times(alert);

    StringBuilder line = new StringBuilder("• ").append(shownName);
    if (!facts.isEmpty()) {
      line.append(" (").append(String.join(", ", facts)).append(')');
    }
    if (summary != null) {
      line.append(": ").append(summary);
    }
    if (!times.isEmpty()) {
      line.append(" (").append(times).append(')');
    }

    StringBuilder section = new StringBuilder("*").append(shownName).append('*');
    if (!facts.isEmpty()) {
      section.append('\n').append(String.join(" · ", facts));
    }
    if (summary != null) {
      section.append('\n').append(summary);
    }
    String link = link(alert.generatorURL());
    if (!times.isEmpty() || link != null) {
      section.append('\n').append(times);
      if (link != null) {
        section.append(times.isEmpty() ? "" : " · ").append(link);
      }
    }
    return new Entry(
        clip(line.toString(), MAX_ENTRY_CHARS), clip(section.toString(), MAX_ENTRY_CHARS));
  }

  private static String times(Alert alert) {
    StringBuilder out = new StringBuilder();
    if (alert.startsAt() != null) {
      out.append("started ").append(time(alert.startsAt()));
    }
    if (alert.status() == AlertStatus.RESOLVED && alert.endsAt() != null) {
      out.append(out.length() == 0 ? "" : ", ").append("ended ").append(time(alert.endsAt()));
    }
    return out.toString();
  }

  private static String time(Instant at) {
    return DateTimeFormatter.ISO_INSTANT.format(at);
  }

  /** A mrkdwn link to the alert's source, only for plain http(s) URLs. */
  private static @Nullable String link(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (!(lower.startsWith("http://") || lower.startsWith("https://")) || url.length() > 500) {
      return null;
    }
    // '|' separates a link from its label in mrkdwn; inside a URL it is percent-encoded.
    return "<" + escape(url.replace("|", "%7C")) + "|source>";
  }

  /** Escapes the three characters Slack's text formatting reserves. */
  public static String escape(String value) {
    StringBuilder out = null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      String rep =
          switch (c) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            default -> null;
          };
      if (rep != null && out == null) {
        out = new StringBuilder(value.length() + 16).append(value, 0, i);
      }
      if (out != null) {
        if (rep != null) {
          out.append(rep);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? value : out.toString();
  }

  /**
   * At most {@code max} characters of escaped text, ending in an ellipsis when cut, never inside an
   * entity such as {@code &amp;} nor between the two halves of a surrogate pair.
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

  /** One alert (or note): its line of the fallback text and its section. */
  private record Entry(String line, String section) {}

  private record Group(String name, List<Alert> alerts) {
    Entry heading(boolean continued) {
      String count = alerts.size() + (alerts.size() == 1 ? " alert" : " alerts");
      String more = continued ? ", continued" : "";
      return new Entry(name + " (" + count + more + "):", "*" + name + "* (" + count + more + ")");
    }
  }

  /** A message being filled. */
  private static final class Draft {
    final List<String> lines = new ArrayList<>();
    final List<String> sections = new ArrayList<>();
    int textChars;
    int sectionChars;
    @Nullable Group group;

    boolean isEmpty() {
      return lines.isEmpty();
    }

    boolean fits(@Nullable Entry heading, Entry entry) {
      int chars = entry.line().length() + 1 + (heading == null ? 0 : heading.line().length() + 1);
      int blocks = 1 + (heading == null ? 0 : 1);
      int blockText = entry.section().length() + (heading == null ? 0 : heading.section().length());
      // One block of every message is its title.
      return textChars + chars <= MAX_TEXT_CHARS - TITLE_RESERVE
          && sections.size() + blocks <= MAX_BLOCKS - 1
          && sectionChars + blockText <= MAX_BLOCKS_CHARS - TITLE_RESERVE;
    }

    void add(Entry e) {
      lines.add(e.line());
      sections.add(e.section());
      textChars += e.line().length() + 1;
      sectionChars += e.section().length();
    }
  }
}
