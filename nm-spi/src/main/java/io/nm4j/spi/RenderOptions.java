package io.nm4j.spi;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a channel renders one notification: the settings of its model (language, time zone, excluded
 * labels), the custom templates that replace built-in ones, and the template type the receiver
 * asked for. The core resolves them for the receiver by precedence (built-in, then the settings'
 * global template, then the channel kind's, then the receiver's own); a channel only renders with
 * them.
 *
 * @param settings what the model shows and how
 * @param templates compiled custom templates by the name of the built-in one they replace (e.g.
 *     {@code message}, {@code title}, {@code subject}, {@code html}); absent means built-in
 * @param type the receiver's {@code tmplType} ({@code text}, {@code markdown}, {@code html}), or
 *     {@code null} for the channel's default
 */
public record RenderOptions(
    MessageSettings settings, Map<String, CompiledTemplate> templates, @Nullable String type) {

  /** Built-in templates, English, UTC, the channel's default type. */
  public static final RenderOptions DEFAULT =
      new RenderOptions(MessageSettings.DEFAULT, Map.of(), null);

  public RenderOptions {
    Objects.requireNonNull(settings, "settings");
    templates = Map.copyOf(templates);
  }

  /** The custom template replacing the built-in {@code name}, or {@code null} for none. */
  public @Nullable CompiledTemplate template(String name) {
    return templates.get(name);
  }

  /** The type to render, {@code fallback} when the receiver named none. */
  public String type(String fallback) {
    return type == null ? fallback : type;
  }
}
