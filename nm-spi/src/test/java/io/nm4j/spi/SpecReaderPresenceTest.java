package io.nm4j.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecReaderPresenceTest {

  private static SpecReader reader(Map<String, Object> fields) {
    return SpecReader.at(fields, "spec.wechat", "ns");
  }

  @Test
  void anEmptyListOrANullNamesNothing() {
    Map<String, Object> fields = new HashMap<>();
    fields.put("toUser", List.of());
    fields.put("toParty", null);
    assertThat(reader(fields).hasAnyNonEmpty("toUser", "toParty", "toTag")).isFalse();
  }

  @Test
  void oneFieldHoldingSomethingIsEnough() {
    assertThat(
            reader(Map.of("toUser", List.of(), "toTag", List.of("ops")))
                .hasAnyNonEmpty("toUser", "toParty", "toTag"))
        .isTrue();
    assertThat(reader(Map.of("toParty", "2")).hasAnyNonEmpty("toUser", "toParty")).isTrue();
  }

  @Test
  void fieldsNotAskedForAreNotLookedAt() {
    assertThat(reader(Map.of("chatbot", Map.of("webhook", "x"))).hasAnyNonEmpty("toUser"))
        .isFalse();
  }
}
