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
import java.util.List;
import java.util.Optional;
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

  @Override
  public Parsed<DingTalkConfig> parseConfig(SpecReader spec) {
    DingTalkConfig.Chatbot chatbot = null;
    DingTalkConfig.Conversation conversation = null;
    SpecReader bot = spec.object("chatbot");
    SpecReader chat = spec.object("conversation");
    if (bot != null) {
      chatbot = chatbot(bot);
    }
    if (chat != null) {
      conversation = conversation(chat);
    }
    if (!spec.has("chatbot") && !spec.has("conversation")) {
      spec.error("", "one of chatbot, conversation is required");
    }
    List<FieldError> errors = spec.errors();
    return errors.isEmpty()
        ? Parsed.valid(new DingTalkConfig(chatbot, conversation))
        : Parsed.invalid(errors);
  }

  private static DingTalkConfig.@Nullable Chatbot chatbot(SpecReader bot) {
    SecretKeySelector webhook = bot.requiredSecretRef("webhook");
    List<String> keywords = keywords(bot);
    SecretKeySelector secret = bot.secretRef("secret");
    return webhook == null || keywords.size() > DingTalkConfig.MAX_KEYWORDS
        ? null
        : new DingTalkConfig.Chatbot(webhook, keywords, secret);
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

  private static DingTalkConfig.@Nullable Conversation conversation(SpecReader chat) {
    SecretKeySelector appkey = chat.requiredSecretRef("appkey");
    SecretKeySelector appsecret = chat.requiredSecretRef("appsecret");
    String chatid = chat.requiredString("chatid");
    return appkey == null || appsecret == null || chatid.isEmpty()
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
