package io.nm4j.k8s.internal;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ObjectMeta;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns a Kubernetes object (typed or generic) into the {@link ConfigObject} a source publishes.
 */
public final class ObjectConversion {

  /** The origin of every object this module publishes. */
  public static final String ORIGIN = "kubernetes";

  private final KubernetesSerialization serialization;

  public ObjectConversion(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  /**
   * The object as it would read in a manifest: its fields below {@code apiVersion}, {@code kind}
   * and {@code metadata} as plain JDK values.
   */
  public ConfigObject toConfigObject(String apiVersion, String kind, HasMetadata resource) {
    Map<?, ?> whole = serialization.convertValue(resource, Map.class);
    Map<String, Object> body = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : whole.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (key.equals("apiVersion") || key.equals("kind") || key.equals("metadata")) {
        continue;
      }
      body.put(key, plain(e.getValue()));
    }
    return new ConfigObject(apiVersion, kind, metadata(resource), body, ORIGIN);
  }

  static ObjectMeta metadata(HasMetadata resource) {
    io.fabric8.kubernetes.api.model.ObjectMeta m = resource.getMetadata();
    Map<String, String> labels = m.getLabels() == null ? Map.of() : m.getLabels();
    return new ObjectMeta(
        orEmpty(m.getName()),
        orEmpty(m.getNamespace()),
        labels,
        orEmpty(m.getUid()),
        orEmpty(m.getResourceVersion()),
        instant(m.getCreationTimestamp()));
  }

  /**
   * A deep copy made only of maps, lists, strings, numbers, booleans and nulls; anything else
   * (there should be nothing else after Jackson) becomes its string form.
   */
  static @Nullable Object plain(@Nullable Object value) {
    if (value == null
        || value instanceof String
        || value instanceof Number
        || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, @Nullable Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), plain(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<@Nullable Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> copy.add(plain(v)));
      return copy;
    }
    return value.toString();
  }

  private static String orEmpty(@Nullable String s) {
    return s == null ? "" : s;
  }

  private static @Nullable Instant instant(@Nullable String timestamp) {
    if (timestamp == null || timestamp.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      // The API server always writes RFC 3339; an unreadable value only loses the tie-break.
      return null;
    }
  }
}
