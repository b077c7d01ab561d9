package io.nm4j.core.internal.admin;

import io.nm4j.core.Destination;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.Snapshot;
import io.nm4j.core.admin.Caller;
import io.nm4j.core.admin.Status;
import io.nm4j.core.admin.VerifyResult;
import io.nm4j.core.admin.VerifyTarget;
import io.nm4j.core.internal.Owner;
import io.nm4j.core.internal.admin.Resources.Resource;
import io.nm4j.core.internal.admin.Resources.Role;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.ConfigSpec;
import io.nm4j.spi.ConfigStore;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Problem;
import io.nm4j.spi.SendResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * Test notifications of the admin API: one alert sent now to a stored or inline receiver, with a
 * config asked for or the one the receiver resolves to, through the manager's channel runtime.
 * Validation and tenancy apply as to a write: a tenant tests only its own objects, with its own
 * secrets, where its egress policy allows.
 */
public final class TestSends {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final ConfigStore store;
  private final NotificationManager manager;
  private final Resources resources;
  private final Tenancy tenancy;
  private final WriteChecks checks;
  private final BiFunction<Caller, ObjectRef, ConfigObject> visibleStored;

  /**
   * @param visibleStored a stored object the caller may see (else 404)
   */
  public TestSends(
      ConfigStore store,
      NotificationManager manager,
      Resources resources,
      Tenancy tenancy,
      WriteChecks checks,
      BiFunction<Caller, ObjectRef, ConfigObject> visibleStored) {
    this.store = store;
    this.manager = manager;
    this.resources = resources;
    this.tenancy = tenancy;
    this.checks = checks;
    this.visibleStored = visibleStored;
  }

  /** Sends one test notification to {@code receiver}, with {@code config} if given. */
  public VerifyResult send(
      Caller caller, VerifyTarget receiverTarget, @Nullable VerifyTarget configTarget) {
    ConfigObject receiver = resolve(caller, receiverTarget, Role.RECEIVER);
    ConfigObject config = configTarget == null ? null : resolve(caller, configTarget, Role.CONFIG);
    Resource receiverResource = Objects.requireNonNull(resources.byKind(receiver.kind()));
    ChannelProvider<?, ?> provider = Objects.requireNonNull(receiverResource.provider());
    if (config != null && !config.kind().equals(provider.configKind())) {
      throw Status.badRequest(
              receiver.kind() + " uses " + provider.configKind() + ", not " + config.kind())
          .exception();
    }
    if (config != null && !tenancy.isAdmin(caller)) {
      // A tenant may test only with its own config (tenancy also hides the others from it).
      tenancy.setTenant(
          caller,
          Objects.requireNonNull(resources.byKind(config.kind())),
          "",
          new HashMap<>(config.metadata().labels()));
    }
    Map<ObjectRef, ConfigObject> objects = new LinkedHashMap<>();
    store.load().objects().forEach(o -> objects.put(o.ref(), o));
    objects.put(receiver.ref(), receiver);
    if (config != null) {
      objects.put(config.ref(), config);
    }
    Snapshot snapshot = manager.snapshotOf(ConfigSet.of(new ArrayList<>(objects.values())));
    Destination d = routed(snapshot, receiver);
    if (config != null) {
      d = withConfig(d, config, snapshot);
    }
    return send(receiver, d, snapshot);
  }

  /** A stored object the caller may see, or an inline one that passes the write checks. */
  private ConfigObject resolve(Caller caller, VerifyTarget target, Role role) {
    ConfigObject inline = target.inline();
    ObjectRef ref = inline != null ? inline.ref() : Objects.requireNonNull(target.stored());
    Resource r = resources.byKind(ref.kind());
    if (r == null || r.role() != role) {
      throw Status.badRequest(
              ref.kind() + " is not a " + role.name().toLowerCase(Locale.ROOT) + " kind")
          .exception();
    }
    if (r.provider() == null) {
      throw Status.badRequest(
              ref.kind()
                  + " holds a block per channel; verify takes a channel's own "
                  + role.name().toLowerCase(Locale.ROOT)
                  + " kind")
          .exception();
    }
    if (inline == null) {
      return visibleStored.apply(caller, ref);
    }
    ConfigObject candidate = checks.prepare(caller, r, inline, null, false);
    checks.validate(candidate, store.load());
    return candidate;
  }

  /** The receiver as the snapshot routes it; a 422 with its problems when it does not route. */
  private static Destination routed(Snapshot snapshot, ConfigObject receiver) {
    for (Destination candidate : snapshot.destinations()) {
      if (candidate.receiver().equals(receiver.ref())) {
        return candidate;
      }
    }
    List<Status.Cause> causes = new ArrayList<>();
    for (Problem p : snapshot.problems()) {
      if (p.object().equals(receiver.ref().toString())) {
        causes.add(new Status.Cause(p.field(), p.message()));
      }
    }
    if (causes.isEmpty()) {
      causes.add(new Status.Cause("metadata", "the receiver does not route"));
    }
    throw StoreCalls.invalid(receiver.kind(), receiver.metadata().name(), causes);
  }

  /**
   * The config asked for, in place of the one the receiver resolves to; its owner decides which
   * secrets it may use and where it may connect.
   */
  private Destination withConfig(Destination d, ConfigObject config, Snapshot snapshot) {
    ConfigSpec spec = (ConfigSpec) resources.specOf(config, manager.namespace());
    if (spec == null) {
      throw StoreCalls.invalid(
          config.kind(),
          config.metadata().name(),
          List.of(new Status.Cause("spec", "is not valid")));
    }
    // The receiver's own render options stay: only the config is swapped for the test.
    return new Destination(
        d.receiver(),
        d.scope(),
        d.tenant(),
        d.provider(),
        d.receiverSpec(),
        config.ref(),
        spec,
        null,
        Owner.ofConfig(config.metadata().labels(), snapshot.settings()).tenant(),
        d.rendering(),
        d.settingsOptions());
  }

  private VerifyResult send(ConfigObject receiver, Destination d, Snapshot snapshot) {
    String receiverName = receiver.ref().toString();
    String configName = d.config() == null ? null : d.config().toString();
    Alert alert =
        Alert.firing(
            Map.of(
                "alertname", "nm4jTestNotification",
                "severity", "info",
                "receiver", receiver.metadata().name()));
    Notification n =
        new Notification(
            "verify-" + UUID.randomUUID(),
            receiver.ref(),
            d.scope(),
            d.tenant(),
            d.config(),
            List.of(alert),
            AlertBatch.of(List.of(alert)));
    SendResult result = manager.sendNow(d, n, snapshot, TIMEOUT);
    if (result instanceof SendResult.Delivered delivered) {
      return new VerifyResult(true, receiverName, configName, null, delivered.detail());
    }
    SendResult.Failed failed = (SendResult.Failed) result;
    return new VerifyResult(
        false, receiverName, configName, failed.reason().name(), failed.detail());
  }
}
