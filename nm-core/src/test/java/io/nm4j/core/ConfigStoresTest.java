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
}
