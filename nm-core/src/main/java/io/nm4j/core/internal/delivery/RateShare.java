package io.nm4j.core.internal.delivery;

import io.nm4j.spi.ChannelLimits;
import org.jspecify.annotations.Nullable;

/**
 * One replica's share of a rate a vendor enforces per endpoint (DingTalk's 20 messages a minute per
 * robot), so that {@code replicas} servers sending to the same endpoint stay within it together.
 * Each replica counts alone; the shares add up to at most the whole rate.
 */
public final class RateShare {
  private RateShare() {}

  /**
   * The share of {@code rate} for one of {@code replicas}: {@code permits / replicas} per window
   * when that is at least one, else one permit per {@code ceil(replicas / permits)} windows.
   */
  public static ChannelLimits.@Nullable Rate of(ChannelLimits.@Nullable Rate rate, int replicas) {
    if (rate == null || replicas == 1) {
      return rate;
    }
    if (rate.permits() >= replicas) {
      return new ChannelLimits.Rate(rate.permits() / replicas, rate.per());
    }
    int windows = (replicas + rate.permits() - 1) / rate.permits();
    return new ChannelLimits.Rate(1, rate.per().multipliedBy(windows));
  }
}
