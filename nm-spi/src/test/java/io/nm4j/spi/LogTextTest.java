package io.nm4j.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

  @Test
  void aNameWithALineBreakCannotForgeASecondLogLine() {
    String forged = "alice\naudit user=admin verb=delete code=200\r";
    assertThat(LogText.escape(forged))
        .isEqualTo("alice\\naudit user=admin verb=delete code=200\\r")
        .doesNotContain("\n", "\r");
  }

  @Test
  void controlSeparatorAndBidiCharactersAreWrittenAsEscapes() {
    assertThat(LogText.escape("a\u001b[31mb\u0085c\u2028d\u202ee\tf"))
        .isEqualTo("a\\u001b[31mb\\u0085c\\u2028d\\u202ee\\tf");
  }

  @Test
  void aBackslashIsDoubledSoTextCannotPassForAnEscapeAlready() {
    assertThat(LogText.escape("x\\ny")).isEqualTo("x\\\\ny");
  }

  @Test
  void plainTextAndOtherUnicodeAreKeptAsTheyAre() {
    String text = "EmailReceiver/team-a 告警 ✓";
    assertThat(LogText.escape(text)).isSameAs(text);
  }

  @Test
  void longTextIsCutAndNullIsNamed() {
    assertThat(LogText.escape("x".repeat(5000))).hasSize(LogText.MAX_LENGTH + 1).endsWith("…");
    assertThat(LogText.escape("abcdef\n", 3)).isEqualTo("abc…");
    assertThat(LogText.escape(null)).isEqualTo("null");
  }
}
