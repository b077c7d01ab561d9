package io.nm4j.core.journal;

import io.nm4j.spi.ObjectRef;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/**
 * Keeps accepted batches until all their notifications have a final outcome. The manager appends a
 * batch before it answers "accepted", records each receiver's final outcome, and marks the batch
 * finished once every receiver has one; on start it re-delivers what {@link #pending()} returns.
 *
 * <p>Implementations are thread-safe. Outcome and finish records need not be durable at once: a
 * lost one only means a notification is sent again after a crash (delivery is at least once).
 */
public interface Journal extends AutoCloseable {

  /**
   * Appends an encoded batch.
   *
   * @return completes with the batch's id once the batch is durable; completes exceptionally (with
   *     an {@link java.io.IOException} or {@link IllegalStateException} when closed) if it could
   *     not be stored, and then the batch must not be acknowledged
   */
  CompletableFuture<Long> append(byte[] batch);

  /**
   * Appends an encoded batch as {@link #append(byte[])} does, and calls {@code written} with its id
   * as soon as the batch is written, which may be before it is durable: the manager starts the
   * batch's delivery there, since at least once allows a notification out before its batch is
   * acknowledged as long as the acknowledgement waits for the returned future.
   *
   * <p>{@code written} is called at most once, before the returned future completes, and never when
   * the batch could not be written; when it was written but could not be made durable, {@code
   * written} was called and the future completes exceptionally. It must neither block nor throw: it
   * may run on the journal's writer. The default calls it when the batch is durable.
   */
  default CompletableFuture<Long> append(byte[] batch, LongConsumer written) {
    return append(batch)
        .thenApply(
            id -> {
              written.accept(id);
              return id;
            });
  }

  /**
   * Records that the notification of batch {@code id} for {@code receiver} has a final outcome.
   *
   * @param receiver the receiver; a journal that keeps outcomes names it as {@link
   *     Pending#completed()} lists it, {@code Kind/name} ({@link ObjectRef#toString()}). Handed
   *     over as the reference, not the name, so that a journal keeping no outcome builds none: at
   *     many tenants that means reading a receiver's name that no cache holds any more.
   */
  void completed(long id, ObjectRef receiver);

  /** Records that batch {@code id} needs nothing more (all outcomes final, or never accepted). */
  void finished(long id);

  /** The batches appended before this journal was opened and never finished, oldest first. */
  List<Pending> pending();

  /** What opening found and repaired (a torn or corrupt tail, truncated), for the host to log. */
  List<String> repairs();

  /** Batches appended (or pending at open) and not yet finished: the journal's lag. */
  long unfinished();

  /** Whether the journal survives a crash of the process. */
  boolean durable();

  /** Writes what is buffered and releases files and threads; appends then fail. */
  @Override
  void close();

  /**
   * A batch left unfinished by an earlier run.
   *
   * @param id its id
   * @param batch the encoded batch as appended
   * @param completed receivers whose notification already has a final outcome
   */
  record Pending(long id, byte[] batch, Set<String> completed) {
    public Pending {
      batch = batch.clone();
      completed = Set.copyOf(completed);
    }

    @Override
    public byte[] batch() {
      return batch.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Pending p
          && p.id == id
          && Arrays.equals(p.batch, batch)
          && p.completed.equals(completed);
    }

    @Override
    public int hashCode() {
      return Objects.hash(id, Arrays.hashCode(batch), completed);
    }

    @Override
    public String toString() {
      return "Pending[id=" + id + ", " + batch.length + " bytes, completed=" + completed + "]";
    }
  }
}
