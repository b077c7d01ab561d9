package io.nm4j.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorParseTest {

  @Test
  void parsesEveryOperatorOfTheStringSyntax() {
    LabelSelector s = LabelSelector.parse("a=b,c!=d,e in (x, y),!f,g,h==i,j notin (k)");
    assertThat(s.matchLabels()).isEqualTo(Map.of("a", "b", "h", "i"));
    assertThat(s.toString()).isEqualTo("a=b,h=i,c notin (d),e in (x,y),!f,g,j notin (k)");
  }

  @Test
  void anEmptyValueRequirementPrintsAsTextThatParsesBackToIt() {
    for (String text : new String[] {"x!=", "a=b,a=", "a=b,a=,c!="}) {
      LabelSelector s = LabelSelector.parse(text);
      assertThat(LabelSelector.parse(s.toString())).as(text).isEqualTo(s);
    }
    assertThat(LabelSelector.parse("x!=").toString()).isEqualTo("x!=");
  }

  @Test
  void matchesLikeTheKubernetesApiServer() {
    LabelSelector s = LabelSelector.parse("a=b,c!=d,e in (x,y),!f");
    assertThat(s.matches(Map.of("a", "b", "e", "x"))).isTrue();
    assertThat(s.matches(Map.of("a", "b", "e", "y", "c", "z"))).isTrue();
    assertThat(s.matches(Map.of("a", "b", "e", "x", "c", "d"))).isFalse();
    assertThat(s.matches(Map.of("a", "b", "e", "x", "f", ""))).isFalse();
    assertThat(s.matches(Map.of("a", "b"))).isFalse();
  }

  @Test
  void emptyStringSelectsEverything() {
    assertThat(LabelSelector.parse("")).isEqualTo(LabelSelector.EVERYTHING);
    assertThat(LabelSelector.parse("  ").matches(Map.of("x", "y"))).isTrue();
  }

  @Test
  void prefixedKeysAreAccepted() {
    LabelSelector s = LabelSelector.parse("app.kubernetes.io/name=nm4j");
    assertThat(s.matches(Map.of("app.kubernetes.io/name", "nm4j"))).isTrue();
  }

  @Test
  void malformedSelectorsAreRejectedNamingThePart() {
    assertThatThrownBy(() -> LabelSelector.parse("a in ()"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a in ()");
    assertThatThrownBy(() -> LabelSelector.parse("a in (x")).hasMessageContaining("unbalanced");
    assertThatThrownBy(() -> LabelSelector.parse("a=b,,c")).hasMessageContaining("empty");
    assertThatThrownBy(() -> LabelSelector.parse("a b=c"))
        .hasMessageContaining("invalid label key");
    assertThatThrownBy(() -> LabelSelector.parse("a=b c"))
        .hasMessageContaining("invalid label value");
  }
}
