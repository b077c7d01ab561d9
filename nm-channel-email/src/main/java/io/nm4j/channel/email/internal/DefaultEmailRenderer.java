package io.nm4j.channel.email.internal;

import io.nm4j.channel.email.EmailContent;
import io.nm4j.channel.email.EmailRenderer;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertFormat;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.Notification;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The default layout of an alert e-mail. Label and annotation values come from whoever can create
 * alerts, so they are treated as untrusted: escaped in HTML, and stripped of line breaks in the
 * subject.
 */
public final class DefaultEmailRenderer implements EmailRenderer {
  public static final DefaultEmailRenderer INSTANCE = new DefaultEmailRenderer();

  /** Alert names listed in a subject before the rest are counted. */
  private static final int SUBJECT_NAMES = 3;

  private DefaultEmailRenderer() {}

  @Override
  public EmailContent render(Notification notification) {
    Map<AlertStatus, List<Alert>> byStatus = AlertFormat.byStatus(notification.alerts());
    List<Alert> firing = byStatus.get(AlertStatus.FIRING);
    List<Alert> resolved = byStatus.get(AlertStatus.RESOLVED);
    return new EmailContent(
        subject(notification.alerts(), firing.size(), resolved.size()),
        text(firing, resolved),
        html(firing, resolved));
  }

  private static String subject(List<Alert> alerts, int firing, int resolved) {
    StringBuilder s = new StringBuilder("[");
    if (firing > 0) {
      s.append("FIRING:").append(firing);
      if (resolved > 0) {
        s.append(", RESOLVED:").append(resolved);
      }
    } else {
      s.append("RESOLVED:").append(resolved);
    }
    s.append(']');
    Set<String> names = new LinkedHashSet<>();
    Set<String> namespaces = new LinkedHashSet<>();
    for (Alert a : alerts) {
      names.add(AlertFormat.name(a));
      String ns = a.namespace();
      namespaces.add(ns == null ? "" : ns);
    }
    List<String> shown = new ArrayList<>(names);
    if (!shown.isEmpty()) {
      s.append(' ')
          .append(String.join(", ", shown.subList(0, Math.min(SUBJECT_NAMES, shown.size()))));
      if (shown.size() > SUBJECT_NAMES) {
        s.append(" and ").append(shown.size() - SUBJECT_NAMES).append(" more");
      }
    }
    if (namespaces.size() == 1 && !namespaces.iterator().next().isEmpty()) {
      s.append(" in namespace ").append(namespaces.iterator().next());
    }
    return AlertFormat.oneLine(s.toString());
  }

  private static String text(List<Alert> firing, List<Alert> resolved) {
    StringBuilder t = new StringBuilder();
    section(t, "Firing", firing);
    section(t, "Resolved", resolved);
    return t.toString();
  }

  private static void section(StringBuilder t, String title, List<Alert> alerts) {
    if (alerts.isEmpty()) {
      return;
    }
    if (t.length() > 0) {
      t.append('\n');
    }
    t.append(title).append(" (").append(alerts.size()).append(")\n");
    for (Alert a : alerts) {
      t.append("- ").append(a.status().wireName().toUpperCase(java.util.Locale.ROOT));
      t.append(' ').append(AlertFormat.name(a));
      t.append("\n  namespace: ").append(value(AlertFormat.label(a, Alert.NAMESPACE_LABEL)));
      t.append("\n  severity: ").append(value(AlertFormat.label(a, "severity")));
      String summary = AlertFormat.summary(a);
      if (summary != null) {
        t.append("\n  summary: ").append(summary);
      }
      t.append("\n  starts: ").append(time(a.startsAt()));
      if (a.status() == AlertStatus.RESOLVED) {
        t.append("\n  ends: ").append(time(a.endsAt()));
      }
      if (!a.generatorURL().isEmpty()) {
        t.append("\n  source: ").append(a.generatorURL());
      }
      t.append('\n');
    }
  }

  private static String html(List<Alert> firing, List<Alert> resolved) {
    StringBuilder h =
        new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n");
    htmlSection(h, "Firing", firing, "#c0392b");
    htmlSection(h, "Resolved", resolved, "#27ae60");
    return h.append("</body></html>\n").toString();
  }

  private static void htmlSection(StringBuilder h, String title, List<Alert> alerts, String color) {
    if (alerts.isEmpty()) {
      return;
    }
    h.append("<h2 style=\"color:")
        .append(color)
        .append("\">")
        .append(title)
        .append(" (")
        .append(alerts.size())
        .append(")</h2>\n<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\">\n")
        .append("<tr><th>status</th><th>alertname</th><th>namespace</th><th>severity</th>")
        .append("<th>summary</th><th>starts</th><th>ends</th></tr>\n");
    for (Alert a : alerts) {
      h.append("<tr>");
      cell(h, a.status().wireName());
      cell(h, AlertFormat.name(a));
      cell(h, value(AlertFormat.label(a, Alert.NAMESPACE_LABEL)));
      cell(h, value(AlertFormat.label(a, "severity")));
      String summary = AlertFormat.summary(a);
      cell(h, summary == null ? "" : summary);
      cell(h, time(a.startsAt()));
      cell(h, a.status() == AlertStatus.RESOLVED ? time(a.endsAt()) : "");
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  private static void cell(StringBuilder h, String value) {
    h.append("<td>").append(escapeHtml(value)).append("</td>");
  }

  private static String value(@Nullable String v) {
    return v == null || v.isEmpty() ? "-" : v;
  }

  private static String time(@Nullable Instant t) {
    return t == null
        ? "-"
        : DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  /** Escapes text for HTML element content and quoted attribute values. */
  public static String escapeHtml(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
