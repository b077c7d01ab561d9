package io.nm4j.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AlertTest {
  private static Alert alert(Map<String, String> labels, Map<String, String> annotations) {
    return new Alert(
        AlertStatus.FIRING,
        labels,
        annotations,
        Instant.parse("2026-12-01T10:00:00Z"),
        null,
        "http://prometheus",
        "fp");
  }

  private static Map<String, String> linked(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  @Test
  void labelsAndAnnotationsIterateInKeyOrderWhateverOrderTheyCameIn() {
    Alert alert =
        alert(
            linked("namespace", "shop", "alertname", "Down", "job", "api", "Zone", "eu"),
            linked("summary", "s", "description", "d"));

    assertThat(alert.labels().keySet()).containsExactly("Zone", "alertname", "job", "namespace");
    assertThat(alert.labels().values()).containsExactly("eu", "Down", "api", "shop");
    assertThat(alert.annotations().keySet()).containsExactly("description", "summary");
    assertThat(alert.labels()).isInstanceOf(SortedMap.class);
    assertThat(((SortedMap<String, String>) alert.labels()).comparator()).isNull();
  }

  @Test
  void anAlertEqualsAndHashesLikeOneBuiltFromTheSamePairsInAnyMap() {
    Alert fromLinked =
        alert(linked("namespace", "shop", "alertname", "Down"), linked("summary", "s"));
    Alert fromHash =
        alert(
            new HashMap<>(Map.of("alertname", "Down", "namespace", "shop")),
            new HashMap<>(Map.of("summary", "s")));
    Alert fromTree =
        alert(
            new TreeMap<>(Map.of("alertname", "Down", "namespace", "shop")),
            Map.of("summary", "s"));

    assertThat(fromLinked).isEqualTo(fromHash).isEqualTo(fromTree);
    assertThat(fromLinked.hashCode()).isEqualTo(fromHash.hashCode()).isEqualTo(fromTree.hashCode());
    Map<String, String> plain = Map.of("alertname", "Down", "namespace", "shop");
    assertThat(fromLinked.labels()).isEqualTo(plain);
    assertThat(plain).isEqualTo(fromLinked.labels());
    assertThat(fromLinked.labels().hashCode()).isEqualTo(plain.hashCode());
    assertThat(fromLinked.labels().toString()).isEqualTo("{alertname=Down, namespace=shop}");
    assertThat(fromLinked).isNotEqualTo(alert(linked("namespace", "shop"), Map.of("summary", "s")));
  }

  @Test
  void lookupsFindEveryLabelAndNothingElse() {
    Alert alert = alert(linked("namespace", "shop", "alertname", "Down", "job", "api"), Map.of());

    assertThat(alert.namespace()).isEqualTo("shop");
    assertThat(alert.labels().get("job")).isEqualTo("api");
    assertThat(alert.labels().get("instance")).isNull();
    assertThat(alert.labels().get(42)).isNull();
    assertThat(alert.labels().containsKey("alertname")).isTrue();
    assertThat(alert.labels().containsKey("Alertname")).isFalse();
    assertThat(alert.annotations()).isEmpty();
    assertThat(Alert.firing(Map.of()).namespace()).isNull();
  }

  @Test
  void labelsCannotBeChangedThroughTheAlertNorThroughTheMapItWasBuiltFrom() {
    Map<String, String> source = linked("alertname", "Down");
    Alert alert = alert(source, Map.of());
    source.put("namespace", "shop");

    assertThat(alert.labels()).containsOnlyKeys("alertname");
    assertThatThrownBy(() -> alert.labels().put("namespace", "shop"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> alert.labels().remove("alertname"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> alert.labels().entrySet().iterator().remove())
        .isInstanceOfAny(UnsupportedOperationException.class, IllegalStateException.class);
  }

  @Test
  void aNullValueIsRefusedNamingItsLabel() {
    Map<String, String> labels = new HashMap<>();
    labels.put("namespace", null);

    assertThatThrownBy(() -> alert(labels, Map.of()))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("namespace");
  }

  @Test
  void aLabelNameGivenTwiceByAMapComparingByIdentityIsRefusedNamingIt() {
    Map<String, String> labels = new IdentityHashMap<>();
    labels.put(new String("team"), "a");
    labels.put(new String("team"), "b");

    assertThatThrownBy(() -> alert(labels, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("team");
  }

  @Test
  void partsOfTheLabelsAreInKeyOrderToo() {
    SortedMap<String, String> labels =
        (SortedMap<String, String>)
            alert(linked("c", "3", "a", "1", "d", "4", "b", "2"), Map.of()).labels();

    assertThat(labels.firstKey()).isEqualTo("a");
    assertThat(labels.lastKey()).isEqualTo("d");
    assertThat(labels.headMap("c")).isEqualTo(Map.of("a", "1", "b", "2"));
    assertThat(labels.tailMap("bb")).isEqualTo(Map.of("c", "3", "d", "4"));
    assertThat(labels.subMap("b", "d").keySet()).containsExactly("b", "c");
  }

  @Test
  void withAnnotationsKeepsTheLabels() {
    Alert alert = alert(linked("namespace", "shop"), Map.of());

    Alert annotated = alert.withAnnotations(linked("summary", "s", "description", "d"));

    assertThat(annotated.labels()).isSameAs(alert.labels());
    assertThat(annotated.annotations().keySet()).containsExactly("description", "summary");
  }
}
