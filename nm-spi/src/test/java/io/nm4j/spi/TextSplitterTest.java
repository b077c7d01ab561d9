package io.nm4j.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

class TextSplitterTest {

  @Test
  void textWithinTheLimitIsOnePartAndEmptyTextNone() {
    assertThat(TextSplitter.splitUtf8("告警", 6)).containsExactly("告警");
    assertThat(TextSplitter.splitUtf8("", 6)).isEmpty();
    assertThat(TextSplitter.splitChars("告警", 2)).containsExactly("告警");
  }

  @Test
  void utf8PartsNeverCutACharacterAndJoinToTheText() {
    String text = "ab告警🔥c🔥🔥告";
    for (int max = 4; max <= 12; max++) {
      assertSplit(
          TextSplitter.splitUtf8(text, max),
          text,
          max,
          p -> p.getBytes(StandardCharsets.UTF_8).length);
    }
  }

  @Test
  void characterPartsCountUtf16CharsAndNeverSplitASurrogatePair() {
    String text = "a🔥b🔥🔥cd";
    for (int max = 2; max <= 6; max++) {
      assertSplit(TextSplitter.splitChars(text, max), text, max, String::length);
    }
    assertThat(TextSplitter.splitChars("ab🔥", 3)).containsExactly("ab", "🔥");
  }

  @Test
  void fourByteCharacterAtTheLimitMovesToTheNextPart() {
    assertThat(TextSplitter.splitUtf8("abc🔥", 6)).containsExactly("abc", "🔥");
  }

  @Test
  void partEndsAfterALineBreakInItsSecondHalf() {
    assertThat(TextSplitter.splitUtf8("abcdef\nghijkl", 10)).containsExactly("abcdef\n", "ghijkl");
    assertThat(TextSplitter.splitChars("abcdef\nghijkl", 10)).containsExactly("abcdef\n", "ghijkl");
    // A break in the first half would waste most of the part: the limit is used instead.
    assertThat(TextSplitter.splitUtf8("ab\ncdefghijkl", 10)).containsExactly("ab\ncdefghi", "jkl");
  }

  @Test
  void limitsTooSmallForOneCharacterAreRefused() {
    assertThatThrownBy(() -> TextSplitter.splitUtf8("x", 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBytes must be at least 4, was 3");
    assertThatThrownBy(() -> TextSplitter.splitChars("x", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxChars must be at least 2, was 1");
  }

  @Test
  void truncationKeepsTheLongestStartOfWholeCharacters() {
    assertThat(TextSplitter.truncateUtf8("ab告警", 4)).isEqualTo("ab");
    assertThat(TextSplitter.truncateUtf8("ab告警", 5)).isEqualTo("ab告");
    assertThat(TextSplitter.truncateChars("a🔥b", 2)).isEqualTo("a");
    assertThat(TextSplitter.truncateChars("a🔥b", 3)).isEqualTo("a🔥");
    assertThat(TextSplitter.truncateChars("abc", 0)).isEmpty();
  }

  @Test
  void ellipsizedTextEndsInAnEllipsisWithinTheLimit() {
    assertThat(TextSplitter.ellipsize("abcdef", 6)).isEqualTo("abcdef");
    assertThat(TextSplitter.ellipsize("abcdefg", 6)).isEqualTo("abcde…");
    assertThat(TextSplitter.ellipsize("abcd🔥fg", 6)).isEqualTo("abcd…");
    assertThat(TextSplitter.ellipsizeUtf8("告警告警", 12)).isEqualTo("告警告警");
    String cut = TextSplitter.ellipsizeUtf8("告警告警", 11);
    assertThat(cut).isEqualTo("告警…");
    assertThat(TextSplitter.utf8Length(cut)).isLessThanOrEqualTo(11);
  }

  @Test
  void utf8LengthCountsBytesAsUtf8WritesThem() {
    assertThat(TextSplitter.utf8Length("aé告🔥")).isEqualTo(1 + 2 + 3 + 4);
    assertThat(TextSplitter.utf8Length("aé告🔥"))
        .isEqualTo("aé告🔥".getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void partLabelNamesThePartOneBased() {
    assertThat(TextSplitter.partLabel(0, 3)).isEqualTo("(part 1/3)");
    assertThat(TextSplitter.partLabel(2, 3)).isEqualTo("(part 3/3)");
  }

  /** The parts join to the text, and each is whole characters, not empty, within the limit. */
  private static void assertSplit(
      List<String> parts, String text, int max, ToIntFunction<String> measure) {
    assertThat(String.join("", parts)).isEqualTo(text);
    for (String part : parts) {
      assertThat(part).isNotEmpty();
      assertThat(measure.applyAsInt(part)).isLessThanOrEqualTo(max);
      assertThat(Character.isLowSurrogate(part.charAt(0)))
          .as("starts with a low surrogate")
          .isFalse();
      assertThat(Character.isHighSurrogate(part.charAt(part.length() - 1)))
          .as("ends with a high surrogate")
          .isFalse();
    }
  }

  @Test
  void aTextSplitUnderItsHeadingRepeatsTheHeadingWithEachPartsNumber() {
    String body = "line of text\n".repeat(30);
    String text = "*Title*\n\n" + body;

    List<String> parts = TextSplitter.splitCharsUnderHeading(text, 120);

    assertThat(parts).hasSizeGreaterThan(3);
    StringBuilder joined = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      String heading = "*Title* (part " + (i + 1) + "/" + parts.size() + ")\n\n";
      assertThat(parts.get(i)).startsWith(heading).hasSizeLessThanOrEqualTo(120);
      joined.append(parts.get(i).substring(heading.length()));
    }
    assertThat(joined.toString()).isEqualTo(body.strip());
    assertThat(TextSplitter.splitUtf8UnderHeading("short\ntext", 120))
        .containsExactly("short\ntext");
  }
}
