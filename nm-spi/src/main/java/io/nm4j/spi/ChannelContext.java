package io.nm4j.spi;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the core gives a channel when it creates it.
 *
 * @param options this channel's options without their prefix ({@code slack.apiUrl=...} arrives as
 *     {@code apiUrl}), e.g. API base URLs redirected for tests or proxies
 * @param clock the manager's clock; channels read time only through it
 * @param permits the manager's rate limits per endpoint, shared by all its channels, where a
 *     channel takes a permit for every message it posts to an endpoint whose remote limits its rate
 * @param templateEngine the engine the manager was given; {@code null} to use the one on the class
 *     path ({@link #templateEngine(ClassLoader)})
 */
public record ChannelContext(
    Map<String, String> options,
    Clock clock,
    RatePermits permits,
    @Nullable TemplateEngine templateEngine) {

  public ChannelContext {
    options = Map.copyOf(options);
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(permits, "permits");
  }

  /**
   * A context with rate limits of its own, as a channel used alone has them, and the template
   * engine on the class path.
   */
  public ChannelContext(Map<String, String> options, Clock clock) {
    this(options, clock, new RatePermits(), null);
  }

  public @Nullable String option(String name) {
    return options.get(name);
  }

  public String option(String name, String defaultValue) {
    return options.getOrDefault(name, defaultValue);
  }

  /**
   * The engine a channel renders with: the manager's, else the one {@code loader} provides.
   *
   * @throws IllegalStateException when there is none, or several to choose from
   */
  public TemplateEngine templateEngine(ClassLoader loader) {
    if (templateEngine != null) {
      return templateEngine;
    }
    return TemplateEngine.onClassPath(loader);
  }
}
