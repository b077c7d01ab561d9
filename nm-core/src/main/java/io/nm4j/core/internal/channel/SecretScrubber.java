package io.nm4j.core.internal.channel;

import io.nm4j.spi.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes the values of a send's secrets from what the send reports. Channels never put a secret in
 * a detail themselves, but a remote may echo one: an endpoint that answers with the {@code
 * Authorization} header in its reason phrase or body puts the token (or its Base64 form) into the
 * detail that history, logs, dead letters and test sends show. One scrubber for every channel.
 *
 * <p>Removed: each value and its Base64 (standard and URL-safe, with and without padding) and
 * URL-encoded forms; the password and query values of a value that is a URL; each long line of a
 * multi-line value (keys); a Base64 word that decodes to text holding a value (HTTP basic {@code
 * user:password}); and a value's beginning cut off at the end of an excerpt. Values shorter than
 * {@value #MIN_LENGTH} characters are left alone: they cannot be told from ordinary text.
 */
final class SecretScrubber {
  static final String REDACTED = "[redacted]";
  static final int MIN_LENGTH = 4;
  private static final int MIN_CUT = 6;
  private static final int MIN_LINE = 16;
  private static final Pattern BASE64_WORD = Pattern.compile("[A-Za-z0-9+/_-]{8,}={0,2}");

  private final List<String> values;
  private final List<String> forms;

  private SecretScrubber(List<String> values, List<String> forms) {
    this.values = values;
    this.forms = forms;
  }

  static SecretScrubber of(Collection<Secret> secrets) {
    Set<String> values = new LinkedHashSet<>();
    Set<String> forms = new LinkedHashSet<>();
    for (Secret s : secrets) {
      String v = s.reveal();
      if (v.strip().length() < MIN_LENGTH) {
        continue;
      }
      values.add(v);
      addForms(v, forms);
      String stripped = v.strip();
      if (!stripped.equals(v)) {
        values.add(stripped);
        addForms(stripped, forms);
      }
      for (String line : v.split("\\R")) {
        if (line.strip().length() >= MIN_LINE) {
          forms.add(line.strip());
        }
      }
      addUrlParts(stripped, forms);
    }
    List<String> sorted = new ArrayList<>(forms);
    // Longest first, so a value is removed whole before a part of it could be.
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    return new SecretScrubber(List.copyOf(values), List.copyOf(sorted));
  }

  private static void addForms(String v, Set<String> forms) {
    byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
    forms.add(v);
    String b64 = Base64.getEncoder().encodeToString(bytes);
    forms.add(b64);
    forms.add(stripPadding(b64));
    String url64 = Base64.getUrlEncoder().encodeToString(bytes);
    forms.add(url64);
    forms.add(stripPadding(url64));
    forms.add(URLEncoder.encode(v, StandardCharsets.UTF_8));
    forms.add(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
  }

  /** The user-info password and query values of a value that is a URL (a webhook with a token). */
  private static void addUrlParts(String v, Set<String> forms) {
    if (!v.contains("://")) {
      return;
    }
    URI uri;
    try {
      uri = new URI(v);
    } catch (URISyntaxException e) {
      return;
    }
    List<String> parts = new ArrayList<>();
    if (uri.getRawUserInfo() != null) {
      String info = uri.getRawUserInfo();
      parts.add(info.substring(info.indexOf(':') + 1));
    }
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        parts.add(pair.substring(pair.indexOf('=') + 1));
      }
    }
    for (String raw : parts) {
      if (raw.length() >= MIN_LENGTH) {
        forms.add(raw);
        forms.add(URLDecoder.decode(raw, StandardCharsets.UTF_8));
      }
    }
  }

  private static String stripPadding(String b64) {
    int end = b64.length();
    while (end > 0 && b64.charAt(end - 1) == '=') {
      end--;
    }
    return b64.substring(0, end);
  }

  boolean isEmpty() {
    return values.isEmpty();
  }

  /** {@code text} with every form of every value replaced by {@value #REDACTED}. */
  String scrub(String text) {
    if (values.isEmpty() || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (String form : forms) {
      if (!form.isEmpty() && out.contains(form)) {
        out = out.replace(form, REDACTED);
      }
    }
    out = scrubBase64Words(out);
    return scrubCutValues(out);
  }

  private String scrubBase64Words(String text) {
    Matcher m = BASE64_WORD.matcher(text);
    StringBuilder out = null;
    int last = 0;
    while (m.find()) {
      if (holdsValue(m.group())) {
        if (out == null) {
          out = new StringBuilder(text.length());
        }
        out.append(text, last, m.start()).append(REDACTED);
        last = m.end();
      }
    }
    return out == null ? text : out.append(text, last, text.length()).toString();
  }

  private boolean holdsValue(String word) {
    for (Base64.Decoder d : List.of(Base64.getDecoder(), Base64.getUrlDecoder())) {
      try {
        String decoded = new String(d.decode(padded(word)), StandardCharsets.UTF_8);
        for (String v : values) {
          if (decoded.contains(v)) {
            return true;
          }
        }
      } catch (IllegalArgumentException e) {
        // not Base64 in this alphabet
      }
    }
    return false;
  }

  private static String padded(String word) {
    String w = stripPadding(word);
    return w.length() % 4 == 0 ? w : w + "=".repeat(4 - w.length() % 4);
  }

  /**
   * A remote's text cut to an excerpt may end in the middle of a value: the value's beginning
   * before the cut ({@code …}, {@code ...}, or the end of the text) is removed as well.
   */
  private String scrubCutValues(String text) {
    String out = text;
    for (String cut : List.of("…", "...", "")) {
      int from = 0;
      while (true) {
        int at = cut.isEmpty() ? out.length() : out.indexOf(cut, from);
        if (at < 0) {
          break;
        }
        int longest = 0;
        for (String v : values) {
          for (int k = Math.min(v.length() - 1, at); k >= MIN_CUT; k--) {
            if (out.regionMatches(at - k, v, 0, k)) {
              longest = Math.max(longest, k);
              break;
            }
          }
        }
        if (longest > 0) {
          out = out.substring(0, at - longest) + REDACTED + out.substring(at);
          at = at - longest + REDACTED.length();
        }
        if (cut.isEmpty()) {
          break;
        }
        from = at + cut.length();
      }
    }
    return out;
  }
}
