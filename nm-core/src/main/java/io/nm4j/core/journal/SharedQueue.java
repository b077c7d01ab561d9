package io.nm4j.core.journal;

import io.nm4j.spi.DeliveryListener;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A queue that several replicas share, in place of a {@link Journal} each replica keeps for itself:
 * intake appends one record per receiver, and the replica that owns a receiver's share of the queue
 * delivers it, wherever the batch was accepted.
 *
 * <p>It is a second interface beside {@link Journal} rather than a new method on it because the two
 * part ways where it matters: a journal's batch is delivered by the process that appended it and
 * finished per batch, while a shared queue's record is delivered by whichever replica owns it now
 * and is settled per record; each side has calls the other could not honour.
 *
 * <p>The manager appends a batch's records before it answers "accepted", then calls {@link
 * #start(Deliveries)} once and {@link #close()} after its dispatcher has drained. Delivery is at
 * least once: a record whose outcome was not yet final when its owner crashed or gave it up is
 * delivered again by the next owner.
 */
public interface SharedQueue extends AutoCloseable {

  /**
   * Appends one record per receiver, all or none.
   *
   * @param batch the encoded batch, as received
   * @param receivers each receiver the batch was routed to at intake, as {@code
   *     Kind/namespace/name}
   * @return completes once every record is durable in the queue; completes exceptionally (and then
   *     none of them will be delivered) when the queue cannot store them in time
   */
  CompletableFuture<Void> append(byte[] batch, List<String> receivers);

  /**
   * Whether the queue can be used now, as far as it knows: false while it cannot reach its brokers
   * (appends would fail) and while it has stopped handing records over after {@link #start}. A host
   * reports it in its readiness, so a load balancer prefers another replica.
   */
  boolean ready();

  /**
   * Where this queue keeps dead letters so that they outlive the replica that gave up, or {@code
   * null} (the default) when it keeps none. The manager tells it of every dead letter, besides its
   * history and dead-letter file, before the notification's outcome is final: a queue that has
   * stored the dead letter when the call returns settles the record only after it is stored.
   */
  default @Nullable DeliveryListener deadLetters() {
    return null;
  }

  /** Starts handing the records this replica owns to {@code deliveries}; called once. */
  void start(Deliveries deliveries);

  /**
   * Stops handing records over, settles what has a final outcome, and releases this replica's share
   * of the queue to the others; appends then fail.
   */
  @Override
  void close();

  /** Where the records a replica owns are delivered: the manager's dispatcher. */
  interface Deliveries {

    /**
     * Delivers one receiver's notification of a batch, routed on the current configuration.
     *
     * @param owned whether this replica still owns the record; checked before each attempt, so a
     *     record handed to another replica at a rebalance is not sent by both (beyond an attempt
     *     already in flight)
     * @return completes with {@code true} once the notification has a final outcome (delivered, a
     *     dead letter, or nothing left to send), or {@code false} when shutdown or the loss of
     *     ownership stopped it and the record must stay in the queue for its next owner; never
     *     exceptionally
     */
    CompletableFuture<Boolean> deliver(byte[] batch, String receiver, BooleanSupplier owned);

    /** How many more notifications the dispatcher takes now; a queue pauses while it is 0. */
    int room();
  }
}
