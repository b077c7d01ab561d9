package io.nm4j.channel.wechat.internal;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertFormat;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.Notification;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The message a WeChat Work member reads: firing alerts first, then resolved ones, each with its
 * name, namespace, severity, summary ({@link AlertFormat#summary}), the description when the
 * summary is not already it, and times. Kept apart from sending so a template can take its place.
 */
public final class WechatRenderer {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private WechatRenderer() {}

  /** Plain text, for {@code msgtype: text}. */
  public static String text(Notification notification) {
    return render(notification, false);
  }

  /**
   * Markdown of WeChat Work's subset (headings, bold, quotes, three font colours), for {@code
   * msgtype: markdown}.
   */
  public static String markdown(Notification notification) {
    return render(notification, true);
  }

  private static String render(Notification notification, boolean markdown) {
    StringBuilder out = new StringBuilder();
    String prefix = markdown ? "> " : "";
    for (Map.Entry<AlertStatus, List<Alert>> group :
        AlertFormat.byStatus(notification.alerts()).entrySet()) {
      AlertStatus status = group.getKey();
      List<Alert> alerts = group.getValue();
      if (alerts.isEmpty()) {
        continue;
      }
      if (out.length() > 0) {
        out.append('\n');
      }
      if (markdown) {
        out.append("### <font color=\"")
            .append(status == AlertStatus.FIRING ? "warning" : "info")
            .append("\">")
            .append(title(status))
            .append(": ")
            .append(alerts.size())
            .append("</font>\n");
      } else {
        out.append('[').append(title(status)).append(": ").append(alerts.size()).append("]\n");
      }
      for (Alert a : alerts) {
        out.append('\n');
        if (markdown) {
          out.append("**").append(AlertFormat.name(a)).append("**\n");
        } else {
          line(out, prefix, "Alert", AlertFormat.name(a));
        }
        line(out, prefix, "Namespace", AlertFormat.label(a, Alert.NAMESPACE_LABEL));
        line(out, prefix, "Severity", AlertFormat.label(a, "severity"));
        line(out, prefix, "Summary", AlertFormat.summary(a));
        line(out, prefix, "Description", description(a));
        line(out, prefix, "Starts", time(a.startsAt()));
        if (status == AlertStatus.RESOLVED) {
          line(out, prefix, "Ends", time(a.endsAt()));
        }
      }
    }
    return out.toString().strip();
  }

  /** The description, unless the summary shows it already (an alert without a summary). */
  private static @Nullable String description(Alert a) {
    String description = AlertFormat.annotation(a, "description");
    return description == null || description.equals(AlertFormat.summary(a)) ? null : description;
  }

  private static String title(AlertStatus status) {
    return status == AlertStatus.FIRING ? "FIRING" : "RESOLVED";
  }

  private static void line(StringBuilder out, String prefix, String name, @Nullable String value) {
    if (value != null && !value.isBlank()) {
      out.append(prefix).append(name).append(": ").append(value.strip()).append('\n');
    }
  }

  private static @Nullable String time(@Nullable Instant at) {
    return at == null ? null : TIME.format(at);
  }
}
