package io.nm4j.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Kubernetes-style object metadata.
 *
 * @param name the object's name
 * @param namespace its namespace; empty when the manifest gave none
 * @param labels its labels
 * @param uid set by the store that holds it, else empty
 * @param resourceVersion set by the store that holds it, else empty
 * @param creationTimestamp set by the store that holds it; decides which of several defaults wins
 */
public record ObjectMeta(
    String name,
    String namespace,
    Map<String, String> labels,
    String uid,
    String resourceVersion,
    @Nullable Instant creationTimestamp) {

  public ObjectMeta {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    labels = Map.copyOf(labels);
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(resourceVersion, "resourceVersion");
  }

  /** Metadata with a name, namespace and labels only. */
  public static ObjectMeta of(String name, String namespace, Map<String, String> labels) {
    return new ObjectMeta(name, namespace, labels, "", "", null);
  }
}
