package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigStore;
import io.nm4j.spi.ConfigStoreException;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.ObjectMeta;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigStoresTest {
  @TempDir Path dir;

  private static ConfigObject receiver(String name, String type, String resourceVersion) {
    return new ConfigObject(
        ConfigObject.API_VERSION,
        "PagerReceiver",
        new ObjectMeta(name, "ns", Map.of("type", type), "", resourceVersion, null),
        Map.of("spec", Map.of("to", "ops")),
        "test");
  }

  private void contract(ConfigStore store) {
    ConfigObject created = store.create(receiver("a", "global", ""));
    assertThat(created.metadata().uid()).isNotEmpty();
    assertThat(created.metadata().resourceVersion()).isNotEmpty();
    assertThat(created.metadata().creationTimestamp()).isNotNull();
    assertThatThrownBy(() -> store.create(receiver("a", "global", "")))
        .isInstanceOfSatisfying(
            ConfigStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(ConfigStoreException.Reason.ALREADY_EXISTS));

    String rv = created.metadata().resourceVersion();
    ConfigObject updated = store.update(receiver("a", "tenant", rv));
    assertThat(updated.metadata().uid()).isEqualTo(created.metadata().uid());
    assertThat(updated.metadata().creationTimestamp())
        .isEqualTo(created.metadata().creationTimestamp());
    assertThat(updated.metadata().resourceVersion()).isNotEqualTo(rv);
    assertThatThrownBy(() -> store.update(receiver("a", "global", rv)))
        .isInstanceOfSatisfying(
            ConfigStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(ConfigStoreException.Reason.CONFLICT));
    assertThatThrownBy(() -> store.update(receiver("missing", "global", "")))
        .isInstanceOfSatisfying(
            ConfigStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(ConfigStoreException.Reason.NOT_FOUND));

    store.create(receiver("b", "global", ""));
    assertThat(store.list("PagerReceiver", LabelSelector.parse("type=global")))
        .extracting(o -> o.metadata().name())
        .containsExactly("b");
    assertThat(store.list("PagerReceiver", LabelSelector.EVERYTHING))
        .extracting(o -> o.metadata().name())
        .containsExactly("a", "b");
    assertThat(store.get("PagerReceiver", "a"))
        .hasValueSatisfying(o -> assertThat(o.metadata().labels()).containsEntry("type", "tenant"));

    assertThat(store.delete("PagerReceiver", "a").metadata().name()).isEqualTo("a");
    assertThat(store.get("PagerReceiver", "a")).isEmpty();
    assertThatThrownBy(() -> store.delete("PagerReceiver", "a"))
        .isInstanceOfSatisfying(
            ConfigStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(ConfigStoreException.Reason.NOT_FOUND));
    assertThat(store.load().objects()).extracting(o -> o.metadata().name()).containsExactly("b");
  }

  @Test
  void inMemoryStoreKeepsTheStoreContract() {
    InMemoryConfigSource store = new InMemoryConfigSource();
    List<Integer> published = new ArrayList<>();
    store.watch(set -> published.add(set.objects().size()));
    contract(store);
    assertThat(published).isNotEmpty();
  }

  @Test
  void directoryStoreKeepsTheStoreContract() {
    contract(FileConfigSource.of(dir));
  }

  @Test
  void directoryStoreWritesOneFileWithItsMetadataAndNoTemporaryFileRemains() throws Exception {
    FileConfigSource store = FileConfigSource.of(dir);
    ConfigObject created = store.create(receiver("ops", "global", ""));
    Path file = dir.resolve("pagerreceiver.ops.yaml");
    String text = Files.readString(file);
    assertThat(text)
        .contains("uid: \"" + created.metadata().uid() + "\"")
        .contains("resourceVersion: \"" + created.metadata().resourceVersion() + "\"")
        .contains("creationTimestamp:");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactly("pagerreceiver.ops.yaml");
    }
    // A fresh source (a restart) reads the same object back.
    ConfigObject reread = FileConfigSource.of(dir).get("PagerReceiver", "ops").orElseThrow();
    assertThat(reread.metadata()).isEqualTo(created.metadata());
    assertThat(reread.spec()).isEqualTo(Map.of("to", "ops"));
  }

  @Test
  void directoryStoreNeverReusesTheVersionOfADeletedObjectAfterARestart() {
    FileConfigSource store = FileConfigSource.of(dir);
    store.create(receiver("a", "global", ""));
    ConfigObject b = store.create(receiver("b", "global", ""));
    store.delete("PagerReceiver", "b");

    FileConfigSource restarted = FileConfigSource.of(dir);
    ConfigObject again = restarted.create(receiver("b", "global", ""));

    assertThat(Long.parseLong(again.metadata().resourceVersion()))
        .isGreaterThan(Long.parseLong(b.metadata().resourceVersion()));
    // a client still holding the deleted object's copy gets a conflict, not an overwrite
    assertThatThrownBy(() -> restarted.update(b))
        .isInstanceOfSatisfying(
            ConfigStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(ConfigStoreException.Reason.CONFLICT));
  }

  @Test
  void directoryStoreLeavesObjectsSharingAHandWrittenFileToThatFile() throws Exception {
    Files.writeString(
        dir.resolve("team.yaml"),
        """
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: PagerReceiver
        metadata: {name: one, labels: {type: global}}
        spec: {to: a}
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: PagerReceiver
        metadata: {name: two, labels: {type: global}}
        spec: {to: b}
        """);
    FileConfigSource store = FileConfigSource.of(dir);
    assertThat(store.get("PagerReceiver", "one")).isPresent();
    assertThatThrownBy(() -> store.update(receiver("one", "global", "")))
        .isInstanceOfSatisfying(
            ConfigStoreException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ConfigStoreException.Reason.CONFLICT);
              assertThat(e.getMessage()).contains("team.yaml");
            });
    assertThatThrownBy(() -> store.delete("PagerReceiver", "two"))
        .isInstanceOf(ConfigStoreException.class);
    assertThat(Files.readString(dir.resolve("team.yaml"))).contains("name: two");
  }

  @Test
  void directoryStoreRefusesNamesThatAreNotFileSafe() {
    FileConfigSource store = FileConfigSource.of(dir);
    assertThatThrownBy(() -> store.create(receiver("../escape", "global", "")))
        .isInstanceOfSatisfying(
            ConfigStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(ConfigStoreException.Reason.INVALID));
  }

  private static ConfigObject withSpec(String name, Map<String, Object> spec) {
    return new ConfigObject(
        ConfigObject.API_VERSION,
        "PagerReceiver",
        new ObjectMeta(name, "ns", Map.of("type", "global"), "", "", null),
        Map.of("spec", spec),
        "test");
  }

  @Test
  void directoryStoreWritesItsFilesAndTheDirectoryItCreatesForTheOwnerOnly() throws Exception {
    Path storeDir = dir.resolve("store");
    FileConfigSource store = FileConfigSource.of(storeDir);
    store.create(receiver("ops", "global", ""));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(storeDir)))
        .isEqualTo("rwx------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(storeDir.resolve("pagerreceiver.ops.yaml"))))
        .isEqualTo("rw-------");
    store.update(receiver("ops", "global", ""));
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(storeDir.resolve("pagerreceiver.ops.yaml"))))
        .isEqualTo("rw-------");
  }

  @Test
  void aNameOf253CharactersGetsASafeFileOfItsOwnFoundAgainAfterARestart() throws Exception {
    String name = "a".repeat(120) + "." + "b".repeat(132);
    String similar = "a".repeat(120) + "." + "b".repeat(131) + "c";
    assertThat(name).hasSize(253);
    FileConfigSource store = FileConfigSource.of(dir);
    store.create(receiver(name, "global", ""));
    store.create(receiver(similar, "global", ""));
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .hasSize(2)
          .allSatisfy(f -> assertThat(f.length()).isLessThanOrEqualTo(200));
    }
    FileConfigSource restarted = FileConfigSource.of(dir);
    assertThat(restarted.get("PagerReceiver", name)).isPresent();
    restarted.update(receiver(name, "global", ""));
    restarted.delete("PagerReceiver", name);
    assertThat(FileConfigSource.of(dir).list("PagerReceiver", LabelSelector.EVERYTHING))
        .extracting(o -> o.metadata().name())
        .containsExactly(similar);
  }

  @Test
  void whatWouldNotReadBackTheSameIsRefusedNamingTheFieldAndNothingIsWritten() throws Exception {
    FileConfigSource store = FileConfigSource.of(dir);
    Map<String, Object> deep = Map.of("end", true);
    for (int i = 0; i < Manifests.MAX_DEPTH + 5; i++) {
      deep = Map.of("x", deep);
    }
    ConfigObject tooDeep = withSpec("deep", deep);
    assertThatThrownBy(() -> store.create(tooDeep))
        .isInstanceOfSatisfying(
            ConfigStoreException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ConfigStoreException.Reason.INVALID);
              assertThat(e.getMessage())
                  .startsWith("PagerReceiver/deep: cannot be stored: ")
                  .contains("nested deeper than");
            });
    ConfigObject merge = withSpec("merge", Map.of("<<", Map.of("to", "x")));
    assertThatThrownBy(() -> store.create(merge))
        .isInstanceOfSatisfying(
            ConfigStoreException.class,
            e -> assertThat(e.reason()).isEqualTo(ConfigStoreException.Reason.INVALID));
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
    // the names stay free
    assertThat(store.create(withSpec("deep", Map.of("to", "x")))).isNotNull();
  }

  @Test
  void storeErrorsNeverShowWhereTheDirectoryIs() throws Exception {
    Path blocker = dir.resolve("blocked");
    Files.writeString(blocker, "a file where the store wants its directory");
    FileConfigSource store = FileConfigSource.of(blocker.resolve("store"));
    assertThatThrownBy(() -> store.create(receiver("ops", "global", "")))
        .isInstanceOfSatisfying(
            ConfigStoreException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ConfigStoreException.Reason.UNAVAILABLE);
              assertThat(e.getMessage())
                  .startsWith("PagerReceiver/ops: cannot write pagerreceiver.ops.yaml: ")
                  .doesNotContain(dir.toString(), dir.toAbsolutePath().toString());
            });
    Files.writeString(dir.resolve("pagerreceiver.taken.yaml"), "not: [readable\n");
    FileConfigSource other = FileConfigSource.of(dir);
    assertThatThrownBy(() -> other.create(receiver("taken", "global", "")))
        .isInstanceOfSatisfying(
            ConfigStoreException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ConfigStoreException.Reason.ALREADY_EXISTS);
              assertThat(e.getMessage())
                  .isEqualTo("PagerReceiver/taken already exists")
                  .doesNotContain(dir.toString());
            });
    assertThat(other.load().problems())
        .allSatisfy(p -> assertThat(p.toString()).doesNotContain(dir.toString()));
  }
}
