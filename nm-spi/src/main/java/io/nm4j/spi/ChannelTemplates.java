package io.nm4j.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A channel's built-in templates, compiled once when the channel is created, and the one way a
 * channel renders a message: with a custom template when one is given, falling back to the built-in
 * one (never to an empty message) when the custom one fails, and saying so.
 *
 * <p>Built-in templates are resources of the channel's own module, named by its provider: {@code
 * io/nm4j/templates/<channel>/<template>.ftl}, e.g. {@code io/nm4j/templates/slack/message.ftl}.
 * Adding templates to a channel is a matter of its module alone.
 */
public final class ChannelTemplates {
  /** Where a channel's built-in templates are, under its provider's name. */
  public static final String RESOURCE_ROOT = "io/nm4j/templates/";

  /** The name templates import the shared library by. */
  public static final String LIBRARY = "nm.ftl";

  /** How long the start-up render of a built-in template may take: a hang, not a slow start. */
  private static final Duration START_CHECK_TIME = Duration.ofMinutes(1);

  private static final Map<String, Object> SAMPLE =
      MessageModel.of(
          new Notification(
              "sample",
              new ObjectRef("Receiver", "sample"),
              Scope.GLOBAL,
              null,
              null,
              List.of(Alert.firing(Map.of("alertname", "Sample"))),
              AlertBatch.of(List.of(Alert.firing(Map.of("alertname", "Sample"))))),
          MessageSettings.DEFAULT);

  private final String channel;
  private final TemplateLimits limits;
  private final Map<String, CompiledTemplate> builtIn;

  private ChannelTemplates(
      String channel, TemplateLimits limits, Map<String, CompiledTemplate> builtIn) {
    this.channel = channel;
    this.limits = limits;
    this.builtIn = Map.copyOf(builtIn);
  }

  /**
   * Compiles the built-in templates of {@code channel}: each key of {@code templates} names a
   * resource {@code <RESOURCE_ROOT><channel>/<key>.ftl}, rendered into the given format.
   *
   * @throws IllegalStateException when a resource is missing or does not compile: a fault of the
   *     channel's build, found when it starts rather than when it sends
   */
  public static ChannelTemplates load(
      String channel,
      TemplateEngine engine,
      ClassLoader loader,
      Map<String, TemplateFormat> templates,
      TemplateLimits limits) {
    Map<String, CompiledTemplate> compiled = new LinkedHashMap<>();
    List<TemplateSource> library = List.of(library());
    for (Map.Entry<String, TemplateFormat> t : templates.entrySet()) {
      String name = channel + "/" + t.getKey() + ".ftl";
      TemplateSource source = new TemplateSource(name, resource(loader, RESOURCE_ROOT + name));
      TemplateCompilation result = engine.compile(source, library, t.getValue());
      if (result instanceof TemplateCompilation.Invalid invalid) {
        throw new IllegalStateException(
            "built-in template " + name + " does not compile: " + invalid.problems());
      }
      CompiledTemplate template = ((TemplateCompilation.Compiled) result).template();
      // Imports resolve when a template renders: one render now finds a broken one at start. Not
      // within a send's time limit: this is the template's first render, class loading and an
      // interpreted engine included, and on a starved machine it outlasted the limit, failing the
      // start of a manager whose templates are sound. The output limit still applies.
      TemplateLimits check = new TemplateLimits(limits.maxOutputChars(), START_CHECK_TIME);
      if (template.render(SAMPLE, check) instanceof TemplateOutput.Failed failed) {
        throw new IllegalStateException(
            "built-in template " + name + " does not render: " + failed.problem());
      }
      compiled.put(t.getKey(), template);
    }
    return new ChannelTemplates(channel, limits, compiled);
  }

  /** The built-in template {@code name}, e.g. {@code message}. */
  public CompiledTemplate builtIn(String name) {
    CompiledTemplate template = builtIn.get(name);
    if (template == null) {
      throw new IllegalArgumentException(
          "channel "
              + channel
              + " has no built-in template "
              + name
              + "; it has "
              + builtIn.keySet());
    }
    return template;
  }

  /**
   * Renders {@code name} for {@code notification}: its model in the options' language and time
   * zone, with the receiver's own template for {@code name} when it has one.
   */
  public Rendering render(String name, Notification notification, RenderOptions options) {
    return render(name, MessageModel.of(notification, options.settings()), options.template(name));
  }

  /** Renders the built-in template {@code name} against {@code model}. */
  public Rendering render(String name, Map<String, ?> model) {
    return render(name, model, null);
  }

  /**
   * Renders {@code custom} against {@code model}, or the built-in template {@code name} when there
   * is no custom template or it fails (or renders only white space); the rendering then carries the
   * custom template's problem.
   */
  public Rendering render(String name, Map<String, ?> model, @Nullable CompiledTemplate custom) {
    TemplateProblem problem = null;
    if (custom != null) {
      TemplateOutput out = custom.render(model, limits);
      if (out instanceof TemplateOutput.Rendered r && !r.text().isBlank()) {
        return new Rendering(r.text(), null);
      }
      problem =
          out instanceof TemplateOutput.Failed f
              ? f.problem()
              : TemplateProblem.of(custom.name(), "rendered nothing but white space");
    }
    TemplateOutput out = builtIn(name).render(model, limits);
    if (out instanceof TemplateOutput.Rendered r) {
      return new Rendering(r.text(), problem);
    }
    // Only a notification too large for the output cap gets here; it still says something.
    TemplateProblem failed = ((TemplateOutput.Failed) out).problem();
    return new Rendering(
        "Notification of " + model.get("receiver") + " could not be rendered: " + failed.message(),
        failed);
  }

  /**
   * The library every template may import as {@code nm.ftl}: functions the built-in templates share
   * (the title with its counts).
   */
  public static TemplateSource library() {
    return new TemplateSource(
        LIBRARY, resource(ChannelTemplates.class.getClassLoader(), RESOURCE_ROOT + LIBRARY));
  }

  /**
   * {@code detail}, followed by the problem of a template that failed (the built-in one rendered
   * instead), so the delivery's detail says why the message looks as it does.
   */
  public static String annotate(String detail, @Nullable TemplateProblem problem) {
    return problem == null ? detail : detail + " (template failed, built-in used: " + problem + ")";
  }

  /** {@code result} with its detail {@linkplain #annotate(String, TemplateProblem) annotated}. */
  public static SendResult annotate(SendResult result, @Nullable TemplateProblem problem) {
    if (problem == null) {
      return result;
    }
    return result instanceof SendResult.Failed f
        ? f.withDetail(annotate(f.detail(), problem))
        : SendResult.delivered(annotate(((SendResult.Delivered) result).detail(), problem));
  }

  private static String resource(ClassLoader loader, String path) {
    try (InputStream in = loader.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("built-in template " + path + " is not on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("reading built-in template " + path, e);
    }
  }

  @Override
  public String toString() {
    return "ChannelTemplates[" + channel + " " + builtIn.keySet() + "]";
  }

  /**
   * A rendered text, and why a custom template was not used when it was not.
   *
   * @param text what the message says; never empty
   * @param fallbackReason the custom template's problem when the built-in one rendered instead
   */
  public record Rendering(String text, @Nullable TemplateProblem fallbackReason) {
    public Rendering {
      Objects.requireNonNull(text, "text");
    }

    /** {@code detail}, followed by the fallback's reason when there was one. */
    public String annotate(String detail) {
      return ChannelTemplates.annotate(detail, fallbackReason);
    }
  }
}
