package io.nm4j.channel.wechat.internal;

import io.nm4j.spi.FieldError;
import io.nm4j.spi.SettingsOptions;
import io.nm4j.spi.SpecReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The WeChat block of the settings' {@code spec.receivers.options}.
 *
 * @param maxContentBytes largest app message content, never above what WeChat Work accepts
 * @param tokenExpires how long an access token is kept at most; {@code null} for as long as WeChat
 *     Work says it lasts
 * @param notices values accepted but changed
 */
public record WechatSettingsOptions(
    int maxContentBytes, @Nullable Duration tokenExpires, List<FieldError> notices)
    implements SettingsOptions {

  /** Messages below this size leave no room for the heading and the text of one alert. */
  public static final int MIN_CONTENT_BYTES = 512;

  public WechatSettingsOptions {
    notices = List.copyOf(notices);
  }

  /** The options with every value at its default, content up to {@code maxContentBytes}. */
  public static WechatSettingsOptions defaults(int maxContentBytes) {
    return new WechatSettingsOptions(maxContentBytes, null, List.of());
  }

  /** Reads the block, capping the message size at {@code maxContentBytes}. */
  public static WechatSettingsOptions read(SpecReader block, int maxContentBytes) {
    List<FieldError> notices = new ArrayList<>();
    Integer size =
        block.cappedInteger(
            "messageMaxSize",
            MIN_CONTENT_BYTES,
            maxContentBytes,
            "the most a WeChat Work app message may carry (UTF-8 bytes)",
            notices);
    return new WechatSettingsOptions(
        size == null ? maxContentBytes : size, block.tokenExpires("tokenExpires"), notices);
  }
}
