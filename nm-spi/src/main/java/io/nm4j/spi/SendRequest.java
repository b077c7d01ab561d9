package io.nm4j.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One notification to send, with everything resolved: the receiver's and config's typed specs and
 * the values of the config's secrets, read at send time so a rotated secret takes effect at once.
 *
 * @param notification the receiver's alerts and where they came from
 * @param receiver the receiver's spec
 * @param config the config's spec
 * @param secrets secret values by field path, as in {@link ChannelSpec#secretRefs()}
 * @param deadline when the dispatcher stops waiting for this attempt
 */
public record SendRequest<R extends ReceiverSpec, C extends ConfigSpec>(
    Notification notification,
    R receiver,
    C config,
    Map<String, Secret> secrets,
    Instant deadline) {

  public SendRequest {
    Objects.requireNonNull(notification, "notification");
    Objects.requireNonNull(receiver, "receiver");
    Objects.requireNonNull(config, "config");
    secrets = Map.copyOf(secrets);
    Objects.requireNonNull(deadline, "deadline");
  }

  /**
   * The config for messages, e.g. {@code EmailConfig/team-a}, or {@code kind} when the notification
   * names none.
   */
  public String configName(String kind) {
    ObjectRef ref = notification.config();
    return ref == null ? kind : ref.toString();
  }

  /** The secret of a field path such as {@code spec.authPassword}, or {@code null} if unset. */
  public @Nullable Secret secret(String fieldPath) {
    return secrets.get(fieldPath);
  }

  @Override
  public String toString() {
    return "SendRequest[" + notification.receiver() + ", " + notification.id() + "]";
  }
}
