package io.nm4j.http;

import io.nm4j.spi.Secret;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a request authenticates: HTTP basic or a bearer token. The factories take a secret's value
 * without its trailing line breaks, which a file or {@code echo} put in a Kubernetes secret leaves
 * and no credential holds.
 */
public sealed interface HttpAuth permits HttpAuth.Basic, HttpAuth.Bearer {

  static HttpAuth basic(String username, Secret password) {
    return new Basic(username, withoutTrailingLineBreaks(password));
  }

  static HttpAuth bearer(Secret token) {
    return new Bearer(withoutTrailingLineBreaks(token));
  }

  private static Secret withoutTrailingLineBreaks(Secret secret) {
    String value = secret.reveal();
    int end = value.length();
    while (end > 0 && (value.charAt(end - 1) == '\n' || value.charAt(end - 1) == '\r')) {
      end--;
    }
    return end == value.length() ? secret : Secret.of(value.substring(0, end));
  }

  /**
   * Why the {@code Authorization} header of this credential cannot be sent, naming no part of the
   * value; {@code null} when it can. A bearer token goes into the header as it is, and HTTP allows
   * only visible ASCII, space and tab there; a basic credential is Base64 and always fits.
   */
  default @Nullable String headerProblem() {
    if (!(this instanceof Bearer bearer)) {
      return null;
    }
    String value = bearer.token().reveal();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\t' && (c < 0x20 || c > 0x7e)) {
        return String.format(
            "the token holds a character an HTTP header cannot carry (U+%04X at position %d of"
                + " %d)",
            (int) c, i + 1, value.length());
      }
    }
    return null;
  }

  /**
   * {@code Authorization: Basic base64(username:password)}.
   *
   * @param username the user name
   * @param password the password
   */
  record Basic(String username, Secret password) implements HttpAuth {
    public Basic {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
      return "Basic[" + username + ", password redacted]";
    }
  }

  /**
   * {@code Authorization: Bearer <token>}.
   *
   * @param token the token
   */
  record Bearer(Secret token) implements HttpAuth {
    public Bearer {
      Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
      return "Bearer[redacted]";
    }
  }
}
