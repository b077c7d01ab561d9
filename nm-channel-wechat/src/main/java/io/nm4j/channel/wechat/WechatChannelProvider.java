package io.nm4j.channel.wechat;

import io.nm4j.channel.wechat.internal.WechatKinds;
import io.nm4j.channel.wechat.internal.WechatRenderer;
import io.nm4j.channel.wechat.internal.WechatSettingsOptions;
import io.nm4j.http.HttpClientFactory;
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
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The WeChat Work channel: kinds {@code WechatReceiver} and {@code WechatConfig} (parsing and every
 * validation rule of the v1alpha1 API) and the {@link WechatChannel} that sends app messages.
 * Options ({@code wechat.} prefix): {@code apiUrl} replaces every config's {@code wechatApiUrl}
 * (tests, proxies); {@code messageType} is {@code text} (the default) or {@code markdown}.
 */
public final class WechatChannelProvider implements ChannelProvider<WechatReceiver, WechatConfig> {
  private static final Pattern ID_SEPARATOR = Pattern.compile("|", Pattern.LITERAL);

  // Compiled once: String.matches compiles its pattern on every call, for each of a build's
  // objects.
  private static final Pattern AGENT_ID = Pattern.compile("[0-9]{1,18}");
  private static final Pattern MEMBER = Pattern.compile(WechatKinds.MEMBER);
  private static final Pattern MOBILE = Pattern.compile(WechatKinds.MOBILE);

  /** Found by {@link java.util.ServiceLoader}, or registered explicitly. */
  public WechatChannelProvider() {}

  @Override
  public String name() {
    return "wechat";
  }

  @Override
  public String receiverKind() {
    return "WechatReceiver";
  }

  @Override
  public String configKind() {
    return "WechatConfig";
  }

  @Override
  public String selectorField() {
    return "wechatConfigSelector";
  }

  @Override
  public ChannelDescription description() {
    return WechatKinds.DESCRIPTION;
  }

  @Override
  public TemplateSlots templateSlots() {
    return WechatRenderer.SLOTS;
  }

  @Override
  public Parsed<WechatReceiver> parseReceiver(SpecReader spec) {
    LabelSelector selector = spec.selector(selectorField());
    int before = spec.errors().size();
    List<String> toUser = ids(spec, "toUser");
    List<String> toParty = ids(spec, "toParty");
    List<String> toTag = ids(spec, "toTag");
    boolean hasChatbot = spec.has("chatbot");
    WechatChatbot chatbot = hasChatbot ? chatbot(spec) : null;
    // Only when no target was even attempted: a malformed one already has its own error.
    if (toUser.isEmpty()
        && toParty.isEmpty()
        && toTag.isEmpty()
        && !hasChatbot
        && spec.errors().size() == before) {
      spec.error("", "one of toUser, toParty, toTag, chatbot is required");
    }
    List<FieldError> errors = spec.errors();
    return errors.isEmpty()
        ? Parsed.valid(new WechatReceiver(selector, toUser, toParty, toTag, chatbot))
        : Parsed.invalid(errors);
  }

  /**
   * notification-manager's v2beta2 block lists {@code toUser}, {@code toParty} and {@code toTag}
   * where the v1alpha1 kind joins IDs with {@code |}; a list is joined and read as the v1alpha1
   * field.
   */
  @Override
  public Parsed<WechatReceiver> parseReceiverBlock(SpecReader block) {
    Map<String, Object> fields = new LinkedHashMap<>(block.raw());
    for (String field : List.of("toUser", "toParty", "toTag")) {
      if (fields.get(field) instanceof List<?> list) {
        List<String> ids = new ArrayList<>();
        for (Object id : list) {
          ids.add(String.valueOf(id));
        }
        fields.put(field, String.join("|", ids));
      }
    }
    return parseReceiver(block.withFields(fields));
  }

  /**
   * A v2beta2 block that names only its group robot is its own config, as notification-manager
   * sends to the robot without a {@code Config}; one naming users, parties or tags selects a {@code
   * Config} holding the app.
   */
  @Override
  public Optional<Parsed<WechatConfig>> receiverBlockConfig(SpecReader block) {
    return block.has("chatbot") && !block.hasAnyNonEmpty("toUser", "toParty", "toTag")
        ? Optional.of(Parsed.valid(WechatConfig.robotOnly()))
        : Optional.empty();
  }

  @Override
  public Map<String, Object> receiverBlockOf(Map<String, Object> receiverSpec) {
    Map<String, Object> block = new LinkedHashMap<>(receiverSpec);
    for (String field : List.of("toUser", "toParty", "toTag")) {
      if (block.get(field) instanceof String joined) {
        List<String> ids = new ArrayList<>();
        for (String id : ID_SEPARATOR.split(joined, -1)) {
          if (!id.isBlank()) {
            ids.add(id.strip());
          }
        }
        block.put(field, ids);
      }
    }
    return block;
  }

  /**
   * {@code messageMaxSize} (app messages, capped at what WeChat Work accepts with a notice) and
   * {@code tokenExpires}.
   */
  @Override
  public Parsed<? extends SettingsOptions> parseSettingsOptions(SpecReader block) {
    WechatSettingsOptions options =
        WechatSettingsOptions.read(block, WechatChannel.MAX_CONTENT_BYTES);
    return Parsed.of(options, block.errors());
  }

