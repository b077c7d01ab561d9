package io.nm4j.core.internal.v2beta2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shortcuts a {@code Match} requirement takes before running its pattern: a pattern of plain
 * text is searched as text, and a value that lacks the text every match starts with is refused
 * without the pattern. Neither may ever change what the pattern alone would find.
 */
class AlertMatcherTest {
  private static final List<String> REGEXES =
      List.of(
          "Kube",
          "",
          "a b-c",
          "^Kube(Pod|Job)3$",
          "^Maintenance3",
          "^(Kube|Node)",
          "^ab?c",
          "^ab*",
          "^ab+",
          "^a{2}",
          "^ab{0,1}",
          "^a|b",
          "^x(a|b)|c",
          "^x[|]y",
          "^x[]|]y",
          "^x[^]|]y",
          "^a\\.b",
          "^a\\|b",
          "^(?i)kube",
          "(?i)^kube",
          "^",
          "^$",
          "^KubePod$",
          "Kube.*Down",
          "^node-[0-9]+$",
          "^a[b|c]|d",
          "(Pod|Job)3$",
          "b3$",
          "\\d3$",
          "a\\$",
          "(?s)a 3$",
          "^a|b3$",
          "Crash(Looping)?$");

  private static final List<String> VALUES =
      List.of(
          "",
          "Kube",
          "kube",
          "KubePod3",
          "KubeJob3",
          "KubePod",
          "KubePodDown",
          "Maintenance3",
          "Maintenance30",
          "NodeDown",
          "a b-c",
          "xa b-cx",
          "ac",
          "abc",
          "abbb",
          "aa",
          "a",
          "b",
          "ab",
          "xc",
          "c",
          "xay",
          "x|y",
          "x]y",
          "xzy",
          "a.b",
          "a|b",
          "axb",
          "node-12",
          "d",
          "KubePod\n",
          "KubePod3\n",
          "KubeJob3\r\n",
          "Pod3\u2028",
          "x3",
          "a3",
          "43",
          "a$",
          "b3",
          "KubePodCrashLooping",
          "Crash\n");

  @Test
  void theShortcutsNeverChangeWhatThePatternFinds() {
    for (String regex : REGEXES) {
      AlertMatcher.RegexRequirement requirement =
          AlertMatcher.RegexRequirement.of("alertname", SafeRegex.compile(regex));
      Pattern plain = SafeRegex.compile(regex);
      for (String value : VALUES) {
        assertThat(requirement.finds(value))
            .as("/%s/ in \"%s\"", regex, value)
            .isEqualTo(plain.matcher(value).find());
      }
    }
  }

  @Test
  void dollarMatchesOnlyAtTheEndOfTheTextAsInRe2() {
    assertThat(SafeRegex.compile("^KubePod$").matcher("KubePod\n").find()).isFalse();
    assertThat(SafeRegex.compile("^KubePod$").matcher("KubePod").find()).isTrue();
    assertThat(SafeRegex.compile("a[$]b").matcher("a$b").find()).isTrue();
    assertThat(SafeRegex.compile("cost\\$").matcher("cost$").find()).isTrue();
    assertThat(SafeRegex.compile("(?m)^x$").matcher("x\ny").find()).isTrue();
  }

  @Test
  void theRequiredPrefixIsThePlainTextAfterTheAnchorLessAQuantifiedLastCharacter() {
    assertThat(SafeRegex.requiredPrefix("^Kube(Pod|Job)3$")).isEqualTo("Kube");
    assertThat(SafeRegex.requiredPrefix("^Maintenance3")).isEqualTo("Maintenance3");
    assertThat(SafeRegex.requiredPrefix("^ab?c")).isEqualTo("a");
    assertThat(SafeRegex.requiredPrefix("^ab+")).isEqualTo("a");
    assertThat(SafeRegex.requiredPrefix("^a{2}")).isEmpty();
    assertThat(SafeRegex.requiredPrefix("^a\\.b")).isEqualTo("a");
    assertThat(SafeRegex.requiredPrefix("^x[|]y")).isEqualTo("x");
  }

  @Test
  void theShortcutsSurviveTheTranslationOfAnchors() {
    AlertMatcher.RegexRequirement requirement =
        AlertMatcher.RegexRequirement.of("alertname", SafeRegex.compile("^Kube(Pod|Job)3$"));
    assertThat(requirement.requiredPrefix()).isEqualTo("Kube");
    assertThat(requirement.requiredSuffix()).isEqualTo("3");
    assertThat(SafeRegex.requiredPrefix("\\Aab+")).isEqualTo("a");
  }

  @Test
  void aTopLevelAlternativeUnanchoredPatternOrFlagsLeaveNoRequiredPrefix() {
    assertThat(SafeRegex.requiredPrefix("^a|b")).isEmpty();
    assertThat(SafeRegex.requiredPrefix("^x(a|b)|c")).isEmpty();
    assertThat(SafeRegex.requiredPrefix("Kube")).isEmpty();
    assertThat(SafeRegex.requiredPrefix("(?i)^kube")).isEmpty();
    assertThat(SafeRegex.requiredPrefix("^(?i)kube")).isEmpty();
  }

  @Test
  void theRequiredSuffixIsThePlainTextBeforeATrailingAnchor() {
    assertThat(SafeRegex.requiredSuffix("^Kube(Pod|Job)3$")).isEqualTo("3");
    assertThat(SafeRegex.requiredSuffix("^KubePod$")).isEqualTo("KubePod");
    assertThat(SafeRegex.requiredSuffix("b3$")).isEqualTo("b3");
    assertThat(SafeRegex.requiredSuffix("\\d3$")).isEqualTo("3");
    assertThat(SafeRegex.requiredSuffix("a\\$")).isEmpty();
    assertThat(SafeRegex.requiredSuffix("(?x)a 3$")).isEmpty();
    assertThat(SafeRegex.requiredSuffix("^a|b3$")).isEmpty();
    assertThat(SafeRegex.requiredSuffix("Crash(Looping)?$")).isEmpty();
    assertThat(SafeRegex.requiredSuffix("Kube")).isEmpty();
  }

  @Test
  void onlyPlainTextIsALiteral() {
    assertThat(SafeRegex.isLiteral("KubePodDown")).isTrue();
    assertThat(SafeRegex.isLiteral("team a/b-c:d=e")).isTrue();
    assertThat(SafeRegex.isLiteral("Kube.*")).isFalse();
    assertThat(SafeRegex.isLiteral("a|b")).isFalse();
    assertThat(SafeRegex.isLiteral("a\\d")).isFalse();
  }
}
