package io.nm4j.core.delivery;

import io.nm4j.spi.Notification;
import io.nm4j.spi.SendResult;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the delivery of one notification ended.
 *
 * @param notification what was (or was not) delivered
 * @param status delivered, dead letter or suppressed
 * @param attempts sends tried; 0 when it never got to a send (expired in the queue, shut down)
 * @param lastFailure why it became a dead letter, or the last failed attempt before a delivery;
 *     {@code null} when nothing failed
 * @param time when the outcome was decided
 */
public record DeliveryOutcome(
    Notification notification,
    Status status,
    int attempts,
    SendResult.@Nullable Failed lastFailure,
    Instant time) {

  public DeliveryOutcome {
    Objects.requireNonNull(notification, "notification");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(time, "time");
    if (status == Status.DEAD_LETTER && lastFailure == null) {
      throw new IllegalArgumentException("a dead letter needs its failure");
    }
  }

  /** How a notification's delivery ended. */
  public enum Status {
    /** The remote accepted it. */
    DELIVERED,
    /** It failed for good; {@link DeliveryOutcome#lastFailure()} says why. */
    DEAD_LETTER,
    /** It was not sent because an identical batch was already handled. */
    SUPPRESSED
  }
}
