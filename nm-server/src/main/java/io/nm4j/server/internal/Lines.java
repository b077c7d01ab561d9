package io.nm4j.server.internal;

/** Output helpers of the commands. */
final class Lines {
  private Lines() {}

  /** Parser messages may span lines; one problem is one line so scripts can count and grep them. */
  static String oneLine(String text) {
    return text.replaceAll("\\s*\\R\\s*", " ");
  }
}
