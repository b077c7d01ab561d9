package io.nm4j.core.delivery;

import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.SendResult;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One event of the delivery history.
 *
 * @param time when it happened
 * @param notificationId the notification's id
 * @param receiver the receiver, {@code Kind/name}
 * @param tenant the receiver's tenant; {@code null} for global receivers
 * @param config the config used; {@code null} when the receiver had none
 * @param status what happened
 * @param attempt the attempt's number, or for a final outcome the attempts made
 * @param reason why it failed; {@code null} unless it failed
 * @param retryable whether the failure could be retried
 * @param detail the channel's or dispatcher's explanation, without secrets
 */
public record DeliveryRecord(
    Instant time,
    String notificationId,
    ObjectRef receiver,
    @Nullable String tenant,
    @Nullable ObjectRef config,
    Status status,
    int attempt,
    SendResult.@Nullable Reason reason,
    boolean retryable,
    String detail) {

  public DeliveryRecord {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(notificationId, "notificationId");
    Objects.requireNonNull(receiver, "receiver");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
  }

  /** What a history record tells. */
  public enum Status {
    /** The notification was delivered. */
    DELIVERED,
    /** One send failed; more may follow. */
    FAILED_ATTEMPT,
    /** The notification failed for good. */
    DEAD_LETTER,
    /** The notification was not sent because its batch was a re-send. */
    SUPPRESSED
  }
}
