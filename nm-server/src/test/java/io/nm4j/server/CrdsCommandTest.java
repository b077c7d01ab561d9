package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nm4j crds}: the CRDs (and with {@code --rbac} the RBAC rules) of the channels present are
 * exactly what {@code deploy/kubernetes/} commits for the built-in ones; a plugin that does not
 * describe its kinds is named. The CRDs of a described plugin are checked with the example channel
 * in {@code examples/custom-channel}.
 */
class CrdsCommandTest {
  private static final Path DEPLOY = Path.of("..", "deploy", "kubernetes");

  @TempDir Path tmp;

  /** The committed CRD files, one document each. */
  private static List<String> committedCrds() throws IOException {
    try (Stream<Path> files = Files.list(DEPLOY.resolve("crds"))) {
      return files
          .filter(f -> f.toString().endsWith(".yaml"))
          .sorted()
          .map(
              f -> {
                try {
                  return Files.readString(f);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .toList();
    }
  }

  /** The documents of a YAML stream, each with its trailing line break. */
  private static List<String> documents(String yaml) {
    return Stream.of(yaml.split("(?m)^---\n")).toList();
  }

  @Test
  void printsTheCommittedCrdOfEveryKindOfTheBuiltInChannelsAndTheSettings() throws IOException {
    Cli.Result r = Cli.run("crds");

    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(documents(r.out())).containsExactlyInAnyOrderElementsOf(committedCrds());
    assertThat(r.out()).doesNotContain("kind: Role");
  }

  @Test
  void withRbacTheCommittedRbacRulesFollowTheCrds() throws IOException {
    Cli.Result crds = Cli.run("crds");
    Cli.Result withRbac = Cli.run("crds", "--rbac");

    assertThat(withRbac.exit()).isZero();
    assertThat(withRbac.out())
        .isEqualTo(crds.out() + "---\n" + Files.readString(DEPLOY.resolve("rbac.yaml")));
  }

  @Test
  void theRbacRulesAreForTheGivenNamespace() {
    Cli.Result r = Cli.run("crds", "--rbac", "--namespace", "monitoring");

    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("kind: Role\nmetadata:\n  name: nm4j\n  namespace: monitoring\n")
        .doesNotContain("kubesphere-monitoring-system");
  }

  @Test
  void aPluginWhoseProviderDoesNotDescribeItsKindsIsNamedAndNothingIsPrinted() throws IOException {
    Path plugins =
        PluginJar.build(
            tmp.resolve("build"),
            tmp.resolve("plugins"),
            "file-channel.jar",
            "test.plugin.FileChannelProvider",
            PluginsTest.PROVIDER);

    Cli.Result r = Cli.run("crds", "--plugins", plugins.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines())
        .containsExactly(
            "nm4j crds: FileConfig has no schema: its channel provider must describe its kinds"
                + " (ChannelProvider.description()) to have a CRD");
  }

  @Test
  void aMissingPluginsDirectoryIsAUsageErrorNamingIt() {
    Path missing = tmp.resolve("nowhere");

    Cli.Result r = Cli.run("crds", "--plugins", missing.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .containsExactly("nm4j crds: --plugins " + missing + ": not a directory");
  }

  @Test
  void theTopLevelHelpListsTheCommandAndItsHelpShowsTheOptions() {
    Cli.Result top = Cli.run("--help");
    Cli.Result own = Cli.run("crds", "--help");

    assertThat(top.out()).containsPattern("(?m)^  crds +Print the CRDs of the kinds");
    assertThat(own.exit()).isZero();
    assertThat(own.outLines())
        .first()
        .isEqualTo("Usage: nm4j crds [-h] [--rbac] [--namespace=NS] [--plugins=DIR]");
    assertThat(own.out())
        .containsPattern("(?m)^      --rbac +also print the RBAC rules")
        .contains("Exit codes: 0 printed; 2 unusable plugins");
  }
}
