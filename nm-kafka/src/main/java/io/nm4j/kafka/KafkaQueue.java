package io.nm4j.kafka;

import io.nm4j.core.delivery.DeadLetterJson;
import io.nm4j.core.journal.SharedQueue;
import io.nm4j.kafka.internal.OwnedPartitions;
import io.nm4j.spi.DeliveryListener;
import io.nm4j.spi.Notification;
import io.nm4j.spi.SendResult;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka topic as the queue several nm4j replicas share. Intake appends one record per receiver,
 * keyed by the receiver, so a receiver's notifications stay in order in one partition; the records
 * of a batch are written in one transaction (idempotent producer, {@code acks=all}), and {@link
 * #append} completes only once it is committed. Every replica is a member of one consumer group;
 * the owner of a partition delivers its records and commits a partition's offset only up to its
 * first record without a final outcome, so a crash or a rebalance hands a receiver to another
 * replica without loss, which sends again at most what was not final yet.
 *
 * <pre>{@code
 * NotificationManager manager = NotificationManager.builder()
 *     .sharedQueue(KafkaQueue.builder().bootstrapServers("kafka:9092").build())
 *     .build();
 * }</pre>
 */
public final class KafkaQueue implements SharedQueue {
  private static final Logger log = LoggerFactory.getLogger(KafkaQueue.class);
  private static final Duration BROKER_CHECK_TIMEOUT = Duration.ofSeconds(3);

  private final String topic;
  private final String deadLetterTopic;
  private final KafkaProducer<String, byte[]> deadLetterProducer;
  private final int partitions;
  private final Duration appendTimeout;
  private final Map<String, Object> common;
  private final String transactionalId;
  private final String group;
  private final LinkedBlockingQueue<Append> appends = new LinkedBlockingQueue<>();
  private final Thread producerThread;
  private @Nullable Thread consumerThread;
  private volatile @Nullable KafkaConsumer<String, byte[]> consumer;
  private final Thread brokerCheckThread;
  private volatile boolean closed;
  private volatile boolean producerReady;
  private volatile boolean brokersReachable;
  private volatile boolean consumerStarted;
  private volatile boolean consumerRunning;
  private final CountDownLatch closing = new CountDownLatch(1);

  private KafkaQueue(Builder b) {
    this.topic = b.topic;
    this.deadLetterTopic =
        b.deadLetterTopic == null ? b.topic + "-dead-letters" : b.deadLetterTopic;
    this.partitions = b.partitions;
    this.appendTimeout = b.appendTimeout;
    this.group = b.group;
    this.transactionalId = b.group + "-" + b.replica;
    this.common = new LinkedHashMap<>(b.properties);
    common.put("bootstrap.servers", b.bootstrapServers);
    this.deadLetterProducer = newDeadLetterProducer();
    this.producerThread = new Thread(this::produce, "nm4j-kafka-producer");
    producerThread.setDaemon(true);
    producerThread.start();
    this.brokerCheckThread = new Thread(this::checkBrokers, "nm4j-kafka-broker-check");
    brokerCheckThread.setDaemon(true);
    brokerCheckThread.start();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public CompletableFuture<Void> append(byte[] batch, List<String> receivers) {
    Append a = new Append(batch.clone(), List.copyOf(receivers), new CompletableFuture<>());
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("the Kafka queue is closed"));
    }
    appends.add(a);
    // A transaction still running at the deadline may commit after it: the sender then retries a
    // batch that is stored, and it is delivered twice (at least once), never lost.
    CompletableFuture.delayedExecutor(appendTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .execute(
            () ->
                a.stored.completeExceptionally(
                    new TimeoutException(
                        "Kafka did not acknowledge the batch within " + appendTimeout)));
    return a.stored.copy();
  }

  /**
   * Whether this queue can be used now: the transactional producer is initialised (false until then
   * and after a failed append, true again once a new producer is), the brokers answered the last
   * check (one a second), and once started, the consumer is polling (false after it failed, until
   * its replacement polls).
   */
  @Override
  public boolean ready() {
    return !closed && producerReady && brokersReachable && (!consumerStarted || consumerRunning);
  }

  /**
   * Writes each dead letter ({@link DeadLetterJson}, keyed by the receiver) to the dead-letter
   * topic and waits up to the append timeout for the brokers to acknowledge it, so the record it
   * came from is settled only once its dead letter is in the topic, readable whichever replica
   * dies. A dead letter the brokers do not take in time is logged and stays in this replica's
   * history and dead-letter file. A {@code SHUTDOWN} dead letter is not written: its record stays
   * in the queue for the partition's next owner.
   */
  @Override
  public DeliveryListener deadLetters() {
    return new DeliveryListener() {
      @Override
      public void onDeadLetter(Notification notification, int attempts, SendResult.Failed failure) {
        storeDeadLetter(notification, attempts, failure);
      }
    };
  }

  private void storeDeadLetter(Notification n, int attempts, SendResult.Failed failure) {
    if (failure.reason() == SendResult.Reason.SHUTDOWN) {
      return;
    }
    byte[] json = DeadLetterJson.encode(n, attempts, failure, Instant.now());
    try {
      deadLetterProducer
          .send(new ProducerRecord<>(deadLetterTopic, n.receiver().toString(), json))
          .get(appendTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.error("dead letter {} of {} not stored in Kafka topic {}", n.id(), n.receiver(), e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      log.error(
          "dead letter {} of {} not stored in Kafka topic {}: {}; it is in this replica's history"
              + " and dead-letter file only",
          n.id(),
          n.receiver(),
          deadLetterTopic,
          e.toString());
    }
  }

  @Override
  public synchronized void start(Deliveries deliveries) {
    if (consumerThread != null) {
      throw new IllegalStateException("started already");
    }
    consumerStarted = true;
    Thread t = new Thread(() -> consumeUntilClosed(deliveries), "nm4j-kafka-consumer");
    t.setDaemon(true);
    consumerThread = t;
    t.start();
  }

  /**
   * Runs a consumer until this queue closes; one that fails is closed (its partitions go back to
   * the group, so what it held is the next owner's) and a new one joins a second later.
   */
  private void consumeUntilClosed(Deliveries deliveries) {
    while (!closed) {
      KafkaConsumer<String, byte[]> c = newConsumer();
      this.consumer = c;
      if (closed) {
        // close() may have woken the consumer before this one
        c.close(CloseOptions.timeout(Duration.ZERO));
        return;
      }
      consume(c, new OwnedPartitions(c), deliveries);
      if (!closed) {
        pause();
      }
    }
  }

  private KafkaConsumer<String, byte[]> newConsumer() {
    Map<String, Object> config = new LinkedHashMap<>(common);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
  }

  private void consume(
      KafkaConsumer<String, byte[]> c, OwnedPartitions owned, Deliveries deliveries) {
    int maxPoll = Integer.parseInt(String.valueOf(common.getOrDefault("max.poll.records", 500)));
    try {
      c.subscribe(List.of(topic), owned);
      while (!closed) {
        if (deliveries.room() < maxPoll) {
          c.pause(c.assignment());
        } else {
          c.resume(c.paused());
        }
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          OwnedPartitions.Record held = owned.received(r);
          if (held == null || r.key() == null) {
            continue;
          }
          deliveries
              .deliver(r.value(), r.key(), held::owned)
              .thenAccept(
                  isFinal -> {
                    if (isFinal) {
                      held.settle();
                    }
                  });
        }
        owned.commitSettled(false);
        consumerRunning = true;
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      consumerRunning = false;
      log.error(
          "the Kafka consumer of {} failed; its partitions go back to the group and a new"
              + " consumer joins in a second",
          topic,
          e);
    } finally {
      try {
        owned.commitSettled(true);
      } catch (RuntimeException e) {
        log.warn("could not commit the settled offsets of {} on close", topic, e);
      }
      c.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  /**
   * Asks the brokers to describe the cluster once a second, so that readiness turns false while
   * they cannot be reached even when no batch comes in to find out, and true again once they
   * answer.
   */
  private void checkBrokers() {
    long timeoutMs = Math.min(appendTimeout.toMillis(), BROKER_CHECK_TIMEOUT.toMillis());
    try (Admin admin = Admin.create(common)) {
      while (!closed) {
        try {
          admin
              .describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs))
              .nodes()
              .get(timeoutMs, TimeUnit.MILLISECONDS);
          if (!brokersReachable) {
            log.info("Kafka brokers of topic {} reachable", topic);
          }
          brokersReachable = true;
        } catch (ExecutionException | TimeoutException e) {
          if (brokersReachable) {
            log.warn("Kafka brokers of topic {} unreachable: {}", topic, e.toString());
          }
          brokersReachable = false;
        }
        pause();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      brokersReachable = false;
      log.error("the Kafka broker check of {} stopped", topic, e);
    }
  }

  /**
   * The producer's loop: gets the topic and a transactional producer ready (at once, so the first
   * batch does not wait for it), then writes what intake appended, one transaction for all the
   * appends waiting at that moment.
   */
  private void produce() {
    @Nullable KafkaProducer<String, byte[]> producer = null;
    boolean topicChecked = false;
    List<Append> batch = new ArrayList<>();
    while (!closed || !appends.isEmpty()) {
      try {
        if (producer == null) {
          if (!topicChecked) {
            createTopics();
            topicChecked = true;
          }
          producer = newProducer();
          producer.initTransactions();
          producerReady = true;
        }
        Append first = appends.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        appends.drainTo(batch, 999);
        // an append whose sender was already refused is not written
        batch.removeIf(a -> a.stored.isDone());
        if (batch.isEmpty()) {
          continue;
        }
        producer.beginTransaction();
        for (Append a : batch) {
          for (String receiver : a.receivers) {
            producer.send(new ProducerRecord<>(topic, receiver, a.batch));
          }
        }
        producer.commitTransaction();
        batch.forEach(a -> a.stored.complete(null));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failAll(batch, e);
        break;
      } catch (RuntimeException | ExecutionException | TimeoutException e) {
        log.warn("cannot append to Kafka topic {}: {}", topic, e.toString());
        failAll(batch, e);
        producerReady = false;
        if (producer != null) {
          // a new producer with the same transactional id aborts whatever this one left open
          producer.close(Duration.ZERO);
          producer = null;
        }
        if (!closed) {
          pause();
        }
      }
      batch.clear();
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    failAll(new ArrayList<>(appends), new IllegalStateException("the Kafka queue is closed"));
  }

  /** Waits a second before trying the brokers again, or less when closing. */
  private void pause() {
    try {
      closing.await(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void failAll(List<Append> batch, Throwable e) {
    batch.forEach(a -> a.stored.completeExceptionally(e));
  }

  /**
   * Creates the topic with this queue's partitions and the dead-letter topic with the brokers'
   * defaults, each unless it exists.
   */
  private void createTopics() throws ExecutionException, InterruptedException, TimeoutException {
    try (Admin admin = Admin.create(common)) {
      createTopic(admin, new NewTopic(topic, Optional.of(partitions), Optional.empty()));
      createTopic(admin, new NewTopic(deadLetterTopic, Optional.empty(), Optional.empty()));
    }
  }

  private void createTopic(Admin admin, NewTopic newTopic)
      throws ExecutionException, InterruptedException, TimeoutException {
    try {
      admin
          .createTopics(List.of(newTopic))
          .all()
          .get(appendTimeout.toMillis(), TimeUnit.MILLISECONDS);
      log.info("created Kafka topic {}", newTopic.name());
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }

  private KafkaProducer<String, byte[]> newProducer() {
    Properties config = new Properties();
    config.putAll(common);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    // A transaction a killed replica left open holds back every reader of its partitions until the
    // brokers abort it. A replica that comes back under its name fences it at once; one that does
    // not (a Deployment's pod) leaves it to this timeout, 60 s by Kafka's default. A transaction
    // here never needs longer than the append timeout, so a few times that is safe.
    config.putIfAbsent(
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
        (int) Math.max(10_000, 3 * appendTimeout.toMillis()));
    // A transaction blocked past the append timeout is given up with its producer; the next one
    // aborts it, so a batch refused because the brokers were away is not delivered later.
    config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) appendTimeout.toMillis());
    config.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

  /** An idempotent producer ({@code acks=all}) without transactions: a dead letter stands alone. */
  private KafkaProducer<String, byte[]> newDeadLetterProducer() {
    Properties config = new Properties();
    config.putAll(common);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) appendTimeout.toMillis());
    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

  @Override
  public void close() {
    closed = true;
    closing.countDown();
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    join(consumerThread);
    join(producerThread);
    join(brokerCheckThread);
    // after the manager drained: no dead letter comes any more
    deadLetterProducer.close(Duration.ofSeconds(5));
  }

  private static void join(@Nullable Thread t) {
    if (t == null) {
      return;
    }
    try {
      t.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "Kafka topic "
        + topic
        + " (group "
        + group
        + ", "
        + common.get("bootstrap.servers")
        + ")";
  }

  private record Append(byte[] batch, List<String> receivers, CompletableFuture<Void> stored) {}

  /** Builds a {@link KafkaQueue}; only the bootstrap servers are required. */
  public static final class Builder {
    private @Nullable String bootstrapServers;
    private String topic = "nm4j-notifications";
    private @Nullable String deadLetterTopic;
    private String group = "nm4j";
    private String replica = defaultReplica();
    private int partitions = 12;
    private Duration appendTimeout = Duration.ofSeconds(10);
    private final Map<String, Object> properties = new LinkedHashMap<>();

    private Builder() {}

    /** The brokers to connect to, {@code host:port[,host:port...]}. */
    public Builder bootstrapServers(String servers) {
      this.bootstrapServers = Objects.requireNonNull(servers, "servers");
      return this;
    }

    /** The topic of the notifications (default {@code nm4j-notifications}). */
    public Builder topic(String topic) {
      this.topic = Objects.requireNonNull(topic, "topic");
      return this;
    }

    /**
     * The topic of the dead letters, one JSON object each, keyed by the receiver (default the
     * topic's name and {@code -dead-letters}); created with the brokers' defaults when missing.
     */
    public Builder deadLetterTopic(String topic) {
      this.deadLetterTopic = Objects.requireNonNull(topic, "topic");
      return this;
    }

    /** The consumer group all replicas share (default {@code nm4j}). */
    public Builder group(String group) {
      this.group = Objects.requireNonNull(group, "group");
      return this;
    }

    /**
     * This replica's name, unique and stable across restarts (default: the host name, a StatefulSet
     * pod's name): its transactional id is {@code group-replica}, so a restarted replica fences its
     * former self and aborts the transaction it left open.
     */
    public Builder replica(String replica) {
      this.replica = Objects.requireNonNull(replica, "replica");
      return this;
    }

    /**
     * Partitions of the topic when this queue creates it (default 12): the most replicas that
     * deliver at once. An existing topic keeps its own.
     */
    public Builder partitions(int partitions) {
      if (partitions < 1) {
        throw new IllegalArgumentException("partitions: must be at least 1, was " + partitions);
      }
      this.partitions = partitions;
      return this;
    }

    /** How long an append may wait for the brokers before the batch is refused (default 10 s). */
    public Builder appendTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("appendTimeout: must be positive, was " + timeout);
      }
      this.appendTimeout = timeout;
      return this;
    }

    /**
     * A Kafka client property for producer, consumer and admin client alike, e.g. {@code
     * security.protocol=SSL}; the queue's own settings (acks, idempotence, transactions, offsets)
     * cannot be overridden.
     */
    public Builder property(String key, String value) {
      properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public KafkaQueue build() {
      if (bootstrapServers == null || bootstrapServers.isBlank()) {
        throw new IllegalStateException("bootstrapServers: required");
      }
      return new KafkaQueue(this);
    }

    private static String defaultReplica() {
      String host = System.getenv("HOSTNAME");
      if (host != null && !host.isBlank()) {
        return host;
      }
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        return "replica";
      }
    }
  }
}
