package io.nm4j.spi;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Limits of a channel's remote API. The core's dispatcher applies the rate per config, one permit
 * per send; the channel itself keeps every call within the message size and the recipients it
 * declares, splitting or shortening a notification (the compatibility kit checks the message size).
 *
 * <p>A remote that limits an endpoint rather than a config (a robot webhook that several configs
 * may name, an app's token) and counts every message posted, is limited by the channel through the
 * core's {@link RatePermits} ({@link ChannelContext#permits()}), keyed by that endpoint, with a
 * permit per message; such a channel declares no {@code ratePerConfig}.
 *
 * @param maxMessageBytes largest message one call may carry; 0 when unlimited
 * @param maxRecipientsPerCall most recipients one call may name; 0 when unlimited
 * @param ratePerConfig most sends per window for one config; {@code null} when unlimited
 */
public record ChannelLimits(
    int maxMessageBytes, int maxRecipientsPerCall, @Nullable Rate ratePerConfig) {

  public static final ChannelLimits NONE = new ChannelLimits(0, 0, null);

  public ChannelLimits {
    if (maxMessageBytes < 0 || maxRecipientsPerCall < 0) {
      throw new IllegalArgumentException("limits must not be negative");
    }
  }

  /**
   * At most {@code permits} sends in any window of length {@code per}.
   *
   * @param permits sends allowed per window
   * @param per the window
   */
  public record Rate(int permits, Duration per) {
    public Rate {
      Objects.requireNonNull(per, "per");
      if (permits < 1 || per.isNegative() || per.isZero()) {
        throw new IllegalArgumentException("a rate needs permits >= 1 and a positive window");
      }
    }

    /**
     * One replica's share of this rate when {@code replicas} servers, each counting alone, send to
     * the same endpoint, so that together they stay within it: {@code permits / replicas} per
     * window when that is at least one, else one permit per {@code ceil(replicas / permits)}
     * windows. This rate itself for one replica.
     */
    public Rate share(int replicas) {
      if (replicas < 1) {
        throw new IllegalArgumentException("replicas must be at least 1, was " + replicas);
      }
      if (replicas == 1) {
        return this;
      }
      if (permits >= replicas) {
        return new Rate(permits / replicas, per);
      }
      int windows = (replicas + permits - 1) / permits;
      return new Rate(1, per.multipliedBy(windows));
    }
  }
}
