package io.nm4j.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One Alertmanager webhook (version 4) message: a group of alerts and what Alertmanager says about
 * the group.
 *
 * @param receiver the Alertmanager receiver's name
 * @param status {@code firing} if any alert fires, else {@code resolved}
 * @param alerts the alerts, in the order received
 * @param groupLabels the group's {@code group_by} labels
 * @param commonLabels labels shared by every alert
 * @param commonAnnotations annotations shared by every alert
 * @param externalURL Alertmanager's external URL
 * @param groupKey the group's key; with the alerts it identifies a re-sent batch
 * @param truncatedAlerts alerts Alertmanager left out because of {@code max_alerts}
 */
public record AlertBatch(
    String receiver,
    AlertStatus status,
    List<Alert> alerts,
    Map<String, String> groupLabels,
    Map<String, String> commonLabels,
    Map<String, String> commonAnnotations,
    String externalURL,
    String groupKey,
    int truncatedAlerts) {

  public AlertBatch {
    Objects.requireNonNull(receiver, "receiver");
    Objects.requireNonNull(status, "status");
    alerts = List.copyOf(alerts);
    groupLabels = Map.copyOf(groupLabels);
    commonLabels = Map.copyOf(commonLabels);
    commonAnnotations = Map.copyOf(commonAnnotations);
    Objects.requireNonNull(externalURL, "externalURL");
    Objects.requireNonNull(groupKey, "groupKey");
  }

  /** A batch of alerts built in code, without Alertmanager's group metadata. */
  public static AlertBatch of(List<Alert> alerts) {
    AlertStatus status =
        alerts.stream().anyMatch(a -> a.status() == AlertStatus.FIRING)
            ? AlertStatus.FIRING
            : AlertStatus.RESOLVED;
    return new AlertBatch("", status, alerts, Map.of(), Map.of(), Map.of(), "", "", 0);
  }
}
