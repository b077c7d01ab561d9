package io.nm4j.spi;

import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One kind as its owner describes it: the kind name, its plural resource name (the path segment of
 * the Kubernetes API and of the admin API, e.g. {@code emailreceivers}), what it is for, and the
 * schema of its {@code spec}.
 *
 * @param kind e.g. {@code EmailReceiver}
 * @param plural lower-case, e.g. {@code emailreceivers}
 * @param description what an object of this kind is for, for users
 * @param spec the schema of the object's {@code spec}; {@code null} for a kind whose provider does
 *     not describe it (no CRD, no reference page, no check of unknown fields)
 */
public record KindDescription(
    String kind, String plural, String description, @Nullable Schema spec) {

  public KindDescription {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(plural, "plural");
    Objects.requireNonNull(description, "description");
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
    return new KindDescription(kind, plural, description, spec);
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
