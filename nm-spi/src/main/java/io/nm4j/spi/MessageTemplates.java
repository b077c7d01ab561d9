package io.nm4j.spi;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A receiver's (or a channel kind's, or the settings') choice of message templates, as
 * notification-manager's kinds write it: {@code template} (the name of the template of the body),
 * {@code tmplText} (where template bodies are: a ConfigMap's key, or a file of the config
 * directory), a title template ({@code titleTemplate} for DingTalk, {@code subjectTemplate} for
 * e-mail), {@code tmplType} ({@code text}, {@code markdown}, {@code html}, by channel), {@code
 * language} and {@code timezone}. Every field is optional; unset means "as the next level up".
 *
 * <p>One reader for every kind that carries these fields ({@link #read}), so v1alpha1 receivers,
 * later versions' receivers and the settings all parse them alike.
 *
 * @param template the name of the body's template, or {@code null}
 * @param titleTemplate the name of the title's (or subject's) template, or {@code null}
 * @param tmplText where the template bodies are, or {@code null}
 * @param type the template type, lower case, one the channel accepts, or {@code null}
 * @param language a language tag, lower case (e.g. {@code zh-cn}), or {@code null}
 * @param timezone the zone times are shown in, or {@code null}
 */
public record MessageTemplates(
    @Nullable String template,
    @Nullable String titleTemplate,
    @Nullable TemplateText tmplText,
    @Nullable String type,
    @Nullable String language,
    @Nullable ZoneId timezone) {

  /** Nothing chosen: everything as the next level up. */
  public static final MessageTemplates NONE =
      new MessageTemplates(null, null, null, null, null, null);

  /** The longest template name accepted: names are keys, not template bodies. */
  public static final int MAX_NAME = 253;

  /**
   * Where template bodies are: the key {@code key} of the ConfigMap (or the file of the config
   * directory) {@code name}; every key when {@code key} is {@code null}.
   */
  public record TemplateText(String name, @Nullable String key) {
    public TemplateText {
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * Reads the template fields of {@code spec}, recording an error with its field path for each bad
   * one.
   *
   * @param titleField the kind's title template field ({@code titleTemplate}, {@code
   *     subjectTemplate}), or {@code null} when it has none
   * @param types the {@code tmplType} values the channel accepts; empty when it has no such field
   */
  public static MessageTemplates read(
      SpecReader spec, @Nullable String titleField, List<String> types) {
    String template = name(spec, "template");
    String title = titleField == null ? null : name(spec, titleField);
    TemplateText text = null;
    SpecReader tmplText = spec.object("tmplText");
    if (tmplText != null) {
      String name = tmplText.requiredString("name");
      String key = tmplText.string("key");
      String namespace = tmplText.string("namespace");
      if (namespace != null && !namespace.equals(spec.namespace())) {
        tmplText.error(
            "namespace",
            "must be the object's own namespace "
                + spec.namespace()
                + ", was \""
                + namespace
                + "\"");
      }
      if (!name.isEmpty()) {
        text = new TemplateText(name, key == null || key.isBlank() ? null : key);
      }
    }
    String type = null;
    if (!types.isEmpty()) {
      String raw = spec.string("tmplType");
      if (raw != null) {
        type = raw.strip().toLowerCase(Locale.ROOT);
        if (!types.contains(type)) {
          spec.error(
              "tmplType", "must be one of " + String.join(", ", types) + ", was \"" + raw + "\"");
          type = null;
        }
      }
    }
    String language = spec.string("language");
    if (language != null) {
      language = language.strip().toLowerCase(Locale.ROOT).replace('_', '-');
      if (!language.matches("[a-z]{2,8}(-[a-z0-9]{1,8})*")) {
        spec.error("language", "must be a language tag like en or zh-cn, was \"" + language + "\"");
        language = null;
      }
    }
    ZoneId zone = null;
    String timezone = spec.string("timezone");
    if (timezone != null) {
      try {
        zone = ZoneId.of(timezone.strip());
      } catch (DateTimeException e) {
        spec.error(
            "timezone",
            "must be an IANA time zone like Asia/Shanghai or UTC, was \"" + timezone + "\"");
      }
    }
    return new MessageTemplates(template, title, text, type, language, zone);
  }

  /**
   * These choices over {@code below}: each field set here wins, each unset one is {@code below}'s
   * (a receiver's over its channel kind's, a channel kind's over the settings').
   */
  public MessageTemplates over(MessageTemplates below) {
    return new MessageTemplates(
        template != null ? template : below.template,
        titleTemplate != null ? titleTemplate : below.titleTemplate,
        tmplText != null ? tmplText : below.tmplText,
        type != null ? type : below.type,
        language != null ? language : below.language,
        timezone != null ? timezone : below.timezone);
  }

  private static @Nullable String name(SpecReader spec, String field) {
    String name = spec.string(field);
    if (name == null) {
      return null;
    }
    if (name.isBlank()
        || name.length() > MAX_NAME
        || name.chars().anyMatch(Character::isISOControl)) {
      spec.error(
          field,
          "must be a template name of 1.." + MAX_NAME + " characters without control characters");
      return null;
    }
    return name.strip();
  }
}
