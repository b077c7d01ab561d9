package io.nm4j.http;

import java.util.Objects;

/**
 * A request's path as details and logs show it, for a request whose path holds a credential (a
 * Telegram bot token, a Discord webhook's token). Attach it as the request's tag ({@code new
 * Request.Builder().tag(RedactedPath.class, new RedactedPath("/bot<token>/sendMessage"))}): {@link
 * HttpOutcomes#describe}, the failures it maps and the client's DEBUG log then show this path
 * instead of the one sent.
 *
 * @param shown the path to show, starting with {@code /}
 */
public record RedactedPath(String shown) {
  public RedactedPath {
    Objects.requireNonNull(shown, "shown");
    if (!shown.startsWith("/")) {
      throw new IllegalArgumentException(
          "shown: must start with /, was " + shown.length() + " characters");
    }
  }
}
