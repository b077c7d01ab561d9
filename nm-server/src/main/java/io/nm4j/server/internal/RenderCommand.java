package io.nm4j.server.internal;

import io.nm4j.core.Preview;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.Problem;
import io.nm4j.spi.TemplateEngine;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nm4j render}: prints what each notification of a webhook payload would say on a
 * configuration directory, rendered with the templates chosen for its receiver; sends nothing and
 * reads no secret.
 */
@Command(
    name = "render",
    descriptionHeading = "%n",
    optionListHeading = "%nOptions:%n",
    description = "Show each notification's title and body as it would be sent; sends nothing.",
    footer = {
      "",
      "For each receiver the payload reaches: its title and body, rendered with the templates,",
      "language and time zone chosen for it (built-in where none is), before the channel splits",
      "long messages. The configuration's problems are printed to standard error.",
      "Exit codes: 0 rendered; 1 no receiver matched --receiver;",
      "2 unreadable directory or payload, bad arguments."
    })
public final class RenderCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HelpOption help = new HelpOption();

  @Mixin ConfigInput input = new ConfigInput();

  @Mixin LanguageAndTimezone messages = new LanguageAndTimezone();

  @Option(
      names = "--alerts",
      paramLabel = "FILE",
      required = true,
      description = "Alertmanager webhook (version 4) payload, JSON")
  String alerts = "";

  @Option(
      names = "--receiver",
      paramLabel = "KIND/NAME",
      description = "Only this receiver, Kind/name as route names it")
  String receiver = "";

  @Option(names = "--json", description = "Print the preview as JSON")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      AlertBatch batch = RouteCommand.readPayload(alerts);
      ConfigInput.Loaded config = input.load(messages.messageDefaults());
      TemplateEngine engine = TemplateEngine.onClassPath(RenderCommand.class.getClassLoader());
      config.snapshot().problems().stream()
          .filter(p -> p.severity() == Problem.Severity.ERROR)
          .forEach(p -> err.println("problem: " + Lines.oneLine(p.toString())));
      Preview preview =
          Preview.of(
              config.snapshot(),
              batch,
              engine,
              d -> receiver.isEmpty() || d.receiver().toString().equals(receiver));
      if (!receiver.isEmpty() && preview.notifications().isEmpty()) {
        err.println("nm4j render: no notification of the payload goes to " + receiver);
        return 1;
      }
      if (json) {
        out.println(preview.toIndentedJson());
        return 0;
      }
      for (Preview.RenderedNotification n : preview.notifications()) {
        out.println("=== " + n.receiver() + " (alerts " + n.alerts() + ")");
        for (Map.Entry<String, String> part : n.parts().entrySet()) {
          out.println("--- " + part.getKey());
          out.println(part.getValue().stripTrailing());
        }
        n.notes().forEach(note -> out.println("(" + Lines.oneLine(note) + ")"));
      }
      return 0;
    } catch (InputException e) {
      err.println("nm4j render: " + Lines.oneLine(String.valueOf(e.getMessage())));
      return 2;
    }
  }
}
