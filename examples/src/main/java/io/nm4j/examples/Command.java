package io.nm4j.examples;

import java.io.PrintStream;
import java.util.List;

/**
 * One subcommand of {@code nm4j}. {@link Main} parses the options a command declares, prints its
 * help, and maps usage errors to exit code {@value Main#EXIT_USAGE}; the command does the rest.
 */
public interface Command {

  /** The word on the command line, e.g. {@code route}. */
  String name();

  /** One line for the list of commands. */
  String summary();

  /** The options it accepts, in help order. */
  List<Options.Option> options();

  /** Lines the help prints after the options (what it prints, exit codes). */
  default List<String> details() {
    return List.of();
  }

  /**
   * Runs the command.
   *
   * @return the process exit code
   */
  int run(Options options, PrintStream out, PrintStream err);
}
