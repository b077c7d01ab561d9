package io.nm4j.spi;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one receiver gets from one batch: all of its alerts, in arrival order.
 *
 * @param id unique per notification, for history and logs
 * @param receiver the receiver, {@code Kind/name}
 * @param scope global or tenant
 * @param tenant the receiver's tenant; {@code null} for global receivers
 * @param config the config it uses; {@code null} when it has none (the delivery then fails with
 *     {@link SendResult.Reason#NO_CONFIG})
 * @param alerts the receiver's alerts of the batch
 * @param batch the batch they came in, for its group metadata
 */
public record Notification(
    String id,
    ObjectRef receiver,
    Scope scope,
    @Nullable String tenant,
    @Nullable ObjectRef config,
    List<Alert> alerts,
    AlertBatch batch) {

  public Notification {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(receiver, "receiver");
    Objects.requireNonNull(scope, "scope");
    alerts = List.copyOf(alerts);
    Objects.requireNonNull(batch, "batch");
  }

  @Override
  public String toString() {
    return "Notification[" + id + " " + receiver + " alerts=" + alerts.size() + "]";
  }
}
