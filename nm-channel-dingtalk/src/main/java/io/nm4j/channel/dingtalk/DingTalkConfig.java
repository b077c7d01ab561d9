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
 * message then goes to both). A v2beta2 {@code Config} block holds only the app's credentials
 * ({@code conversation} without a chat ID) or nothing at all: its receivers name their robot and
 * chat IDs.
 *
 * @param chatbot the custom robot; {@code null} when absent
 * @param conversation the group chat, or the app its receivers' chats are sent through; {@code
 *     null} when absent
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

  /**
   * Every secret reference: {@code spec.chatbot.webhook} and {@code spec.chatbot.secret}, {@code
   * spec.conversation.appkey} and {@code spec.conversation.appsecret}, those that are set.
   */
  @Override
  public Map<String, SecretKeySelector> secretRefs() {
    if (conversation == null && (chatbot == null || chatbot.secret() == null)) {
      // None or one reference needs no map to fill: a build checks every config's.
      return chatbot == null ? Map.of() : Map.of(CHATBOT_WEBHOOK, chatbot.webhook());
    }
    // In this order, which is the order of their problems.
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
   * A custom robot: in a v1alpha1 config, or in a v2beta2 receiver's {@code dingtalk} block.
   *
   * @param webhook the robot's webhook URL, which holds its access token
   * @param keywords the robot's security keywords (at most {@value #MAX_KEYWORDS}); a message must
   *     contain one of them
   * @param secret the robot's signing secret; {@code null} when it does not sign
   * @param atMobiles mobile numbers of the group members the message mentions
   * @param atUsers user IDs of the group members the message mentions
   * @param atAll whether the message mentions everyone in the group
   */
  public record Chatbot(
      SecretKeySelector webhook,
      List<String> keywords,
      @Nullable SecretKeySelector secret,
      List<String> atMobiles,
      List<String> atUsers,
      boolean atAll) {

    public Chatbot {
      Objects.requireNonNull(webhook, "webhook");
      keywords = List.copyOf(keywords);
      if (keywords.size() > MAX_KEYWORDS) {
        throw new IllegalArgumentException(
            "at most " + MAX_KEYWORDS + " keywords, was " + keywords.size());
      }
      atMobiles = List.copyOf(atMobiles);
      atUsers = List.copyOf(atUsers);
    }

    /** A robot whose messages mention nobody. */
    public Chatbot(
        SecretKeySelector webhook, List<String> keywords, @Nullable SecretKeySelector secret) {
      this(webhook, keywords, secret, List.of(), List.of(), false);
    }

    /** Whether a message mentions anyone. */
    public boolean mentions() {
      return atAll || !atMobiles.isEmpty() || !atUsers.isEmpty();
    }
  }

  /**
   * An enterprise app's group chat.
   *
   * @param appkey the app's key
   * @param appsecret the app's secret
   * @param chatid the group chat's ID; {@code null} in a v2beta2 config, whose receivers name their
   *     chats
   */
  public record Conversation(
      SecretKeySelector appkey, SecretKeySelector appsecret, @Nullable String chatid) {

    public Conversation {
      Objects.requireNonNull(appkey, "appkey");
      Objects.requireNonNull(appsecret, "appsecret");
    }
  }
}
