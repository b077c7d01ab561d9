package io.nm4j.core.internal.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import org.jspecify.annotations.Nullable;

/** A document that cannot be read, with where. */
public final class SyntaxException extends Exception {
  private static final long serialVersionUID = 1L;

  public SyntaxException(String message, @Nullable JsonLocation at) {
    super(
        at == null || at.getLineNr() < 1
            ? message
            : message + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")",
        null,
        false,
        false);
  }
}
