package io.nm4j.http;

import okhttp3.Request;

/**
 * Marks a request whose URL path holds a credential, as a bot's webhook does ({@code
 * /open-apis/bot/v2/hook/<token>}): logs and failure details then name its scheme, host and port
 * only, never the path. A query is never shown anyway.
 */
public final class SecretPath {
  private static final SecretPath MARK = new SecretPath();

  private SecretPath() {}

  /** {@code request} with its path marked secret. */
  public static Request.Builder mark(Request.Builder request) {
    return request.tag(SecretPath.class, MARK);
  }

  /** Whether {@code request}'s path is marked secret. */
  public static boolean isMarked(Request request) {
    return request.tag(SecretPath.class) != null;
  }

  @Override
  public String toString() {
    return "SecretPath";
  }
}
