package io.nm4j.core.internal.admin;

import io.nm4j.core.admin.AdminException;
import io.nm4j.core.admin.Status;
import io.nm4j.spi.ConfigStoreException;
import java.util.List;
import java.util.function.Supplier;

/** Calls a config store and turns its failures into the admin API's statuses. */
public final class StoreCalls {
  private StoreCalls() {}

  /**
   * The result of {@code op}.
   *
   * @param kind the kind of the object concerned, for the status
   * @param name its name; {@code ""} for a list or load
   * @throws AdminException the store's failure as a status
   */
  public static <T> T call(Supplier<T> op, String kind, String name) {
    try {
      return op.get();
    } catch (ConfigStoreException e) {
      Status s =
          switch (e.reason()) {
            case NOT_FOUND -> Status.notFound(kind, name);
            case ALREADY_EXISTS ->
                // Names are shared by all tenants, as in Kubernetes: the reply says the name is
                // taken, and nothing of the object that holds it.
                new Status(
                    409,
                    "AlreadyExists",
                    kind
                        + " \""
                        + name
                        + "\" already exists (names are shared by all tenants; choose another)",
                    kind,
                    name,
                    List.of());
            case CONFLICT -> new Status(409, "Conflict", e.getMessage(), kind, name, List.of());
            case INVALID -> new Status(422, "Invalid", e.getMessage(), kind, name, List.of());
            case UNAVAILABLE ->
                new Status(503, "ServiceUnavailable", e.getMessage(), kind, name, List.of());
          };
      throw s.exception();
    }
  }

  /** A 422 naming every cause: {@code Kind "name" is invalid: field: message; ...}. */
  public static AdminException invalid(String kind, String name, List<Status.Cause> causes) {
    StringBuilder msg = new StringBuilder(kind + " \"" + name + "\" is invalid: ");
    for (int i = 0; i < causes.size(); i++) {
      msg.append(i == 0 ? "" : "; ").append(causes.get(i).field()).append(": ");
      msg.append(causes.get(i).message());
    }
    return new Status(422, "Invalid", msg.toString(), kind, name, causes).exception();
  }
}
