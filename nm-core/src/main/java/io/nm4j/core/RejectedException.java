package io.nm4j.core;

/**
 * A batch the manager could not accept: its queues are full or it is shutting down. Nothing of the
 * batch was enqueued; the sender should retry later (the server answers 503, which Alertmanager
 * retries).
 */
public final class RejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RejectedException(String message) {
    super(message);
  }
}
