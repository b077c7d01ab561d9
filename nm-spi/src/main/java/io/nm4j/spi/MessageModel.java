package io.nm4j.spi;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a template sees of a notification: plain maps, lists, strings, numbers and booleans, built
 * once per notification from {@link Alert}s by the rules of {@link AlertFormat}. Nothing in it
 * reaches Java code, so an engine needs no reflection to read it.
 *
 * <p>The top level holds {@code receiver}, {@code status} ({@code firing} when any alert fires),
 * {@code alerts} (firing first, then resolved, each in arrival order), {@code firing} and {@code
 * resolved} (the two halves), {@code commonName} and {@code commonNamespace} (the alertname and the
 * namespace every alert shares, or empty), {@code groupLabels}, {@code commonLabels} and {@code
 * commonAnnotations} (lists of {@code {name, value}}), {@code externalURL} (a link, or empty),
 * {@code truncatedAlerts} and {@code truncatedNote} (Alertmanager's count of alerts left out, and
 * the sentence saying so, or empty), {@code words} (the {@link LanguagePack}'s words), {@code
 * language} and {@code timezone}.
 *
 * <p>Each alert holds {@code status}, {@code firing} (boolean), {@code name}, {@code summary},
 * {@code namespace} and {@code severity} (empty when unset), {@code labels} (every label but {@code
 * alertname}, which is {@code name}, and the excluded ones, {@link AlertFormat#labelsInDisplayOrder
 * in display order}), {@code annotations} (every annotation, {@link
 * AlertFormat#SUMMARY_ANNOTATIONS} first, then by name; {@code runbook_url} only when it is not a
 * link), {@code startsAt} and {@code endsAt} (formatted in the settings' zone, or empty), {@code
 * generatorURL} and {@code runbookURL} (links, or empty) and {@code fingerprint}.
 *
 * <p>Links are {@code http} or {@code https} URLs with every character that could end a link in
 * markup ({@code ( ) [ ] < > " ' |}, spaces, backticks) percent-encoded, so a template may print
 * them unescaped; anything else is not a link and is left out.
 */
public final class MessageModel {
  /** The annotation whose link a message shows beside the alert's source. */
  public static final String RUNBOOK_ANNOTATION = "runbook_url";

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  private static final int MAX_LINK_CHARS = 2_000;

  private MessageModel() {}

  /** The model of {@code notification}, shown with {@code settings}. */
  public static Map<String, Object> of(Notification notification, MessageSettings settings) {
    Map<AlertStatus, List<Alert>> byStatus = AlertFormat.byStatus(notification.alerts());
    Set<String> excluded = new HashSet<>(settings.excludedLabels());
    List<Map<String, Object>> firing = alerts(byStatus.get(AlertStatus.FIRING), settings, excluded);
    List<Map<String, Object>> resolved =
        alerts(byStatus.get(AlertStatus.RESOLVED), settings, excluded);
    List<Map<String, Object>> all = new ArrayList<>(firing);
    all.addAll(resolved);
    AlertBatch batch = notification.batch();
    int truncated = batch.truncatedAlerts();
    String commonName = AlertFormat.commonName(notification.alerts());

    Map<String, Object> model = new LinkedHashMap<>();
    model.put("receiver", notification.receiver().toString());
    model.put("status", firing.isEmpty() ? "resolved" : "firing");
    model.put("alerts", List.copyOf(all));
    model.put("firing", firing);
    model.put("resolved", resolved);
    model.put("commonName", commonName == null ? "" : commonName);
    model.put("commonNamespace", commonNamespace(notification.alerts()));
    List<String> names = new ArrayList<>();
    for (Map<String, Object> a : all) {
      if (!names.contains((String) a.get("name"))) {
        names.add((String) a.get("name"));
      }
    }
    model.put("names", List.copyOf(names));
    model.put("groupLabels", pairs(AlertFormat.labelsInDisplayOrder(batch.groupLabels())));
    model.put("commonLabels", pairs(AlertFormat.labelsInDisplayOrder(batch.commonLabels())));
    model.put("commonAnnotations", pairs(annotationsInDisplayOrder(batch.commonAnnotations())));
    model.put("externalURL", link(batch.externalURL()));
    model.put("truncatedAlerts", truncated);
    model.put(
        "truncatedNote",
        truncated > 0
            ? settings.language().word("truncated").replace("{n}", Integer.toString(truncated))
            : "");
    model.put("words", settings.language().words());
    model.put("language", settings.language().language());
    model.put("timezone", settings.zone().getId());
    return model;
  }

  /** The annotations in the order messages show them: the summary ones first, then by name. */
  public static List<Map.Entry<String, String>> annotationsInDisplayOrder(
      Map<String, String> annotations) {
    List<Map.Entry<String, String>> out = new ArrayList<>(annotations.size());
    for (String key : AlertFormat.SUMMARY_ANNOTATIONS) {
      String value = annotations.get(key);
      if (value != null) {
        out.add(Map.entry(key, value));
      }
    }
    annotations.entrySet().stream()
        .filter(e -> !AlertFormat.SUMMARY_ANNOTATIONS.contains(e.getKey()))
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> out.add(Map.entry(e.getKey(), e.getValue())));
    return out;
  }

  /**
   * {@code url} as a link safe to print unescaped in any markup, or empty when it is not an http or
   * https URL (or is absurdly long).
   */
  public static String link(@Nullable String url) {
    if (url == null) {
      return "";
    }
    String trimmed = url.strip();
    String lower = trimmed.toLowerCase(Locale.ROOT);
    if (!(lower.startsWith("http://") || lower.startsWith("https://"))
        || trimmed.length() > MAX_LINK_CHARS
        || trimmed.length() <= "https://".length()) {
      return "";
    }
    StringBuilder out = new StringBuilder(trimmed.length() + 16);
    for (int i = 0; i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      if (c <= 0x20 || c >= 0x7f || "()[]<>\"'|`{}\\^*_~".indexOf(c) >= 0) {
        for (byte b : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
          out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The namespace every alert has, or empty when they differ or one has none. */
  private static String commonNamespace(List<Alert> alerts) {
    String common = null;
    for (Alert a : alerts) {
      String namespace = AlertFormat.label(a, Alert.NAMESPACE_LABEL);
      if (namespace == null || (common != null && !common.equals(namespace))) {
        return "";
      }
      common = namespace;
    }
    return common == null ? "" : common;
  }

  private static List<Map<String, Object>> alerts(
      List<Alert> alerts, MessageSettings settings, Set<String> excluded) {
    List<Map<String, Object>> out = new ArrayList<>(alerts.size());
    for (Alert a : alerts) {
      out.add(alert(a, settings, excluded));
    }
    return List.copyOf(out);
  }

  private static Map<String, Object> alert(
      Alert a, MessageSettings settings, Set<String> excluded) {
    Map<String, String> labels = new LinkedHashMap<>(a.labels());
    labels.remove("alertname");
    labels.keySet().removeAll(excluded);
    Map<String, String> annotations = new LinkedHashMap<>(a.annotations());
    String runbook = link(a.annotations().get(RUNBOOK_ANNOTATION));
    if (!runbook.isEmpty()) {
      annotations.remove(RUNBOOK_ANNOTATION);
    }
    String summary = AlertFormat.summary(a);
    // The annotation shown as the summary is not repeated among the others.
    for (String key : AlertFormat.SUMMARY_ANNOTATIONS) {
      String value = a.annotations().get(key);
      if (value != null && !value.isBlank()) {
        annotations.remove(key);
        break;
      }
    }
    String namespace = AlertFormat.label(a, Alert.NAMESPACE_LABEL);
    String severity = AlertFormat.label(a, "severity");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", a.status() == AlertStatus.FIRING ? "firing" : "resolved");
    out.put("firing", a.status() == AlertStatus.FIRING);
    out.put("name", AlertFormat.name(a));
    out.put("summary", summary == null ? "" : summary);
    out.put("namespace", namespace == null ? "" : namespace);
    out.put("severity", severity == null ? "" : severity);
    out.put("labels", pairs(AlertFormat.labelsInDisplayOrder(labels)));
    out.put("annotations", pairs(annotationsInDisplayOrder(annotations)));
    out.put("startsAt", time(a.startsAt(), settings));
    out.put("endsAt", a.status() == AlertStatus.RESOLVED ? time(a.endsAt(), settings) : "");
    out.put("generatorURL", link(a.generatorURL()));
    out.put("runbookURL", runbook);
    out.put("fingerprint", a.fingerprint());
    return out;
  }

  /** {@code 2026-12-02 16:15:00 +08:00}, or {@code ... UTC} in UTC; empty for no time. */
  private static String time(@Nullable Instant at, MessageSettings settings) {
    if (at == null) {
      return "";
    }
    String local = TIME.format(at.atZone(settings.zone()));
    if (settings.zone().normalized().equals(ZoneOffset.UTC)) {
      return local + " UTC";
    }
    return local + " " + at.atZone(settings.zone()).getOffset().getId();
  }

  private static List<Map<String, Object>> pairs(List<Map.Entry<String, String>> entries) {
    List<Map<String, Object>> out = new ArrayList<>(entries.size());
    for (Map.Entry<String, String> e : entries) {
      out.add(Map.of("name", e.getKey(), "value", e.getValue().strip()));
    }
    return List.copyOf(out);
  }
}
