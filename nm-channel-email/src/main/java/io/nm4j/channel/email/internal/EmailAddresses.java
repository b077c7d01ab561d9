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
    String local = address.substring(0, at);
    String domain = address.substring(at + 1);
    String localProblem = localPartProblem(local);
    if (localProblem != null) {
      return localProblem;
    }
    return domainProblem(domain);
  }

  /** Whether {@code address} is a valid address. */
  public static boolean isValid(String address) {
    return problem(address) == null;
  }

  private static @Nullable String localPartProblem(String local) {
    if (local.isEmpty()) {
      return "has nothing before @";
    }
    if (local.length() > MAX_LOCAL) {
      return "has a local part longer than " + MAX_LOCAL + " characters";
    }
    if (local.charAt(0) == '"') {
      return quotedProblem(local);
    }
    if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
      return "has a local part that starts or ends with a dot or holds two dots in a row";
    }
    for (int i = 0; i < local.length(); i++) {
      char c = local.charAt(i);
      if (c != '.' && !isAtext(c)) {
        return "has '" + c + "' in its local part (quote the local part to use it)";
      }
    }
    return null;
  }

  private static @Nullable String quotedProblem(String local) {
    if (local.length() < 2 || local.charAt(local.length() - 1) != '"') {
      return "has a local part with an unterminated quote";
    }
    for (int i = 1; i < local.length() - 1; i++) {
      char c = local.charAt(i);
      if (c == '\\') {
        if (i + 1 >= local.length() - 1) {
          return "has a local part ending in a lone backslash";
        }
        i++;
      } else if (c == '"') {
        return "has a local part with an unescaped quote inside";
      }
    }
    return null;
  }

  private static @Nullable String domainProblem(String domain) {
    if (domain.isEmpty()) {
      return "has nothing after @";
    }
    if (domain.startsWith("[")) {
      return "has an address literal as its domain; use a host name";
    }
    if (domain.length() > MAX_DOMAIN) {
      return "has a domain longer than " + MAX_DOMAIN + " characters";
    }
    if (domain.startsWith(".") || domain.endsWith(".") || domain.contains("..")) {
      return "has a domain that starts or ends with a dot or holds two dots in a row";
    }
    String[] labels = domain.split("\\.", -1);
    for (String label : labels) {
      if (label.length() > MAX_LABEL) {
        return "has a domain label longer than " + MAX_LABEL + " characters";
      }
      if (label.startsWith("-") || label.endsWith("-")) {
        return "has a domain label that starts or ends with a hyphen";
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        if (!isLetterOrDigit(c) && c != '-') {
          return "has '" + c + "' in its domain";
        }
      }
    }
    if (labels[labels.length - 1].chars().allMatch(c -> c >= '0' && c <= '9')) {
      return "has a numeric top-level domain; an IP address is not a host name";
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
