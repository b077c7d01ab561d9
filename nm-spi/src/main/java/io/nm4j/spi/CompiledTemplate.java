package io.nm4j.spi;

import java.util.Map;

/**
 * A template ready to render, compiled once and reused for every notification. Renders never throw
 * for a fault of the template: they return {@link TemplateOutput.Failed}.
 */
public interface CompiledTemplate {

  /** The template's name, as in {@link TemplateSource#name()}. */
  String name();

  /** What it renders into. */
  TemplateFormat format();

  /**
   * Renders the template against {@code model}: plain maps with string keys, lists, strings,
   * numbers and booleans, such as {@link MessageModel#of} builds. Safe to call from several threads
   * at once.
   */
  TemplateOutput render(Map<String, ?> model, TemplateLimits limits);
}
