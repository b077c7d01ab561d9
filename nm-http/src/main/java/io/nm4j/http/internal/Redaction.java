package io.nm4j.http.internal;

import io.nm4j.http.SecretPath;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;

/** What of a URL and of an exception message may be shown. */
public final class Redaction {
  private Redaction() {}

  /**
   * {@code scheme://host:port/path} of a request's URL, with the path its {@link SecretPath} mark
   * shows when it has one.
   */
  public static String target(Request request) {
    return origin(request.url()) + SecretPath.shown(request);
  }

  /** {@code scheme://host:port/path}: no user info, query or fragment. */
  public static String url(HttpUrl url) {
    return origin(url) + url.encodedPath();
  }

  private static String origin(HttpUrl url) {
    String host = url.host().contains(":") ? "[" + url.host() + "]" : url.host();
    return url.scheme() + "://" + host + ":" + url.port();
  }

  /** An exception's message with the request's full URL and query removed, if they appear. */
  public static String message(@Nullable String message, Request request) {
    String out = message(message, request.url());
    String path = request.url().encodedPath();
    return SecretPath.isMarked(request) && path.length() > 1
        ? out.replace(path, SecretPath.shown(request))
        : out;
  }

  /** An exception's message with the URL's full form and query removed, if they appear. */
  public static String message(@Nullable String message, HttpUrl url) {
    if (message == null || message.isBlank()) {
      return "";
    }
    String out = message.replace(url.toString(), url(url));
    String query = url.encodedQuery();
    if (query != null && !query.isEmpty()) {
      out = out.replace(query, "[query redacted]");
    }
    String password = url.encodedPassword();
    if (!password.isEmpty()) {
      out = out.replace(password, "[redacted]");
    }
    return out;
  }
}
