package io.nm4j.server.internal;

import picocli.CommandLine.Option;

/** The {@code -h}/{@code --help} option every command has. */
public final class HelpOption {
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "show this help")
  boolean help;
}
