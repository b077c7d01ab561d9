package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A build tells its objects apart by kind and name, however their names hash, and the build or
 * change after it finds each object's reading by its name.
 */
class SnapshotNamesTest {
  private static final String NS = NotificationManager.DEFAULT_NAMESPACE;
  private static final int NAMES = 64;

  /**
   * Names made of the blocks {@code ao} and {@code c1}, which {@code String.hashCode} gives the
   * same value: every name has the hash of every other.
   */
  private static String collidingName(int i) {
    StringBuilder name = new StringBuilder("r-");
    for (int bit = 0; bit < 6; bit++) {
      name.append((i >> bit & 1) == 0 ? "ao" : "c1");
    }
    return name.toString();
  }

  private static ConfigObject receiver(String kind, String name, String to) {
    return ConfigObject.of(kind, name)
        .label("type", "tenant")
        .label("namespace", "ns-" + name.charAt(name.length() - 1))
        .spec(Map.of("to", to))
        .origin(to + ".yaml")
        .build();
  }

  private static List<ConfigObject> objects() {
    List<ConfigObject> objects = new ArrayList<>();
    objects.add(
        ConfigObject.of("PagerConfig", "default").label("type", "default").spec(Map.of()).build());
    for (int i = 0; i < NAMES; i++) {
      objects.add(receiver("PagerReceiver", collidingName(i), "pager-" + i));
    }
    return objects;
  }

  private static Snapshot built(List<ConfigObject> objects) {
    return Snapshot.build(ConfigSet.of(objects), Fixtures.CHANNELS, NS, null);
  }

  @Test
  void namesOfOneHashAreToldApartAndOnlyASecondDefinitionIsReported() {
    assertThat(collidingName(0).hashCode()).isEqualTo(collidingName(NAMES - 1).hashCode());
    List<ConfigObject> objects = objects();
    objects.add(receiver("PagerReceiver", collidingName(17), "again"));
    // The same name under another kind is another object.
    objects.add(receiver("ChatReceiver", collidingName(17), "chat"));

    Snapshot snapshot = built(objects);

    assertThat(snapshot.problems())
        .filteredOn(p -> p.field().equals("metadata.name"))
        .extracting(p -> p.object())
        .containsExactly("PagerReceiver/" + collidingName(17));
    assertThat(snapshot.destinations()).hasSize(NAMES + 1);
    assertThat(snapshot.destinations())
        .filteredOn(d -> d.receiver().toString().equals("PagerReceiver/" + collidingName(17)))
        .singleElement()
        .satisfies(
            d ->
                assertThat(((PagerChannelProvider.PagerReceiver) d.receiverSpec()).to())
                    .isEqualTo("pager-17"));
  }

  @Test
  void aReceiverChangedAmongNamesOfOneHashIsFoundByItsNameAndChangedInPlace() {
    List<ConfigObject> objects = objects();
    Snapshot first = built(objects);
    List<ConfigObject> changed = new ArrayList<>(objects);
    changed.set(1 + 42, receiver("PagerReceiver", collidingName(42), "pager-changed"));

    Snapshot next = first.next(ConfigSet.of(changed));

    assertThat(next.memo().changed()).isEqualTo(1);
    assertThat(next.destinations()).isEqualTo(built(changed).destinations());
    assertThat(next.problems()).isEqualTo(built(changed).problems());
  }
}
