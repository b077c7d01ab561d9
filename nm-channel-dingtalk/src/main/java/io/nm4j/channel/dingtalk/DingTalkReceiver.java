package io.nm4j.channel.dingtalk;

import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.ReceiverSpec;
import io.nm4j.spi.SecretKeySelector;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The spec of a {@code DingTalkReceiver}, or of a v2beta2 {@code Receiver}'s {@code dingtalk}
 * block. In v1alpha1 the targets (robot, group chat) are in the config, so a receiver only chooses
 * its config; a v2beta2 block names its robot and its group chats itself, and its config holds the
 * app's credentials the chats are sent through.
 *
 * @param dingTalkConfigSelector selects the config (written {@code dingTalkConfigSelector}, or
 *     {@code dingtalkConfigSelector} as later versions spell it); {@code null} means the default
 *     config
 * @param chatbot the robot a v2beta2 block names; {@code null} when it names none
 * @param chatids the group chats a v2beta2 block names ({@code conversation.chatids}); empty when
 *     it names none
 */
public record DingTalkReceiver(
    @Nullable LabelSelector dingTalkConfigSelector,
    DingTalkConfig.@Nullable Chatbot chatbot,
    List<String> chatids)
    implements ReceiverSpec {

  public DingTalkReceiver {
    chatids = List.copyOf(chatids);
  }

  /** A v1alpha1 receiver: its targets are in the config it selects. */
  public DingTalkReceiver(@Nullable LabelSelector dingTalkConfigSelector) {
    this(dingTalkConfigSelector, null, List.of());
  }

  @Override
  public @Nullable LabelSelector configSelector() {
    return dingTalkConfigSelector;
  }

  /**
   * The robot's webhook URL ({@code spec.chatbot.webhook}) and signing secret ({@code
   * spec.chatbot.secret}) when the receiver names a robot; the app's credentials are in the config.
   */
  @Override
  public Map<String, SecretKeySelector> secretRefs() {
    if (chatbot == null) {
      return Map.of();
    }
    SecretKeySelector secret = chatbot.secret();
    if (secret == null) {
      // One reference needs no map to fill: a build checks every receiver's.
      return Map.of(DingTalkConfig.CHATBOT_WEBHOOK, chatbot.webhook());
    }
    // Two in this order, which is the order of their problems.
    Map<String, SecretKeySelector> refs = new LinkedHashMap<>();
    refs.put(DingTalkConfig.CHATBOT_WEBHOOK, chatbot.webhook());
    refs.put(DingTalkConfig.CHATBOT_SECRET, secret);
    return Collections.unmodifiableMap(refs);
  }
}
