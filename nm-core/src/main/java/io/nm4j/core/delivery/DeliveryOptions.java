package io.nm4j.core.delivery;

import java.time.Duration;
import java.util.Objects;

/**
 * How the dispatcher queues, retries and times out deliveries. Start from {@link #defaults()} or
 * {@link #builder()} and override only what differs.
 *
 * @param workers threads that send, over all receivers
 * @param maxQueuedPerReceiver most notifications waiting for one receiver, including the one being
 *     sent
 * @param maxQueuedTotal most notifications waiting over all receivers
 * @param maxAttempts most sends of one notification
 * @param initialBackoff the cap of the first retry's random delay; it doubles per retry
 * @param maxBackoff the largest cap of a retry's random delay
 * @param maxAge how long after enqueueing a notification may still be sent
 * @param sendTimeout how long one send may take; a later result counts as a timeout
 * @param drainTimeout how long closing waits for queued notifications before dead-lettering them
 * @param dedupWindow how long a batch is remembered to suppress Alertmanager's re-sends
 * @param dedupMaxEntries most batches remembered
 * @param historySize most records kept by the in-memory delivery history
 * @param historyBytes most bytes (estimated as retained on the heap) the delivery history keeps;
 *     the oldest records make room when either cap is reached
 * @param maxQueuedBytes most bytes of accepted batches (as journaled) whose notifications are not
 *     all final; intake refuses more, so a flood or a dead receiver cannot exhaust the heap
 * @param maxInFlightPerReceiver most notifications of one receiver in progress at once (being sent,
 *     or waiting for a retry), each from a different Alertmanager group: notifications of one group
 *     ({@code groupKey}) are always sent one after another, in order, so a resolved alert never
 *     overtakes its firing one. A failing endpoint therefore sees at most this many sends at once
 *     and at most this many notifications retrying. {@code 1} sends each receiver's notifications
 *     strictly one at a time in arrival order, whatever their group
 */
