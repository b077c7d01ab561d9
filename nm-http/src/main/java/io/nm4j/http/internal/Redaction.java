package io.nm4j.http.internal;

import io.nm4j.http.RedactedPath;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;

/** What of a URL and of an exception message may be shown. */
public final class Redaction {
  private Redaction() {}

  /** {@code scheme://host:port/path}: no user info, query or fragment. */
  public static String url(HttpUrl url) {
    String host = url.host().contains(":") ? "[" + url.host() + "]" : url.host();
    return url.scheme() + "://" + host + ":" + url.port() + url.encodedPath();
  }

  /**
   * {@code scheme://host:port/path} of a request, with the path its {@link RedactedPath} tag shows
   * when it has one.
   */
  public static String url(Request request) {
    RedactedPath redacted = request.tag(RedactedPath.class);
    if (redacted == null) {
      return url(request.url());
    }
    HttpUrl url = request.url();
    String host = url.host().contains(":") ? "[" + url.host() + "]" : url.host();
    return url.scheme() + "://" + host + ":" + url.port() + redacted.shown();
  }

  /**
   * An exception's message about a request, with its URL, query and (when it has a {@link
   * RedactedPath} tag) its path as shown.
   */
  public static String message(@Nullable String message, Request request) {
    String out = message(message, request.url());
    RedactedPath redacted = request.tag(RedactedPath.class);
    return redacted == null ? out : out.replace(request.url().encodedPath(), redacted.shown());
  }

  /** An exception's message with the request's full URL and query removed, if they appear. */
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
