package io.nm4j.core.internal.v2beta2;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles the regular expressions of {@code Match} selectors and router {@code regexName}s, which
 * tenants write. notification-manager evaluates them with Go's RE2, so they are read in RE2's
 * syntax ({@link Re2Syntax} translates them to {@code java.util.regex} or refuses what Java would
 * read differently). RE2's matching time is linear; {@code java.util.regex} backtracks, so a
 * hostile pattern could stall routing. Patterns are therefore also limited to at most {@value
 * #MAX_LENGTH} characters and may not hold a quantified group that itself holds a quantifier
 * ({@code (a+)+}), the shape of exponential backtracking.
 */
final class SafeRegex {
  static final int MAX_LENGTH = 256;

  private SafeRegex() {}

  /**
   * Compiles {@code regex}.
   *
   * @throws IllegalArgumentException saying what is refused
   */
  static Pattern compile(String regex) {
    if (regex.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "a regular expression may have at most "
              + MAX_LENGTH
              + " characters, had "
              + regex.length());
    }
    String java = Re2Syntax.toJava(regex);
    check(regex);
    try {
      return Pattern.compile(java, Re2Syntax.FLAGS);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "invalid regular expression: " + e.getDescription() + " near index " + e.getIndex());
    }
  }

  /** Characters that stand for themselves wherever they appear outside a character class. */
  private static boolean plain(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "_-/:=,@%&~<>!'\" ".indexOf(c) >= 0;
  }

  /** Whether {@code regex} has only plain characters, so it finds exactly its own text. */
  static boolean isLiteral(String regex) {
    for (int i = 0; i < regex.length(); i++) {
      if (!plain(regex.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Text that starts every string {@code regex} is found in, or the empty string: the plain
   * characters right after a leading {@code ^} or {@code \A} (which {@link #compile} writes for
   * it), less the last one when a quantifier follows it. None when an alternative at the top level
   * ({@code ^a|b}) could match without it.
   */
  static String requiredPrefix(String regex) {
    int start = regex.startsWith("^") ? 1 : regex.startsWith("\\A") ? 2 : 0;
    if (start == 0 || alternativeAtTopLevel(regex)) {
      return "";
    }
    int end = start;
    while (end < regex.length() && plain(regex.charAt(end))) {
      end++;
    }
    if (end < regex.length() && "?*+{".indexOf(regex.charAt(end)) >= 0) {
      end--;
    }
    return end > start ? regex.substring(start, end) : "";
  }

  /**
   * Text that ends every string {@code regex} is found in, unless the string ends with a line
   * terminator (such values are left to the pattern), or the empty string: the plain characters
   * right before a trailing {@code $}, less one that an escape or a quantifier claims. None when an
   * alternative at the top level could match without it, or when inline flags (such as {@code
   * (?x)}, which ignores spaces) could change what the characters mean.
   */
  static String requiredSuffix(String regex) {
    int dollar = endAnchor(regex);
    if (dollar < 1 || regex.contains("(?") || alternativeAtTopLevel(regex)) {
      return "";
    }
    int start = dollar;
    while (start > 0 && plain(regex.charAt(start - 1))) {
      start--;
    }
    if (start > 0 && regex.charAt(start - 1) == '\\') {
      start++; // the first character is escaped: \d3$ ends with a digit and a 3
    }
    return start < dollar ? regex.substring(start, dollar) : "";
  }

  /**
   * Where the anchor that ends {@code regex} starts: a trailing {@code $} or {@code \z} (not an
   * escaped backslash followed by {@code z}); else -1.
   */
  private static int endAnchor(String regex) {
    int last = regex.length() - 1;
    if (last >= 0 && regex.charAt(last) == '$') {
      return last;
    }
    if (last < 1 || regex.charAt(last) != 'z') {
      return -1;
    }
    int backslashes = 0;
    while (last - 1 - backslashes >= 0 && regex.charAt(last - 1 - backslashes) == '\\') {
      backslashes++;
    }
    return backslashes % 2 == 1 ? last - 1 : -1;
  }

  /** Whether a {@code |} outside every group and character class splits {@code regex}. */
  private static boolean alternativeAtTopLevel(String regex) {
    int depth = 0;
    boolean inClass = false;
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i++;
      } else if (inClass) {
        if (c == '[') {
          return true; // a nested class: too intricate to reason about, so assume the worst
        }
        inClass = c != ']';
      } else if (c == '[') {
        inClass = true;
        if (i + 1 < regex.length() && regex.charAt(i + 1) == ']') {
          i++;
        }
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == '|' && depth <= 0) {
        return true;
      }
    }
    return false;
  }

  private static void check(String regex) {
    // One entry per open group: whether a quantifier appeared inside it.
    Deque<boolean[]> groups = new ArrayDeque<>();
    boolean inClass = false;
    boolean lastGroupHadQuantifier = false;
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        if (!inClass && regex.startsWith("Q", i + 1)) {
          // Quoted text is literal: its parentheses and quantifiers are characters.
          int end = regex.indexOf("\\E", i + 2);
          i = end < 0 ? regex.length() : end + 1;
        } else {
          i++;
        }
        lastGroupHadQuantifier = false;
        continue;
      }
      if (inClass) {
        inClass = c != ']';
        continue;
      }
      switch (c) {
        case '[' -> {
          inClass = true;
          if (i + 1 < regex.length() && regex.charAt(i + 1) == ']') {
            i++;
          }
          lastGroupHadQuantifier = false;
        }
        case '(' -> {
          groups.push(new boolean[] {false});
          lastGroupHadQuantifier = false;
        }
        case ')' -> {
          boolean[] closed = groups.isEmpty() ? new boolean[] {false} : groups.pop();
          lastGroupHadQuantifier = closed[0];
          if (closed[0] && !groups.isEmpty()) {
            groups.peek()[0] = true;
          }
          continue;
        }
        case '*', '+', '?', '{' -> {
          if (c == '?' && i > 0 && regex.charAt(i - 1) == '(') {
            break;
          }
          if (lastGroupHadQuantifier && c != '?') {
            throw new IllegalArgumentException(
                "a repeated group may not itself repeat (such as (a+)+): it can take exponential"
                    + " time");
          }
          if (!groups.isEmpty()) {
            groups.peek()[0] = true;
          }
        }
        default -> lastGroupHadQuantifier = false;
      }
      if (c != '*' && c != '+' && c != '?' && c != '{') {
        lastGroupHadQuantifier = false;
      }
    }
  }
}