public record DeliveryOptions(
    int workers,
    int maxQueuedPerReceiver,
    int maxQueuedTotal,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration maxAge,
    Duration sendTimeout,
    Duration drainTimeout,
    Duration dedupWindow,
    int dedupMaxEntries,
    int historySize,
    long historyBytes,
    long maxQueuedBytes,
    int maxInFlightPerReceiver) {

  /**
   * The most notifications of one receiver in progress at once unless set: as many as the default
   * workers. Alertmanager sends each group's notifications on its own, so a receiver that every
   * group reaches (a global one) gets a burst of one notification per group at once; with fewer
   * places they would wait for each other while workers sit idle. Fairness across tenants comes
   * from the workers' round-robin, not from this limit.
   */
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_RECEIVER = 16;

  public DeliveryOptions {
    positive("workers", workers);
    positive("maxQueuedPerReceiver", maxQueuedPerReceiver);
    positive("maxQueuedTotal", maxQueuedTotal);
    positive("maxAttempts", maxAttempts);
    positive("initialBackoff", initialBackoff);
    positive("maxBackoff", maxBackoff);
    positive("maxAge", maxAge);
    positive("sendTimeout", sendTimeout);
    notNegative("drainTimeout", drainTimeout);
    notNegative("dedupWindow", dedupWindow);
    positive("dedupMaxEntries", dedupMaxEntries);
    positive("historySize", historySize);
    if (historyBytes < DeliveryHistory.MIN_BYTES) {
      throw new IllegalArgumentException(
          "historyBytes: must be at least " + DeliveryHistory.MIN_BYTES + ", was " + historyBytes);
    }
    if (maxQueuedBytes < 1) {
      throw new IllegalArgumentException(
          "maxQueuedBytes: must be at least 1, was " + maxQueuedBytes);
    }
    positive("maxInFlightPerReceiver", maxInFlightPerReceiver);
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff: must not be shorter than initialBackoff ("
              + initialBackoff
              + "), was "
              + maxBackoff);
    }
  }

  /**
   * The defaults: 16 workers, 16 in flight per receiver, 1,000 per receiver, 100,000 and 64 MiB in
   * all, 10 attempts within an hour, and so on.
   */
  public static DeliveryOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options, to derive a variant. */
  public Builder toBuilder() {
    return new Builder()
        .workers(workers)
        .maxQueuedPerReceiver(maxQueuedPerReceiver)
        .maxQueuedTotal(maxQueuedTotal)
        .maxAttempts(maxAttempts)
        .initialBackoff(initialBackoff)
        .maxBackoff(maxBackoff)
        .maxAge(maxAge)
        .sendTimeout(sendTimeout)
        .drainTimeout(drainTimeout)
        .dedupWindow(dedupWindow)
        .dedupMaxEntries(dedupMaxEntries)
        .historySize(historySize)
        .historyBytes(historyBytes)
        .maxQueuedBytes(maxQueuedBytes)
        .maxInFlightPerReceiver(maxInFlightPerReceiver);
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + ": must be at least 1, was " + value);
    }
  }

  private static void positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + ": must be positive, was " + value);
    }
  }

  private static void notNegative(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + ": must not be negative, was " + value);
    }
  }

  /** Builds {@link DeliveryOptions}; every value starts at its default. */
  public static final class Builder {
    private int workers = 16;
    private int maxQueuedPerReceiver = 1_000;
    private int maxQueuedTotal = 100_000;
    private int maxAttempts = 10;
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofMinutes(5);
    private Duration maxAge = Duration.ofHours(1);
    private Duration sendTimeout = Duration.ofSeconds(30);
    private Duration drainTimeout = Duration.ofSeconds(10);
    private Duration dedupWindow = Duration.ofMinutes(5);
    private int dedupMaxEntries = 100_000;
    private int historySize = DeliveryHistory.DEFAULT_SIZE;
    private long historyBytes = DeliveryHistory.DEFAULT_BYTES;
    private long maxQueuedBytes = 64L * 1024 * 1024;
    private int maxInFlightPerReceiver = DEFAULT_MAX_IN_FLIGHT_PER_RECEIVER;

    private Builder() {}

    public Builder workers(int workers) {
      this.workers = workers;
      return this;
    }

    public Builder maxQueuedPerReceiver(int maxQueuedPerReceiver) {
      this.maxQueuedPerReceiver = maxQueuedPerReceiver;
      return this;
    }

    public Builder maxQueuedTotal(int maxQueuedTotal) {
      this.maxQueuedTotal = maxQueuedTotal;
      return this;
    }

    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
      return this;
    }

    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
      return this;
    }

    public Builder maxAge(Duration maxAge) {
      this.maxAge = maxAge;
      return this;
    }

    public Builder sendTimeout(Duration sendTimeout) {
      this.sendTimeout = sendTimeout;
      return this;
    }

    public Builder drainTimeout(Duration drainTimeout) {
      this.drainTimeout = drainTimeout;
      return this;
    }

    public Builder dedupWindow(Duration dedupWindow) {
      this.dedupWindow = dedupWindow;
      return this;
    }

    public Builder dedupMaxEntries(int dedupMaxEntries) {
      this.dedupMaxEntries = dedupMaxEntries;
      return this;
    }

    public Builder historySize(int historySize) {
      this.historySize = historySize;
      return this;
    }

    public Builder historyBytes(long historyBytes) {
      this.historyBytes = historyBytes;
      return this;
    }

    public Builder maxQueuedBytes(long maxQueuedBytes) {
      this.maxQueuedBytes = maxQueuedBytes;
      return this;
    }

    /**
     * How many notifications of one receiver may be in progress at once, each of a different
     * Alertmanager group; at least 1, default {@value
     * DeliveryOptions#DEFAULT_MAX_IN_FLIGHT_PER_RECEIVER}. A notification waiting for its retry
     * keeps its place, so a failing endpoint sees at most this many notifications retrying; {@code
     * 1} sends strictly one at a time in arrival order.
     */
    public Builder maxInFlightPerReceiver(int maxInFlightPerReceiver) {
      this.maxInFlightPerReceiver = maxInFlightPerReceiver;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first value out of range
     */
    public DeliveryOptions build() {
      return new DeliveryOptions(
          workers,
          maxQueuedPerReceiver,
          maxQueuedTotal,
          maxAttempts,
          initialBackoff,
          maxBackoff,
          maxAge,
          sendTimeout,
          drainTimeout,
          dedupWindow,
          dedupMaxEntries,
          historySize,
          historyBytes,
          maxQueuedBytes,
          maxInFlightPerReceiver);
    }
  }
}
