package io.nm4j.core.internal.v2beta2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Patterns are read as notification-manager's Go {@code regexp} (RE2) reads them: each row of the
 * tables holds RE2's verdict, either the values the pattern is found in and those it is not, or a
 * refusal naming the construct.
 */
class Re2SyntaxTest {
  record Row(String regex, List<String> found, List<String> notFound) {}

  private static Row row(String regex, List<String> found, List<String> notFound) {
    return new Row(regex, found, notFound);
  }

  private static final List<Row> ACCEPTED =
      List.of(
          row("(?P<app>api|web)-\\d+", List.of("api-1", "x web-22"), List.of("api-", "db-1")),
          row("^(?<app>api)$", List.of("api"), List.of("apiv")),
          row("(?P<a_1>x)(?P<b>y)", List.of("xy"), List.of("x")),
          row("[[:alpha:]]+[[:digit:]]", List.of("ab1", "Z9"), List.of("é1", "12")),
          row("^[[:^digit:]]+$", List.of("abc", "é", "٣"), List.of("a1")),
          row("^[^[:alpha:]]$", List.of("1", "é"), List.of("a")),
          row("^[[:space:]]$", List.of(" ", "\t", "\u000B"), List.of("\u00A0", "a")),
          row("^[[:word:]]+$", List.of("a_1"), List.of("a-b", "é")),
          row("^[[:punct:]]$", List.of("!", "~", "[", "`", "_"), List.of("a", " ", "é")),
          row("^[[:xdigit:][:upper:]]+$", List.of("0fZ"), List.of("g")),
          row("^[[:lower:]]$", List.of("a"), List.of("A", "é")),
          row("^[[:cntrl:][:blank:]]$", List.of("\u0001", " ", "\u007F"), List.of("a")),
          row("^[[:print:]]$", List.of(" ", "~"), List.of("\u007F", "é")),
          row("^[[:graph:][:ascii:]]$", List.of("\u0000", "a"), List.of("é")),
          row("^[[:^alnum:]]$", List.of("-", "é"), List.of("a", "1")),
          row("^[:alpha:]$", List.of(":", "a"), List.of("b")),
          row("^\\s$", List.of(" ", "\t", "\n", "\f", "\r"), List.of("\u000B", "\u00A0")),
          row("^\\S$", List.of("\u000B", "a"), List.of(" ")),
          row("^[\\s]$", List.of(" "), List.of("\u000B")),
          row("^[^\\s]$", List.of("\u000B", "a"), List.of("\n")),
          row("^[\\S]$", List.of("\u000B"), List.of(" ")),
          row("^[^\\S]$", List.of(" ", "\n"), List.of("\u000B", "a")),
          row("^\\d+$", List.of("123"), List.of("١٢٣")),
          row("^\\w+$", List.of("a_Z9"), List.of("é", "a-b")),
          row("^\\D\\W$", List.of("a-"), List.of("1-", "ab")),
          row("\\bcat\\b", List.of("a cat", "cat", "écat", "caté"), List.of("cats", "scat")),
          row("\\Bat", List.of("cat"), List.of("at", "éat")),
          row("^a.c$", List.of("abc", "a\rc", "a\u2028c", "a\u0085c"), List.of("a\nc")),
          row("(?s)^a.c$", List.of("a\nc"), List.of("ac")),
          row("^KubePod$", List.of("KubePod"), List.of("KubePod\n", "KubePod\r")),
          row("(?:x)$", List.of("x"), List.of("x\n")),
          row("(?P<n>x)$", List.of("x"), List.of("x\n")),
          row("(?m)^b$", List.of("a\nb", "b\n", "a\nb\nc"), List.of("a\rb", "ab")),
          row("(?m)^$", List.of("a\n", "", "\n"), List.of("a")),
          row("(?m:^a)$", List.of("x\na"), List.of("x\na\n")),
          row("(?m)(?-m)^a$", List.of("a"), List.of("x\na")),
          row("(?i)é", List.of("É", "é"), List.of("e")),
          row("(?i)k", List.of("K", "\u212A"), List.of("x")),
          row("(?i:A)b", List.of("ab", "Ab"), List.of("aB")),
          row("(?i)a(?-i)b", List.of("Ab"), List.of("AB")),
          row("\\Qa.b\\E+", List.of("a.bbb"), List.of("axb")),
          row("\\Q(a+)", List.of("(a+)"), List.of("aa")),
          row("\\Q(a+)+\\E+", List.of("(a+)++"), List.of("aa")),
          row("a\\z", List.of("xa"), List.of("a\n")),
          row("\\Aab", List.of("abc"), List.of("cab")),
          row("^\\x41\\x{42}\\101\\0$", List.of("ABA\u0000"), List.of("ABA")),
          row("^\\12$", List.of("\n"), List.of("12")),
          row("^\\a\\f\\t\\n\\r$", List.of("\u0007\f\t\n\r"), List.of("")),
          row("^a\\v$", List.of("a\u000B"), List.of("a\n", "a\u2028")),
          row("^[\\v]$", List.of("\u000B"), List.of("\n")),
          row("^a{2,3}$", List.of("aa", "aaa"), List.of("a", "aaaa")),
          row("^a{2,}?$", List.of("aaaa"), List.of("a")),
          row("^a{,2}$", List.of("a{,2}"), List.of("aa")),
          row("^x{$", List.of("x{"), List.of("x")),
          row("^x{a}$", List.of("x{a}"), List.of("x")),
          row("^a{1000}$", List.of("a".repeat(1000)), List.of("a".repeat(999))),
          row("^[]a]$", List.of("]", "a"), List.of("b")),
          row("^[^]a]$", List.of("b"), List.of("]", "a")),
          row("^[a[b]$", List.of("[", "a", "b"), List.of("]")),
          row("^[a[b]]$", List.of("a]", "[]"), List.of("a", "]")),
          row("^[a-c&]$", List.of("&", "b"), List.of("d")),
          row("^[\\d-]$", List.of("-", "1"), List.of("a")),
          row("^[-\\d]$", List.of("-", "1"), List.of("a")),
          row("^[^-\\d]$", List.of("a"), List.of("-", "1")),
          row("^\\pL+$", List.of("é", "abc"), List.of("1")),
          row("^\\p{Greek}$", List.of("α"), List.of("a")),
          row("^\\p{^Greek}$", List.of("a"), List.of("α")),
          row("^\\P{Greek}$", List.of("a"), List.of("α")),
          row("^\\PL$", List.of("1"), List.of("a")),
          row("^\\p{Lu}$", List.of("A", "É"), List.of("a")),
          row("^[\\p{Nd}x]$", List.of("x", "٣"), List.of("y")),
          row("^\\p{Any}$", List.of("\n", "a"), List.of("")),
          row("^[\\p{Any}]$", List.of("\n"), List.of("")),
          row("^\\pN$", List.of("٣"), List.of("a")),
          row("^\\p{Cc}$", List.of("\u0001"), List.of("a")),
          row("^\\p{Latin}+$", List.of("abé"), List.of("α")),
          row("^\\-\\.\\#\\ \\&$", List.of("-.# &"), List.of("-")),
          row("a b#c", List.of("a b#c"), List.of("ab#c")),
          row("a&&b", List.of("a&&b"), List.of("ab")),
          row("^(?:a|)$", List.of("a", ""), List.of("b")),
          row("x*?y", List.of("xxy"), List.of("x")));

