package io.nm4j.server.internal;

import io.nm4j.server.Command;
import io.nm4j.server.Options;
import io.nm4j.spi.Problem;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code nm4j validate}: checks a configuration directory as the server would load it and prints
 * every problem, one per line.
 */
public final class ValidateCommand implements Command {

  @Override
  public String name() {
    return "validate";
  }

  @Override
  public String summary() {
    return "check a configuration directory; print each problem as Kind/name: field: message";
  }

  @Override
  public List<Options.Option> options() {
    return List.of(ConfigInput.CONFIG, ConfigInput.NAMESPACE);
  }

  @Override
  public List<String> details() {
    return List.of(
        "Prints each error as \"Kind/name: field: message\" (\"file: message\" when a file cannot be",
        "read) and each notice as \"notice: ...\"; a summary \"N objects, E errors\" goes to stderr.",
        "Exit codes: 0 no errors (notices allowed); 1 errors; 2 unreadable directory, bad arguments.");
  }

  @Override
  public int run(Options options, PrintStream out, PrintStream err) {
    ConfigInput.Loaded config;
    try {
      config = ConfigInput.load(options);
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
