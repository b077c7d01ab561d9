package io.nm4j.spi;

import io.nm4j.spi.internal.SortedStringMap;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One alert of an Alertmanager webhook (version 4) batch.
 *
 * @param status firing or resolved
 * @param labels the label set; {@code namespace} names the alert's namespace; held immutable and
 *     iterated in the names' order
 * @param annotations summary, description and the like; held immutable and iterated in the names'
 *     order
 * @param startsAt when the alert started
 * @param endsAt when it ended; {@code null} for Go's zero time, which firing alerts carry
 * @param generatorURL link to the source, may be empty
 * @param fingerprint Alertmanager's hash of the label set
 */
public record Alert(
    AlertStatus status,
    Map<String, String> labels,
    Map<String, String> annotations,
    @Nullable Instant startsAt,
    @Nullable Instant endsAt,
    String generatorURL,
    String fingerprint) {

  /** The label that names an alert's namespace. */
  public static final String NAMESPACE_LABEL = "namespace";

  public Alert {
    Objects.requireNonNull(status, "status");
    // kept in key order, as Alertmanager sends them: renderers write them sorted, as Go does
    labels = SortedStringMap.copyOf(labels);
    annotations = SortedStringMap.copyOf(annotations);
    Objects.requireNonNull(generatorURL, "generatorURL");
    Objects.requireNonNull(fingerprint, "fingerprint");
  }

  /** The {@code namespace} label, or {@code null} for cluster-level alerts. */
  public @Nullable String namespace() {
    return labels.get(NAMESPACE_LABEL);
  }

  /** This alert with other annotations: the same alert, saying something else about itself. */
  public Alert withAnnotations(Map<String, String> annotations) {
    return new Alert(status, labels, annotations, startsAt, endsAt, generatorURL, fingerprint);
  }

  /** A firing alert with the given labels, for tests and hosts that build alerts in code. */
  public static Alert firing(Map<String, String> labels) {
    return new Alert(AlertStatus.FIRING, labels, Map.of(), null, null, "", "");
  }
}
