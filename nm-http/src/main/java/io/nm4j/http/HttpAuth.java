package io.nm4j.http;

import io.nm4j.spi.Secret;
import java.util.Objects;

/**
 * How a request authenticates: HTTP basic or a bearer token. The factories take a secret's value
 * without its trailing line breaks, which a file or {@code echo} put in a Kubernetes secret leaves
 * and no credential holds.
 */
public sealed interface HttpAuth permits HttpAuth.Basic, HttpAuth.Bearer {

  static HttpAuth basic(String username, Secret password) {
    return new Basic(username, withoutTrailingLineBreaks(password));
  }

  /**
   * A bearer token, without its trailing line breaks.
   *
   * @throws IllegalArgumentException when the token holds a character an HTTP header cannot carry
   *     (HTTP allows only visible ASCII, space and tab); the message names its position, never the
   *     value
   */
  static HttpAuth bearer(Secret token) {
    Secret trimmed = withoutTrailingLineBreaks(token);
    String value = trimmed.reveal();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\t' && (c < 0x20 || c > 0x7e)) {
        throw new IllegalArgumentException(
            String.format(
                "the token holds a character an HTTP header cannot carry (U+%04X at position %d"
                    + " of %d)",
                (int) c, i + 1, value.length()));
      }
    }
    return new Bearer(trimmed);
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
