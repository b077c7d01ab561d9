package io.nm4j.spi;

/**
 * Observes deliveries: every attempt and every final outcome. Called on dispatcher threads, so it
 * must be quick and must not throw; the default of every method does nothing.
 */
public interface DeliveryListener {

  /** An attempt finished with {@code result}; a final outcome follows when it was the last. */
  default void onAttempt(Notification notification, int attempt, SendResult result) {}

  /** The notification was delivered, after {@code attempts} attempts. */
  default void onDelivered(Notification notification, int attempts) {}

  /** The notification failed for good: it becomes a dead letter with its last failure. */
  default void onDeadLetter(Notification notification, int attempts, SendResult.Failed failure) {}

  /** The notification was not sent because an identical batch was already handled. */
  default void onSuppressed(Notification notification, String why) {}
}
