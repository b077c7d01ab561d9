package io.nm4j.template.freemarker;

import freemarker.core.ParseException;
import freemarker.core._CoreAPI;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import io.nm4j.spi.CompiledTemplate;
import io.nm4j.spi.TemplateCompilation;
import io.nm4j.spi.TemplateEngine;
import io.nm4j.spi.TemplateFormat;
import io.nm4j.spi.TemplateLimits;
import io.nm4j.spi.TemplateOutput;
import io.nm4j.spi.TemplateProblem;
import io.nm4j.spi.TemplateSource;
import io.nm4j.template.freemarker.internal.BoundedWriter;
import io.nm4j.template.freemarker.internal.Sandbox;
import io.nm4j.template.freemarker.internal.Watchdog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * FreeMarker 2.3 as nm4j's template engine, sandboxed for templates tenants write (operators'
 * templates get the same sandbox):
 *
 * <ul>
 *   <li>no class resolution ({@code ?new} resolves nothing), {@code ?api} off, and a model of plain
 *       maps, lists, strings, numbers and booleans: no Java method is reachable;
 *   <li>{@code #include} and {@code #import} find only the templates of the same set;
 *   <li>every render is capped in output (the write past {@link TemplateLimits#maxOutputChars()}
 *       fails it) and in time (interrupted past {@link TemplateLimits#maxRenderTime()}, loops and
 *       macro calls included), and unbounded recursion fails it rather than the thread;
 *   <li>values are escaped by the output format of the {@link TemplateFormat}.
 * </ul>
 *
 * <p>Found by {@link java.util.ServiceLoader}; stateless, so one instance serves every manager.
 */
public final class FreeMarkerTemplateEngine implements TemplateEngine {

  /** Found by {@link java.util.ServiceLoader}, or given to the manager's builder. */
  public FreeMarkerTemplateEngine() {}

  @Override
  public String name() {
    return "freemarker";
  }

  @Override
  public TemplateCompilation compile(
      TemplateSource template, List<TemplateSource> library, TemplateFormat format) {
    List<TemplateSource> set = new ArrayList<>(library);
    set.removeIf(s -> s.name().equals(template.name()));
    set.add(template);
    Configuration cfg = Sandbox.configuration(set, format);
    List<TemplateProblem> problems = new ArrayList<>();
    Template main = null;
    for (TemplateSource source : set) {
      try {
        Template compiled = cfg.getTemplate(source.name());
        // Loops and macro calls check for the watchdog's interrupt from now on.
        _CoreAPI.addThreadInterruptedChecks(compiled);
        if (source == template) {
          main = compiled;
        }
      } catch (ParseException e) {
        problems.add(
            new TemplateProblem(
                source.name(),
                e.getLineNumber(),
                e.getColumnNumber(),
                oneLine(e.getEditorMessage())));
      } catch (IOException e) {
        problems.add(TemplateProblem.of(source.name(), "cannot be read: " + e.getMessage()));
      }
    }
    if (!problems.isEmpty() || main == null) {
      return new TemplateCompilation.Invalid(
          problems.isEmpty()
              ? List.of(TemplateProblem.of(template.name(), "not compiled"))
              : problems);
    }
    return new TemplateCompilation.Compiled(new Compiled(main, template.name(), format));
  }

  @Override
  public String toString() {
    return "FreeMarkerTemplateEngine[" + Configuration.getVersion() + "]";
  }

  private static String oneLine(String message) {
    String line = message.strip().replaceAll("\\s+", " ");
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  /** One compiled template of a set; renders share nothing but the compiled template. */
  private record Compiled(Template template, String name, TemplateFormat format)
      implements CompiledTemplate {

    @Override
    public TemplateOutput render(Map<String, ?> model, TemplateLimits limits) {
      long deadline = System.nanoTime() + limits.maxRenderTime().toNanos();
      BoundedWriter out = new BoundedWriter(limits.maxOutputChars(), deadline);
      Watchdog.Watch watch = Watchdog.watch(limits.maxRenderTime());
      try {
        template.createProcessingEnvironment(model, out).process();
        if (watch.fired()) {
          return timeExceeded(limits);
        }
        return new TemplateOutput.Rendered(out.toString());
      } catch (BoundedWriter.LimitReached e) {
        return failed(TemplateProblem.of(name, e.getMessage()));
      } catch (TemplateException e) {
        if (watch.fired() || e.getCause() instanceof BoundedWriter.LimitReached) {
          return e.getCause() instanceof BoundedWriter.LimitReached limit
              ? failed(TemplateProblem.of(name, limit.getMessage()))
              : timeExceeded(limits);
        }
        return failed(problem(e));
      } catch (StackOverflowError e) {
        return failed(TemplateProblem.of(name, "recursion too deep"));
      } catch (IOException | RuntimeException e) {
        if (watch.fired()) {
          return timeExceeded(limits);
        }
        return failed(TemplateProblem.of(name, "render failed: " + e.getClass().getSimpleName()));
      } finally {
        watch.stop();
      }
    }

    private TemplateOutput timeExceeded(TemplateLimits limits) {
      return failed(
          TemplateProblem.of(
              name, "render time exceeded " + limits.maxRenderTime().toMillis() + " ms"));
    }

    private TemplateProblem problem(TemplateException e) {
      String where = e.getTemplateSourceName();
      Integer line = e.getLineNumber();
      Integer column = e.getColumnNumber();
      return new TemplateProblem(
          where == null ? name : where,
          line == null ? 0 : line,
          column == null ? 0 : column,
          oneLine(e.getMessageWithoutStackTop()));
    }

    private static TemplateOutput failed(TemplateProblem problem) {
      return new TemplateOutput.Failed(problem);
    }

    @Override
    public String toString() {
      return "CompiledTemplate[" + name + ", " + format + "]";
    }
  }
}
