package io.nm4j.spi;

import java.net.ConnectException;
import org.jspecify.annotations.Nullable;

/**
 * A connection the {@link EgressPolicy} of a send refused before any packet was sent. Channels
 * report it as a permanent {@link SendResult.Reason#EGRESS_DENIED} failure with its message, which
 * names the address and the rule and never anything the remote said.
 */
public final class EgressDeniedException extends ConnectException {
  private static final long serialVersionUID = 1L;

  public EgressDeniedException(String reason) {
    super(reason);
  }

  /** The denial in {@code e}, its causes or their suppressed exceptions; {@code null} if none. */
  public static @Nullable EgressDeniedException find(Throwable e) {
    return find(e, 0);
  }

  private static @Nullable EgressDeniedException find(@Nullable Throwable e, int depth) {
    if (e == null || depth > 8) {
      return null;
    }
    if (e instanceof EgressDeniedException denied) {
      return denied;
    }
    for (Throwable s : e.getSuppressed()) {
      EgressDeniedException found = find(s, depth + 1);
      if (found != null) {
        return found;
      }
    }
    return e.getCause() == e ? null : find(e.getCause(), depth + 1);
  }
}
