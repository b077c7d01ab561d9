package io.nm4j.channel.dingtalk.internal;

import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.FieldError;
import io.nm4j.spi.SettingsOptions;
import io.nm4j.spi.SpecReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The DingTalk block of the settings' {@code spec.receivers.options}.
 *
 * @param chatbotMaxTextBytes largest robot message text, never above what DingTalk accepts
 * @param conversationMaxTextBytes largest group chat message text, never above what DingTalk
 *     accepts
 * @param tokenExpires how long a group chat access token is kept at most; {@code null} for as long
 *     as DingTalk says it lasts
 * @param chatbotThrottle the operator's rate for each robot, on top of DingTalk's own
 * @param conversationThrottle the operator's rate for each group chat
 * @param notices values accepted but changed
 */
public record DingTalkSettingsOptions(
    int chatbotMaxTextBytes,
    int conversationMaxTextBytes,
    @Nullable Duration tokenExpires,
    @Nullable Throttle chatbotThrottle,
    @Nullable Throttle conversationThrottle,
    List<FieldError> notices)
    implements SettingsOptions {

  /** Messages below this size leave no room for a title and the text of one alert. */
  public static final int MIN_TEXT_BYTES = 1024;

  public DingTalkSettingsOptions {
    notices = List.copyOf(notices);
  }

  /**
   * An operator's rate limit.
   *
   * @param rate at most {@code threshold} messages per {@code unit}
   * @param maxWait how long a send may wait for a permit without counting as an attempt; {@code
   *     null} for as long as it takes
   */
  public record Throttle(ChannelLimits.Rate rate, @Nullable Duration maxWait) {}

  /** The options with every value at the limits {@code chatbotMax} and {@code conversationMax}. */
  public static DingTalkSettingsOptions defaults(int chatbotMax, int conversationMax) {
    return new DingTalkSettingsOptions(chatbotMax, conversationMax, null, null, null, List.of());
  }

  /**
   * Reads the block, capping sizes at {@code chatbotMax} and {@code conversationMax} and a robot's
   * throttle at {@code robotRate}.
   */
  public static DingTalkSettingsOptions read(
      SpecReader block, int chatbotMax, int conversationMax, ChannelLimits.Rate robotRate) {
    List<FieldError> notices = new ArrayList<>();
    Integer chatbot =
        block.cappedInteger(
            "chatbotMessageMaxSize",
            MIN_TEXT_BYTES,
            chatbotMax,
            "the most a DingTalk robot message may carry (UTF-8 bytes)",
            notices);
    Integer conversation =
        block.cappedInteger(
            "conversationMessageMaxSize",
            MIN_TEXT_BYTES,
            conversationMax,
            "the most a DingTalk group chat message may carry (UTF-8 bytes)",
            notices);
    Duration tokenExpires = block.tokenExpires("tokenExpires");
    Throttle robot = throttle(block, "chatBotThrottle", robotRate, notices);
    Throttle chat = throttle(block, "conversationThrottle", null, notices);
    return new DingTalkSettingsOptions(
        chatbot == null ? chatbotMax : chatbot,
        conversation == null ? conversationMax : conversation,
        tokenExpires,
        robot,
        chat,
        notices);
  }

  private static @Nullable Throttle throttle(
      SpecReader block,
      String field,
      ChannelLimits.@Nullable Rate vendorRate,
      List<FieldError> notices) {
    SpecReader t = block.object(field);
    if (t == null) {
      return null;
    }
    Integer threshold = t.integer("threshold", 1, 1_000_000);
    Duration unit = t.duration("unit");
    Duration maxWait = t.duration("maxWaitTime");
    if (threshold == null && t.errors().isEmpty()) {
      t.error("threshold", "is required: the messages allowed per unit");
    }
    if (t.has("unit") && unit != null && unit.isZero()) {
      t.error("unit", "must be longer than 0");
      unit = null;
    }
    if (threshold == null || (t.has("unit") && unit == null)) {
      return null;
    }
    // notification-manager's default unit is one second.
    ChannelLimits.Rate rate =
        new ChannelLimits.Rate(threshold, unit == null ? Duration.ofSeconds(1) : unit);
    if (vendorRate != null && faster(rate, vendorRate)) {
      notices.add(
          new FieldError(
              t.path(),
              "allows "
                  + rate.permits()
                  + " per "
                  + rate.per()
                  + ", more than DingTalk accepts; "
                  + vendorRate.permits()
                  + " per "
                  + vendorRate.per()
                  + " is used"));
      return null;
    }
    return new Throttle(rate, maxWait);
  }

  /** Whether {@code a} allows more messages on average than {@code b}. */
  private static boolean faster(ChannelLimits.Rate a, ChannelLimits.Rate b) {
    return (double) a.permits() / a.per().toNanos() > (double) b.permits() / b.per().toNanos();
  }
}
