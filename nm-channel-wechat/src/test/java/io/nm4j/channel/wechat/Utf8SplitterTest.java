package io.nm4j.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.channel.wechat.internal.Utf8Splitter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class Utf8SplitterTest {

  @Test
  void textWithinTheLimitIsOnePart() {
    assertThat(Utf8Splitter.split("告警", 6)).containsExactly("告警");
    assertThat(Utf8Splitter.split("", 6)).isEmpty();
  }

  @Test
  void partsNeverCutACharacterAndJoinToTheText() {
    String text = "ab告警🔥c🔥🔥告";
    for (int max = 4; max <= 12; max++) {
      List<String> parts = Utf8Splitter.split(text, max);
      assertThat(String.join("", parts)).isEqualTo(text);
      for (String p : parts) {
        assertThat(p.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(max);
        assertThat(
                p.codePoints()
                    .filter(cp -> cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)
                    .count())
            .isZero();
        assertThat(p).isNotEmpty();
      }
    }
  }

  @Test
  void fourByteCharacterAtTheLimitMovesToTheNextPart() {
    assertThat(Utf8Splitter.split("abc🔥", 6)).containsExactly("abc", "🔥");
  }

  @Test
  void partEndsAfterALineBreakInItsSecondHalf() {
    assertThat(Utf8Splitter.split("abcdef\nghijkl", 10)).containsExactly("abcdef\n", "ghijkl");
    // A break in the first half would waste most of the part: the limit is used instead.
    assertThat(Utf8Splitter.split("ab\ncdefghijkl", 10)).containsExactly("ab\ncdefghi", "jkl");
  }
}
