package io.nm4j.channel.feishu;

import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.ReceiverSpec;
import io.nm4j.spi.SecretKeySelector;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The spec of a {@code FeishuReceiver}: users and departments the config's app sends to, a group's
 * custom bot, or both (a message then goes to each).
 *
 * @param user user IDs, at most {@value #MAX_IDS}
 * @param department department IDs, at most {@value #MAX_IDS}
 * @param chatbot the custom bot; {@code null} when absent
 * @param feishuConfigSelector selects the config; {@code null} means the default config
 * @param tmplType {@code post} (rich text, the default) or {@code text}
 */
public record FeishuReceiver(
    List<String> user,
    List<String> department,
    @Nullable Chatbot chatbot,
    @Nullable LabelSelector feishuConfigSelector,
    String tmplType)
    implements ReceiverSpec {

  /** Feishu takes at most this many user IDs, and as many department IDs, in one message. */
  public static final int MAX_IDS = 200;

  /** A custom bot has at most this many keywords. */
  public static final int MAX_KEYWORDS = 10;

  /** Rich text: a title and paragraphs. */
  public static final String POST = "post";

  /** Plain text. */
  public static final String TEXT = "text";

  /** Field path of the bot's webhook URL secret. */
  public static final String CHATBOT_WEBHOOK = "spec.chatbot.webhook";

  /** Field path of the bot's signing secret. */
  public static final String CHATBOT_SECRET = "spec.chatbot.secret";

  public FeishuReceiver {
    user = List.copyOf(user);
    department = List.copyOf(department);
    Objects.requireNonNull(tmplType, "tmplType");
    if (user.isEmpty() && department.isEmpty() && chatbot == null) {
      throw new IllegalArgumentException("one of user, department, chatbot is required");
    }
    if (user.size() > MAX_IDS || department.size() > MAX_IDS) {
      throw new IllegalArgumentException("at most " + MAX_IDS + " users and departments each");
    }
    if (!tmplType.equals(POST) && !tmplType.equals(TEXT)) {
      throw new IllegalArgumentException("tmplType must be post or text, was " + tmplType);
    }
  }

  @Override
  public @Nullable LabelSelector configSelector() {
    return feishuConfigSelector;
  }

  /** {@code spec.chatbot.webhook} and {@code spec.chatbot.secret}, those that are set. */
  @Override
  public Map<String, SecretKeySelector> secretRefs() {
    if (chatbot == null) {
      return Map.of();
    }
    Map<String, SecretKeySelector> refs = new LinkedHashMap<>();
    refs.put(CHATBOT_WEBHOOK, chatbot.webhook());
    if (chatbot.secret() != null) {
      refs.put(CHATBOT_SECRET, chatbot.secret());
    }
    return Collections.unmodifiableMap(refs);
  }

  /**
   * A group's custom bot.
   *
   * @param webhook the bot's webhook URL, which holds its token
   * @param keywords the bot's keywords (at most {@value #MAX_KEYWORDS}); a message must contain one
   * @param secret the bot's signing secret; {@code null} when it does not check signatures
   */
  public record Chatbot(
      SecretKeySelector webhook, List<String> keywords, @Nullable SecretKeySelector secret) {
    public Chatbot {
      Objects.requireNonNull(webhook, "webhook");
      keywords = List.copyOf(keywords);
      if (keywords.size() > MAX_KEYWORDS) {
        throw new IllegalArgumentException(
            "at most " + MAX_KEYWORDS + " keywords, was " + keywords.size());
      }
    }
  }
}
