package io.nm4j.core;

import static io.nm4j.core.Fixtures.alert;
import static io.nm4j.core.Fixtures.batch;
import static io.nm4j.core.Fixtures.global;
import static io.nm4j.core.Fixtures.inNamespace;
import static io.nm4j.core.Fixtures.receiver;
import static io.nm4j.core.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nm4j.core.PagerChannelProvider.PagerConfig;
import io.nm4j.core.PagerChannelProvider.PagerReceiver;
import io.nm4j.core.delivery.DeliveryCounters;
import io.nm4j.core.delivery.DeliveryOptions;
import io.nm4j.core.journal.FileJournal;
import io.nm4j.core.journal.InMemoryJournal;
import io.nm4j.core.journal.Journal;
import io.nm4j.core.metrics.NotificationMetrics;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.Channel;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotificationMetricsTest {
  @TempDir Path dir;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private volatile CountDownLatch release = new CountDownLatch(1);
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

  private static final String PAGER_DEFAULT = receiver("PagerConfig", "d", "{type: default}", "{}");
  private static final String CHAT_DEFAULT = receiver("ChatConfig", "c", "{type: default}", "{}");

  /**
   * Answers by receiver name: {@code broken} always fails for good, {@code flaky} fails its first
   * attempt with a retryable error, {@code down} always fails retryably, {@code stalled} waits for
   * {@link #release}; every other receiver is delivered to.
   */
  private <R extends io.nm4j.spi.ReceiverSpec, C extends io.nm4j.spi.ConfigSpec>
      Channel<R, C> channel() {
    return (SendRequest<R, C> request) -> {
      String name = request.notification().receiver().name();
      int attempt =
          attempts
              .computeIfAbsent(request.notification().id(), k -> new AtomicInteger())
              .incrementAndGet();
      switch (name) {
        case "broken":
          return SendResult.permanent(SendResult.Reason.REJECTED, "HTTP 400");
        case "down":
          return SendResult.retryable(SendResult.Reason.REMOTE_ERROR, "HTTP 503");
        case "flaky":
          return attempt == 1
              ? SendResult.retryable(SendResult.Reason.REMOTE_ERROR, "HTTP 503")
              : SendResult.delivered();
        case "stalled":
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return SendResult.delivered();
        default:
          return SendResult.delivered();
      }
    };
  }

  private NotificationManager manager(
      String yaml, DeliveryOptions options, @Nullable Journal journal) {
    NotificationManager.Builder b =
        NotificationManager.builder()
            .discoverChannels(false)
            .channel(
                new PagerChannelProvider(
                    "Pager", ctx -> this.<PagerReceiver, PagerConfig>channel()))
            .channel(
                new PagerChannelProvider("Chat", ctx -> this.<PagerReceiver, PagerConfig>channel()))
            .configSource(InMemoryConfigSource.of(Fixtures.yaml(yaml).objects()))
            .deliveryOptions(options);
    if (journal != null) {
      b.journal(journal);
    }
    return b.build();
  }

  private NotificationManager manager(String yaml) {
    return manager(yaml, quickRetries().build(), null);
  }

  private static DeliveryOptions.Builder quickRetries() {
    return DeliveryOptions.builder()
        .initialBackoff(Duration.ofMillis(1))
        .maxBackoff(Duration.ofMillis(5))
        .maxAttempts(3);
  }

  private double counter(String name, String... tags) {
    FunctionCounter c = registry.find(name).tags(tags).functionCounter();
    assertThat(c).as("%s %s", name, List.of(tags)).isNotNull();
    return c.count();
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  /** Every nm4j.notifications series as "event channel tenant" with its count. */
  private Map<String, Double> notifications() {
    return registry.find(NotificationMetrics.NOTIFICATIONS).functionCounters().stream()
        .collect(
            Collectors.toMap(
                c ->
                    c.getId().getTag("event")
                        + " "
                        + c.getId().getTag("channel")
                        + " "
                        + c.getId().getTag("tenant"),
                FunctionCounter::count));
  }

  @Test
  void intakeMetersCountAcceptedRoutedAndUnroutedAlertsButNotDuplicates() {
    try (NotificationManager nm = manager(PAGER_DEFAULT + tenant("shop", "shop"))) {
      new NotificationMetrics(nm).bindTo(registry);
      AlertBatch plain = batch(inNamespace("shop"), inNamespace("x"), inNamespace("shop"));
      AlertBatch b =
          new AlertBatch(
              "team",
              plain.status(),
              plain.alerts(),
              Map.of(),
              Map.of(),
              Map.of(),
              "http://am",
              "{}:{}",
              0);
      nm.submit(b).allOutcomes().join();
      assertThat(nm.submit(b).duplicate()).isTrue();
      nm.submit(batch(inNamespace("y")));

      assertThat(counter(NotificationMetrics.INTAKE_BATCHES)).isEqualTo(2);
      assertThat(counter(NotificationMetrics.INTAKE_ALERTS, "outcome", "accepted")).isEqualTo(4);
      assertThat(counter(NotificationMetrics.INTAKE_ALERTS, "outcome", "routed")).isEqualTo(2);
      assertThat(counter(NotificationMetrics.INTAKE_ALERTS, "outcome", "unrouted")).isEqualTo(2);
      assertThat(counter(NotificationMetrics.INTAKE_REJECTED, "reason", "queue_full")).isZero();
      assertThat(counter(NotificationMetrics.INTAKE_RECOVERED)).isZero();
    }
  }

  @Test
  void notificationMetersCountEveryDeliveryEventPerChannelAndTenant() {
    String yaml =
        PAGER_DEFAULT
            + CHAT_DEFAULT
            + tenant("ok", "shop")
            + tenant("flaky", "bank")
            + global("broken")
            + receiver("ChatReceiver", "chatops", "{type: global}", "{to: chatops}");
    try (NotificationManager nm = manager(yaml)) {
      new NotificationMetrics(nm).bindTo(registry);
      assertThat(registry.find(NotificationMetrics.NOTIFICATIONS).meters())
          .as("series are registered as they first occur")
          .isEmpty();

      nm.submit(batch(inNamespace("shop"), inNamespace("bank"))).allOutcomes().join();

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(notifications())
                      .containsExactlyInAnyOrderEntriesOf(
                          Map.of(
                              "delivered PagerReceiver shop", 1.0,
                              "failed PagerReceiver bank", 1.0,
                              "retried PagerReceiver bank", 1.0,
                              "delivered PagerReceiver bank", 1.0,
                              "failed PagerReceiver ", 1.0,
                              "dead_lettered PagerReceiver ", 1.0,
                              "delivered ChatReceiver ", 1.0)));
    }
  }

  @Test
  void retriesExhaustedCountEachFailedAttemptEachRetryAndOneDeadLetter() {
    try (NotificationManager nm = manager(PAGER_DEFAULT + tenant("down", "shop"))) {
      new NotificationMetrics(nm).bindTo(registry);
      nm.submit(batch(inNamespace("shop"))).allOutcomes().join();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(notifications())
                      .containsExactlyInAnyOrderEntriesOf(
                          Map.of(
                              "failed PagerReceiver shop", 3.0,
                              "retried PagerReceiver shop", 2.0,
                              "dead_lettered PagerReceiver shop", 1.0)));
    }
  }

  @Test
  void historyEvictionsAreCounted() {
    DeliveryOptions options = quickRetries().historySize(2).build();
    try (NotificationManager nm = manager(PAGER_DEFAULT + tenant("ok", "shop"), options, null)) {
      new NotificationMetrics(nm).bindTo(registry);
      for (int i = 0; i < 5; i++) {
        nm.submit(batch(alert("alertname", "A" + i, "namespace", "shop"))).allOutcomes().join();
      }
      // five DELIVERED records in a history of two
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> assertThat(counter(NotificationMetrics.HISTORY_EVICTIONS)).isEqualTo(3));
    }
  }

  @Test
  void configReloadFailuresAndTheAgeOfTheLastGoodLoadComeFromTheSourcesHealth() {
    java.time.Instant now = java.time.Instant.parse("2026-05-01T10:00:00Z");
    io.nm4j.spi.ConfigSource failing =
        new io.nm4j.spi.ConfigSource() {
          @Override
          public io.nm4j.spi.ConfigSet load() {
            return io.nm4j.spi.ConfigSet.EMPTY;
          }

          @Override
          public Health health() {
            return new Health(now.minusSeconds(90), 3, "directory /x cannot be read");
          }
        };
    try (NotificationManager nm =
        NotificationManager.builder()
            .discoverChannels(false)
            .configSource(failing)
            .clock(java.time.Clock.fixed(now, java.time.ZoneOffset.UTC))
            .build()) {
      new NotificationMetrics(nm).bindTo(registry);
      assertThat(counter(NotificationMetrics.CONFIG_RELOAD_FAILURES)).isEqualTo(3);
      assertThat(gauge(NotificationMetrics.CONFIG_SUCCESS_AGE)).isEqualTo(90.0);
    }
  }

  @Test
  void aSourceThatDoesNotWatchHasNoFailuresAndAge0() {
    try (NotificationManager nm = manager(PAGER_DEFAULT)) {
      new NotificationMetrics(nm).bindTo(registry);
      assertThat(counter(NotificationMetrics.CONFIG_RELOAD_FAILURES)).isZero();
      assertThat(gauge(NotificationMetrics.CONFIG_SUCCESS_AGE)).isZero();
    }
  }

  @Test
  void bindingAfterDeliveriesRegistersTheSeriesAlreadyCounted() {
    try (NotificationManager nm = manager(PAGER_DEFAULT + tenant("ok", "shop"))) {
      nm.submit(batch(inNamespace("shop"))).allOutcomes().join();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !nm.deliveryCounters().snapshot().isEmpty());
      new NotificationMetrics(nm).bindTo(registry);
      assertThat(notifications())
          .containsExactlyEntriesOf(Map.of("delivered PagerReceiver shop", 1.0));
      assertThat(counter(NotificationMetrics.INTAKE_BATCHES)).isEqualTo(1);
    }
  }

  @Test
  void gaugesShowQueueDepthBytesAndJournalLagWhileADeliveryIsInFlight() {
    try (NotificationManager nm = manager(PAGER_DEFAULT + global("stalled"))) {
      new NotificationMetrics(nm).bindTo(registry);
      assertThat(gauge(NotificationMetrics.QUEUE_DEPTH)).isZero();
      AlertBatch b = batch(inNamespace("a"), inNamespace("b"));
      Receipt r = nm.submit(b);

      assertThat(gauge(NotificationMetrics.QUEUE_DEPTH)).isEqualTo(1);
      assertThat(gauge(NotificationMetrics.QUEUE_BYTES))
          .isEqualTo(AlertmanagerWebhook.encode(b).length);
      assertThat(registry.get(NotificationMetrics.QUEUE_BYTES).gauge().getId().getBaseUnit())
          .isEqualTo("bytes");
      assertThat(gauge(NotificationMetrics.JOURNAL_LAG)).isEqualTo(1);

      release.countDown();
      r.allOutcomes().join();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertThat(gauge(NotificationMetrics.QUEUE_DEPTH)).isZero();
                assertThat(gauge(NotificationMetrics.QUEUE_BYTES)).isZero();
                assertThat(gauge(NotificationMetrics.JOURNAL_LAG)).isZero();
              });
    }
  }

  @Test
  void rejectedBatchesAreCountedByReason() {
    String yaml = PAGER_DEFAULT + global("stalled");
    AlertBatch first = batch(inNamespace("a"));
    long size = AlertmanagerWebhook.encode(first).length;
    try (NotificationManager nm =
        manager(yaml, quickRetries().maxQueuedPerReceiver(1).build(), null)) {
      new NotificationMetrics(nm).bindTo(registry);
      nm.submit(first);
      assertThatThrownBy(() -> nm.submit(batch(inNamespace("b"))))
          .isInstanceOf(RejectedException.class);
      assertThat(counter(NotificationMetrics.INTAKE_REJECTED, "reason", "queue_full")).isEqualTo(1);
      assertThat(counter(NotificationMetrics.INTAKE_REJECTED, "reason", "bytes")).isZero();
      release.countDown();
    }

    release = new CountDownLatch(1);
    SimpleMeterRegistry bytes = new SimpleMeterRegistry();
    try (NotificationManager nm =
        manager(yaml, quickRetries().maxQueuedBytes(size + 10).build(), null)) {
      new NotificationMetrics(nm).bindTo(bytes);
      nm.submit(first);
      assertThatThrownBy(() -> nm.submit(batch(inNamespace("b"))))
          .isInstanceOf(RejectedException.class);
      assertThat(
              bytes
                  .get(NotificationMetrics.INTAKE_REJECTED)
                  .tag("reason", "bytes")
                  .functionCounter()
                  .count())
          .isEqualTo(1);
      release.countDown();
    }

    SimpleMeterRegistry journal = new SimpleMeterRegistry();
    InMemoryJournal closed = new InMemoryJournal();
    closed.close();
    try (NotificationManager nm = manager(yaml, quickRetries().build(), closed)) {
      new NotificationMetrics(nm).bindTo(journal);
      assertThatThrownBy(() -> nm.submit(first)).isInstanceOf(RejectedException.class);
      assertThat(
              journal
                  .get(NotificationMetrics.INTAKE_REJECTED)
                  .tag("reason", "journal")
                  .functionCounter()
                  .count())
          .isEqualTo(1);
      assertThat(journal.get(NotificationMetrics.INTAKE_BATCHES).functionCounter().count())
          .isZero();
    }
  }

  @Test
  void batchesTakenOverFromTheJournalAtStartAreCountedAsRecovered() throws Exception {
    String yaml = PAGER_DEFAULT + global("down");
    DeliveryOptions holdOn =
        DeliveryOptions.builder()
            .drainTimeout(Duration.ZERO)
            .initialBackoff(Duration.ofMinutes(1))
            .maxBackoff(Duration.ofMinutes(1))
            .build();
    try (NotificationManager nm = manager(yaml, holdOn, FileJournal.open(dir))) {
      nm.submit(batch(inNamespace("a")));
      nm.submit(batch(inNamespace("b")));
    }
    try (NotificationManager nm = manager(yaml, holdOn, FileJournal.open(dir))) {
      new NotificationMetrics(nm).bindTo(registry);
      assertThat(counter(NotificationMetrics.INTAKE_RECOVERED)).isEqualTo(2);
      assertThat(counter(NotificationMetrics.INTAKE_BATCHES)).isZero();
      assertThat(gauge(NotificationMetrics.JOURNAL_LAG)).isEqualTo(2);
    }
  }

  @Test
  void tenantsBeyondTheCapShareTheSeriesOther() {
    int tenants = DeliveryCounters.MAX_TENANTS + 5;
    StringBuilder yaml = new StringBuilder();
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < tenants; i++) {
      // no config: each notification is dead-lettered at its first attempt
      yaml.append(tenant("r" + i, "t" + i));
      alerts.add(inNamespace("t" + i));
    }
    try (NotificationManager nm = manager(yaml.toString())) {
      new NotificationMetrics(nm).bindTo(registry);
      nm.submit(AlertBatch.of(alerts)).allOutcomes().join();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(
                          registry
                              .find(NotificationMetrics.NOTIFICATIONS)
                              .tag("event", "dead_lettered")
                              .functionCounters()
                              .stream()
                              .mapToDouble(FunctionCounter::count)
                              .sum())
                      .isEqualTo(tenants));
      List<Meter> deadLettered =
          List.copyOf(
              registry
                  .find(NotificationMetrics.NOTIFICATIONS)
                  .tag("event", "dead_lettered")
                  .meters());
      assertThat(deadLettered).hasSize(DeliveryCounters.MAX_TENANTS + 1);
      assertThat(
              counter(
                  NotificationMetrics.NOTIFICATIONS,
                  "event",
                  "dead_lettered",
                  "tenant",
                  DeliveryCounters.OTHER_TENANT))
          .isEqualTo(5);
    }
  }
}
