package io.nm4j.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.core.InMemoryConfigSource;
import io.nm4j.core.Manifests;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.Receipt;
import io.nm4j.core.RejectedException;
import io.nm4j.core.delivery.DeliveryOptions;
import io.nm4j.core.journal.SharedQueue;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Kafka queue against a real KRaft broker in this JVM, started once for the class. */
class KafkaQueueTest {
  private static final int RECEIVERS = 6;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static KafkaBroker broker;
  private Sink sink;
  private final List<NotificationManager> replicas = new ArrayList<>();
  private String topic;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  @BeforeEach
  void startSink() throws Exception {
    sink = Sink.start();
    topic = "notifications-" + UUID.randomUUID();
  }

  @AfterEach
  void stop() throws Exception {
    for (NotificationManager m : replicas) {
      m.close();
    }
    sink.close();
  }

  @Test
  void anAcceptedBatchReachesEveryReceiverItWasRoutedToThroughTheTopic() {
    NotificationManager replica = replica("a");

    Receipt receipt = replica.submit(batch(1));

    assertThat(receipt.notifications()).hasSize(RECEIVERS);
    assertThat(receipt.outcomes()).isEmpty();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(sink.deliveries()).hasSize(RECEIVERS));
    assertThat(sink.countsPerDelivery()).allSatisfy((key, count) -> assertThat(count).isOne());
  }

  @Test
  void aBrokerThatIsDownRefusesIntakeAndItsReturnAcceptsItAgain() throws Exception {
    NotificationManager replica = replica("a");
    replica.submit(batch(1));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(sink.deliveries()).hasSize(RECEIVERS));

    broker.stopBroker();
    try {
      assertThatThrownBy(() -> replica.submit(batch(2)))
          .isInstanceOf(RejectedException.class)
          .hasMessageContaining("cannot store the batch");
    } finally {
      broker.startBroker();
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptionsInstanceOf(RejectedException.class)
        .until(() -> replica.submit(batch(3)) != null);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(sink.deliveries())
                    .filteredOn(k -> k.alert().equals("alert-3"))
                    .hasSize(RECEIVERS));
    // refused, so never delivered; alert-1 may arrive twice: delivered just before the broker left
    // and not committed yet, it is sent again, as at-least-once allows
    assertThat(sink.deliveries()).noneMatch(k -> k.alert().equals("alert-2"));
    assertThat(replica.intakeCounts().rejectedJournal()).isPositive();
  }

  @Test
  void aRebalanceHandsReceiversOverSendingAgainAtMostWhatWasInFlight() {
    int batches = 60;
    // every receiver's endpoint is slow, so the queues hold work at each rebalance
    sink.delay(Duration.ofMillis(20));
    NotificationManager first = replica("a");
    for (int i = 0; i < batches / 3; i++) {
      first.submit(batch(i));
    }
    NotificationManager second = replica("b");
    for (int i = batches / 3; i < 2 * batches / 3; i++) {
      first.submit(batch(i));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> sink.deliveries().size() > RECEIVERS * batches / 3);
    first.close();
    replicas.remove(first);
    for (int i = 2 * batches / 3; i < batches; i++) {
      second.submit(batch(i));
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(sink.countsPerDelivery()).hasSize(RECEIVERS * batches));
    // two rebalances (b joins, a leaves); each may re-send what was in flight then: one per
    // receiver, the dispatcher's one place per receiver
    long resent = sink.countsPerDelivery().values().stream().mapToLong(count -> count - 1).sum();
    assertThat(resent).isLessThanOrEqualTo(2L * RECEIVERS);
    // each receiver's alerts first arrived in the order they were accepted
    List<String> accepted = IntStream.range(0, batches).mapToObj(i -> "alert-" + i).toList();
    assertThat(sink.firstArrivalsPerReceiver())
        .hasSize(RECEIVERS)
        .allSatisfy((receiver, alerts) -> assertThat(alerts).isEqualTo(accepted));
  }

  @Test
  void readinessFollowsTheBrokersGoingAwayAndComingBackWithoutAnyBatchToNotice() throws Exception {
    KafkaQueue queue = queue("a");
    replica(queue);

    broker.stopBroker();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> !queue.ready());
    } finally {
      broker.startBroker();
    }

    await().atMost(Duration.ofSeconds(60)).until(queue::ready);
    assertThat(queue.append(new byte[] {1}, List.of("r"))).succeedsWithin(Duration.ofSeconds(30));
  }

  @Test
  void aConsumerThatFailsLeavesTheQueueUnreadyUntilItsReplacementDelivers() {
    AtomicBoolean failing = new AtomicBoolean(true);
    List<String> delivered = new CopyOnWriteArrayList<>();
    try (KafkaQueue queue = queue("a")) {
      await().atMost(Duration.ofSeconds(60)).until(queue::ready);
      assertThat(queue.append("batch".getBytes(StandardCharsets.UTF_8), List.of("receiver-1")))
          .succeedsWithin(Duration.ofSeconds(30));

      queue.start(
          new SharedQueue.Deliveries() {
            @Override
            public CompletableFuture<Boolean> deliver(
                byte[] batch, String receiver, BooleanSupplier owned) {
              if (failing.get()) {
                throw new IllegalStateException("a dispatcher bug");
              }
              delivered.add(receiver);
              return CompletableFuture.completedFuture(true);
            }

            @Override
            public int room() {
              return 10_000;
            }
          });

      await().atMost(Duration.ofSeconds(60)).until(() -> !queue.ready());
      assertThat(delivered).isEmpty();
      failing.set(false);
      await().atMost(Duration.ofSeconds(60)).until(queue::ready);
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(delivered).containsExactly("receiver-1"));
    }
  }

  @Test
  void aDeadLetterIsInTheDeadLetterTopicAndItsRecordIsNotSentAgainByTheNextOwner()
      throws Exception {
    sink.status(422);
    NotificationManager first = replica("a");
    first.submit(batch(1));
    List<JsonNode> deadLetters = new ArrayList<>();
    try (KafkaConsumer<String, String> reader = deadLetterReader()) {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                for (ConsumerRecord<String, String> r : reader.poll(Duration.ofMillis(200))) {
                  JsonNode letter = JSON.readTree(r.value());
                  assertThat(r.key()).isEqualTo(letter.get("receiver").asText());
                  deadLetters.add(letter);
                }
                assertThat(deadLetters).hasSize(RECEIVERS);
              });
    }
    assertThat(deadLetters)
        .allSatisfy(
            letter -> {
              assertThat(letter.get("reason").asText()).isEqualTo("REJECTED");
              assertThat(letter.get("attempts").asInt()).isOne();
              assertThat(letter.at("/alerts/0/labels/alertname").asText()).isEqualTo("alert-1");
            })
        .extracting(letter -> letter.get("receiver").asText())
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, RECEIVERS).mapToObj(i -> "WebhookReceiver/ops-" + i).toList());

    // the replica that gave up goes away; the one that owns the partitions next starts after them
    first.close();
    replicas.remove(first);
    sink.status(200);
    NotificationManager second = replica("b");
    second.submit(batch(2));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(sink.deliveries())
                    .filteredOn(k -> k.alert().equals("alert-2"))
                    .hasSize(RECEIVERS));
    assertThat(sink.deliveries()).filteredOn(k -> k.alert().equals("alert-1")).hasSize(RECEIVERS);
  }

  private KafkaConsumer<String, String> deadLetterReader() {
    KafkaConsumer<String, String> reader =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "reader-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new StringDeserializer());
    reader.subscribe(List.of(topic + "-dead-letters"));
    return reader;
  }

  private KafkaQueue queue(String name) {
    return KafkaQueue.builder()
        .bootstrapServers(broker.bootstrapServers())
        .topic(topic)
        .group(topic)
        .replica(name)
        .partitions(4)
        .appendTimeout(Duration.ofSeconds(5))
        .property("session.timeout.ms", "6000")
        .property("heartbeat.interval.ms", "500")
        .build();
  }

  private NotificationManager replica(String name) {
    return replica(queue(name));
  }

  private NotificationManager replica(KafkaQueue queue) {
    NotificationManager m =
        NotificationManager.builder()
            .configSource(InMemoryConfigSource.of(Manifests.parse(config(), "test").objects()))
            .deliveryOptions(
                DeliveryOptions.builder()
                    .maxInFlightPerReceiver(1)
                    .drainTimeout(Duration.ZERO)
                    .build())
            .sharedQueue(queue)
            .build();
    replicas.add(m);
    // a new topic and transactional producer take a moment on a busy machine
    await().atMost(Duration.ofSeconds(60)).until(queue::ready);
    return m;
  }

  private String config() {
    StringBuilder yaml =
        new StringBuilder(
            """
            apiVersion: notification.kubesphere.io/v1alpha1
            kind: WebhookConfig
            metadata: {name: hook, namespace: kubesphere-monitoring-system, labels: {type: default}}
            spec: {url: "%s"}
            """
                .formatted(sink.url()));
    for (int i = 0; i < RECEIVERS; i++) {
      yaml.append(
          """
          ---
          apiVersion: notification.kubesphere.io/v1alpha1
          kind: WebhookReceiver
          metadata: {name: ops-%d, namespace: kubesphere-monitoring-system, labels: {type: global}}
          spec: {}
          """
              .formatted(i));
    }
    return yaml.toString();
  }

  /** One alert, {@code alert-<n>}, in its own Alertmanager group. */
  private static AlertBatch batch(int n) {
    return new AlertBatch(
        "nm4j",
        AlertStatus.FIRING,
        List.of(Alert.firing(Map.of("alertname", "alert-" + n, "namespace", "team-a"))),
        Map.of("alertname", "alert-" + n),
        Map.of(),
        Map.of(),
        "",
        "{}:{alertname=\"alert-" + n + "\"}",
        0);
  }
}
