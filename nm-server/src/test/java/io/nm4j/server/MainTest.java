package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"--help", "-h", "help"})
  void helpListsTheCommandsOnStdoutAndExitsZero(String flag) {
    Cli.Result r = Cli.run(flag);

    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.outLines()).first().isEqualTo("Usage: nm4j [-hV] [COMMAND]");
    assertThat(r.out())
        .containsPattern("(?m)^  serve +Run the server")
        .containsPattern("(?m)^  route +Show which receivers")
        .containsPattern("(?m)^  validate +Check a configuration directory")
        .containsPattern("(?m)^  completion +Print the bash completion script")
        .containsPattern("(?m)^  help +");
  }

  @Test
  void noArgumentsPrintsUsageOnStderrAndExitsTwo() {
    Cli.Result r = Cli.run();

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).first().isEqualTo("nm4j: a command is required");
    assertThat(r.err()).contains("Usage: nm4j [-hV] [COMMAND]");
  }

  @Test
  void unknownCommandIsNamedOnStderrWithUsageAndExitsTwo() {
    Cli.Result r = Cli.run("serve-all");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).first().isEqualTo("nm4j: Unmatched argument at index 0: 'serve-all'");
    assertThat(r.err()).contains("Usage: nm4j [-hV] [COMMAND]");
  }

  @Test
  void routeHelpShowsItsOptionsAndExitCodes() {
    Cli.Result r = Cli.run("route", "--help");

    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.outLines())
        .first()
        .isEqualTo(
            "Usage: nm4j route [-h] --alerts=FILE --config=DIR [--namespace=NS] [--plugins=DIR]");
    assertThat(r.out())
        .containsPattern("(?m)^      --config=DIR +directory of manifests")
        .containsPattern("(?m)^      --alerts=FILE +Alertmanager webhook")
        .containsPattern("(?m)^      --namespace=NS +namespace of receivers")
        .containsPattern("(?m)^  -h, --help +show this help$")
        .contains("Exit codes: 0 explained; 2 unreadable directory or payload");
  }

  @Test
  void helpCommandShowsTheSameHelpAsTheFlag() {
    Cli.Result viaHelp = Cli.run("help", "validate");
    Cli.Result viaFlag = Cli.run("validate", "-h");

    assertThat(viaHelp.exit()).isZero();
    assertThat(viaHelp.out()).isEqualTo(viaFlag.out());
    assertThat(viaHelp.outLines())
        .first()
        .isEqualTo("Usage: nm4j validate [-h] --config=DIR [--namespace=NS] [--plugins=DIR]");
    assertThat(viaHelp.out())
        .contains("Exit codes: 0 no errors (notices allowed); 1 errors; 2 unreadable directory");
  }

  @Test
  void helpOfAnUnknownCommandExitsTwo() {
    Cli.Result r = Cli.run("help", "serve-all");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines()).first().isEqualTo("nm4j: Unknown subcommand 'serve-all'.");
  }

  @Test
  void unknownOptionPrintsOneErrorLineAndTheCommandUsageOnStderrAndExitsTwo() {
    Cli.Result r = Cli.run("validate", "--config", dir.toString(), "--verbose");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).first().isEqualTo("nm4j validate: Unknown option: '--verbose'");
    assertThat(r.errLines())
        .contains("Usage: nm4j validate [-h] --config=DIR [--namespace=NS] [--plugins=DIR]");
  }

  @Test
  void missingRequiredOptionIsAUsageError() {
    Cli.Result r = Cli.run("route", "--config", dir.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .first()
        .isEqualTo("nm4j route: Missing required option: '--alerts=FILE'");
  }

  @Test
  void optionWithoutItsValueIsAUsageError() {
    Cli.Result r = Cli.run("validate", "--config");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .first()
        .isEqualTo("nm4j validate: Missing required parameter for option '--config' (DIR)");
  }

  @Test
  void positionalArgumentIsAUsageError() {
    Cli.Result r = Cli.run("validate", "--config", dir.toString(), dir.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .first()
        .isEqualTo("nm4j validate: Unmatched argument at index 3: '" + dir + "'");
  }

  @Test
  void aSingleValuedOptionGivenTwiceIsAUsageError() {
    Cli.Result r = Cli.run("validate", "--config", "a", "--config=b");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .first()
        .isEqualTo("nm4j validate: option '--config' (DIR) should be specified only once");
  }

  @Test
  void argumentsAreReadFromAnAtFile() throws IOException {
    Path missing = dir.resolve("nowhere");
    Path args = Files.writeString(dir.resolve("args"), "--config\n" + missing + "\n");

    Cli.Result r = Cli.run("validate", "@" + args);

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .containsExactly("nm4j validate: --config " + missing + ": no such directory");
  }

  @Test
  void serveTakesItsOptionsFromNm4jVariablesAndNamesTheFlagInErrors() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    Path config = Files.createDirectories(dir.resolve("config"));

    Cli.Result r =
        Cli.run(
            Map.of("NM4J_CONFIG", config.toString(), "NM4J_DATA_DIR", file.toString()), "serve");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .containsExactly(
            "nm4j serve: --data-dir "
                + file
                + ": not a directory (a file of that name is in the way)");
  }

  @Test
  void theReadmeShowsExactlyWhatServeHelpPrints() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    int marker = readme.indexOf("<!-- serve-help");
    assertThat(marker).as("the serve-help block in README.md").isNotNegative();
    int start = readme.indexOf("```text\n", marker) + "```text\n".length();
    int end = readme.indexOf("\n```", start);

    Cli.Result r = Cli.run("serve", "--help");

    assertThat(r.exit()).isZero();
    assertThat(readme.substring(start, end)).isEqualTo(r.out().stripTrailing());
  }

  @Test
  void completionPrintsABashScriptCoveringEveryCommandAndServeOption() {
    Cli.Result r = Cli.run("completion");

    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .startsWith("#!/usr/bin/env bash")
        .contains("complete -F _complete_nm4j")
        .contains("serve", "route", "validate")
        .contains("--channel-option", "--tls-client-ca", "--intake-token-file");
  }

  @Test
  void validateOfAMissingDirectoryExitsTwoNamingIt() {
    Path missing = dir.resolve("nowhere");

    Cli.Result r = Cli.run("validate", "--config", missing.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines())
        .containsExactly("nm4j validate: --config " + missing + ": no such directory");
  }

  @Test
  void validateOfAFileInsteadOfADirectoryExitsTwo() throws IOException {
    Path file = Files.writeString(dir.resolve("config.yaml"), "kind: List\n");

    Cli.Result r = Cli.run("validate", "--config=" + file);

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .containsExactly("nm4j validate: --config " + file + ": not a directory");
  }

  @Test
  void routeWithAMissingConfigDirectoryExitsTwo() {
    Path missing = dir.resolve("nowhere");

    Cli.Result r =
        Cli.run(
            "route",
            "--config",
            missing.toString(),
            "--alerts",
            Cli.resource("alertmanager/firing-single.json").toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines())
        .containsExactly("nm4j route: --config " + missing + ": no such directory");
  }

  @Test
  void routeWithAMissingAlertsFileExitsTwoNamingIt() {
    Path missing = dir.resolve("alerts.json");

    Cli.Result r = Cli.run("route", "--config", dir.toString(), "--alerts", missing.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).containsExactly("nm4j route: " + missing + ": no such file");
  }

  @Test
  void routeWithADirectoryAsAlertsFileExitsTwo() {
    Cli.Result r = Cli.run("route", "--config", dir.toString(), "--alerts", dir.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines())
        .containsExactly("nm4j route: " + dir + ": is a directory, expected a JSON file");
  }

  @Test
  void routeOfAPayloadWithAMistypedFieldNamesTheFileAndTheFieldAndExitsTwo() throws IOException {
    Path payload =
        Files.writeString(
            dir.resolve("bad.json"),
            "{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\","
                + "\"labels\":{\"alertname\":\"X\"}},{\"status\":\"firing\","
                + "\"labels\":{\"severity\":5}}]}",
            StandardCharsets.UTF_8);

    Cli.Result r = Cli.run("route", "--config", dir.toString(), "--alerts", payload.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines())
        .containsExactly(
            "nm4j route: "
                + payload
                + ": alerts[1].labels.severity: must be a string, was a number");
  }

  @Test
  void routeOfAPayloadWithoutAlertsNamesTheMissingField() throws IOException {
    Path payload = Files.writeString(dir.resolve("empty.json"), "{\"version\":\"4\"}");

    Cli.Result r = Cli.run("route", "--config", dir.toString(), "--alerts", payload.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines()).containsExactly("nm4j route: " + payload + ": alerts: is required");
  }

  @Test
  void routeOfATextThatIsNotJsonSaysMalformedJsonOnOneLine() throws IOException {
    Path payload = Files.writeString(dir.resolve("text.json"), "alerts: [ firing ]\n");

    Cli.Result r = Cli.run("route", "--config", dir.toString(), "--alerts", payload.toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).startsWith("nm4j route: " + payload + ": malformed JSON: ");
  }
}
