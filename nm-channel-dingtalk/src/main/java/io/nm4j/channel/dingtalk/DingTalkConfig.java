package io.nm4j.channel.dingtalk;

import io.nm4j.spi.ConfigSpec;
import io.nm4j.spi.SecretKeySelector;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The spec of a {@code DingTalkConfig}: a custom robot, an enterprise app's group chat, or both (a
 * message then goes to both).
 *
 * @param chatbot the custom robot; {@code null} when absent
 * @param conversation the group chat; {@code null} when absent
 */
public record DingTalkConfig(@Nullable Chatbot chatbot, @Nullable Conversation conversation)
    implements ConfigSpec {

  /** DingTalk lets a custom robot have at most this many keywords. */
  public static final int MAX_KEYWORDS = 10;

  /** Field path of the robot's webhook URL secret. */
  public static final String CHATBOT_WEBHOOK = "spec.chatbot.webhook";

  /** Field path of the robot's signing secret. */
  public static final String CHATBOT_SECRET = "spec.chatbot.secret";

  /** Field path of the app key secret. */
  public static final String CONVERSATION_APPKEY = "spec.conversation.appkey";

  /** Field path of the app secret. */
  public static final String CONVERSATION_APPSECRET = "spec.conversation.appsecret";

  public DingTalkConfig {
    if (chatbot == null && conversation == null) {
      throw new IllegalArgumentException("one of chatbot, conversation is required");
    }
  }

  /**
   * Every secret reference: {@code spec.chatbot.webhook} and {@code spec.chatbot.secret}, {@code
   * spec.conversation.appkey} and {@code spec.conversation.appsecret}, those that are set.
   */
  @Override
  public Map<String, SecretKeySelector> secretRefs() {
    Map<String, SecretKeySelector> refs = new LinkedHashMap<>();
    if (chatbot != null) {
      refs.put(CHATBOT_WEBHOOK, chatbot.webhook());
      if (chatbot.secret() != null) {
        refs.put(CHATBOT_SECRET, chatbot.secret());
      }
    }
    if (conversation != null) {
      refs.put(CONVERSATION_APPKEY, conversation.appkey());
      refs.put(CONVERSATION_APPSECRET, conversation.appsecret());
    }
    return Collections.unmodifiableMap(refs);
  }

  /**
   * A custom robot.
   *
   * @param webhook the robot's webhook URL, which holds its access token
   * @param keywords the robot's security keywords (at most {@value #MAX_KEYWORDS}); a message must
   *     contain one of them
   * @param secret the robot's signing secret; {@code null} when it does not sign
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

  /**
   * An enterprise app's group chat.
   *
   * @param appkey the app's key
   * @param appsecret the app's secret
   * @param chatid the group chat's ID
   */
  public record Conversation(SecretKeySelector appkey, SecretKeySelector appsecret, String chatid) {

    public Conversation {
      Objects.requireNonNull(appkey, "appkey");
      Objects.requireNonNull(appsecret, "appsecret");
      Objects.requireNonNull(chatid, "chatid");
    }
  }
}
