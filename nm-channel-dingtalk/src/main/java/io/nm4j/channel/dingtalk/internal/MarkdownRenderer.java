package io.nm4j.channel.dingtalk.internal;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertFormat;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.Notification;
import io.nm4j.spi.TextSplitter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Renders a notification as DingTalk markdown: a title, then the firing and the resolved alerts in
 * sections of their own, each alert with its name, severity, namespace, summary and times.
 *
 * <p>Keywords: a custom robot drops a message that contains none of its keywords. When the title
 * contains none, the first keyword is put in front of it as {@code [keyword]}; since every part's
 * text starts with the title as its heading, every part then contains that keyword, in the same
 * visible place.
 *
 * <p>Splitting: a text longer than {@code maxTextBytes} (UTF-8) is split between alerts into parts
 * that each carry the heading (with {@code (part i/n)}) and repeat the section they continue. An
 * alert larger than a part on its own is cut on a character boundary.
 */
public final class MarkdownRenderer {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  /** Room kept in each part for the heading's {@code (part i/n)} suffix. */
  private static final int PART_SUFFIX_BYTES = 16;

  private static final int MAX_TITLE_CHARS = 128;

  private MarkdownRenderer() {}

  /** The messages of a notification, in order; one unless the text exceeds the limit. */
  public static List<MarkdownMessage> render(
      Notification notification, List<String> keywords, int maxTextBytes) {
    String title = withKeyword(title(notification.alerts()), keywords);
    List<Block> blocks = blocks(notification.alerts());
    List<List<Block>> parts = split(title, blocks, maxTextBytes);
    List<MarkdownMessage> out = new ArrayList<>(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      String heading =
          parts.size() == 1 ? title : title + " " + TextSplitter.partLabel(i, parts.size());
      out.add(new MarkdownMessage(heading, text(heading, parts.get(i))));
    }
    return List.copyOf(out);
  }

  /** {@code [FIRING:2 RESOLVED:1] KubePodCrashLooping}, or the number of alert names. */
  static String title(List<Alert> alerts) {
    long firing = alerts.stream().filter(a -> a.status() == AlertStatus.FIRING).count();
    long resolved = alerts.size() - firing;
    StringBuilder b = new StringBuilder("[");
    if (firing > 0) {
      b.append("FIRING:").append(firing);
    }
    if (resolved > 0) {
      b.append(firing > 0 ? " " : "").append("RESOLVED:").append(resolved);
    }
    if (alerts.isEmpty()) {
      b.append("NO ALERTS");
    }
    b.append("] ");
    List<String> names = alerts.stream().map(AlertFormat::name).distinct().toList();
    b.append(names.size() == 1 ? oneLine(names.get(0)) : names.size() + " alerts");
    // A title is a line in the chat list; an absurd alert name must not crowd out the alerts.
    return TextSplitter.ellipsize(b.toString().trim(), MAX_TITLE_CHARS);
  }

  static String withKeyword(String title, List<String> keywords) {
    if (keywords.isEmpty() || keywords.stream().anyMatch(title::contains)) {
      return title;
    }
    return "[" + keywords.get(0) + "] " + title;
  }

  private record Block(AlertStatus section, String text) {}

  private static List<Block> blocks(List<Alert> alerts) {
    List<Block> blocks = new ArrayList<>();
    for (Map.Entry<AlertStatus, List<Alert>> group : AlertFormat.byStatus(alerts).entrySet()) {
      for (Alert a : group.getValue()) {
        blocks.add(new Block(group.getKey(), alert(a)));
      }
    }
    return blocks;
  }

  private static String alert(Alert a) {
    StringBuilder b = new StringBuilder();
    b.append("- **").append(oneLine(AlertFormat.name(a)));
    b.append("**");
    String severity = AlertFormat.label(a, "severity");
    if (severity != null) {
      b.append(" `").append(oneLine(severity)).append('`');
    }
    b.append("\n\n");
    String ns = AlertFormat.label(a, Alert.NAMESPACE_LABEL);
    b.append("  namespace: ").append(ns == null ? "(cluster)" : oneLine(ns)).append("\n\n");
    String summary = AlertFormat.summary(a);
    if (summary != null) {
      b.append("  ").append(oneLine(summary)).append("\n\n");
    }
    b.append("  starts: ").append(time(a.startsAt()));
    if (a.status() == AlertStatus.RESOLVED) {
      b.append(", ends: ").append(time(a.endsAt()));
    }
    b.append("\n\n");
    return b.toString();
  }

  private static String time(@Nullable Instant t) {
    return t == null ? "-" : TIME.format(t);
  }

  /** Markdown values stay on their line: newlines would break the list item. */
  private static String oneLine(String s) {
    return AlertFormat.oneLine(s).strip();
  }

  private static String section(AlertStatus status) {
    return status == AlertStatus.FIRING ? "##### Firing\n\n" : "##### Resolved\n\n";
  }

  private static String text(String heading, List<Block> blocks) {
    StringBuilder b = new StringBuilder("#### ").append(heading).append("\n\n");
    AlertStatus current = null;
    for (Block block : blocks) {
      if (block.section() != current) {
        current = block.section();
        b.append(section(current));
      }
      b.append(block.text());
    }
    return b.toString().stripTrailing();
  }

  private static List<List<Block>> split(String title, List<Block> blocks, int maxTextBytes) {
    int fixed =
        bytes("#### " + title + "\n\n") + PART_SUFFIX_BYTES + bytes(section(AlertStatus.RESOLVED));
    int room = maxTextBytes - fixed;
    if (room < 64) {
      throw new IllegalArgumentException("message size limit " + maxTextBytes + " is too small");
    }
    List<List<Block>> parts = new ArrayList<>();
    List<Block> current = new ArrayList<>();
    int used = 0;
    AlertStatus section = null;
    for (Block block : blocks) {
      Block b = bytes(block.text()) > room ? cut(block, room) : block;
      int cost = bytes(b.text()) + (b.section() != section ? bytes(section(b.section())) : 0);
      if (!current.isEmpty() && used + cost > room) {
        parts.add(current);
        current = new ArrayList<>();
        used = 0;
        section = null;
        cost = bytes(b.text()) + bytes(section(b.section()));
      }
      current.add(b);
      used += cost;
      section = b.section();
    }
    parts.add(current);
    return parts;
  }

  /** The block cut to {@code room} bytes on a character boundary, marked as cut. */
  private static Block cut(Block block, int room) {
    return new Block(
        block.section(), TextSplitter.ellipsizeUtf8(block.text(), room - bytes("\n\n")) + "\n\n");
  }

  private static int bytes(String s) {
    return TextSplitter.utf8Length(s);
  }
}
