package io.nm4j.spi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What every channel shows of an alert, decided once: which annotation is its summary, how a
 * missing name reads, the order of labels and of firing and resolved alerts. Pure functions over
 * {@link Alert}, for built-in renderers and templates alike. Values come back as the alert holds
 * them (stripped of surrounding white space): escaping for a format (HTML, mrkdwn, markdown) is the
 * renderer's.
 */
public final class AlertFormat {
  /** The annotations that summarise an alert, the first one set winning. */
  public static final List<String> SUMMARY_ANNOTATIONS =
      List.of("summary", "description", "message");

  /** The labels a reader needs first, in the order they are shown. */
  public static final List<String> LEADING_LABELS =
      List.of("alertname", Alert.NAMESPACE_LABEL, "severity");

  /** How an alert without an {@code alertname} label is named. */
  public static final String NO_ALERTNAME = "(no alertname)";

  private static final Comparator<Map.Entry<String, String>> LABEL_ORDER =
      leadingFirst(LEADING_LABELS);

  private static final Comparator<Map.Entry<String, String>> ANNOTATION_ORDER =
      leadingFirst(SUMMARY_ANNOTATIONS);

  private AlertFormat() {}

  /**
   * The alert's summary: the first of {@link #SUMMARY_ANNOTATIONS} that is set and not blank,
   * stripped; {@code null} when none is.
   */
  public static @Nullable String summary(Alert alert) {
    String key = summaryAnnotation(alert);
    return key == null ? null : present(alert.annotations().get(key));
  }

  /**
   * The annotation {@link #summary} shows: the first of {@link #SUMMARY_ANNOTATIONS} that is set
   * and not blank; {@code null} when none is.
   */
  public static @Nullable String summaryAnnotation(Alert alert) {
    for (String key : SUMMARY_ANNOTATIONS) {
      if (present(alert.annotations().get(key)) != null) {
        return key;
      }
    }
    return null;
  }

  /**
   * The annotations in the order they are shown: {@link #SUMMARY_ANNOTATIONS} first, in that order,
   * then the others by name.
   */
  public static List<Map.Entry<String, String>> annotationsInDisplayOrder(
      Map<String, String> annotations) {
    return sorted(annotations, ANNOTATION_ORDER);
  }

  /**
   * The {@code alertname} label, stripped, or {@link #NO_ALERTNAME} when it is missing or blank.
   */
  public static String name(Alert alert) {
    String name = label(alert, "alertname");
    return name == null ? NO_ALERTNAME : name;
  }

  /** A label's value, stripped; {@code null} when it is missing or blank. */
  public static @Nullable String label(Alert alert, String label) {
    return present(alert.labels().get(label));
  }

  /** An annotation's value, stripped; {@code null} when it is missing or blank. */
  public static @Nullable String annotation(Alert alert, String annotation) {
    return present(alert.annotations().get(annotation));
  }

  /**
   * The {@code alertname} every alert shares, stripped; {@code null} when they differ or lack one.
   */
  public static @Nullable String commonName(List<Alert> alerts) {
    String common = null;
    for (Alert a : alerts) {
      String name = label(a, "alertname");
      if (name == null || (common != null && !common.equals(name))) {
        return null;
      }
      common = name;
    }
    return common;
  }

  /**
   * The alerts by status, firing first and then resolved, each list in arrival order; both statuses
   * are keys, with an empty list when no alert has it.
   */
  public static Map<AlertStatus, List<Alert>> byStatus(List<Alert> alerts) {
    Map<AlertStatus, List<Alert>> out = new EnumMap<>(AlertStatus.class);
    for (AlertStatus status : AlertStatus.values()) {
      out.put(status, new ArrayList<>());
    }
    for (Alert a : alerts) {
      out.get(a.status()).add(a);
    }
    out.replaceAll((status, list) -> List.copyOf(list));
    return out;
  }

  /**
   * The labels in the order they are shown: {@link #LEADING_LABELS} first, then the others by name.
   */
  public static List<Map.Entry<String, String>> labelsInDisplayOrder(Map<String, String> labels) {
    return sorted(labels, LABEL_ORDER);
  }

  /**
   * {@code text} on one line: line breaks and other control characters become spaces, so a value
   * cannot start a header, a list item or a heading of its own.
   */
  public static String oneLine(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean breaks = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
      if (breaks && out == null) {
        out = new StringBuilder(text.length()).append(text, 0, i);
      }
      if (out != null) {
        out.append(breaks ? ' ' : c);
      }
    }
    return out == null ? text : out.toString();
  }

  /** {@code leading} keys first, in their order, then the others by name. */
  private static Comparator<Map.Entry<String, String>> leadingFirst(List<String> leading) {
    return Comparator.<Map.Entry<String, String>>comparingInt(
            e -> {
              int i = leading.indexOf(e.getKey());
              return i < 0 ? leading.size() : i;
            })
        .thenComparing(Map.Entry::getKey);
  }

  private static List<Map.Entry<String, String>> sorted(
      Map<String, String> entries, Comparator<Map.Entry<String, String>> order) {
    List<Map.Entry<String, String>> out = new ArrayList<>(entries.size());
    for (Map.Entry<String, String> e : entries.entrySet()) {
      out.add(Map.entry(e.getKey(), e.getValue()));
    }
    out.sort(order);
    return List.copyOf(out);
  }

  private static @Nullable String present(@Nullable String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
