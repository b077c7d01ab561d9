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

  /** The value of the {@code Authorization} header. Call it only where the request is built. */
  String authorizationHeader();

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
    public String authorizationHeader() {
      return okhttp3.Credentials.basic(
          username, password.reveal(), java.nio.charset.StandardCharsets.UTF_8);
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
    public String authorizationHeader() {
      return "Bearer " + token.reveal();
    }

    @Override
    public String toString() {
      return "Bearer[redacted]";
    }
  }
}
