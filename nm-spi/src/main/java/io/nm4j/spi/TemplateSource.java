package io.nm4j.spi;

import java.util.Objects;

/**
 * A template's text and the name it is known by: in problems, and to {@code #include} and {@code
 * #import} within its set.
 *
 * @param name e.g. {@code slack/message.ftl}, or {@code ConfigMap/team-a-templates:slack.ftl}
 * @param text the template's source
 */
public record TemplateSource(String name, String text) {

  public TemplateSource {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(text, "text");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a template needs a name");
    }
  }

  @Override
  public String toString() {
    return "TemplateSource[" + name + ", " + text.length() + " chars]";
  }
}
