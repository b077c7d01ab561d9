package io.nm4j.spi;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of parsing and validating a spec: the typed value when it is valid, and every error
 * found (all of them, not just the first).
 *
 * @param <T> the typed value
 */
public final class Parsed<T> {
  private final @Nullable T value;
  private final List<FieldError> errors;

  private Parsed(@Nullable T value, List<FieldError> errors) {
    this.value = value;
    this.errors = List.copyOf(errors);
  }

  public static <T> Parsed<T> valid(T value) {
    return new Parsed<>(Objects.requireNonNull(value, "value"), List.of());
  }

  public static <T> Parsed<T> invalid(List<FieldError> errors) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("an invalid result needs at least one error");
    }
    return new Parsed<>(null, errors);
  }

  /** Valid when {@code errors} is empty, else invalid: the usual end of a parse method. */
  public static <T> Parsed<T> of(T value, List<FieldError> errors) {
    return errors.isEmpty() ? valid(value) : invalid(errors);
  }

  public boolean isValid() {
    return errors.isEmpty();
  }

  /**
   * The value.
   *
   * @throws NoSuchElementException listing the errors when invalid
   */
  public T value() {
    if (value == null) {
      throw new NoSuchElementException("invalid: " + errors);
    }
    return value;
  }

  public List<FieldError> errors() {
    return errors;
  }

  public <U> Parsed<U> map(Function<? super T, ? extends U> f) {
    return value == null ? new Parsed<>(null, errors) : new Parsed<>(f.apply(value), errors);
  }

  @Override
  public String toString() {
    return value != null ? "Parsed[valid]" : "Parsed" + errors;
  }
}
