package io.nm4j.spi;

import java.util.Objects;

/**
 * Why a template did not compile or render, and where: {@code slack/message.ftl:3:14: ...}. Line
 * and column are 1-based; 0 when the engine cannot tell.
 *
 * @param template the template's name
 * @param line the line of the fault
 * @param column the column of the fault
 * @param message what is wrong, without the template's name or position
 */
public record TemplateProblem(String template, int line, int column, String message) {

  public TemplateProblem {
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(message, "message");
  }

  /** A fault with no position: a cap that was reached, an engine that failed. */
  public static TemplateProblem of(String template, String message) {
    return new TemplateProblem(template, 0, 0, message);
  }

  @Override
  public String toString() {
    return line > 0
        ? template + ":" + line + ":" + column + ": " + message
        : template + ": " + message;
  }
}
