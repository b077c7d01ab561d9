package io.nm4j.core.internal.delivery;

import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.SendProgress;
import io.nm4j.spi.SendResult;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The unit of work of the {@link Dispatcher}: one notification to one receiver. The dispatcher
 * queues it with the other notifications of the notification's receiver ({@link #receiver()}, the
 * isolation key).
 *
 * @param notification what to send
 * @param tenantKey the fairness key: the tenant, or {@code ""} for global receivers
 * @param rateKey the key a rate limit is counted on, e.g. {@code DingTalkConfig/team-bot}; {@code
 *     null} when unlimited
 * @param rate the limit of {@code rateKey}; {@code null} when unlimited
 * @param attempt sends once; called again for each retry
 */
public record Delivery(
    Notification notification,
    String tenantKey,
    @Nullable String rateKey,
    ChannelLimits.@Nullable Rate rate,
    Attempt attempt) {

  public Delivery {
    Objects.requireNonNull(notification, "notification");
    Objects.requireNonNull(tenantKey, "tenantKey");
    Objects.requireNonNull(attempt, "attempt");
  }

  /** A delivery without a rate limit. */
  public static Delivery of(Notification notification, String tenantKey, Attempt attempt) {
    return new Delivery(notification, tenantKey, null, null, attempt);
  }

  /**
   * The receiver, which the dispatcher queues the notification under: a reference whose hash its
   * name strings keep, so that queueing a notification builds no {@code Kind/name} string.
   */
  public ObjectRef receiver() {
    return notification.receiver();
  }

  @Override
  public String toString() {
    return "Delivery[" + notification.receiver() + " " + notification.id() + "]";
  }

  /**
   * One send. The core resolves the channel, config and secrets inside, so a rotated secret takes
   * effect on the next retry.
   */
  @FunctionalInterface
  public interface Attempt {
    /**
     * Sends once.
     *
     * @param deadline when the dispatcher stops waiting; a result after it counts as a timeout, and
     *     the sending thread is interrupted at it
     * @param progress what the earlier attempts of this delivery reported delivered; {@link
     *     SendProgress#NONE} on the first
     */
    SendResult send(Instant deadline, SendProgress progress);
  }
}