  private static final List<List<String>> REFUSED =
      List.of(
          List.of("(?U)a+", "flag U"),
          List.of("(?U:a+)", "flag U"),
          List.of("a\\Z", "\\Z"),
          List.of("(a)\\1", "\\1"),
          List.of("\\8", "\\8"),
          List.of("\\C", "\\C"),
          List.of("\\pC", "\\pC"),
          List.of("\\p{C}", "\\pC"),
          List.of("\\p{javaLowerCase}", "javaLowerCase"),
          List.of("\\p{Lower}", "Lower"),
          List.of("\\p{IsGreek}", "IsGreek"),
          List.of("\\p{InGreek}", "InGreek"),
          List.of("\\p{greek}", "greek"),
          List.of("\\p{Grek}", "Grek"),
          List.of("\\pX", "\\p{X}"),
          List.of("[\\P{Any}a]", "\\P{Any}"),
          List.of("\\h", "\\h"),
          List.of("\\H", "\\H"),
          List.of("\\R", "\\R"),
          List.of("\\X", "\\X"),
          List.of("\\G", "\\G"),
          List.of("\\V", "\\V"),
          List.of("\\e", "\\e"),
          List.of("\\cA", "\\c"),
          List.of("\\u0041", "\\u"),
          List.of("\\k<a>", "\\k"),
          List.of("a\\E", "\\E"),
          List.of("\\é", "\\é"),
          List.of("[a-z&&[^e]]", "&&"),
          List.of("[a\\b]", "\\b"),
          List.of("[\\Qa\\E]", "\\Q"),
          List.of("[[:foo:]]", "[:foo:]"),
          List.of("[\\d-z]", "\\d-z"),
          List.of("[a-\\w]", "a-\\w"),
          List.of("[[:alpha:]-z]", "cannot bound a range"),
          List.of("(?=a)", "lookaround"),
          List.of("(?!a)", "lookaround"),
          List.of("(?<=a)b", "lookaround"),
          List.of("(?<!a)b", "lookaround"),
          List.of("(?>a)", "atomic"),
          List.of("a*+", "possessive"),
          List.of("a++", "possessive"),
          List.of("a{2}+", "possessive"),
          List.of("a**", "repeated repetition"),
          List.of("a{2}{3}", "repeated repetition"),
          List.of("a{1001}", "1000"),
          List.of("a{1,1001}", "1000"),
          List.of("a{99999999999}", "1000"),
          List.of("(?x)a b", "flag x"),
          List.of("(?d)a", "flag d"),
          List.of("(?u)a", "flag u"),
          List.of("(?#note)a", "flag #"),
          List.of("(?)a", "invalid flags group"),
          List.of("(?i-)a", "invalid flags group"),
          List.of("(?i-m-s)a", "second '-'"),
          List.of("(?P=a)", "flag P"),
          List.of("(?P<a>x)(?P<a>y)", "duplicate group name \"a\""),
          List.of("(?P<>x)", "invalid group name"),
          List.of("(?P<a-b>x)", "invalid group name"),
          List.of("a\\", "trailing backslash"),
          List.of("[a", "missing closing ]"),
          List.of("[]", "missing closing ]"),
          List.of("\\x{110000}", "\\x{110000"),
          List.of("\\xZ1", "\\xZ1"),
          List.of("(a+)+", "exponential"));

