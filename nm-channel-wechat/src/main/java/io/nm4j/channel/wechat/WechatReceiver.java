package io.nm4j.channel.wechat;

import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.ReceiverSpec;
import io.nm4j.spi.SecretKeySelector;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The spec of a {@code WechatReceiver}: the members, departments and tags of the WeChat Work app to
 * message. The manifest joins several IDs with {@code |} ({@code toUser: "alice|bob"}); here they
 * are lists in the order written. At least one of the three lists is non-empty.
 *
 * @param wechatConfigSelector selects the config; {@code null} means the default config
 * @param toUser member IDs ({@code @all} for every member)
 * @param toParty department IDs
 * @param toTag tag IDs
 */
public record WechatReceiver(
    @Nullable LabelSelector wechatConfigSelector,
    List<String> toUser,
    List<String> toParty,
    List<String> toTag)
    implements ReceiverSpec {

  public WechatReceiver {
    toUser = List.copyOf(toUser);
    toParty = List.copyOf(toParty);
    toTag = List.copyOf(toTag);
    if (toUser.isEmpty() && toParty.isEmpty() && toTag.isEmpty()) {
      throw new IllegalArgumentException("one of toUser, toParty, toTag is required");
    }
  }

  @Override
  public @Nullable LabelSelector configSelector() {
    return wechatConfigSelector;
  }

  /** None: a receiver names only recipients; the app secret is in its config. */
  @Override
  public Map<String, SecretKeySelector> secretRefs() {
    return Map.of();
  }
}
