package io.nm4j.channel.feishu;

import io.nm4j.channel.feishu.internal.FeishuKinds;
import io.nm4j.channel.feishu.internal.FeishuRenderer;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.FieldError;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SpecReader;
import io.nm4j.spi.TemplateSlots;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The Feishu (Lark) channel's kinds, {@code FeishuReceiver} and {@code FeishuConfig}, with the
 * field names of notification-manager's {@code feishu} block, and the {@link FeishuChannel} that
 * sends.
 *
 * <p>Channel options ({@code feishu.} prefix, e.g. {@code --channel-option
 * feishu.apiUrl=https://open.larksuite.com/}): {@code apiUrl} (the open platform of the app's
 * calls, default {@value FeishuChannel#DEFAULT_API_URL}; Lark's is {@code
 * https://open.larksuite.com/}) and {@code proxyUrl} (an HTTP proxy for every call).
 */
public final class FeishuChannelProvider implements ChannelProvider<FeishuReceiver, FeishuConfig> {

  /** Found by {@link java.util.ServiceLoader}, or registered explicitly. */
  public FeishuChannelProvider() {}

  @Override
  public String name() {
    return "feishu";
  }

  @Override
  public String receiverKind() {
    return "FeishuReceiver";
  }

  @Override
  public String configKind() {
    return "FeishuConfig";
  }

  @Override
  public String selectorField() {
    return FeishuKinds.SELECTOR;
  }

  @Override
  public ChannelDescription description() {
    return FeishuKinds.DESCRIPTION;
  }

  @Override
  public TemplateSlots templateSlots() {
    return FeishuRenderer.SLOTS;
  }

  @Override
  public Parsed<FeishuReceiver> parseReceiver(SpecReader spec) {
    List<String> user = ids(spec, "user");
    List<String> department = ids(spec, "department");
    FeishuReceiver.Chatbot chatbot = null;
    SpecReader bot = spec.object("chatbot");
    if (bot != null) {
      chatbot = chatbot(bot);
    }
    if (user.isEmpty() && department.isEmpty() && !spec.has("chatbot")) {
      spec.error("", "one of user, department, chatbot is required");
    }
    String tmplType = spec.string("tmplType");
    if (tmplType == null) {
      tmplType = FeishuReceiver.POST;
    } else if (!tmplType.equals(FeishuReceiver.POST) && !tmplType.equals(FeishuReceiver.TEXT)) {
      spec.error("tmplType", "must be post or text, was \"" + tmplType + "\"");
    }
    LabelSelector selector = spec.selector(FeishuKinds.SELECTOR);
    List<FieldError> errors = spec.errors();
    return errors.isEmpty()
        ? Parsed.valid(new FeishuReceiver(user, department, chatbot, selector, tmplType))
        : Parsed.invalid(errors);
  }

  /**
   * A v2beta2 block that names only its robot is its own config, as notification-manager sends to
   * the robot without a {@code Config}; one naming users or departments selects a {@code Config}
   * holding the app's credentials.
   */
  @Override
  public Optional<Parsed<FeishuConfig>> receiverBlockConfig(SpecReader block) {
    return block.has("chatbot") && !block.hasAnyNonEmpty("user", "department")
        ? Optional.of(Parsed.valid(new FeishuConfig(null, null)))
        : Optional.empty();
  }

  /** User or department IDs: at most 200, none blank. */
  private static List<String> ids(SpecReader spec, String field) {
    List<String> ids = spec.stringList(field);
    if (ids.size() > FeishuReceiver.MAX_IDS) {
      spec.error(field, "at most " + FeishuReceiver.MAX_IDS + " IDs, was " + ids.size());
    }
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      if (id.isBlank()) {
        spec.error(field + "[" + i + "]", "must not be blank");
      } else if (id.length() > 128) {
        spec.error(field + "[" + i + "]", "at most 128 characters, was " + id.length());
      }
    }
    return ids;
  }

  private static FeishuReceiver.@Nullable Chatbot chatbot(SpecReader bot) {
    SecretKeySelector webhook = bot.requiredSecretRef("webhook");
    List<String> keywords = bot.stringList("keywords");
    if (keywords.size() > FeishuReceiver.MAX_KEYWORDS) {
      bot.error(
          "keywords",
          "at most " + FeishuReceiver.MAX_KEYWORDS + " keywords, was " + keywords.size());
    }
    for (int i = 0; i < keywords.size(); i++) {
      if (keywords.get(i).isBlank()) {
        bot.error("keywords[" + i + "]", "must not be blank");
      }
    }
    SecretKeySelector secret = bot.secretRef("secret");
    return webhook == null || keywords.size() > FeishuReceiver.MAX_KEYWORDS
        ? null
        : new FeishuReceiver.Chatbot(webhook, keywords, secret);
  }

  @Override
  public Parsed<FeishuConfig> parseConfig(SpecReader spec) {
    SecretKeySelector appID = spec.secretRef("appID");
    SecretKeySelector appSecret = spec.secretRef("appSecret");
    if (spec.has("appID") && !spec.has("appSecret")) {
      spec.error("appSecret", "required with appID");
    } else if (spec.has("appSecret") && !spec.has("appID")) {
      spec.error("appID", "required with appSecret");
    }
    List<FieldError> errors = spec.errors();
    return errors.isEmpty()
        ? Parsed.valid(new FeishuConfig(appID, appSecret))
        : Parsed.invalid(errors);
  }

  @Override
  public Optional<Channel<FeishuReceiver, FeishuConfig>> channel(ChannelContext context) {
    return Optional.of(
        FeishuChannel.builder()
            .clock(context.clock())
            .permits(context.permits())
            .apiUrl(context.option("apiUrl", FeishuChannel.DEFAULT_API_URL))
            .proxyUrl(context.option("proxyUrl"))
            .templateEngine(context.templateEngine(FeishuChannelProvider.class.getClassLoader()))
            .build());
  }
}
