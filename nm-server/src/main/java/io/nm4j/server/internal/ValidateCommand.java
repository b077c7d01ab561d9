package io.nm4j.server.internal;

import io.nm4j.spi.Problem;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code nm4j validate}: checks a configuration directory as the server would load it and prints
 * every problem, one per line.
 */
@Command(
    name = "validate",
    descriptionHeading = "%n",
    optionListHeading = "%nOptions:%n",
    description =
        "Check a configuration directory; print each problem as Kind/name: field: message.",
    footer = {
      "",
      "Prints each error as \"Kind/name: field: message\" (\"file: message\" when a file cannot be",
      "read) and each notice as \"notice: ...\"; a summary \"N objects, E errors\" goes to stderr.",
      "Exit codes: 0 no errors (notices allowed); 1 errors; 2 unreadable directory, bad arguments."
    })
public final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HelpOption help = new HelpOption();

  @Mixin ConfigInput input = new ConfigInput();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ConfigInput.Loaded config;
    try {
      config = input.load();
    } catch (InputException e) {
      err.println("nm4j validate: " + Lines.oneLine(String.valueOf(e.getMessage())));
      return 2;
    }
    int errors = 0;
    for (Problem p : config.snapshot().problems()) {
      if (p.severity() == Problem.Severity.ERROR) {
        errors++;
        out.println(Lines.oneLine(p.toString()));
      } else {
        out.println("notice: " + Lines.oneLine(p.toString()));
      }
    }
    err.println(config.set().objects().size() + " objects, " + errors + " errors");
    return errors > 0 ? 1 : 0;
  }
}
