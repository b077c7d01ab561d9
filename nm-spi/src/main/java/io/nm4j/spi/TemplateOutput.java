package io.nm4j.spi;

import java.util.Objects;

/** What one render gave: the text, or why there is none. */
public sealed interface TemplateOutput {

  /** The rendered text, escaped for the template's format. */
  record Rendered(String text) implements TemplateOutput {
    public Rendered {
      Objects.requireNonNull(text, "text");
    }
  }

  /** The render failed or broke a {@link TemplateLimits} cap; it wrote nothing usable. */
  record Failed(TemplateProblem problem) implements TemplateOutput {
    public Failed {
      Objects.requireNonNull(problem, "problem");
    }
  }
}
