package io.nm4j.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.ChannelProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The core, the Kubernetes source and the server know no channel by name: no string in their main
 * sources holds a kind, resource plural or selector field of a channel, or is a channel's name or
 * one of its options ({@code slack.apiUrl}). The names come from the providers on the classpath, so
 * a sixth channel is checked without changing this test. Comments may name channels in examples;
 * code may not.
 */
class ChannelNamesTest {
  private static final List<String> MODULES_THAT_NAME_NO_CHANNEL =
      List.of("nm-core", "nm-k8s-source", "nm-server");

  @Test
  void coreKubernetesSourceAndServerSourcesHoldNoChannelsName() throws IOException {
    List<ChannelProvider<?, ?>> providers = new ArrayList<>();
    ServiceLoader.load(ChannelProvider.class).forEach(providers::add);
    assertThat(providers)
        .extracting(ChannelProvider::name)
        .as("the five channels' providers, whose names are checked")
        .contains("email", "wechat", "slack", "webhook", "dingtalk");

    List<String> found = new ArrayList<>();
    for (String module : MODULES_THAT_NAME_NO_CHANNEL) {
      Path sources = repository().resolve(module).resolve("src/main/java");
      assertThat(sources).isDirectory();
      try (Stream<Path> files = Files.walk(sources)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          for (String literal : StringLiterals.of(Files.readString(file, StandardCharsets.UTF_8))) {
            for (ChannelProvider<?, ?> p : providers) {
              String name = channelNameIn(literal, p);
              if (name != null) {
                found.add(repository().relativize(file) + ": \"" + literal + "\" names " + name);
              }
            }
          }
        }
      }
    }
    assertThat(found).isEmpty();
  }

  @Test
  void onlyStringsInCodeAreChecked() {
    String source =
        """
        // "SlackReceiver" in a comment
        /* "EmailConfig" in a block comment */
        String kind = "WebhookReceiver"; char quote = '"'; String escaped = "a \\" b";
        String block = \"""
            dingtalk.apiUrl
            \""";
        """;
    assertThat(StringLiterals.of(source))
        .containsExactly("WebhookReceiver", "a \\\" b", "    dingtalk.apiUrl\n    ");
  }

  /** What in {@code literal} names the channel of {@code p}; {@code null} when nothing does. */
  private static String channelNameIn(String literal, ChannelProvider<?, ?> p) {
    ChannelDescription d = p.description();
    TreeSet<String> names = new TreeSet<>();
    names.add(p.receiverKind());
    names.add(p.configKind());
    names.add(p.selectorField());
    names.addAll(p.selectorFieldAliases());
    names.add(d.receiver().plural());
    names.add(d.config().plural());
    for (String name : names) {
      if (literal.contains(name)) {
        return name;
      }
    }
    String lower = literal.strip().toLowerCase(Locale.ROOT);
    Pattern option = Pattern.compile("(^|[^a-z0-9])" + Pattern.quote(p.name()) + "\\.[a-z]");
    if (lower.equals(p.name()) || option.matcher(lower).find()) {
      return "channel " + p.name();
    }
    return null;
  }

  /** The repository root: the parent of this module's directory. */
  private static Path repository() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
  }

  /** The string literals and text blocks of Java source, comments and char literals skipped. */
  static final class StringLiterals {
    private StringLiterals() {}

    static List<String> of(String source) {
      List<String> out = new ArrayList<>();
      int i = 0;
      int n = source.length();
      while (i < n) {
        char c = source.charAt(i);
        if (source.startsWith("//", i)) {
          int end = source.indexOf('\n', i);
          i = end < 0 ? n : end;
        } else if (source.startsWith("/*", i)) {
          int end = source.indexOf("*/", i + 2);
          i = end < 0 ? n : end + 2;
        } else if (source.startsWith("\"\"\"", i)) {
          int start = source.indexOf('\n', i) + 1;
          int end = source.indexOf("\"\"\"", start);
          if (end < 0) {
            throw new UncheckedIOException(new IOException("unterminated text block"));
          }
          out.add(source.substring(start, end));
          i = end + 3;
        } else if (c == '"' || c == '\'') {
          int j = i + 1;
          while (j < n && source.charAt(j) != c) {
            j += source.charAt(j) == '\\' ? 2 : 1;
          }
          if (c == '"') {
            out.add(source.substring(i + 1, j));
          }
          i = j + 1;
        } else {
          i++;
        }
      }
      return out;
    }
  }
}
