package io.nm4j.server;

import io.nm4j.server.internal.CompletionCommand;
import io.nm4j.server.internal.ConvertCommand;
import io.nm4j.server.internal.CrdsCommand;
import io.nm4j.server.internal.EnvironmentDefaults;
import io.nm4j.server.internal.RenderCommand;
import io.nm4j.server.internal.RouteCommand;
import io.nm4j.server.internal.ServeCommand;
import io.nm4j.server.internal.ValidateCommand;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code nm4j} command line: {@code nm4j <command> [options]}, with the commands {@code serve},
 * {@code route}, {@code validate}, {@code crds}, {@code completion} and {@code help}.
 *
 * <p>Exit codes: 0 success, 1 the configuration has errors ({@code validate}), 2 bad arguments or
 * unusable input. Results go to stdout, errors to stderr, one line each. Options may be repeated
 * where they take several values, read from {@code @file} arguments, and for {@code serve} default
 * to {@code NM4J_*} environment variables.
 */
public final class Main {
  /** Exit code for bad arguments and unusable input. */
  public static final int EXIT_USAGE = 2;

  /** Help lines are this wide, whatever the terminal, so they read the same as in the README. */
  static final int HELP_WIDTH = 100;

  private final Map<String, String> environment;

  /** A command line whose {@code serve} options default to this process's environment. */
  public Main() {
    this(System.getenv());
  }

  /** A command line whose {@code serve} options default to {@code environment}. */
  public Main(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  public static void main(String[] args) {
    System.exit(new Main().run(args, System.out, System.err));
  }

  /** The top-level command: it only dispatches to a subcommand. */
  @Command(
      name = "nm4j",
      description = "The nm4j notification manager: server and configuration tools.",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      descriptionHeading = "%n",
      optionListHeading = "%nOptions:%n",
      commandListHeading = "%nCommands:%n",
      footer = {"", "Run \"nm4j <command> --help\" for the options of a command."})
  static final class Top implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
  }

  /** The version from the jar's manifest, when there is one. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"nm4j " + (v == null ? "(development build)" : v)};
    }
  }

  /** The command line, writing to {@code out} and {@code err}. */
  private CommandLine commandLine(PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new Top());
    cl.addSubcommand(new ServeCommand());
    cl.addSubcommand(new RouteCommand());
    cl.addSubcommand(new RenderCommand());
    cl.addSubcommand(new ValidateCommand());
    cl.addSubcommand(new CrdsCommand());
    cl.addSubcommand(new ConvertCommand());
    cl.addSubcommand(new CompletionCommand());
    cl.addSubcommand(new CommandLine.HelpCommand());
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cl.setUsageHelpWidth(HELP_WIDTH);
    cl.setDefaultValueProvider(new EnvironmentDefaults(environment));
    cl.setParameterExceptionHandler(
        (e, args) -> {
          CommandLine failed = e.getCommandLine();
          failed.getErr().println(failed.getCommandSpec().qualifiedName() + ": " + e.getMessage());
          failed.usage(failed.getErr());
          return EXIT_USAGE;
        });
    cl.setExecutionExceptionHandler(
        (e, failed, parsed) -> {
          failed.getErr().println(failed.getCommandSpec().qualifiedName() + ": " + e);
          return EXIT_USAGE;
        });
    return cl;
  }

  /**
   * Runs one command line.
   *
   * @return the exit code
   */
  public int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cl = commandLine(out, err);
    int code = cl.execute(args);
    cl.getOut().flush();
    cl.getErr().flush();
    return code;
  }
}
