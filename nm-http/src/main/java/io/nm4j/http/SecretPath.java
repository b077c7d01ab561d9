package io.nm4j.http;

import java.util.Objects;
import okhttp3.Request;

/**
 * Marks a request whose URL path holds a credential, as a bot's webhook ({@code
 * /open-apis/bot/v2/hook/<token>}), a Telegram bot ({@code /bot<token>/sendMessage}) or a Discord
 * webhook ({@code /api/webhooks/<id>/<token>}) does: {@link HttpOutcomes#describe}, the failures it
 * maps and the client's DEBUG log then show the path the mark gives, never the one sent. A query is
 * never shown anyway.
 */
public final class SecretPath {
  private static final SecretPath HIDDEN = new SecretPath("/…");

  private final String shown;

  private SecretPath(String shown) {
    this.shown = shown;
  }

  /** {@code request} with its path marked secret and shown as {@code /…}. */
  public static Request.Builder mark(Request.Builder request) {
    return request.tag(SecretPath.class, HIDDEN);
  }

  /**
   * {@code request} with its path marked secret and shown as {@code shown}, the path with its
   * credential replaced ({@code /bot<token>/sendMessage}).
   *
   * @throws IllegalArgumentException if {@code shown} does not start with {@code /}
   */
  public static Request.Builder mark(Request.Builder request, String shown) {
    Objects.requireNonNull(shown, "shown");
    if (!shown.startsWith("/")) {
      // The length only: a caller's mistake here may well be the secret path itself.
      throw new IllegalArgumentException(
          "shown: must start with /, was " + shown.length() + " characters");
    }
    return request.tag(SecretPath.class, new SecretPath(shown));
  }

  /** Whether {@code request}'s path is marked secret. */
  public static boolean isMarked(Request request) {
    return request.tag(SecretPath.class) != null;
  }

  /** The path shown for {@code request}: the mark's, or the path sent when it has no mark. */
  public static String shown(Request request) {
    SecretPath mark = request.tag(SecretPath.class);
    return mark == null ? request.url().encodedPath() : mark.shown;
  }

  @Override
  public String toString() {
    return "SecretPath[" + shown + "]";
  }
}
