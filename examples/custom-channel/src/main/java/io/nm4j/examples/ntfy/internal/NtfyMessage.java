package io.nm4j.examples.ntfy.internal;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.Notification;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What one notification publishes: a title, a text body of one line per alert, and tags.
 *
 * <p>ntfy keeps a message of up to {@value #MAX_BODY_BYTES} bytes as text (a longer one becomes an
 * attachment, or is refused where attachments are off). A push message is a summary, so rather than
 * splitting a notification into several messages, the body lists as many alerts as fit and ends
 * with how many more there are.
 *
 * @param title e.g. {@code [FIRING:2] KubePodCrashLooping}
 * @param body one line per alert, at most {@value #MAX_BODY_BYTES} bytes of UTF-8
 * @param tags the receiver's tags, then {@code rotating_light} while any alert fires, else {@code
 *     white_check_mark}
 */
public record NtfyMessage(String title, String body, List<String> tags) {
  /** ntfy's default message size limit. */
  public static final int MAX_BODY_BYTES = 4096;

  static final int MAX_TITLE_CHARS = 250;
  static final int MAX_LINE_CHARS = 500;

  public NtfyMessage {
    tags = List.copyOf(tags);
  }

  /** The message of {@code notification}, with the receiver's {@code tags}. */
  public static NtfyMessage of(Notification notification, List<String> tags) {
    List<Alert> alerts = notification.alerts();
    int firing = 0;
    for (Alert a : alerts) {
      if (a.status() == AlertStatus.FIRING) {
        firing++;
      }
    }
    int resolved = alerts.size() - firing;
    Set<String> allTags = new LinkedHashSet<>(tags);
    allTags.add(firing > 0 ? "rotating_light" : "white_check_mark");
    return new NtfyMessage(
        cut(counts(firing, resolved) + " " + subject(alerts), MAX_TITLE_CHARS),
        body(alerts),
        List.copyOf(allTags));
  }

  private static String counts(int firing, int resolved) {
    List<String> parts = new ArrayList<>(2);
    if (firing > 0) {
      parts.add("FIRING" + (firing > 1 || resolved > 0 ? ":" + firing : ""));
    }
    if (resolved > 0) {
      parts.add("RESOLVED" + (resolved > 1 || firing > 0 ? ":" + resolved : ""));
    }
    return "[" + String.join(", ", parts) + "]";
  }

  /** The alert name all alerts share, or how many alerts there are. */
  private static String subject(List<Alert> alerts) {
    Set<String> names = new LinkedHashSet<>();
    for (Alert a : alerts) {
      names.add(name(a));
    }
    return names.size() == 1 ? names.iterator().next() : alerts.size() + " alerts";
  }

  private static String body(List<Alert> alerts) {
    StringBuilder body = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < alerts.size(); i++) {
      String line = cut(line(alerts.get(i)), MAX_LINE_CHARS) + "\n";
      int lineBytes = utf8(line);
      int left = alerts.size() - i - 1;
      // Room for this line, and for the closing line should a later one not fit.
      int reserve = left == 0 ? 0 : utf8(more(left));
      if (bytes + lineBytes + reserve > MAX_BODY_BYTES) {
        body.append(more(alerts.size() - i));
        return body.toString();
      }
      body.append(line);
      bytes += lineBytes;
    }
    return body.toString().stripTrailing();
  }

  private static String more(int count) {
    return "… and " + count + " more";
  }

  /** {@code firing KubePodCrashLooping in demo: Pod demo/web is crash looping.} */
  private static String line(Alert a) {
    String namespace = a.namespace();
    String summary = summary(a);
    return (a.status() == AlertStatus.FIRING ? "firing " : "resolved ")
        + name(a)
        + (namespace == null ? "" : " in " + namespace)
        + (summary == null ? "" : ": " + summary);
  }

  private static String name(Alert a) {
    String name = a.labels().get("alertname");
    return name == null || name.isBlank() ? "alert" : name;
  }

  private static @Nullable String summary(Alert a) {
    for (String key : List.of("summary", "description", "message")) {
      String value = a.annotations().get(key);
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }

  /**
   * One line of at most {@code max} code points: line breaks and other control characters of the
   * alert's text become spaces, and a longer text ends with an ellipsis.
   */
  static String cut(String text, int max) {
    StringBuilder out = new StringBuilder();
    int count = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (count == max - 1 && i < text.length()) {
        return out.append('…').toString();
      }
      out.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp);
      count++;
    }
    return out.toString();
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
