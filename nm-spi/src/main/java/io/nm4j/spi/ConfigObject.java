package io.nm4j.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One object as a {@link ConfigSource} publishes it, before the core validates it: a receiver, a
 * config, a {@code v1/Secret}, a RoleBinding or the {@code NotificationManager} settings.
 *
 * <p>The body is the object's top level below {@code apiVersion}, {@code kind} and {@code metadata}
 * (for example {@code spec}, or {@code data} of a Secret) as plain JDK values: {@code Map<String,
 * Object>}, {@code List<Object>}, {@code String}, {@code Number}, {@code Boolean} or {@code null}.
 *
 * @param apiVersion e.g. {@code notification.kubesphere.io/v1alpha1}
 * @param kind e.g. {@code EmailReceiver}
 * @param metadata name, namespace, labels
 * @param body the rest of the object
 * @param origin where it came from (a file name, {@code kubernetes}), for messages
 */
public record ConfigObject(
    String apiVersion, String kind, ObjectMeta metadata, Map<String, Object> body, String origin) {

  /** API group and version of receivers, configs and settings. */
  public static final String API_VERSION = "notification.kubesphere.io/v1alpha1";

  public ConfigObject {
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(metadata, "metadata");
    body = Collections.unmodifiableMap(new LinkedHashMap<>(body));
    Objects.requireNonNull(origin, "origin");
  }

  /** {@code Kind/name}. */
  public ObjectRef ref() {
    return new ObjectRef(kind, metadata.name());
  }

  /**
   * The {@code spec} map; empty when absent or null.
   *
   * @throws IllegalStateException when {@code spec} is present but not an object
   */
  @SuppressWarnings("unchecked")
  public Map<String, Object> spec() {
    Object spec = body.get("spec");
    if (spec == null) {
      return Map.of();
    }
    if (spec instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new IllegalStateException(ref() + ": spec: must be an object");
  }

  /** Looks up a value by dotted path below the body, e.g. {@code spec.receivers.tenantKey}. */
  public @Nullable Object at(String dottedPath) {
    Object current = body;
    for (String part : List.of(dottedPath.split("\\."))) {
      if (!(current instanceof Map<?, ?> m)) {
        return null;
      }
      current = m.get(part);
    }
    return current;
  }
}
