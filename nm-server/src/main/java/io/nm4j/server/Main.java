package io.nm4j.server;

import io.nm4j.server.internal.RouteCommand;
import io.nm4j.server.internal.ServeCommand;
import io.nm4j.server.internal.ValidateCommand;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code nm4j} command line: {@code nm4j <command> [options]}.
 *
 * <p>Exit codes: 0 success, 1 the configuration has errors ({@code validate}), 2 bad arguments or
 * unreadable input. Results go to stdout, errors to stderr, one line each.
 */
public final class Main {
  /** Exit code for bad arguments and unreadable input. */
  public static final int EXIT_USAGE = 2;

  private final Map<String, Command> commands = new LinkedHashMap<>();

  /** A command line with the built-in commands. */
  public Main() {
    this(List.of(new ServeCommand(), new RouteCommand(), new ValidateCommand()));
  }

  /** A command line with exactly these commands, in help order. */
  public Main(List<? extends Command> commands) {
    for (Command c : commands) {
      if (this.commands.putIfAbsent(c.name(), c) != null) {
        throw new IllegalArgumentException("two commands named " + c.name());
      }
    }
  }

  public static void main(String[] args) {
    System.exit(new Main().run(args, System.out, System.err));
  }

  /**
   * Runs one command line.
   *
   * @return the exit code
   */
  public int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println("nm4j: a command is required");
      printUsage(err);
      return EXIT_USAGE;
    }
    String first = args[0];
    if (first.equals("-h") || first.equals("--help")) {
      printUsage(out);
      return 0;
    }
    if (first.equals("help")) {
      return help(Arrays.copyOfRange(args, 1, args.length), out, err);
    }
    Command command = commands.get(first);
    if (command == null) {
      err.println("nm4j: unknown command \"" + first + "\"");
      printUsage(err);
      return EXIT_USAGE;
    }
    Options options;
    try {
      options = Options.parse(Arrays.asList(args).subList(1, args.length), command.options());
    } catch (Options.UsageException e) {
      err.println("nm4j " + command.name() + ": " + e.getMessage());
      printUsage(command, err);
      return EXIT_USAGE;
    }
    if (options.help()) {
      printUsage(command, out);
      return 0;
    }
    return command.run(options, out, err);
  }

  private int help(String[] rest, PrintStream out, PrintStream err) {
    if (rest.length == 0) {
      printUsage(out);
      return 0;
    }
    Command command = rest.length == 1 ? commands.get(rest[0]) : null;
    if (command == null) {
      err.println(
          "nm4j help: "
              + (rest.length == 1 ? "unknown command \"" + rest[0] + "\"" : "expects one command"));
      printUsage(err);
      return EXIT_USAGE;
    }
    printUsage(command, out);
    return 0;
  }

  private void printUsage(PrintStream to) {
    to.println("usage: nm4j <command> [options]");
    to.println();
    to.println("commands:");
    int width = 4; // "help"
    for (String name : commands.keySet()) {
      width = Math.max(width, name.length());
    }
    for (Command c : commands.values()) {
      to.println("  " + pad(c.name(), width) + "  " + c.summary());
    }
    to.println("  " + pad("help", width) + "  show the help of a command: nm4j help <command>");
    to.println();
    to.println("Run \"nm4j <command> --help\" for the options of a command.");
  }

  private static void printUsage(Command c, PrintStream to) {
    StringBuilder synopsis = new StringBuilder("usage: nm4j ").append(c.name());
    for (Options.Option o : c.options()) {
      synopsis.append(' ').append(o.required() ? o.synopsis() : "[" + o.synopsis() + "]");
    }
    to.println(synopsis);
    to.println();
    to.println(capitalize(c.summary()) + ".");
    to.println();
    to.println("options:");
    Options.describe(c.options()).forEach(to::println);
    List<String> details = c.details();
    if (!details.isEmpty()) {
      to.println();
      details.forEach(to::println);
    }
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(width - s.length());
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? "" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
