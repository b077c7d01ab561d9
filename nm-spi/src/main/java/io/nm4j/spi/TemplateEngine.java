package io.nm4j.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Compiles templates for channels to render messages with. The default engine is FreeMarker ({@code
 * nm-template-freemarker}); a host may plug another one, found with {@link ServiceLoader} ({@code
 * META-INF/services/io.nm4j.spi.TemplateEngine}) or given to the manager's builder.
 *
 * <p>Templates are hostile input (a tenant writes them), so an engine must sandbox them: no access
 * to Java classes or methods, {@code include}s only from the template's own set, and every render
 * bounded by its {@link TemplateLimits}. Compiling and rendering report faults as values, never as
 * exceptions escaping to the channel.
 */
public interface TemplateEngine {

  /** Short lower-case name, e.g. {@code freemarker}. */
  String name();

  /**
   * Compiles {@code template} into {@code format}, with {@code library} the other templates it may
   * include or import by name.
   */
  TemplateCompilation compile(
      TemplateSource template, List<TemplateSource> library, TemplateFormat format);

  /** Compiles a template that includes nothing. */
  default TemplateCompilation compile(TemplateSource template, TemplateFormat format) {
    return compile(template, List.of(), format);
  }

  /**
   * The one engine {@code loader} provides, if any.
   *
   * @throws IllegalStateException naming both when it provides more than one, so a host chooses
   *     explicitly instead of getting whichever came first
   */
  static Optional<TemplateEngine> discover(ClassLoader loader) {
    List<TemplateEngine> found = new ArrayList<>();
    for (TemplateEngine engine : ServiceLoader.load(TemplateEngine.class, loader)) {
      found.add(engine);
    }
    if (found.size() > 1) {
      throw new IllegalStateException(
          "more than one template engine on the class path: "
              + found.stream().map(e -> e.name() + " (" + e.getClass().getName() + ")").toList()
              + "; give the manager one explicitly");
    }
    return found.stream().findFirst();
  }

  /**
   * The engine {@code loader} provides.
   *
   * @throws IllegalStateException when it provides none, or several
   */
  static TemplateEngine onClassPath(ClassLoader loader) {
    return discover(loader)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no template engine on the class path: add nm-template-freemarker"
                        + " or give the manager one"));
  }
}
