package io.nm4j.server;

import io.nm4j.server.internal.InputException;
import io.nm4j.server.internal.ServeCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * {@code nm4j serve} in the test's own JVM: the options parsed as the command line parses them and
 * the server started as {@code serve} starts it, without waiting for SIGTERM ({@link
 * ServeCommand.Running#close()} stops it the same way).
 */
final class InProcessServe {
  private InProcessServe() {}

  /**
   * The options of a server on {@code config}, its journal in {@code data}, both listeners on free
   * loopback ports; then {@code more}.
   */
  static String[] options(Path config, Path data, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--config",
                config.toString(),
                "--data-dir",
                data.toString(),
                "--listen",
                "127.0.0.1:0",
                "--admin-listen",
                "127.0.0.1:0"));
    args.addAll(List.of(more));
    return args.toArray(new String[0]);
  }

  static ServeCommand.Running start(String... args) throws InputException {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs(args);
    StringWriter printed = new StringWriter();
    try (PrintWriter out = new PrintWriter(printed)) {
      return serve.launch(out, out);
    }
  }
}
