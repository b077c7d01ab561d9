package io.nm4j.core.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two sets compared by identity give the objects removed and added: those only one set holds, a
 * second copy, and an object that moved among the others.
 */
class SetDeltaTest {
  private static ConfigObject secret(String name) {
    return ConfigObject.of("Secret", name).apiVersion("v1").build();
  }

  @Test
  void anObjectTheNextSetHoldsOnceMoreIsAdded() {
    ConfigObject x = secret("x");
    ConfigObject s = secret("s");
    ConfigObject y = secret("y");
    ConfigObject z = secret("z");

    ConfigSet.Change change = SetDelta.between(List.of(x, s, y), ConfigSet.of(List.of(s, s, z)));

    assertThat(change).isNotNull();
    assertThat(change.removed()).containsExactlyInAnyOrder(x, y);
    assertThat(change.added()).containsExactlyInAnyOrder(s, z);
  }

  @Test
  void anObjectMovedAmongTheOthersIsRemovedAndAddedAgainAndTheOthersAreNoChange() {
    ConfigObject a = secret("a");
    ConfigObject b = secret("b");
    ConfigObject c = secret("c");
    ConfigObject d = secret("d");

    ConfigSet.Change change =
        SetDelta.between(List.of(a, b, c, d), ConfigSet.of(List.of(b, c, a, d)));

    assertThat(change).isNotNull();
    assertThat(change.removed()).containsExactly(a);
    assertThat(change.added()).containsExactly(a);
  }

  @Test
  void objectsThatKeepTheirOrderAroundARemovedAndAnAddedOneAreNoChange() {
    ConfigObject a = secret("a");
    ConfigObject b = secret("b");
    ConfigObject c = secret("c");
    ConfigObject x = secret("x");

    ConfigSet.Change change = SetDelta.between(List.of(a, b, c), ConfigSet.of(List.of(x, a, c)));

    assertThat(change).isNotNull();
    assertThat(change.removed()).containsExactly(b);
    assertThat(change.added()).containsExactly(x);
  }
}
