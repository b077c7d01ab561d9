package io.nm4j.examples;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A small command-line parser on the plain JDK: declared options only, each {@code --name VALUE},
 * {@code --name=VALUE} or a flag {@code --name}; {@code -h}/{@code --help} is always a flag.
 * Anything else is a {@link UsageException}, so a typo never passes silently.
 */
public final class Options {
  /** What a command accepts: its options in the order the help lists them. */
  private final Map<String, Option> declared;

  private final Map<String, String> values;
  private final boolean help;

  private Options(Map<String, Option> declared, Map<String, String> values, boolean help) {
    this.declared = declared;
    this.values = values;
    this.help = help;
  }

  /**
   * One declared option.
   *
   * @param name the long name without dashes, e.g. {@code config}
   * @param valueName how the help names its value, e.g. {@code DIR}; {@code null} for a flag
   * @param required whether the command fails without it
   * @param description one line for the help
   */
  public record Option(
      String name, @Nullable String valueName, boolean required, String description) {
    public Option {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(description, "description");
    }

    /** An option taking a value. */
    public static Option value(String name, String valueName, boolean required, String what) {
      return new Option(name, valueName, required, what);
    }

    /** A flag without a value. */
    public static Option flag(String name, String what) {
      return new Option(name, null, false, what);
    }

    boolean isFlag() {
      return valueName == null;
    }

    /** How the help shows it: {@code --config DIR}. */
    public String synopsis() {
      return isFlag() ? "--" + name : "--" + name + " " + valueName;
    }
  }

  /** The arguments were not understood; the message says what, for one line on stderr. */
  public static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }
  }

  /**
   * Parses {@code args} against the declared options. A missing required option is an error only
   * when help was not asked for.
   *
   * @throws UsageException on an unknown option, a missing value, a repeated option, a positional
   *     argument or a missing required option
   */
  public static Options parse(List<String> args, List<Option> options) throws UsageException {
    Map<String, Option> declared = new LinkedHashMap<>();
    for (Option o : options) {
      declared.put(o.name(), o);
    }
    Map<String, String> values = new LinkedHashMap<>();
    boolean help = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("-h") || arg.equals("--help")) {
        help = true;
        continue;
      }
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new UsageException("unexpected argument \"" + arg + "\"");
      }
      String name = arg.substring(2);
      String inline = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        inline = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      Option option = declared.get(name);
      if (option == null) {
        throw new UsageException("unknown option --" + name);
      }
      String value;
      if (option.isFlag()) {
        if (inline != null) {
          throw new UsageException("option --" + name + " takes no value");
        }
        value = "true";
      } else if (inline != null) {
        value = inline;
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new UsageException("option " + option.synopsis() + " needs a value");
      }
      if (values.putIfAbsent(name, value) != null) {
        throw new UsageException("option --" + name + " given twice");
      }
    }
    if (!help) {
      for (Option o : declared.values()) {
        if (o.required() && !values.containsKey(o.name())) {
          throw new UsageException("option " + o.synopsis() + " is required");
        }
      }
    }
    return new Options(declared, Collections.unmodifiableMap(values), help);
  }

  /** Whether {@code -h} or {@code --help} was given. */
  public boolean help() {
    return help;
  }

  /** The value of an option, or {@code null} when absent. */
  public @Nullable String get(String name) {
    requireDeclared(name);
    return values.get(name);
  }

  /** The value of an option, or {@code fallback} when absent. */
  public String get(String name, String fallback) {
    String v = get(name);
    return v == null ? fallback : v;
  }

  /** The value of a required option (checked by {@link #parse}). */
  public String required(String name) {
    String v = get(name);
    if (v == null) {
      throw new IllegalStateException("option --" + name + " is not required; use get");
    }
    return v;
  }

  /** Whether a flag was given. */
  public boolean flag(String name) {
    return get(name) != null;
  }

  private void requireDeclared(String name) {
    if (!declared.containsKey(name)) {
      throw new IllegalArgumentException("option --" + name + " is not declared");
    }
  }

  /** The help lines of options, aligned: {@code --config DIR the directory...}. */
  public static List<String> describe(List<Option> options) {
    int width = 0;
    for (Option o : options) {
      width = Math.max(width, o.synopsis().length());
    }
    List<String> lines = new ArrayList<>();
    for (Option o : options) {
      String pad = " ".repeat(width - o.synopsis().length());
      lines.add(
          "  " + o.synopsis() + pad + "  " + o.description() + (o.required() ? " (required)" : ""));
    }
    String helpSynopsis = "-h, --help";
    lines.add(
        "  "
            + helpSynopsis
            + " ".repeat(Math.max(0, width - helpSynopsis.length()))
            + "  show this help");
    return List.copyOf(lines);
  }
}
