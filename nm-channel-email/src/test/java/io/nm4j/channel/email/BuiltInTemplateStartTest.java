package io.nm4j.channel.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nm4j.spi.ChannelTemplates;
import io.nm4j.spi.CompiledTemplate;
import io.nm4j.spi.TemplateCompilation;
import io.nm4j.spi.TemplateEngine;
import io.nm4j.spi.TemplateFormat;
import io.nm4j.spi.TemplateLimits;
import io.nm4j.spi.TemplateOutput;
import io.nm4j.spi.TemplateProblem;
import io.nm4j.spi.TemplateSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The start-up check of a channel's built-in templates, on the e-mail channel's own. */
class BuiltInTemplateStartTest {
  private static final Map<String, TemplateFormat> TEXT = Map.of("text", TemplateFormat.TEXT);

  private static final TemplateEngine FREEMARKER =
      TemplateEngine.onClassPath(BuiltInTemplateStartTest.class.getClassLoader());

  /**
   * The engine on the class path, compiling as it does, whose templates then render as {@code
   * render} says for the limits they are given.
   */
  private static TemplateEngine engine(Function<TemplateLimits, TemplateOutput> render) {
    return new TemplateEngine() {
      @Override
      public String name() {
        return "probe";
      }

      @Override
      public TemplateCompilation compile(
          TemplateSource template, List<TemplateSource> library, TemplateFormat format) {
        if (FREEMARKER.compile(template, library, format)
            instanceof TemplateCompilation.Invalid invalid) {
          return invalid;
        }
        return new TemplateCompilation.Compiled(
            new CompiledTemplate() {
              @Override
              public String name() {
                return template.name();
              }

              @Override
              public TemplateFormat format() {
                return format;
              }

              @Override
              public TemplateOutput render(Map<String, ?> model, TemplateLimits limits) {
                return render.apply(limits);
              }
            });
      }
    };
  }

  private static ChannelTemplates load(TemplateEngine engine, TemplateLimits limits) {
    return ChannelTemplates.load(
        "email", engine, BuiltInTemplateStartTest.class.getClassLoader(), TEXT, limits);
  }

  @Test
  void aBuiltInTemplateSlowerThanASendMayBeOnItsFirstRenderStillStarts() {
    // As a first render on a starved machine: past the send's time limit, within a minute.
    TemplateLimits sends = new TemplateLimits(1024, Duration.ofMillis(1));
    TemplateEngine slowFirstRender =
        engine(
            limits ->
                limits.maxRenderTime().compareTo(Duration.ofSeconds(5)) < 0
                    ? new TemplateOutput.Failed(
                        TemplateProblem.of("email/text.ftl", "render time exceeded"))
                    : new TemplateOutput.Rendered("ok"));

    ChannelTemplates templates = load(slowFirstRender, sends);

    assertThat(templates.builtIn("text").name()).isEqualTo("email/text.ftl");
  }

  @Test
  void aBuiltInTemplateThatDoesNotRenderFailsTheStartNamingItAndTheProblem() {
    TemplateEngine broken =
        engine(
            limits ->
                new TemplateOutput.Failed(
                    TemplateProblem.of("email/text.ftl", "import \"nm.ftl\" not found")));

    assertThatThrownBy(() -> load(broken, TemplateLimits.DEFAULT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("built-in template email/text.ftl does not render: ")
        .hasMessageContaining("not found");
  }

  @Test
  void theStartUpRenderKeepsTheOutputLimit() {
    TemplateEngine seesLimits =
        engine(
            limits ->
                limits.maxOutputChars() == 1024
                    ? new TemplateOutput.Rendered("ok")
                    : new TemplateOutput.Failed(
                        TemplateProblem.of("email/text.ftl", "output limit changed")));

    assertThat(load(seesLimits, new TemplateLimits(1024, Duration.ofSeconds(1))).builtIn("text"))
        .isNotNull();
  }
}
