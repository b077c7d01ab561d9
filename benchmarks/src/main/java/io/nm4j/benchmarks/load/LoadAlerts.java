package io.nm4j.benchmarks.load;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * The load's alerts: {@code alertname=Load}, {@code namespace=ns-<k>}, {@code id=<i>}, one {@code
 * summary} annotation; rendered either as the array Alertmanager's {@code /api/v2/alerts} takes or
 * as webhook (version 4) bodies like the ones Alertmanager sends.
 */
final class LoadAlerts {
  static final int NAMESPACES = 100;

  private LoadAlerts() {}

  static String namespace(int k) {
    return "ns-" + k;
  }

  /**
   * The array for Alertmanager's API: alerts {@code id = firstId .. firstId+count-1}, alert {@code
   * id} in namespace {@code id % 100}; no {@code startsAt}, so Alertmanager stamps the arrival time
   * and holds the groups for group_wait. Runs on one nm4j server each post alerts of their own.
   */
  static byte[] alertmanagerInput(int count, int firstId) {
    StringBuilder sb = new StringBuilder(count * 128);
    sb.append('[');
    for (int i = firstId; i < firstId + count; i++) {
      if (i > firstId) {
        sb.append(',');
      }
      sb.append("{\"labels\":{\"alertname\":\"Load\",\"namespace\":\"")
          .append(namespace(i % NAMESPACES))
          .append("\",\"id\":\"")
          .append(i)
          .append("\"},\"annotations\":{\"summary\":\"load alert ")
          .append(i)
          .append("\"}}");
    }
    sb.append(']');
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Webhook request {@code r} of a direct-intake run: alerts {@code r*size .. r*size+size-1}.
   *
   * @param spread false: all alerts of the request in namespace {@code r % 100}, as Alertmanager
   *     sends with {@code group_by: ['namespace']}; true: alert {@code i} in namespace {@code i %
   *     100}, as with a {@code group_by} without namespace
   */
  static byte[] webhookRequest(int r, int size, boolean spread, String startsAt) {
    int first = r * size;
    String groupNamespace = namespace(r % NAMESPACES);
    StringBuilder sb = new StringBuilder(512 + size * 320);
    sb.append("{\"receiver\":\"nm4j\",\"status\":\"firing\",\"alerts\":[");
    for (int j = 0; j < size; j++) {
      int id = first + j;
      if (j > 0) {
        sb.append(',');
      }
      String ns = spread ? namespace(id % NAMESPACES) : groupNamespace;
      sb.append("{\"status\":\"firing\",\"labels\":{\"alertname\":\"Load\",\"id\":\"")
          .append(id)
          .append("\",\"namespace\":\"")
          .append(ns)
          .append("\"},\"annotations\":{\"summary\":\"load alert ")
          .append(id)
          .append("\"},\"startsAt\":\"")
          .append(startsAt)
          .append("\",\"endsAt\":\"0001-01-01T00:00:00Z\",\"generatorURL\":\"\",\"fingerprint\":\"")
          .append(fingerprint(id))
          .append("\"}");
    }
    sb.append("],");
    if (spread) {
      sb.append(
          "\"groupLabels\":{\"alertname\":\"Load\"},\"commonLabels\":{\"alertname\":\"Load\"},");
    } else {
      sb.append("\"groupLabels\":{\"namespace\":\"")
          .append(groupNamespace)
          .append("\"},\"commonLabels\":{\"alertname\":\"Load\",\"namespace\":\"")
          .append(groupNamespace)
          .append("\"},");
    }
    sb.append(
            "\"commonAnnotations\":{},\"externalURL\":\"http://127.0.0.1:9093\",\"version\":\"4\",")
        .append("\"groupKey\":\"{}:{")
        .append(spread ? "alertname=\\\"Load\\\"" : "namespace=\\\"" + groupNamespace + "\\\"")
        .append("}\",\"truncatedAlerts\":0}\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Alert {@code id}'s fingerprint, 16 hex digits. Built by hand: the clients generate requests
   * while they run, on the cores nm4j is measured on, and {@code String.format} per alert showed
   * there.
   */
  static String fingerprint(int id) {
    String hex = Long.toHexString(id * 0x9E3779B97F4A7C15L);
    return "0".repeat(16 - hex.length()) + hex;
  }

  /** A POST of a webhook body to nm4j's intake, as the harness's clients send it. */
  static HttpRequest intakePost(URI intake, byte[] body) {
    return HttpRequest.newBuilder(intake)
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  /** A Go-style RFC 3339 timestamp with nanoseconds, as Alertmanager writes {@code startsAt}. */
  static String now() {
    return Instant.now().toString();
  }
}
