package io.nm4j.channel.wechat.internal;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.Notification;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The message a WeChat Work member reads: firing alerts first, then resolved ones, each with its
 * name, namespace, severity, summary, description and times. Kept apart from sending so a template
 * can take its place.
 */
public final class AlertText {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private AlertText() {}

  /** Plain text, for {@code msgtype: text}. */
  public static String text(Notification notification) {
    StringBuilder out = new StringBuilder();
    for (AlertStatus status : AlertStatus.values()) {
      List<Alert> alerts = of(notification, status);
      if (alerts.isEmpty()) {
        continue;
      }
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append('[').append(title(status)).append(": ").append(alerts.size()).append("]\n");
      for (Alert a : alerts) {
        out.append('\n');
        line(out, "Alert", a.labels().get("alertname"));
        line(out, "Namespace", a.namespace());
        line(out, "Severity", a.labels().get("severity"));
        line(out, "Summary", a.annotations().get("summary"));
        line(out, "Description", a.annotations().get("description"));
        line(out, "Starts", time(a.startsAt()));
        if (status == AlertStatus.RESOLVED) {
          line(out, "Ends", time(a.endsAt()));
        }
      }
    }
    return out.toString().strip();
  }

  /**
   * Markdown of WeChat Work's subset (headings, bold, quotes, three font colours), for {@code
   * msgtype: markdown}.
   */
  public static String markdown(Notification notification) {
    StringBuilder out = new StringBuilder();
    for (AlertStatus status : AlertStatus.values()) {
      List<Alert> alerts = of(notification, status);
      if (alerts.isEmpty()) {
        continue;
      }
      if (out.length() > 0) {
        out.append('\n');
      }
      String colour = status == AlertStatus.FIRING ? "warning" : "info";
      out.append("### <font color=\"")
          .append(colour)
          .append("\">")
          .append(title(status))
          .append(": ")
          .append(alerts.size())
          .append("</font>\n");
      for (Alert a : alerts) {
        String name = a.labels().get("alertname");
        out.append("\n**").append(name == null ? "(unnamed alert)" : name).append("**\n");
        quote(out, "Namespace", a.namespace());
        quote(out, "Severity", a.labels().get("severity"));
        quote(out, "Summary", a.annotations().get("summary"));
        quote(out, "Description", a.annotations().get("description"));
        quote(out, "Starts", time(a.startsAt()));
        if (status == AlertStatus.RESOLVED) {
          quote(out, "Ends", time(a.endsAt()));
        }
      }
    }
    return out.toString().strip();
  }

  private static List<Alert> of(Notification notification, AlertStatus status) {
    return notification.alerts().stream().filter(a -> a.status() == status).toList();
  }

  private static String title(AlertStatus status) {
    return status == AlertStatus.FIRING ? "FIRING" : "RESOLVED";
  }

  private static void line(StringBuilder out, String name, @Nullable String value) {
    if (value != null && !value.isBlank()) {
      out.append(name).append(": ").append(value.strip()).append('\n');
    }
  }

  private static void quote(StringBuilder out, String name, @Nullable String value) {
    if (value != null && !value.isBlank()) {
      out.append("> ").append(name).append(": ").append(value.strip()).append('\n');
    }
  }

  private static @Nullable String time(@Nullable Instant at) {
    return at == null ? null : TIME.format(at);
  }
}
