package io.nm4j.core;

import static io.nm4j.core.Fixtures.config;
import static io.nm4j.core.Fixtures.global;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nm4j.spi.ConfigSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourcesTest {
  @TempDir Path dir;

  private NotificationManager manager(io.nm4j.spi.ConfigSource source) {
    return NotificationManager.builder()
        .discoverChannels(false)
        .channel(new PagerChannelProvider())
        .configSource(source)
        .build();
  }

  private static java.util.List<String> receivers(NotificationManager nm) {
    return nm.snapshot().destinations().stream().map(d -> d.receiver().name()).toList();
  }

  @Test
  void fileSourceReadsAllManifestsAndSkipsHiddenAndOtherFiles() throws IOException {
    Files.writeString(dir.resolve("a.yaml"), global("a") + config("d", "{type: default}"));
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/b.yml"), global("b"));
    Files.writeString(dir.resolve(".hidden.yaml"), global("hidden"));
    Files.writeString(dir.resolve("notes.txt"), "not a manifest");
    ConfigSet set = FileConfigSource.of(dir).load();
    assertThat(set.problems()).isEmpty();
    assertThat(set.objects()).extracting(o -> o.ref().name()).containsExactly("a", "d", "b");
  }

  @Test
  void missingDirectoryIsAProblemNotAnException() {
    ConfigSet set = FileConfigSource.of(dir.resolve("nope")).load();
    assertThat(set.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).isEqualTo("not a readable directory"));
  }

  @Test
  void editsAreHotReloadedAndABrokenEditKeepsTheFilesLastGoodVersion() throws IOException {
    Path file = dir.resolve("r.yaml");
    Files.writeString(file, global("first") + config("d", "{type: default}"));
    try (FileConfigSource source = FileConfigSource.of(dir, Duration.ofMillis(50));
        NotificationManager nm = manager(source)) {
      assertThat(receivers(nm)).containsExactly("first");

      Files.writeString(file, global("first") + global("second") + config("d", "{type: default}"));
      await().atMost(Duration.ofSeconds(20)).until(() -> receivers(nm).size() == 2);

      Files.writeString(file, "kind: [broken\n");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  nm.problems().stream()
                      .anyMatch(p -> p.message().contains("keeping the file's last good version")));
      assertThat(receivers(nm)).containsExactly("first", "second");

      Files.delete(file);
      await().atMost(Duration.ofSeconds(20)).until(() -> receivers(nm).isEmpty());
    }
  }

  @Test
  void inMemorySourceChangesSwapTheSnapshotAtomically() {
    InMemoryConfigSource source = new InMemoryConfigSource();
    AtomicReference<Snapshot> seen = new AtomicReference<>();
    try (NotificationManager nm = manager(source)) {
      nm.onSnapshot(seen::set);
      Snapshot before = nm.snapshot();
      source.putAll(Fixtures.yaml(global("ops") + config("d", "{type: default}")).objects());
      assertThat(nm.snapshot()).isNotSameAs(before).isSameAs(seen.get());
      assertThat(receivers(nm)).containsExactly("ops");
      assertThat(before.destinations()).isEmpty();
      assertThat(source.remove("PagerReceiver", "ops")).isTrue();
      assertThat(receivers(nm)).isEmpty();
    }
  }
}
