package io.nm4j.core.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.nm4j.core.IntakeCounts;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.delivery.DeliveryCounters;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Registers the meters of one {@link NotificationManager} in a Micrometer registry:
 *
 * <pre>{@code
 * new NotificationMetrics(manager).bindTo(registry);
 * }</pre>
 *
 * <ul>
 *   <li>{@value #INTAKE_BATCHES}: batches accepted (duplicates not counted);
 *   <li>{@value #INTAKE_ALERTS} tagged {@code outcome}: {@code accepted} (alerts in accepted
 *       batches), {@code routed} (of those, reaching at least one receiver), {@code unrouted}
 *       (reaching none); accepted = routed + unrouted;
 *   <li>{@value #INTAKE_REJECTED} tagged {@code reason} ({@code queue_full}, {@code bytes}, {@code
 *       journal}): batches refused;
 *   <li>{@value #INTAKE_RECOVERED}: unfinished batches taken over from the journal at start;
 *   <li>{@value #NOTIFICATIONS} tagged {@code event} ({@code delivered}, {@code failed} attempts,
 *       {@code retried}: attempts after the first, {@code dead_lettered}), {@code channel}
 *       (receiver kind) and {@code tenant} ({@code ""} for global receivers; beyond {@link
 *       DeliveryCounters#MAX_TENANTS} tenants, {@value DeliveryCounters#OTHER_TENANT}), registered
 *       as each series first occurs;
 *   <li>{@value #HISTORY_EVICTIONS}: delivery history records dropped to stay within its caps;
 *   <li>{@value #CONFIG_RELOAD_FAILURES}: reloads or watches of the configuration source that
 *       failed (a directory that could not be read, an informer that stopped), from {@link
 *       io.nm4j.spi.ConfigSource#health()}; and the gauge {@value #CONFIG_SUCCESS_AGE}: seconds
 *       since the source last had a complete, current view (0 for a source that does not watch);
 *   <li>gauges {@value #QUEUE_DEPTH} (notifications queued, in flight or waiting for a retry),
 *       {@value #QUEUE_BYTES} (bytes of accepted batches not yet delivered) and {@value
 *       #JOURNAL_LAG} (journaled batches not yet finished).
 * </ul>
 *
 * <p>The meters read the manager's own counters, so binding late loses nothing counted before. The
 * registry holds the manager weakly, as Micrometer does for function meters.
 */
public final class NotificationMetrics implements MeterBinder {
  public static final String INTAKE_BATCHES = "nm4j.intake.batches";
  public static final String INTAKE_ALERTS = "nm4j.intake.alerts";
  public static final String INTAKE_REJECTED = "nm4j.intake.rejected";
  public static final String INTAKE_RECOVERED = "nm4j.intake.recovered";
  public static final String NOTIFICATIONS = "nm4j.notifications";
  public static final String QUEUE_DEPTH = "nm4j.queue.depth";
  public static final String QUEUE_BYTES = "nm4j.queue.bytes";
  public static final String JOURNAL_LAG = "nm4j.journal.lag";
  public static final String HISTORY_EVICTIONS = "nm4j.history.evictions";
  public static final String CONFIG_RELOAD_FAILURES = "nm4j.config.reload.failures";
  public static final String CONFIG_SUCCESS_AGE = "nm4j.config.last.success.age";

  private final NotificationManager manager;

  public NotificationMetrics(NotificationManager manager) {
    this.manager = Objects.requireNonNull(manager, "manager");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    intake(
        registry, INTAKE_BATCHES, Tags.empty(), "batches accepted", IntakeCounts::acceptedBatches);
    String alerts = "alerts in accepted batches, by outcome";
    intake(registry, INTAKE_ALERTS, outcome("accepted"), alerts, IntakeCounts::acceptedAlerts);
    intake(registry, INTAKE_ALERTS, outcome("routed"), alerts, IntakeCounts::routedAlerts);
    intake(registry, INTAKE_ALERTS, outcome("unrouted"), alerts, IntakeCounts::unroutedAlerts);
    String rejected = "batches refused, by reason";
    intake(
        registry, INTAKE_REJECTED, reason("queue_full"), rejected, IntakeCounts::rejectedQueueFull);
    intake(registry, INTAKE_REJECTED, reason("bytes"), rejected, IntakeCounts::rejectedBytes);
    intake(registry, INTAKE_REJECTED, reason("journal"), rejected, IntakeCounts::rejectedJournal);
    intake(
        registry,
        INTAKE_RECOVERED,
        Tags.empty(),
        "unfinished batches taken over from the journal at start",
        IntakeCounts::recoveredBatches);

    Gauge.builder(QUEUE_DEPTH, manager, m -> m.queued())
        .description("notifications queued, in flight or waiting for a retry")
        .register(registry);
    Gauge.builder(QUEUE_BYTES, manager, m -> m.queuedBytes())
        .description("bytes of accepted batches not yet delivered")
        .baseUnit(BaseUnits.BYTES)
        .register(registry);
    Gauge.builder(JOURNAL_LAG, manager, m -> m.journal().unfinished())
        .description("journaled batches not yet finished")
        .register(registry);

    FunctionCounter.builder(HISTORY_EVICTIONS, manager, m -> m.history().evictions())
        .description("delivery history records dropped to stay within its record and byte caps")
        .register(registry);

    FunctionCounter.builder(CONFIG_RELOAD_FAILURES, manager, m -> m.configHealth().failures())
        .description("reloads or watches of the configuration source that failed")
        .register(registry);
    Gauge.builder(CONFIG_SUCCESS_AGE, manager, NotificationMetrics::secondsSinceSuccess)
        .description("seconds since the configuration source last had a complete, current view")
        .baseUnit("seconds")
        .register(registry);

    DeliveryCounters deliveries = manager.deliveryCounters();
    deliveries.onNewSeries(key -> notifications(registry, deliveries, key));
  }

  private static double secondsSinceSuccess(NotificationManager m) {
    Instant last = m.configHealth().lastSuccess();
    return last == null
        ? 0
        : Math.max(0, Duration.between(last, m.clock().instant()).toMillis() / 1000.0);
  }

  private static Tags outcome(String value) {
    return Tags.of("outcome", value);
  }

  private static Tags reason(String value) {
    return Tags.of("reason", value);
  }

  private void intake(
      MeterRegistry registry,
      String name,
      Tags tags,
      String description,
      ToLongFunction<IntakeCounts> value) {
    FunctionCounter.builder(name, manager, m -> value.applyAsLong(m.intakeCounts()))
        .tags(tags)
        .description(description)
        .register(registry);
  }

  private static void notifications(
      MeterRegistry registry, DeliveryCounters deliveries, DeliveryCounters.Key key) {
    FunctionCounter.builder(NOTIFICATIONS, deliveries, d -> d.count(key))
        .tags(
            "event",
            key.event().name().toLowerCase(Locale.ROOT),
            "channel",
            key.channel(),
            "tenant",
            key.tenant())
        .description("notifications by delivery event, channel and tenant")
        .register(registry);
  }
}
