package io.nm4j.http;

import io.nm4j.spi.Secret;
import java.util.Objects;

/** How a request authenticates: HTTP basic or a bearer token. */
public sealed interface HttpAuth permits HttpAuth.Basic, HttpAuth.Bearer {

  static HttpAuth basic(String username, Secret password) {
    return new Basic(username, password);
  }

  static HttpAuth bearer(Secret token) {
    return new Bearer(token);
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
