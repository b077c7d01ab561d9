package io.nm4j.core.admin;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of a test notification.
 *
 * @param delivered whether the remote accepted it
 * @param receiver the receiver, {@code Kind/name}
 * @param config the config used, {@code Kind/name}; {@code null} when none was found
 * @param reason the failure reason ({@code AUTH_REJECTED}, {@code NO_CONFIG}, ...); {@code null}
 *     when delivered
 * @param detail what the channel reported, including the remote reply, with secret values redacted
 */
public record VerifyResult(
    boolean delivered,
    String receiver,
    @Nullable String config,
    @Nullable String reason,
    String detail) {

  public VerifyResult {
    Objects.requireNonNull(receiver, "receiver");
    Objects.requireNonNull(detail, "detail");
  }
}
