package io.nm4j.server.internal;

import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Environment variables as the defaults of every {@code serve} option, the Kubernetes way: {@code
 * --max-in-flight} from {@code NM4J_MAX_IN_FLIGHT}, a flag from {@code true} or {@code false}, a
 * repeatable option from a comma-separated list. An option given on the command line wins.
 */
public final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
  private final Map<String, String> environment;

  public EnvironmentDefaults(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** The variable that holds the default of option {@code --name}: {@code NM4J_NAME}. */
  public static String variable(String longName) {
    return "NM4J_" + longName.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
  }

  @Override
  public @Nullable String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option)
        || argSpec.command() == null
        || !ServeCommand.NAME.equals(argSpec.command().name())
        || option.usageHelp()) {
      return null;
    }
    String value = environment.get(variable(option.longestName()));
    return value == null || value.isBlank() ? null : value.strip();
  }
}
