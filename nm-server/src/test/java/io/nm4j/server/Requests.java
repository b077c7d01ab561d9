package io.nm4j.server;

import java.net.URI;
import java.net.http.HttpRequest;
import org.jspecify.annotations.Nullable;

/** The requests tests send to a server on 127.0.0.1. */
public final class Requests {
  private Requests() {}

  /**
   * {@code method path} to {@code port}, with the body (or none), a bearer token (or none), a
   * {@code Content-Type} (or none) and more headers as name, value pairs.
   */
  public static HttpRequest to(
      int port,
      String method,
      String path,
      @Nullable String token,
      @Nullable String contentType,
      @Nullable String body,
      String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b.build();
  }
}