  @Test
  void acceptedPatternsAreFoundWhereRe2FindsThem() {
    for (Row row : ACCEPTED) {
      Pattern pattern = SafeRegex.compile(row.regex());
      for (String value : row.found()) {
        assertThat(pattern.matcher(value).find()).as("/%s/ in \"%s\"", row.regex(), value).isTrue();
      }
      for (String value : row.notFound()) {
        assertThat(pattern.matcher(value).find())
            .as("/%s/ not in \"%s\"", row.regex(), value)
            .isFalse();
      }
    }
  }

  @Test
  void patternsRe2RefusesOrJavaReadsDifferentlyAreRefusedNamingTheConstruct() {
    for (List<String> refused : REFUSED) {
      assertThatThrownBy(() -> SafeRegex.compile(refused.get(0)))
          .as("/%s/", refused.get(0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(refused.get(1));
    }
  }

  @Test
  void aRefusalNeverEchoesMoreThanTheConstruct() {
    assertThatThrownBy(() -> SafeRegex.compile("secret-team-a-token-" + "\\Z"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("secret-team-a-token");
  }

  record Atom(String regex, IntPredicate matches) {}

  private static boolean in(String set, int c) {
    return set.indexOf(c) >= 0;
  }

  private static boolean asciiLetter(int c) {
    return c < 0x80 && Character.isLetter(c);
  }

  private static boolean asciiDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private static boolean word(int c) {
    return asciiLetter(c) || asciiDigit(c) || c == '_';
  }

  private static final String RE2_SPACE = "\t\n\f\r ";

  /** Single-character atoms of the accepted subset, each with what RE2 says it matches. */
  private static final List<Atom> ATOMS =
      List.of(
          new Atom("a", c -> c == 'a'),
          new Atom("\\d", Re2SyntaxTest::asciiDigit),
          new Atom("\\D", c -> !asciiDigit(c)),
          new Atom("\\s", c -> in(RE2_SPACE, c)),
          new Atom("\\S", c -> !in(RE2_SPACE, c)),
          new Atom("\\w", Re2SyntaxTest::word),
          new Atom("\\W", c -> !word(c)),
          new Atom("[^\\s]", c -> !in(RE2_SPACE, c)),
          new Atom("[[:alpha:]]", Re2SyntaxTest::asciiLetter),
          new Atom("[[:^alpha:]]", c -> !asciiLetter(c)),
          new Atom("[[:space:]]", c -> in(RE2_SPACE + "\u000B", c)),
          new Atom("[[:punct:]]", c -> c < 0x80 && c > ' ' && c != 0x7F && !word(c) || c == '_'),
          new Atom("[\\d[:upper:]]", c -> asciiDigit(c) || c >= 'A' && c <= 'Z'),
          new Atom(".", c -> c != '\n'),
          new Atom("\\v", c -> c == 0x0B),
          new Atom("\\x41", c -> c == 'A'),
          new Atom("\\101", c -> c == 'A'),
          new Atom("\\pL", Character::isLetter),
          new Atom("\\p{Greek}", c -> c == 'α'),
          new Atom("[^a\\n]", c -> c != 'a' && c != '\n'),
          new Atom("(?:\\.)", c -> c == '.'),
          new Atom("\\Q.\\E", c -> c == '.'));

  private static final String ALPHABET = "aAZ5_ \t\n\u000B\r\f.é٣α-!~\u2028\u0085";

  @Test
  void patternsBuiltFromTheAcceptedSubsetFindWhatAHandWrittenReferenceFinds() {
    Random random = new Random(20);
    for (int p = 0; p < 400; p++) {
      List<Atom> atoms = new ArrayList<>();
      int length = 1 + random.nextInt(3);
      for (int i = 0; i < length; i++) {
        atoms.add(ATOMS.get(random.nextInt(ATOMS.size())));
      }
      boolean anchored = random.nextBoolean();
      StringBuilder regex = new StringBuilder(anchored ? "^" : "");
      atoms.forEach(a -> regex.append(a.regex()));
      regex.append(anchored ? "$" : "");
      Pattern pattern = SafeRegex.compile(regex.toString());
      for (int v = 0; v < 12; v++) {
        int size = random.nextInt(5);
        int[] value = new int[size];
        for (int i = 0; i < size; i++) {
          value[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        String text = new String(value, 0, size);
        assertThat(pattern.matcher(text).find())
            .as("/%s/ in \"%s\"", regex, text)
            .isEqualTo(reference(atoms, value, anchored));
      }
    }
  }

  /** Whether the atoms match consecutive characters: the whole value, or anywhere in it. */
  private static boolean reference(List<Atom> atoms, int[] value, boolean anchored) {
    if (anchored) {
      return value.length == atoms.size() && matchesAt(atoms, value, 0);
    }
    for (int start = 0; start + atoms.size() <= value.length; start++) {
      if (matchesAt(atoms, value, start)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matchesAt(List<Atom> atoms, int[] value, int start) {
    for (int i = 0; i < atoms.size(); i++) {
      if (!atoms.get(i).matches().test(value[start + i])) {
        return false;
      }
    }
    return true;
  }
}
