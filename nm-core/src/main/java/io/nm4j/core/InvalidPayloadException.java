package io.nm4j.core;

/**
 * An Alertmanager webhook payload that cannot be read. The message names the field, e.g. {@code
 * alerts[3].labels.severity: must be a string, was a number}.
 */
public final class InvalidPayloadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidPayloadException(String message) {
    super(message);
  }

  public InvalidPayloadException(String message, Throwable cause) {
    super(message, cause);
  }
}
