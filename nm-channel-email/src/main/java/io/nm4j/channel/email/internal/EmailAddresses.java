package io.nm4j.channel.email.internal;

import org.jspecify.annotations.Nullable;

/**
 * Checks that a string is a plain mailbox address {@code local@domain}, the form an SMTP {@code
 * MAIL FROM} / {@code RCPT TO} takes (RFC 5321 §4.1.2), so a typo is reported when the config is
 * loaded rather than as a bounce at 3 a.m.
 *
 * <p>The local part is a dot-atom or a quoted string; the domain is a host name (letters, digits
 * and hyphens in labels of at most 63 characters). Deliberately stricter than the RFC where laxness
 * only hides mistakes in a config file: no whitespace anywhere (not even quoted), no display name
 * ({@code Ops <ops@example.com>}), no address literal ({@code [192.0.2.1]}), ASCII only (write an
 * internationalised domain in its {@code xn--} form).
 */
public final class EmailAddresses {
  private static final int MAX_ADDRESS = 254;
  private static final int MAX_LOCAL = 64;
  private static final int MAX_DOMAIN = 253;
  private static final int MAX_LABEL = 63;
  private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

  private EmailAddresses() {}

  /** What is wrong with {@code address}, or {@code null} when it is a valid address. */
  public static @Nullable String problem(String address) {
    if (address.isEmpty()) {
      return "is empty";
    }
    for (int i = 0; i < address.length(); i++) {
      char c = address.charAt(i);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        return "contains whitespace";
      }
      if (c < 0x20 || c == 0x7f) {
        return "contains a control character";
      }
      if (c > 0x7e) {
        return "contains a non-ASCII character";
      }
    }
    if (address.length() > MAX_ADDRESS) {
      return "is longer than " + MAX_ADDRESS + " characters";
    }
    // A quoted local part may itself hold '@', so the domain starts after the last one.
    int at = address.lastIndexOf('@');
    if (at < 0) {
      return "has no @";
    }
    // The parts are checked in place: a build checks every receiver's addresses.
    String localProblem = localPartProblem(address, at);
    if (localProblem != null) {
      return localProblem;
    }
    return domainProblem(address, at + 1);
  }

  /** Whether {@code address} is a valid address. */
  public static boolean isValid(String address) {
    return problem(address) == null;
  }

  /**
   * A sender as a {@code From} header names it: an address, and the display name of RFC 5322's
   * {@code name-addr} form ({@code Alerts <noreply@example.com>}, {@code "Ops, EU"
   * <ops@example.com>}, a name in any script), as Alertmanager and notification-manager accept it.
   *
   * @param name the display name, unquoted; {@code null} when there is none
   * @param address the mailbox, {@code local@domain}, the SMTP envelope sender
   */
  public record Sender(@Nullable String name, String address) {}

  /** The display name's longest length, in characters. */
  private static final int MAX_NAME = 256;

  /** What is wrong with {@code from} as a sender, or {@code null} when it is one. */
  public static @Nullable String senderProblem(String from) {
    String trimmed = from.strip();
    if (!trimmed.endsWith(">")) {
      return problem(from);
    }
    int open = trimmed.lastIndexOf('<');
    if (open < 0) {
      return "has '>' without '<'";
    }
    String name = trimmed.substring(0, open).strip();
    String nameProblem = nameProblem(name);
    if (nameProblem != null) {
      return nameProblem;
    }
    String address = problem(trimmed.substring(open + 1, trimmed.length() - 1));
    return address == null ? null : "has an address in <> that " + address;
  }

  /**
   * The sender {@code from} names.
   *
   * @throws IllegalArgumentException when {@link #senderProblem} finds a problem
   */
  public static Sender sender(String from) {
    String problem = senderProblem(from);
    if (problem != null) {
      throw new IllegalArgumentException("not a sender: " + problem);
    }
    String trimmed = from.strip();
    if (!trimmed.endsWith(">")) {
      return new Sender(null, from);
    }
    int open = trimmed.lastIndexOf('<');
    String name = unquoted(trimmed.substring(0, open).strip());
    return new Sender(
        name.isEmpty() ? null : name, trimmed.substring(open + 1, trimmed.length() - 1));
  }

  private static @Nullable String nameProblem(String name) {
    if (name.length() > MAX_NAME) {
      return "has a display name longer than " + MAX_NAME + " characters";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return "contains a control character";
      }
    }
    boolean quoted = name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"");
    if (quoted) {
      return quotedProblem(name, 0, name.length()) == null
          ? null
          : "has a display name with a broken quote";
    }
    for (int i = 0; i < name.length(); i++) {
      if ("<>\"@,;:\\[]".indexOf(name.charAt(i)) >= 0) {
        return "has '" + name.charAt(i) + "' in its display name (quote the name to use it)";
      }
    }
    return null;
  }

  private static String unquoted(String name) {
    if (name.length() < 2 || !name.startsWith("\"") || !name.endsWith("\"")) {
      return name;
    }
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 1; i < name.length() - 1; i++) {
      char c = name.charAt(i);
      if (c == '\\' && i + 1 < name.length() - 1) {
        c = name.charAt(++i);
      }
      out.append(c);
    }
    return out.toString();
  }

  /** What is wrong with the local part {@code address[0, end)}, or {@code null}. */
  private static @Nullable String localPartProblem(String address, int end) {
    if (end == 0) {
      return "has nothing before @";
    }
    if (end > MAX_LOCAL) {
      return "has a local part longer than " + MAX_LOCAL + " characters";
    }
    if (address.charAt(0) == '"') {
      return quotedProblem(address, 0, end);
    }
    if (address.charAt(0) == '.' || address.charAt(end - 1) == '.' || hasTwoDots(address, 0, end)) {
      return "has a local part that starts or ends with a dot or holds two dots in a row";
    }
    for (int i = 0; i < end; i++) {
      char c = address.charAt(i);
      if (c != '.' && !isAtext(c)) {
        return "has '" + c + "' in its local part (quote the local part to use it)";
      }
    }
    return null;
  }

  /** What is wrong with the quoted string {@code text[start, end)}, or {@code null}. */
  private static @Nullable String quotedProblem(String text, int start, int end) {
    if (end - start < 2 || text.charAt(end - 1) != '"') {
      return "has a local part with an unterminated quote";
    }
    for (int i = start + 1; i < end - 1; i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        if (i + 1 >= end - 1) {
          return "has a local part ending in a lone backslash";
        }
        i++;
      } else if (c == '"') {
        return "has a local part with an unescaped quote inside";
      }
    }
    return null;
  }

  /** What is wrong with the domain {@code address[from, address.length())}, or {@code null}. */
  private static @Nullable String domainProblem(String address, int from) {
    int length = address.length();
    if (from == length) {
      return "has nothing after @";
    }
    if (address.charAt(from) == '[') {
      return "has an address literal as its domain; use a host name";
    }
    if (length - from > MAX_DOMAIN) {
      return "has a domain longer than " + MAX_DOMAIN + " characters";
    }
    if (address.charAt(from) == '.'
        || address.charAt(length - 1) == '.'
        || hasTwoDots(address, from, length)) {
      return "has a domain that starts or ends with a dot or holds two dots in a row";
    }
    // Label by label between the dots, without splitting into new strings.
    int start = from;
    while (true) {
      int end = address.indexOf('.', start);
      if (end < 0) {
        end = length;
      }
      String labelProblem = labelProblem(address, start, end);
      if (labelProblem != null) {
        return labelProblem;
      }
      if (end == length) {
        break;
      }
      start = end + 1;
    }
    boolean numeric = true;
    for (int i = start; i < length && numeric; i++) {
      char c = address.charAt(i);
      numeric = c >= '0' && c <= '9';
    }
    if (numeric) {
      return "has a numeric top-level domain; an IP address is not a host name";
    }
    return null;
  }

  /** Whether {@code text[start, end)} holds two dots in a row. */
  private static boolean hasTwoDots(String text, int start, int end) {
    int dots = text.indexOf("..", start);
    return dots >= 0 && dots + 2 <= end;
  }

  /** What is wrong with the domain label {@code domain[start, end)}, or {@code null}. */
  private static @Nullable String labelProblem(String domain, int start, int end) {
    if (end - start > MAX_LABEL) {
      return "has a domain label longer than " + MAX_LABEL + " characters";
    }
    if (end > start && (domain.charAt(start) == '-' || domain.charAt(end - 1) == '-')) {
      return "has a domain label that starts or ends with a hyphen";
    }
    for (int i = start; i < end; i++) {
      char c = domain.charAt(i);
      if (!isLetterOrDigit(c) && c != '-') {
        return "has '" + c + "' in its domain";
      }
    }
    return null;
  }

  private static boolean isAtext(char c) {
    return isLetterOrDigit(c) || ATEXT_SPECIALS.indexOf(c) >= 0;
  }

  private static boolean isLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
}
