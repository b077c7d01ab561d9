package io.nm4j.core.admin;

import java.util.List;
import java.util.Objects;

/**
 * What {@link AdminService#deleteUser} removed and, if it could not finish, exactly what remains.
 *
 * @param user the user
 * @param deleted the objects removed, {@code Kind/name}
 * @param remaining the objects that should have been removed and were not, with why
 */
public record UserDeletion(String user, List<String> deleted, List<Remaining> remaining) {

  /**
   * An object left behind.
   *
   * @param object {@code Kind/name}
   * @param reason why it could not be removed
   */
  public record Remaining(String object, String reason) {
    public Remaining {
      Objects.requireNonNull(object, "object");
      Objects.requireNonNull(reason, "reason");
    }
  }

  public UserDeletion {
    Objects.requireNonNull(user, "user");
    deleted = List.copyOf(deleted);
    remaining = List.copyOf(remaining);
  }

  /** Whether everything was removed. */
  public boolean complete() {
    return remaining.isEmpty();
  }
}
