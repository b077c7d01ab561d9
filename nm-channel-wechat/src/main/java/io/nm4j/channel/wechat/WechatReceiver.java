package io.nm4j.channel.wechat;

import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.ReceiverSpec;
import io.nm4j.spi.SecretKeySelector;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The spec of a {@code WechatReceiver}: the members, departments and tags of the WeChat Work app to
 * message, and a group robot to post through. The manifest joins several IDs with {@code |} ({@code
 * toUser: "alice|bob"}); here they are lists in the order written. At least one of the three lists
 * is non-empty, or there is a chatbot.
 *
 * @param wechatConfigSelector selects the config; {@code null} means the default config
 * @param toUser member IDs ({@code @all} for every member)
 * @param toParty department IDs
 * @param toTag tag IDs
 * @param chatbot the group robot, or {@code null}
 */
public record WechatReceiver(
    @Nullable LabelSelector wechatConfigSelector,
    List<String> toUser,
    List<String> toParty,
    List<String> toTag,
    @Nullable WechatChatbot chatbot)
    implements ReceiverSpec {

  public WechatReceiver {
    toUser = List.copyOf(toUser);
    toParty = List.copyOf(toParty);
    toTag = List.copyOf(toTag);
    if (toUser.isEmpty() && toParty.isEmpty() && toTag.isEmpty() && chatbot == null) {
      throw new IllegalArgumentException("one of toUser, toParty, toTag, chatbot is required");
    }
  }

  /** App message recipients only, without a robot. */
  public WechatReceiver(
      @Nullable LabelSelector wechatConfigSelector,
      List<String> toUser,
      List<String> toParty,
      List<String> toTag) {
    this(wechatConfigSelector, toUser, toParty, toTag, null);
  }

  /** Whether the receiver names app message recipients (users, departments or tags). */
  public boolean hasAppRecipients() {
    return !toUser.isEmpty() || !toParty.isEmpty() || !toTag.isEmpty();
  }

  @Override
  public @Nullable LabelSelector configSelector() {
    return wechatConfigSelector;
  }

  /** The robot's webhook URL, if there is a robot; the app secret is in the config. */
  @Override
  public Map<String, SecretKeySelector> secretRefs() {
    return chatbot == null ? Map.of() : Map.of(WechatChatbot.WEBHOOK_FIELD, chatbot.webhook());
  }
}
