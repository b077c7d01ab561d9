package io.nm4j.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which of a channel's built-in templates a template of an operator's or a tenant's may replace,
 * and which of them the template fields of a receiver name: {@code template} the body's (by {@code
 * tmplType} where the channel has types), the title field ({@code titleTemplate}, {@code
 * subjectTemplate}) the title's. The core compiles custom templates into the format given here, so
 * a label value is escaped for the place it lands in.
 *
 * @param formats every built-in template a custom one may replace, by name, with its format
 * @param body the body's template when the receiver names no type
 * @param bodyByType the body's template by {@code tmplType}; empty when the channel has no types
 * @param titleField the receiver field naming the title's template, or {@code null} for none
 * @param title the title's template, or {@code null} with {@code titleField}
 */
public record TemplateSlots(
    Map<String, TemplateFormat> formats,
    String body,
    Map<String, String> bodyByType,
    @Nullable String titleField,
    @Nullable String title) {

  public TemplateSlots {
    formats = Map.copyOf(formats);
    Objects.requireNonNull(body, "body");
    bodyByType = Map.copyOf(bodyByType);
    if ((titleField == null) != (title == null)) {
      throw new IllegalArgumentException("a title field needs a title template and back");
    }
    List<String> named = new ArrayList<>(bodyByType.values());
    named.add(body);
    if (title != null) {
      named.add(title);
    }
    for (String name : named) {
      if (!formats.containsKey(name)) {
        throw new IllegalArgumentException(
            "template " + name + " is named but not among the formats " + formats.keySet());
      }
    }
  }

  /** A channel with one template, the body, and no types or title. */
  public static TemplateSlots single(String body, TemplateFormat format) {
    return new TemplateSlots(Map.of(body, format), body, Map.of(), null, null);
  }

  /** The {@code tmplType} values the channel accepts, sorted; empty for none. */
  public List<String> types() {
    return bodyByType.keySet().stream().sorted().toList();
  }

  /** The body's template for {@code type}, or the default body's for {@code null}. */
  public String bodyFor(@Nullable String type) {
    return type == null ? body : bodyByType.getOrDefault(type, body);
  }
}
