package io.nm4j.server.internal;

/**
 * An input a command needs cannot be read (a missing directory, an unreadable file, a payload that
 * is not a webhook). The message is one line naming the input; the command exits with 2.
 */
public final class InputException extends Exception {
  private static final long serialVersionUID = 1L;

  public InputException(String message) {
    super(message);
  }
}