  @Override
  public Parsed<WechatConfig> parseConfig(SpecReader spec) {
    URI apiUrl = apiUrl(spec, "wechatApiUrl");
    String corpId = spec.requiredString("wechatApiCorpId");
    String agentId = spec.requiredString("wechatApiAgentId");
    if (!agentId.isEmpty() && !AGENT_ID.matcher(agentId).matches()) {
      spec.error("wechatApiAgentId", "must be the app's numeric AgentId, was \"" + agentId + "\"");
    }
    SecretKeySelector secret = spec.requiredSecretRef("wechatApiSecret");
    List<FieldError> errors = spec.errors();
    if (!errors.isEmpty()) {
      return Parsed.invalid(errors);
    }
    return Parsed.valid(
        new WechatConfig(
            Objects.requireNonNull(apiUrl), corpId, agentId, Objects.requireNonNull(secret)));
  }

  /** The {@code chatbot} block; {@code null} with its errors when it is not usable. */
  private static @Nullable WechatChatbot chatbot(SpecReader spec) {
    SpecReader block = spec.object("chatbot");
    if (block == null) {
      return null;
    }
    SecretKeySelector webhook = block.requiredSecretRef("webhook");
    List<String> atUsers = mentions(block, "atUsers", MEMBER, "a member ID or @all");
    List<String> atMobiles = mentions(block, "atMobiles", MOBILE, "a mobile number or @all");
    return webhook == null ? null : new WechatChatbot(webhook, atUsers, atMobiles);
  }

  private static List<String> mentions(
      SpecReader spec, String field, Pattern pattern, String what) {
    List<String> values = spec.stringList(field);
    if (values.size() > WechatKinds.MAX_MENTIONS) {
      spec.error(
          field,
          "must hold at most " + WechatKinds.MAX_MENTIONS + " entries, had " + values.size());
    }
    for (int i = 0; i < values.size(); i++) {
      String value = values.get(i);
      if (!pattern.matcher(value).matches()) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        spec.error(field + "[" + i + "]", "must be " + what + ", was \"" + shown + "\"");
      }
    }
    return values;
  }

  /**
   * IDs joined by {@code |}, as a list. A number is taken as its digits ({@code toTag: 1}). An
   * empty ID ({@code "a||b"}, a trailing {@code |}) is an error rather than skipped: it is a typo.
   */
  private static List<String> ids(SpecReader spec, String field) {
    String joined = spec.string(field);
    if (joined == null || joined.isBlank()) {
      return List.of();
    }
    // Between the separators by index, into an array of the IDs' number: a pattern's split costs a
    // matcher and a list per field, a growing list an array of ten and a copy.
    int separators = 0;
    for (int i = joined.indexOf('|'); i >= 0; i = joined.indexOf('|', i + 1)) {
      separators++;
    }
    String[] ids = new String[separators + 1];
    int start = 0;
    for (int n = 0; n < ids.length; n++) {
      int end = n == separators ? joined.length() : joined.indexOf('|', start);
      String trimmed = joined.substring(start, end).strip();
      if (trimmed.isEmpty()) {
        spec.error(field, "must be IDs joined by \"|\" with none empty, was \"" + joined + "\"");
        return List.of();
      }
      ids[n] = trimmed;
      start = end + 1;
    }
    return List.of(ids);
  }

  /**
   * The API base: absolute http(s), no user info, query or fragment (paths are appended to it), and
   * normalised to end with {@code /} so {@code gettoken} resolves below it.
   */
  private static @Nullable URI apiUrl(SpecReader spec, String field) {
    String raw = spec.string(field);
    if (raw == null) {
      return spec.has(field) ? null : WechatConfig.DEFAULT_API_URL;
    }
    String must = "must be an absolute http(s) URL like " + WechatConfig.DEFAULT_API_URL;
    URI uri;
    try {
      uri = new URI(raw.strip());
    } catch (URISyntaxException e) {
      spec.error(field, must + ", was \"" + raw + "\"");
      return null;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute()
        || !(scheme.equals("http") || scheme.equals("https"))
        || uri.getHost() == null) {
      spec.error(field, must + ", was \"" + raw + "\"");
      return null;
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      spec.error(
          field,
          "must not have user info, a query or a fragment, was \""
              + uri.getScheme()
              + "://"
              + uri.getHost()
              + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
              + uri.getRawPath()
              + "...\"");
      return null;
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    return path.endsWith("/") ? uri : URI.create(uri + "/");
  }

  @Override
  public Optional<Channel<WechatReceiver, WechatConfig>> channel(ChannelContext context) {
    String type = context.option("messageType", "text").strip().toLowerCase(Locale.ROOT);
    WechatChannel.MessageType messageType =
        switch (type) {
          case "text" -> WechatChannel.MessageType.TEXT;
          case "markdown" -> WechatChannel.MessageType.MARKDOWN;
          default ->
              throw new IllegalArgumentException(
                  "wechat.messageType: must be text or markdown, was \"" + type + "\"");
        };
    HttpClientFactory http = HttpClientFactory.create();
    WechatChannel.Builder builder =
        WechatChannel.builder(http, context.clock())
            .templateEngine(context.templateEngine(WechatChannelProvider.class.getClassLoader()))
            .messageType(messageType)
            .permits(context.permits())
            .ownsFactory(true);
    try {
      builder.apiUrl(context.option("apiUrl"));
    } catch (IllegalArgumentException e) {
      http.close();
      throw new IllegalArgumentException("wechat." + e.getMessage(), e);
    }
    return Optional.of(builder.build());
  }
}
