package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertmanagerProcessTest {
  @TempDir Path dir;

  private Path executable(Path directory, String name) throws IOException {
    Files.createDirectories(directory);
    Path file = directory.resolve(name);
    Files.writeString(file, "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  @Test
  void missingAlertmanagerFailsWithTheInstallCommandInsteadOfSkipping() {
    assertThatThrownBy(() -> AlertmanagerProcess.findBinary(Map.of("PATH", dir.toString())))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("apt-get install -y prometheus-alertmanager")
        .hasMessageContaining("ALERTMANAGER_BIN");
  }

  @Test
  void debianNameOnThePathIsPreferredOverTheUpstreamName() throws IOException {
    Path upstream = executable(dir.resolve("a"), "alertmanager");
    Path debian = executable(dir.resolve("b"), "prometheus-alertmanager");

    Path found =
        AlertmanagerProcess.findBinary(
            Map.of("PATH", upstream.getParent() + ":" + debian.getParent()));

    assertThat(found).isEqualTo(debian);
  }

  @Test
  void upstreamNameOnThePathIsFoundWhenTheDebianOneIsAbsent() throws IOException {
    Path upstream = executable(dir.resolve("a"), "alertmanager");

    assertThat(AlertmanagerProcess.findBinary(Map.of("PATH", upstream.getParent().toString())))
        .isEqualTo(upstream);
  }

  @Test
  void alertmanagerBinVariableWinsOverThePath() throws IOException {
    Path configured = executable(dir.resolve("custom"), "am");
    Path onPath = executable(dir.resolve("bin"), "prometheus-alertmanager");

    Path found =
        AlertmanagerProcess.findBinary(
            Map.of(
                "ALERTMANAGER_BIN", configured.toString(), "PATH", onPath.getParent().toString()));

    assertThat(found).isEqualTo(configured);
  }

  @Test
  void alertmanagerBinThatIsNotExecutableFailsNamingIt() throws IOException {
    Path notExecutable = Files.writeString(dir.resolve("am.txt"), "text");

    assertThatThrownBy(
            () ->
                AlertmanagerProcess.findBinary(
                    Map.of("ALERTMANAGER_BIN", notExecutable.toString())))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("ALERTMANAGER_BIN=" + notExecutable + " is not an executable file")
        .hasMessageContaining("apt-get install -y prometheus-alertmanager");
  }
}
