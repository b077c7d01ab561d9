package io.nm4j.spi;

import java.util.Objects;

/**
 * One validation error of a spec, before it is attached to its object.
 *
 * @param field the full field path, e.g. {@code spec.smartHost.port}
 * @param message what is wrong, e.g. {@code must be 1..65535, was "smtp"}
 */
public record FieldError(String field, String message) {

  public FieldError {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
