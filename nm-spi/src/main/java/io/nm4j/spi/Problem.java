package io.nm4j.spi;

import java.util.Objects;

/**
 * One thing wrong (or worth knowing) about the configuration, printed {@code Kind/name: field:
 * message}.
 *
 * @param object what it is about: {@code Kind/name}, or a file name when no object could be read
 * @param field the field path, e.g. {@code spec.smartHost.port}; empty when about the whole input
 * @param message what is wrong and, where it helps, the fix
 * @param severity an error makes the object unusable (or is reported by {@code validate}); a notice
 *     only informs
 */
public record Problem(String object, String field, String message, Severity severity) {

  /** How bad a problem is. */
  public enum Severity {
    /** Reported by {@code validate}; the object may be unused. */
    ERROR,
    /** Informational; explain shows it, {@code validate} does not fail on it. */
    NOTICE
  }

  public Problem {
    Objects.requireNonNull(object, "object");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(severity, "severity");
  }

  public static Problem error(ObjectRef object, String field, String message) {
    return new Problem(object.toString(), field, message, Severity.ERROR);
  }

  public static Problem notice(ObjectRef object, String field, String message) {
    return new Problem(object.toString(), field, message, Severity.NOTICE);
  }

  @Override
  public String toString() {
    return field.isEmpty() ? object + ": " + message : object + ": " + field + ": " + message;
  }
}
