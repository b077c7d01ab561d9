package io.nm4j.channel.dingtalk;

import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.ReceiverSpec;
import io.nm4j.spi.SecretKeySelector;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The spec of a {@code DingTalkReceiver}. In v1alpha1 the targets (robot, group chat) are in the
 * config, so a receiver only chooses its config.
 *
 * @param dingTalkConfigSelector selects the config (written {@code dingTalkConfigSelector}, or
 *     {@code dingtalkConfigSelector} as later versions spell it); {@code null} means the default
 *     config
 */
public record DingTalkReceiver(@Nullable LabelSelector dingTalkConfigSelector)
    implements ReceiverSpec {

  @Override
  public @Nullable LabelSelector configSelector() {
    return dingTalkConfigSelector;
  }

  /** None: the robot's and the app's credentials are in the config. */
  @Override
  public Map<String, SecretKeySelector> secretRefs() {
    return Map.of();
  }
}
