package io.nm4j.channel.dingtalk;

import io.nm4j.channel.dingtalk.internal.DingTalkKinds;
import io.nm4j.channel.dingtalk.internal.DingTalkSettingsOptions;
import io.nm4j.channel.dingtalk.internal.MarkdownRenderer;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.FieldError;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SettingsOptions;
import io.nm4j.spi.SpecReader;
import io.nm4j.spi.TemplateSlots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The DingTalk channel's kinds, {@code DingTalkReceiver} and {@code DingTalkConfig}: parsing and
 * every validation rule of the v1alpha1 API, and the {@link DingTalkChannel} that sends.
 *
 * <p>Channel options ({@code dingtalk.} prefix, e.g. {@code --channel-option dingtalk.apiUrl=...}):
 * {@code apiUrl} (API base of group chat calls, default {@value DingTalkChannel#DEFAULT_API_URL}),
 * {@code proxyUrl} ({@code http://host:port}; the v1alpha1 schema has no proxy field, so it is set
 * for the channel), {@code chatbotMessageMaxSize} and {@code conversationMessageMaxSize} (UTF-8
 * bytes of a message's text).
 */
public final class DingTalkChannelProvider
    implements ChannelProvider<DingTalkReceiver, DingTalkConfig> {
  private static final String SELECTOR = DingTalkKinds.SELECTOR;
  private static final String SELECTOR_ALIAS = DingTalkKinds.SELECTOR_ALIAS;

  // Compiled once: String.matches compiles its pattern on every call, for each of a build's
  // objects.
  private static final Pattern CHAT_ID = Pattern.compile(DingTalkKinds.CHAT_ID);
  private static final Pattern MOBILE = Pattern.compile(DingTalkKinds.MOBILE);
  private static final Pattern USER_ID = Pattern.compile(DingTalkKinds.USER_ID);

  /** Found by {@link java.util.ServiceLoader}, or registered explicitly. */
  public DingTalkChannelProvider() {}

  @Override
  public String name() {
    return "dingtalk";
  }

  @Override
  public String receiverKind() {
    return "DingTalkReceiver";
  }

  @Override
  public String configKind() {
    return "DingTalkConfig";
  }

  @Override
  public String selectorField() {
    return SELECTOR;
  }

  @Override
  public ChannelDescription description() {
    return DingTalkKinds.DESCRIPTION;
  }

  @Override
  public TemplateSlots templateSlots() {
    return MarkdownRenderer.SLOTS;
  }

  @Override
  public List<String> selectorFieldAliases() {
    return List.of(SELECTOR_ALIAS);
  }

  /**
   * Either spelling of the selector is accepted; both at once is an error rather than a silent
   * pick, since they may select different configs (and so different credentials).
   */
  @Override
  public Parsed<DingTalkReceiver> parseReceiver(SpecReader spec) {
    LabelSelector selector = null;
    if (spec.has(SELECTOR) && spec.has(SELECTOR_ALIAS)) {
      spec.error(
          SELECTOR_ALIAS,
          "give either " + SELECTOR + " or its alias " + SELECTOR_ALIAS + ", not both");
    } else {
      selector = spec.selector(spec.has(SELECTOR_ALIAS) ? SELECTOR_ALIAS : SELECTOR);
    }
    List<FieldError> errors = spec.errors();
    return errors.isEmpty() ? Parsed.valid(new DingTalkReceiver(selector)) : Parsed.invalid(errors);
  }

  /**
   * {@code chatbotMessageMaxSize}, {@code conversationMessageMaxSize}, {@code tokenExpires}, {@code
   * chatBotThrottle} and {@code conversationThrottle}; sizes above what DingTalk accepts, and a
   * robot throttle faster than DingTalk's rate, are capped with a notice.
   */
  @Override
  public Parsed<? extends SettingsOptions> parseSettingsOptions(SpecReader block) {
    DingTalkSettingsOptions options =
        DingTalkSettingsOptions.read(
            block,
            DingTalkChannel.CHATBOT_MAX_TEXT_BYTES,
            DingTalkChannel.CONVERSATION_MAX_TEXT_BYTES,
            DingTalkChannel.CHATBOT_RATE);
    return Parsed.of(options, block.errors());
  }

  /**
   * notification-manager's v2beta2 block names the robot ({@code chatbot}, with the members it
   * mentions) and the group chats ({@code conversation.chatids}) in the receiver. A block naming
   * neither sends to what its config names (a config in the v1alpha1 shape, as {@code nm4j convert}
   * writes it).
   */
  @Override
  public Parsed<DingTalkReceiver> parseReceiverBlock(SpecReader block) {
    Parsed<DingTalkReceiver> selector =
        parseReceiver(block.withFields(selectorFields(block.raw())));
    DingTalkConfig.Chatbot chatbot = null;
    SpecReader bot = block.object("chatbot");
    if (bot != null) {
      chatbot = chatbot(bot, true);
    }
    List<String> chatids = List.of();
    SpecReader chat = block.object("conversation");
    if (chat != null) {
      chatids = chatids(chat);
    }
    List<FieldError> errors = new ArrayList<>(selector.errors());
    errors.addAll(block.errors());
    return errors.isEmpty()
        ? Parsed.valid(
            new DingTalkReceiver(
                selector.value().dingTalkConfigSelector(), chatbot, List.copyOf(chatids)))
        : Parsed.invalid(errors);
  }

  /**
   * A block that names only its robot is its own config, as notification-manager sends to the robot
   * without a {@code Config}; one that names group chats selects a {@code Config} holding the app's
   * credentials.
   */
  @Override
  public Optional<Parsed<DingTalkConfig>> receiverBlockConfig(SpecReader block) {
    if (block.has("conversation")) {
      return Optional.empty();
    }
    SpecReader bot = block.object("chatbot");
    if (bot == null) {
      return Optional.empty();
    }
    DingTalkConfig.Chatbot chatbot = chatbot(bot, false);
    List<FieldError> errors = block.errors();
    return Optional.of(
        errors.isEmpty() && chatbot != null
            ? Parsed.valid(new DingTalkConfig(chatbot, null))
            : Parsed.invalid(errors));
  }

  /** notification-manager spells the selector {@code dingtalkConfigSelector}. */
  @Override
  public Map<String, Object> receiverBlockOf(Map<String, Object> receiverSpec) {
    Map<String, Object> block = new LinkedHashMap<>(receiverSpec);
    Object selector = block.remove(SELECTOR);
    if (selector != null) {
      block.put(SELECTOR_ALIAS, selector);
    }
    return block;
  }

  /**
   * A v1alpha1 config names the robot and the group chat; a v2beta2 receiver names them itself: the
   * robot ({@code webhook}, {@code keywords}, {@code secret}) moves into the block's {@code
   * chatbot}, the chat ID into {@code conversation.chatids}. A block left without chats needs no
   * {@code Config}, so it keeps no selector.
   */
  @Override
  public Map<String, Object> receiverBlockWithConfig(
      Map<String, Object> receiverBlock, Map<String, Object> configSpec) {
    Map<String, Object> block = new LinkedHashMap<>(receiverBlock);
    if (configSpec.get("chatbot") instanceof Map<?, ?> bot) {
      block.put("chatbot", new LinkedHashMap<>(bot));
    }
    if (configSpec.get("conversation") instanceof Map<?, ?> chat
        && chat.get("chatid") instanceof String chatid) {
      block.put("conversation", Map.of("chatids", List.of(chatid)));
    } else {
      block.remove(SELECTOR);
      block.remove(SELECTOR_ALIAS);
    }
    return block;
  }

  /**
   * A v2beta2 {@code Config} holds only the app's credentials, {@code conversation{appkey,
   * appsecret}}; a config with only a robot becomes none.
   */
  @Override
  public Optional<Map<String, Object>> configBlockOf(Map<String, Object> configSpec) {
    if (!(configSpec.get("conversation") instanceof Map<?, ?> chat)) {
      return Optional.empty();
    }
    Map<String, Object> app = new LinkedHashMap<>();
    app.put("appkey", chat.get("appkey"));
    app.put("appsecret", chat.get("appsecret"));
    return Optional.of(Map.of("conversation", app));
  }

  private static Map<String, Object> selectorFields(Map<String, Object> raw) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (String name : List.of(SELECTOR, SELECTOR_ALIAS)) {
      if (raw.containsKey(name)) {
        fields.put(name, raw.get(name));
      }
    }
    return fields;
  }

  /**
   * The chat IDs, at most {@value DingTalkKinds#MAX_CHATS}, none blank and none twice: each is a
   * call of its own.
   */
  private static List<String> chatids(SpecReader chat) {
    List<String> chatids = chat.stringList("chatids");
    if (chatids.isEmpty() && chat.errors().isEmpty()) {
      chat.error("chatids", "must list at least one chat ID");
    }
    if (chatids.size() > DingTalkKinds.MAX_CHATS) {
      chat.error(
          "chatids",
          "must hold at most " + DingTalkKinds.MAX_CHATS + " chat IDs, had " + chatids.size());
    }
    for (int i = 0; i < chatids.size(); i++) {
      String id = chatids.get(i);
      if (!CHAT_ID.matcher(id).matches()) {
        chat.error("chatids[" + i + "]", "must be a chat ID, was \"" + shown(id) + "\"");
      } else if (chatids.indexOf(id) < i) {
        chat.error("chatids[" + i + "]", "names chat " + id + " a second time");
      }
    }
    return chatids;
  }

  /**
   * notification-manager's v2beta2 {@code Config} block holds only the app's credentials ({@code
   * conversation: {appkey, appsecret}}); the robot and the chats are the receiver's, and an empty
   * block is a config for receivers that name only a robot. The shape nm4j read before, a {@code
   * chatbot} and a {@code conversation.chatid} in the config as in v1alpha1, is still read, so such
   * configs (and what {@code nm4j convert} writes) keep sending.
   */
  @Override
  public Parsed<DingTalkConfig> parseConfigBlock(SpecReader block) {
    return config(block, false);
  }

  @Override
  public Parsed<DingTalkConfig> parseConfig(SpecReader spec) {
    return config(spec, true);
  }

  /**
   * A config; a v1alpha1 one names a robot or a chat (or both), so it needs one of the two and a
   * conversation's {@code chatid}.
   */
  private static Parsed<DingTalkConfig> config(SpecReader spec, boolean v1alpha1) {
    DingTalkConfig.Chatbot chatbot = null;
    DingTalkConfig.Conversation conversation = null;
    SpecReader bot = spec.object("chatbot");
    SpecReader chat = spec.object("conversation");
    if (bot != null) {
      chatbot = chatbot(bot, false);
    }
    if (chat != null) {
      conversation = conversation(chat, v1alpha1);
    }
    if (v1alpha1 && !spec.has("chatbot") && !spec.has("conversation")) {
      spec.error("", "one of chatbot, conversation is required");
    }
    List<FieldError> errors = spec.errors();
    return errors.isEmpty()
        ? Parsed.valid(new DingTalkConfig(chatbot, conversation))
        : Parsed.invalid(errors);
  }

  private static DingTalkConfig.@Nullable Chatbot chatbot(SpecReader bot, boolean mentions) {
    SecretKeySelector webhook = bot.requiredSecretRef("webhook");
    List<String> keywords = keywords(bot);
    SecretKeySelector secret = bot.secretRef("secret");
    List<String> atMobiles = List.of();
    List<String> atUsers = List.of();
    boolean atAll = false;
    if (mentions) {
      atMobiles = mentions(bot, "atMobiles", MOBILE, "a mobile number");
      atUsers = mentions(bot, "atUsers", USER_ID, "a user ID");
      atAll = bot.bool("atAll", false);
    }
    return webhook == null || keywords.size() > DingTalkConfig.MAX_KEYWORDS
        ? null
        : new DingTalkConfig.Chatbot(webhook, keywords, secret, atMobiles, atUsers, atAll);
  }

  private static List<String> mentions(SpecReader bot, String field, Pattern pattern, String what) {
    List<String> values = bot.stringList(field);
    if (values.size() > DingTalkKinds.MAX_MENTIONS) {
      bot.error(
          field,
          "must hold at most " + DingTalkKinds.MAX_MENTIONS + " entries, had " + values.size());
    }
    for (int i = 0; i < values.size(); i++) {
      if (!pattern.matcher(values.get(i)).matches()) {
        bot.error(
            field + "[" + i + "]", "must be " + what + ", was \"" + shown(values.get(i)) + "\"");
      }
    }
    return values;
  }

  /** A hostile value shown in an error, cut short. */
  private static String shown(String value) {
    return value.length() > 40 ? value.substring(0, 40) + "..." : value;
  }

  /** Keywords: at most ten, none blank (a blank keyword would match no message or every one). */
  private static List<String> keywords(SpecReader bot) {
    Object raw = bot.raw().get("keywords");
    if (raw == null) {
      return List.of();
    }
    if (!(raw instanceof List<?> items)) {
      bot.error("keywords", "must be a list of strings");
      return List.of();
    }
    if (items.size() > DingTalkConfig.MAX_KEYWORDS) {
      bot.error(
          "keywords", "at most " + DingTalkConfig.MAX_KEYWORDS + " keywords, was " + items.size());
    }
    List<String> keywords = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      String at = "keywords[" + i + "]";
      Object item = items.get(i);
      if (item instanceof String s && !s.isBlank()) {
        keywords.add(s);
      } else if (item instanceof String || item == null) {
        bot.error(at, "must not be blank");
      } else if (item instanceof Number || item instanceof Boolean) {
        keywords.add(String.valueOf(item));
      } else {
        bot.error(at, "must be a string");
      }
    }
    return keywords;
  }

  private static DingTalkConfig.@Nullable Conversation conversation(
      SpecReader chat, boolean chatidRequired) {
    SecretKeySelector appkey = chat.requiredSecretRef("appkey");
    SecretKeySelector appsecret = chat.requiredSecretRef("appsecret");
    String chatid = chatidRequired ? chat.requiredString("chatid") : chat.string("chatid");
    if (!chatidRequired && chatid != null && !CHAT_ID.matcher(chatid).matches()) {
      chat.error("chatid", "must be a chat ID, was \"" + shown(chatid) + "\"");
      return null;
    }
    return appkey == null || appsecret == null || "".equals(chatid)
        ? null
        : new DingTalkConfig.Conversation(appkey, appsecret, chatid);
  }

  @Override
  public Optional<Channel<DingTalkReceiver, DingTalkConfig>> channel(ChannelContext context) {
    DingTalkChannel.Builder b =
        DingTalkChannel.builder()
            .clock(context.clock())
            .permits(context.permits())
            .templateEngine(context.templateEngine(DingTalkChannelProvider.class.getClassLoader()))
            .apiUrl(context.option("apiUrl", DingTalkChannel.DEFAULT_API_URL))
            .proxyUrl(context.option("proxyUrl"));
    Integer chatbot = bytes(context, "chatbotMessageMaxSize");
    if (chatbot != null) {
      b.chatbotMaxTextBytes(chatbot);
    }
    Integer conversation = bytes(context, "conversationMessageMaxSize");
    if (conversation != null) {
      b.conversationMaxTextBytes(conversation);
    }
    return Optional.of(b.build());
  }

  private static @Nullable Integer bytes(ChannelContext context, String option) {
    String v = context.option(option);
    if (v == null) {
      return null;
    }
    try {
      return Integer.valueOf(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "dingtalk." + option + ": must be a number of bytes, was \"" + v + "\"", e);
    }
  }
}
