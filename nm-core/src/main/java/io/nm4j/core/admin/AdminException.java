package io.nm4j.core.admin;

import java.util.Objects;

/** A refused admin request; its {@link Status} is the reply. */
public final class AdminException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Status status;

  public AdminException(Status status) {
    super(status.message());
    this.status = Objects.requireNonNull(status, "status");
  }

  public Status status() {
    return status;
  }
}
