package io.nm4j.server.internal;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code nm4j completion}: prints the bash completion script of the whole command line. */
@Command(
    name = "completion",
    descriptionHeading = "%n",
    optionListHeading = "%nOptions:%n",
    description = "Print the bash completion script: source <(java -jar nm4j.jar completion).")
public final class CompletionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HelpOption help = new HelpOption();

  @Override
  public Integer call() {
    CommandLine root = spec.commandLine().getParent();
    spec.commandLine().getOut().print(AutoComplete.bash("nm4j", root));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
