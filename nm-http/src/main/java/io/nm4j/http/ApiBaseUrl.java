package io.nm4j.http;

import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * The base URL of a vendor's API as an operator sets it in a channel option ({@code slack.apiUrl}):
 * the channel resolves its calls against it, so it is checked once, at start-up.
 */
public final class ApiBaseUrl {
  private ApiBaseUrl() {}

  /**
   * {@code value} as a base URL ending in {@code /}: without the slash, resolving a call's path
   * would replace the last segment instead of extending it.
   *
   * @param option the option's name, for the message ({@code feishu.apiUrl})
   * @throws IllegalArgumentException naming {@code option} when {@code value} is not an absolute
   *     http(s) URL, or has a query or user info
   */
  public static HttpUrl parse(String option, String value) {
    Objects.requireNonNull(value, option);
    HttpUrl url = HttpUrl.parse(value.trim());
    if (url == null) {
      throw new IllegalArgumentException(
          option + ": must be an absolute http or https URL, was \"" + value + "\"");
    }
    if (url.encodedQuery() != null || !url.username().isEmpty() || !url.password().isEmpty()) {
      throw new IllegalArgumentException(option + ": must not contain a query or user info");
    }
    return url.encodedPath().endsWith("/")
        ? url
        : url.newBuilder().encodedPath(url.encodedPath() + "/").build();
  }
}
