package io.nm4j.core.internal;

import io.nm4j.spi.FieldError;
import io.nm4j.spi.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Finds the fields of a spec its schema does not describe, so a typo ({@code webhookConfigSelectr})
 * makes the object invalid instead of being ignored, which would quietly route the receiver to the
 * default config. One walk over the raw spec, for every kind, before the provider parses it; values
 * of the wrong type are left to the provider, which names them.
 *
 * <p>An instance is a walker that one thread may reuse for spec after spec, so a build that checks
 * 50,000 specs allocates its path buffer once.
 */
public final class UnknownFields {

  /** More unknown fields than this in one object are summarised, so hostile input stays small. */
  static final int MAX_REPORTED = 20;

  private static final int MAX_SHOWN_NAME = 64;

  /**
   * The path of the value being visited, appended to on the way down and cut back on the way up, so
   * a field costs no string unless it is reported.
   */
  private final StringBuilder path = new StringBuilder(64);

  /** The schema of the object whose fields {@link #fieldOfObject} visits. */
  private @Nullable Schema object;

  /** Visits a field of {@link #object}: one function for every object walked, not one per map. */
  private final BiConsumer<Object, @Nullable Object> fieldOfObject =
      (key, value) -> visitField(Objects.requireNonNull(object), String.valueOf(key), value);

  private @Nullable List<FieldError> errors;
  private int unreported;

  /** A walker for one thread, reusable for one spec after another with {@link #check}. */
  public UnknownFields() {}

  /**
   * The unknown fields of {@code value} under {@code schema}, as errors {@code spec.x: unknown
   * field; did you mean y?}.
   *
   * @param path the value's own path, e.g. {@code spec}
   */
  public static List<FieldError> of(Schema schema, @Nullable Object value, String path) {
    return new UnknownFields().check(schema, value, path);
  }

  /** The same as {@link #of}, with this walker's buffer. */
  public List<FieldError> check(Schema schema, @Nullable Object value, String path) {
    this.path.setLength(0);
    this.path.append(path);
    errors = null;
    unreported = 0;
    visit(schema, value);
    if (errors == null) {
      return List.of();
    }
    if (unreported > 0) {
      errors.add(new FieldError(path, "and " + unreported + " more unknown fields not listed"));
    }
    return List.copyOf(errors);
  }

  private void visit(Schema schema, @Nullable Object value) {
    switch (schema.type()) {
      case OBJECT -> {
        if (value instanceof Map<?, ?> map) {
          // forEach rather than entrySet(): an unmodifiable map's entry view wraps every entry.
          Schema outer = object;
          object = schema;
          map.forEach(fieldOfObject);
          object = outer;
        }
      }
      case MAP -> {
        Schema values = schema.additionalProperties();
        if (value instanceof Map<?, ?> map && values != null) {
          map.forEach(
              (key, entryValue) -> {
                int length = path.length();
                path.append('.').append(shown(String.valueOf(key)));
                visit(values, entryValue);
                path.setLength(length);
              });
        }
      }
      case ARRAY -> {
        Schema items = schema.items();
        if (value instanceof List<?> list && items != null) {
          int length = path.length();
          for (int i = 0; i < list.size(); i++) {
            path.append('[').append(i).append(']');
            visit(items, list.get(i));
            path.setLength(length);
          }
        }
      }
      default -> {
        // scalars and free-form objects hold no fields to check
      }
    }
  }

  private void visitField(Schema object, String name, @Nullable Object value) {
    Schema field = object.properties().get(name);
    if (field == null) {
      unknown(object, name);
      return;
    }
    if (field.type() != Schema.Type.OBJECT
        && field.type() != Schema.Type.MAP
        && field.type() != Schema.Type.ARRAY) {
      return;
    }
    int length = path.length();
    path.append('.').append(name);
    visit(field, value);
    path.setLength(length);
  }

  private void unknown(Schema schema, String name) {
    if (errors == null) {
      errors = new ArrayList<>();
    }
    if (errors.size() >= MAX_REPORTED) {
      unreported++;
      return;
    }
    String known = closest(name, schema.properties().keySet());
    String message =
        known != null
            ? "unknown field; did you mean " + known + "?"
            : schema.properties().isEmpty()
                ? "unknown field; this object has no fields"
                : "unknown field; known fields: " + String.join(", ", schema.properties().keySet());
    errors.add(new FieldError(path + "." + shown(name), message));
  }

  private static String shown(String name) {
    return name.length() > MAX_SHOWN_NAME ? name.substring(0, MAX_SHOWN_NAME) + "..." : name;
  }

  /**
   * The known name a typo most likely meant: the same ignoring case, or within a few edits (one per
   * four characters, at most three).
   */
  static @Nullable String closest(String name, Iterable<String> known) {
    if (name.length() > 4 * MAX_SHOWN_NAME) {
      return null;
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      if (candidate.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return candidate;
      }
      int limit = Math.max(1, Math.min(3, candidate.length() / 4));
      int d = distance(name, candidate);
      if (d <= limit && d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best;
  }

  /** Edits (insert, delete, replace, swap two neighbours) that turn {@code a} into {@code b}. */
  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
