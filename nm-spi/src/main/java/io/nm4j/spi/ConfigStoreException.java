package io.nm4j.spi;

import java.util.Objects;

/** A {@link ConfigStore} operation that did not happen, and why. */
public final class ConfigStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why an operation failed. */
  public enum Reason {
    /** No object of that kind and name. */
    NOT_FOUND,
    /** An object of that kind and name exists already. */
    ALREADY_EXISTS,
    /** The object changed since the caller read it (stale {@code resourceVersion}). */
    CONFLICT,
    /** The store refused the object as invalid (e.g. the Kubernetes API server's validation). */
    INVALID,
    /** The store could not be read or written (I/O, network). */
    UNAVAILABLE
  }

  private final Reason reason;

  public ConfigStoreException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public ConfigStoreException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
