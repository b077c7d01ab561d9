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

  private static void deleteTree(Path root) throws IOException {
    try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void theWatchSurvivesTheDirectoryBeingReplacedAndItsHealthShowsTheGap() throws IOException {
    Path config = dir.resolve("config");
    Files.createDirectories(config);
    Files.writeString(config.resolve("r.yaml"), global("first") + config("d", "{type: default}"));
    try (FileConfigSource source =
            FileConfigSource.of(config, Duration.ofMillis(20), Duration.ofMillis(200));
        NotificationManager nm = manager(source)) {
      assertThat(receivers(nm)).containsExactly("first");
      assertThat(nm.configHealth().lastSuccess()).isNotNull();
      assertThat(nm.configHealth().lastFailure()).isNull();

      deleteTree(config);
      await().atMost(Duration.ofSeconds(20)).until(() -> nm.configHealth().lastFailure() != null);
      assertThat(nm.configHealth().failures()).isPositive();
      assertThat(nm.configHealth().lastFailure()).contains("cannot be read");
      assertThat(receivers(nm)).containsExactly("first"); // the last good view stays

      Files.createDirectories(config);
      Files.writeString(
          config.resolve("s.yaml"), global("second") + config("d", "{type: default}"));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> receivers(nm).equals(java.util.List.of("second")));
      await().atMost(Duration.ofSeconds(20)).until(() -> nm.configHealth().lastFailure() == null);
      Files.writeString(config.resolve("t.yaml"), global("third"));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> receivers(nm).equals(java.util.List.of("second", "third")));
    }
  }

  @Test
  void aWatchedSourceServesReadsFromItsViewAndStillSeesNewFiles() throws IOException {
    Files.writeString(dir.resolve("a.yaml"), global("a"));
    try (FileConfigSource source = FileConfigSource.of(dir, Duration.ofMillis(20))) {
      java.util.List<ConfigSet> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
      source.watch(seen::add);
      Files.writeString(dir.resolve("b.yaml"), global("b"));
      await().atMost(Duration.ofSeconds(20)).until(() -> source.load().objects().size() == 2);
      assertThat(seen).isNotEmpty();
      assertThat(source.health().failures()).isZero();
    }
  }
}
