package io.nm4j.spi;

import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One kind as its owner describes it: the kind name, its plural resource name (the path segment of
 * the Kubernetes API and of the admin API, e.g. {@code emailreceivers}), what it is for, the schema
 * of its {@code spec}, and where it lives in the {@code notification.kubesphere.io} API group: its
 * version and whether its objects are namespaced (the per-channel kinds, {@code v1alpha1}) or
 * cluster-scoped (notification-manager's unified kinds, {@code v2beta2}).
 *
 * @param kind e.g. {@code EmailReceiver}
 * @param plural lower-case, e.g. {@code emailreceivers}
 * @param description what an object of this kind is for, for users
 * @param spec the schema of the object's {@code spec}; {@code null} for a kind whose provider does
 *     not describe it (no CRD, no reference page, no check of unknown fields)
 * @param version the version within the API group, e.g. {@code v1alpha1}
 * @param clusterScoped whether objects of the kind have no namespace
 */
public record KindDescription(
    String kind,
    String plural,
    String description,
    @Nullable Schema spec,
    String version,
    boolean clusterScoped) {

  /** The version of the per-channel kinds and the settings. */
  public static final String V1ALPHA1 = "v1alpha1";

  /** The version of notification-manager's unified, cluster-scoped kinds. */
  public static final String V2BETA2 = "v2beta2";

  /** A namespaced {@code v1alpha1} kind, as every channel's receiver and config kind is. */
  public KindDescription(String kind, String plural, String description, @Nullable Schema spec) {
    this(kind, plural, description, spec, V1ALPHA1, false);
  }

  public KindDescription {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(plural, "plural");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(version, "version");
    if (!version.matches("v[0-9]+((alpha|beta)[0-9]+)?")) {
      throw new IllegalArgumentException(
          kind + ": version must look like v1alpha1 or v2beta2, was \"" + version + "\"");
    }
    if (!plural.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
      throw new IllegalArgumentException(
          kind + ": plural must be a lower-case DNS label, was \"" + plural + "\"");
    }
    if (spec != null && spec.type() != Schema.Type.OBJECT) {
      throw new IllegalArgumentException(kind + ": the spec schema must be an object");
    }
  }

  /** A described kind under the default plural: the lower-case kind plus {@code s}. */
  public static KindDescription of(String kind, String description, Schema spec) {
    return new KindDescription(kind, defaultPlural(kind), description, spec);
  }

  /** A kind its provider does not describe, under the default plural. */
  public static KindDescription undescribed(String kind) {
    return new KindDescription(kind, defaultPlural(kind), "", null);
  }

  /** The same kind under another plural. */
  public KindDescription withPlural(String plural) {
    return new KindDescription(kind, plural, description, spec, version, clusterScoped);
  }

  /** {@code notification.kubesphere.io/} and the version, as objects of the kind give it. */
  public String apiVersion() {
    return "notification.kubesphere.io/" + version;
  }

  /** Whether the spec has a schema. */
  public boolean isDescribed() {
    return spec != null;
  }

  /** The lower-case kind plus {@code s}, as Kubernetes tooling names resources by default. */
  public static String defaultPlural(String kind) {
    return kind.toLowerCase(Locale.ROOT) + "s";
  }
}
