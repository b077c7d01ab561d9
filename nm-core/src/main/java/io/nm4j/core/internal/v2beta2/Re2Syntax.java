package io.nm4j.core.internal.v2beta2;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rewrites a regular expression in RE2's syntax (as Go's {@code regexp} reads it) into a {@code
 * java.util.regex} pattern that matches the same strings, or refuses it. Where Java has an exact
 * equivalent the pattern is translated; where Java reads a construct differently and no exact
 * translation is cheap, or where RE2 refuses it, the pattern is refused naming the construct.
 *
 * <p>The result is compiled with {@link #FLAGS}: {@link Pattern#UNIX_LINES} so that {@code .}
 * excludes only {@code \n} as in RE2, and {@link Pattern#UNICODE_CASE} so that {@code (?i)} folds
 * case beyond ASCII as RE2 does. {@code ^} and {@code $} are written out as the assertions RE2
 * means ({@code \A}/{@code \z}, or line starts and ends around {@code \n} only under {@code (?m)}),
 * because Java's {@code $} also matches before a final line terminator and its multi-line {@code ^}
 * never matches at the very end.
 */
final class Re2Syntax {
  static final int FLAGS = Pattern.UNIX_LINES | Pattern.UNICODE_CASE;

  /** RE2's largest repetition count. */
  static final int MAX_REPEAT = 1000;

  private static final String WORD_BOUNDARY = "(?:(?<=\\w)(?!\\w)|(?<!\\w)(?=\\w))";
  private static final String NOT_WORD_BOUNDARY = "(?:(?<=\\w)(?=\\w)|(?<!\\w)(?!\\w))";
  private static final String LINE_START = "(?<![^\\n])";
  private static final String LINE_END = "(?![^\\n])";

  /** RE2's {@code \s}: Java's also holds the vertical tab. */
  private static final String SPACE = "\\t\\n\\f\\r ";

  /**
   * One of RE2's ASCII classes: its members inside a Java character class, and its complement as a
   * single Java escape, since Java's nested classes would be unions even inside {@code [^...]}.
   */
  private record PosixClass(String members, String complement) {}

  private static final Map<String, PosixClass> POSIX =
      Map.ofEntries(
          Map.entry("alnum", new PosixClass("0-9A-Za-z", "\\P{Alnum}")),
          Map.entry("alpha", new PosixClass("A-Za-z", "\\P{Alpha}")),
          Map.entry("ascii", new PosixClass("\\x00-\\x7F", "\\P{ASCII}")),
          Map.entry("blank", new PosixClass("\\t ", "\\P{Blank}")),
          Map.entry("cntrl", new PosixClass("\\x00-\\x1F\\x7F", "\\P{Cntrl}")),
          Map.entry("digit", new PosixClass("0-9", "\\D")),
          Map.entry("graph", new PosixClass("!-~", "\\P{Graph}")),
          Map.entry("lower", new PosixClass("a-z", "\\P{Lower}")),
          Map.entry("print", new PosixClass(" -~", "\\P{Print}")),
          Map.entry("punct", new PosixClass("!-/:-@\\[-`{-~", "\\P{Punct}")),
          Map.entry("space", new PosixClass("\\t\\n\\x0B\\f\\r ", "\\P{Space}")),
          Map.entry("upper", new PosixClass("A-Z", "\\P{Upper}")),
          Map.entry("word", new PosixClass("0-9A-Za-z_", "\\W")),
          Map.entry("xdigit", new PosixClass("0-9A-Fa-f", "\\P{XDigit}")));

  /** Names of {@code \p{..}}: Unicode general categories RE2 and Java define alike. */
  private static final Set<String> CATEGORIES =
      Set.of(
          "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P",
          "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So", "Z", "Zs", "Zl",
          "Zp", "Cc", "Cf", "Cs", "Co");

  private static final Pattern SCRIPT_NAME = Pattern.compile("[A-Z][a-z]+(?:_[A-Z][a-z]+)*");

  private final String re2;
  private final StringBuilder out;
  private final Set<String> groupNames = new HashSet<>();
  private int pos;

  private Re2Syntax(String re2) {
    this.re2 = re2;
    this.out = new StringBuilder(re2.length() + 16);
  }

  /**
   * The Java form of {@code re2}, to compile with {@link #FLAGS}.
   *
   * @throws IllegalArgumentException naming the construct RE2 refuses or Java reads differently
   */
  static String toJava(String re2) {
    Re2Syntax syntax = new Re2Syntax(re2);
    syntax.translate();
    return syntax.out.toString();
  }

  private void translate() {
    // Per open group: whether (?m) is in effect inside it.
    Deque<boolean[]> multiLine = new ArrayDeque<>();
    multiLine.push(new boolean[] {false});
    boolean afterRepeat = false;
    while (pos < re2.length()) {
      char c = re2.charAt(pos);
      boolean repeat = false;
      switch (c) {
        case '\\' -> escape(false);
        case '[' -> characterClass();
        case '(' -> group(multiLine);
        case ')' -> {
          if (multiLine.size() > 1) {
            multiLine.pop();
          }
          out.append(c);
          pos++;
        }
        case '^' -> {
          out.append(multiLine.peek()[0] ? LINE_START : "\\A");
          pos++;
        }
        case '$' -> {
          out.append(multiLine.peek()[0] ? LINE_END : "\\z");
          pos++;
        }
        case '*', '+', '?' -> {
          if (afterRepeat) {
            throw refused(
                "\""
                    + re2.substring(pos - 1, pos + 1)
                    + "\": "
                    + (c == '+' ? "RE2 has no possessive repetitions" : "a repeated repetition"));
          }
          out.append(c);
          pos++;
          repeat = true;
          lazy();
        }
        case '{' -> repeat = repetition(afterRepeat);
        default -> {
          out.appendCodePoint(re2.codePointAt(pos));
          pos += Character.charCount(re2.codePointAt(pos));
        }
      }
      afterRepeat = repeat;
    }
  }

  /** Copies a {@code ?} that makes the repetition just written lazy, as in both syntaxes. */
  private void lazy() {
    if (pos < re2.length() && re2.charAt(pos) == '?') {
      out.append('?');
      pos++;
    }
  }

  /**
   * {@code {n}}, {@code {n,}} or {@code {n,m}}; any other {@code {} is a literal brace in RE2 (Java
   * would refuse it). Returns whether a repetition was written.
   */
  private boolean repetition(boolean afterRepeat) {
    int close = re2.indexOf('}', pos);
    String body = close < 0 ? "" : re2.substring(pos + 1, close);
    if (!body.matches("[0-9]+(,[0-9]*)?")) {
      out.append("\\{");
      pos++;
      return false;
    }
    if (afterRepeat) {
      throw refused("\"{" + body + "}\" after a repetition: a repeated repetition");
    }
    for (String count : body.split(",", -1)) {
      if (!count.isEmpty() && (count.length() > 4 || Integer.parseInt(count) > MAX_REPEAT)) {
        throw refused("\"{" + body + "}\": RE2 repeats at most " + MAX_REPEAT + " times");
      }
    }
    out.append(re2, pos, close + 1);
    pos = close + 1;
    lazy();
    return true;
  }

  private void group(Deque<boolean[]> multiLine) {
    boolean outer = multiLine.peek()[0];
    if (!re2.startsWith("(?", pos)) {
      out.append('(');
      pos++;
      multiLine.push(new boolean[] {outer});
      return;
    }
    if (re2.startsWith("(?P<", pos) || re2.startsWith("(?<", pos) && !lookbehind()) {
      int start = re2.indexOf('<', pos) + 1;
      int end = re2.indexOf('>', start);
      String name = end < 0 ? "" : re2.substring(start, end);
      if (!name.matches("[A-Za-z0-9_]+")) {
        throw refused("invalid group name \"" + (end < 0 ? re2.substring(pos) : name) + "\"");
      }
      if (!groupNames.add(name)) {
        throw refused("duplicate group name \"" + name + "\"");
      }
      // The name only labels a capture, which a search never reports: a plain group is the same.
      out.append('(');
      pos = end + 1;
      multiLine.push(new boolean[] {outer});
      return;
    }
    if (re2.startsWith("(?=", pos) || re2.startsWith("(?!", pos) || lookbehind()) {
      throw refused(
          "\"" + re2.substring(pos, pos + (lookbehind() ? 4 : 3)) + "\": RE2 has no lookaround");
    }
    if (re2.startsWith("(?>", pos)) {
      throw refused("\"(?>\": RE2 has no atomic groups");
    }
    if (re2.startsWith("(?:", pos)) {
      out.append("(?:");
      pos += 3;
      multiLine.push(new boolean[] {outer});
      return;
    }
    flags(multiLine, outer);
  }

  private boolean lookbehind() {
    return re2.startsWith("(?<=", pos) || re2.startsWith("(?<!", pos);
  }

  /**
   * {@code (?flags)} or {@code (?flags:re)} with RE2's flags {@code i}, {@code m} and {@code s}.
   * {@code i} and {@code s} mean the same in Java and are copied; {@code m} is not, since {@code ^}
   * and {@code $} are written out here.
   */
  private void flags(Deque<boolean[]> multiLine, boolean outer) {
    int start = pos;
    int i = pos + 2;
    boolean negated = false;
    boolean any = false;
    boolean multi = outer;
    StringBuilder copied = new StringBuilder();
    while (i < re2.length() && re2.charAt(i) != ')' && re2.charAt(i) != ':') {
      char f = re2.charAt(i);
      switch (f) {
        case 'i', 's' -> copied.append(f);
        case 'm' -> multi = !negated;
        case '-' -> {
          if (negated) {
            throw refused("\"" + re2.substring(start, i + 1) + "\": a second '-' in flags");
          }
          negated = true;
          any = false;
          copied.append(f);
        }
        case 'U' ->
            throw refused(
                "the flag U: in RE2 it makes repetitions lazy, in Java it selects Unicode classes;"
                    + " write lazy repetitions such as *? instead");
        default ->
            throw refused(
                "the flag "
                    + new String(Character.toChars(re2.codePointAt(i)))
                    + " in \""
                    + re2.substring(start, i + 1)
                    + "\": RE2 knows only i, m, s and U");
      }
      if (f != '-') {
        any = true;
      }
      i++;
    }
    if (i >= re2.length() || !any) {
      throw refused(
          "\"" + re2.substring(start, Math.min(i + 1, re2.length())) + "\": invalid flags group");
    }
    String javaFlags = copied.toString();
    if (javaFlags.endsWith("-")) {
      javaFlags = javaFlags.substring(0, javaFlags.length() - 1);
    }
    boolean scoped = re2.charAt(i) == ':';
    if (scoped) {
      out.append("(?").append(javaFlags).append(':');
      multiLine.push(new boolean[] {multi});
    } else {
      if (!javaFlags.isEmpty()) {
        out.append("(?").append(javaFlags).append(')');
      }
      multiLine.peek()[0] = multi;
    }
    pos = i + 1;
  }

  private void characterClass() {
    out.append('[');
    pos++;
    if (pos < re2.length() && re2.charAt(pos) == '^') {
      out.append('^');
      pos++;
    }
    boolean first = true;
    while (pos < re2.length()) {
      char c = re2.charAt(pos);
      if (c == ']' && !first) {
        out.append(']');
        pos++;
        return;
      }
      first = false;
      int start = pos;
      if (c == '[' && re2.startsWith("[:", pos)) {
        int end = re2.indexOf(":]", pos + 2);
        if (end >= 0) {
          posixClass(re2.substring(pos + 2, end));
          pos = end + 2;
          noRangeBound(start);
          continue;
        }
      }
      switch (c) {
        case '\\' -> {
          escape(true);
          if ("dDsSwWpP".indexOf(re2.charAt(start + 1)) >= 0) {
            noRangeBound(start);
          }
        }
        case '&' -> {
          if (re2.startsWith("&&", pos)) {
            throw refused(
                "\"&&\" in a character class: Java reads it as an intersection, RE2 as two"
                    + " ampersands; write \\&\\& for the ampersands");
          }
          out.append("\\&");
          pos++;
        }
        case '[', ']' -> {
          // Literal in RE2 (a leading ']' or a '[' not opening [:name:]); Java would nest classes.
          out.append('\\').append(c);
          pos++;
        }
        default -> {
          out.appendCodePoint(re2.codePointAt(pos));
          pos += Character.charCount(re2.codePointAt(pos));
        }
      }
    }
    throw refused("missing closing ] of the character class");
  }

  /**
   * Refuses a class (such as {@code \\d} or {@code [:alpha:]}, written from {@code start} up to
   * {@code pos}) as the bound of a range: RE2 refuses {@code [\\d-z]}, Java reads the dash as
   * itself.
   */
  private void noRangeBound(int start) {
    boolean rangeFrom =
        pos + 1 < re2.length() && re2.charAt(pos) == '-' && re2.charAt(pos + 1) != ']';
    boolean rangeTo =
        start >= 2 && re2.charAt(start - 1) == '-' && "[^".indexOf(re2.charAt(start - 2)) < 0;
    if (rangeFrom || rangeTo) {
      throw refused(
          "\""
              + re2.substring(rangeTo ? start - 2 : start, rangeFrom ? pos + 2 : pos)
              + "\": a class cannot bound a range");
    }
  }

  /** Writes {@code [:name:]} or {@code [:^name:]}, RE2's ASCII classes. */
  private void posixClass(String name) {
    boolean negated = name.startsWith("^");
    PosixClass posix = POSIX.get(negated ? name.substring(1) : name);
    if (posix == null) {
      throw refused("\"[:" + name + ":]\": not a character class name RE2 knows");
    }
    out.append(negated ? posix.complement() : posix.members());
  }

  private void escape(boolean inClass) {
    if (pos + 1 >= re2.length()) {
      throw refused("trailing backslash");
    }
    int c = re2.codePointAt(pos + 1);
    pos += 2;
    switch (c) {
      case 'a', 'f', 't', 'n', 'r', 'd', 'D', 'w', 'W' -> out.append('\\').append((char) c);
      case 'v' -> out.append("\\x0B"); // RE2: the vertical tab; Java: any vertical whitespace
      case 's' -> out.append(inClass ? SPACE : "[" + SPACE + "]");
      case 'S' -> out.append(inClass ? "\\S\\x0B" : "[\\S\\x0B]");
      case 'x' -> hex();
      case 'p', 'P' -> property(c == 'P', inClass);
      case 'Q' -> {
        if (inClass) {
          throw refused("\"\\Q\" inside a character class: RE2 quotes only outside classes");
        }
        int end = re2.indexOf("\\E", pos);
        String quoted = end < 0 ? re2.substring(pos) : re2.substring(pos, end);
        out.append(Pattern.quote(quoted));
        pos = end < 0 ? re2.length() : end + 2;
      }
      case 'A', 'z' -> {
        notInClass(inClass, c);
        out.append('\\').append((char) c);
      }
      case 'b' -> {
        notInClass(inClass, c);
        out.append(WORD_BOUNDARY);
      }
      case 'B' -> {
        notInClass(inClass, c);
        out.append(NOT_WORD_BOUNDARY);
      }
      case 'Z' -> throw refused("\"\\Z\": RE2 has no \\Z; write \\z for the end of the text");
      case 'C' -> throw refused("\"\\C\" (any byte): RE2's Go form has no \\C");
      default -> {
        if (c >= '0' && c <= '7') {
          octal(c);
        } else if (c == '8' || c == '9') {
          throw refused("\"\\" + (char) c + "\": RE2 has no backreferences");
        } else if (c < 0x80 && !Character.isLetterOrDigit(c)) {
          out.append('\\').append((char) c);
        } else {
          throw refused(
              "\"\\"
                  + new String(Character.toChars(c))
                  + "\": not an escape RE2 knows"
                  + (javaOnly(c) ? " (Java-only)" : ""));
        }
      }
    }
  }

  private static boolean javaOnly(int c) {
    return "hHRXGVNeckKuE".indexOf(c) >= 0;
  }

  private void notInClass(boolean inClass, int c) {
    if (inClass) {
      throw refused("\"\\" + (char) c + "\" inside a character class");
    }
  }

  /** {@code \1}..{@code \7} alone are backreferences (refused); up to three octal digits a code. */
  private void octal(int first) {
    int start = pos - 1;
    int end = pos;
    while (end < re2.length()
        && end - start < 3
        && re2.charAt(end) >= '0'
        && re2.charAt(end) <= '7') {
      end++;
    }
    if (first != '0' && end == pos) {
      throw refused("\"\\" + (char) first + "\": RE2 has no backreferences");
    }
    int code = Integer.parseInt(re2.substring(start, end), 8);
    out.append("\\x{").append(Integer.toHexString(code)).append('}');
    pos = end;
  }

  private void hex() {
    if (pos < re2.length() && re2.charAt(pos) == '{') {
      int end = re2.indexOf('}', pos);
      String digits = end < 0 ? "" : re2.substring(pos + 1, end);
      if (!digits.matches("[0-9A-Fa-f]{1,8}") || Long.parseLong(digits, 16) > 0x10FFFF) {
        throw refused("\"\\x{" + digits + "\": not a code point in hex");
      }
      out.append("\\x{").append(digits).append('}');
      pos = end + 1;
      return;
    }
    String digits = re2.substring(pos, Math.min(pos + 2, re2.length()));
    if (!digits.matches("[0-9A-Fa-f]{2}")) {
      throw refused("\"\\x" + digits + "\": \\x takes two hex digits or {code point}");
    }
    out.append("\\x").append(digits);
    pos += 2;
  }

  /** {@code \pL}, {@code \p{Greek}}, {@code \p{^Lu}} and their {@code \P} complements. */
  private void property(boolean negated, boolean inClass) {
    String name;
    if (pos < re2.length() && re2.charAt(pos) == '{') {
      int end = re2.indexOf('}', pos);
      if (end < 0) {
        throw refused("\"\\p{\" without its closing }");
      }
      name = re2.substring(pos + 1, end);
      pos = end + 1;
    } else if (pos < re2.length()) {
      name = re2.substring(pos, pos + 1);
      pos++;
    } else {
      throw refused("\"\\p\" without a class name");
    }
    if (name.startsWith("^")) {
      negated = !negated;
      name = name.substring(1);
    }
    String p = negated ? "\\P" : "\\p";
    if (name.equals("Any")) {
      if (negated && inClass) {
        throw refused("\"\\P{Any}\" inside a character class");
      }
      String all = "\\x{0}-\\x{10FFFF}";
      out.append(inClass ? all : (negated ? "[^" : "[") + all + "]");
      return;
    }
    if (CATEGORIES.contains(name)) {
      out.append(p).append('{').append(name).append('}');
      return;
    }
    if (name.equals("C")) {
      throw refused(
          "\"\\pC\": Java's category C also holds unassigned code points, RE2's does not;"
              + " name the parts, such as [\\p{Cc}\\p{Cf}]");
    }
    if (SCRIPT_NAME.matcher(name).matches() && isScript(name)) {
      out.append(p).append("{script=").append(name).append('}');
      return;
    }
    throw refused(
        "\"\\p{" + name + "}\": not a Unicode category or script RE2 knows under that name");
  }

  private static boolean isScript(String name) {
    try {
      Character.UnicodeScript.valueOf(name.toUpperCase(Locale.ROOT));
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private IllegalArgumentException refused(String what) {
    return new IllegalArgumentException(what);
  }
}
