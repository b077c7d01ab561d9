package io.nm4j.spi;

import java.util.List;
import java.util.Objects;

/** What compiling a template gave: a template to render, or every problem found. */
public sealed interface TemplateCompilation {

  /** The template compiled; it may be rendered any number of times, from any thread. */
  record Compiled(CompiledTemplate template) implements TemplateCompilation {
    public Compiled {
      Objects.requireNonNull(template, "template");
    }
  }

  /** The template (or one of its set) did not compile. */
  record Invalid(List<TemplateProblem> problems) implements TemplateCompilation {
    public Invalid {
      problems = List.copyOf(problems);
      if (problems.isEmpty()) {
        throw new IllegalArgumentException("an invalid template needs at least one problem");
      }
    }
  }
}
