package io.nm4j.kafka.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this replica owns, and in each the records handed to delivery whose outcome is not
 * final yet. The offset committed for a partition is its first such record (or the next one to read
 * when none is open), so whoever owns the partition next starts at the first record that may still
 * need sending. Only the consumer's thread calls {@link #received}, {@link #commitSettled} and the
 * rebalance callbacks; {@link Record#settle()} is called from delivery threads.
 */
public final class OwnedPartitions implements ConsumerRebalanceListener {
  private static final Logger log = LoggerFactory.getLogger(OwnedPartitions.class);

  /** Below the brokers' default {@code offset.metadata.max.bytes} of 4096. */
  static final int MAX_METADATA_CHARS = 3000;

  static final String METADATA_PREFIX = "nm4j-settled:";

  private final Consumer<?, ?> consumer;
  private final Map<TopicPartition, Owned> owned = new ConcurrentHashMap<>();

  public OwnedPartitions(Consumer<?, ?> consumer) {
    this.consumer = consumer;
  }

  /**
   * Takes a record for delivery.
   *
   * @return its handle, or {@code null} when its partition is not owned (any more)
   */
  public @Nullable Record received(ConsumerRecord<?, ?> r) {
    Owned p = owned.get(new TopicPartition(r.topic(), r.partition()));
    if (p == null) {
      return null;
    }
    p.next = r.offset() + 1;
    if (p.skip.remove(r.offset())) {
      // final at the partition's former owner
      p.settled.add(r.offset());
      return null;
    }
    p.open.add(r.offset());
    return new Record(p, r.offset());
  }

  /** Commits, per owned partition, the offset up to which every record is final, if it moved. */
  public void commitSettled(boolean sync) {
    commit(owned.values(), sync);
  }

  private void commit(Collection<Owned> partitions, boolean sync) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (Owned p : partitions) {
      Long first = p.open.isEmpty() ? null : p.open.first();
      long settled = first == null ? p.next : first;
      p.settled.headSet(settled).clear();
      String metadata = metadata(settled, p.settled);
      if (settled > p.committed || !metadata.equals(p.committedMetadata)) {
        offsets.put(p.partition, new OffsetAndMetadata(settled, metadata));
        p.committed = settled;
        p.committedMetadata = metadata;
      }
    }
    if (offsets.isEmpty()) {
      return;
    }
    if (sync) {
      consumer.commitSync(offsets);
    } else {
      consumer.commitAsync(
          offsets,
          (done, e) -> {
            if (e != null) {
              // runs on the consumer's thread: the next commit carries these offsets again
              log.debug("committing offsets {} failed: {}", done, e.toString());
              done.keySet().forEach(this::forgetCommitted);
            }
          });
    }
  }

  /**
   * The final offsets above {@code base}, as base-36 distances from it, comma-separated after a
   * {@value #METADATA_PREFIX} mark, so no other writer's metadata is read as offsets; empty when
   * there are none.
   */
  static String metadata(long base, Collection<Long> settled) {
    StringBuilder s = new StringBuilder(METADATA_PREFIX);
    for (long offset : settled) {
      String distance = Long.toString(offset - base, 36);
      if (s.length() + distance.length() + 1 > MAX_METADATA_CHARS) {
        break;
      }
      if (s.length() > METADATA_PREFIX.length()) {
        s.append(',');
      }
      s.append(distance);
    }
    return s.length() == METADATA_PREFIX.length() ? "" : s.toString();
  }

  /** The offsets {@link #metadata} lists; nothing for metadata it did not write. */
  static Set<Long> settledOffsets(long base, @Nullable String metadata) {
    Set<Long> offsets = new HashSet<>();
    if (metadata == null || !metadata.startsWith(METADATA_PREFIX)) {
      return offsets;
    }
    try {
      for (String distance : metadata.substring(METADATA_PREFIX.length()).split(",", -1)) {
        offsets.add(base + Long.parseLong(distance, 36));
      }
    } catch (NumberFormatException e) {
      log.warn(
          "offset metadata {} is not this queue's; every record from {} is sent", metadata, base);
      offsets.clear();
    }
    return offsets;
  }

  private void forgetCommitted(TopicPartition tp) {
    Owned p = owned.get(tp);
    if (p != null) {
      p.committed = -1;
      p.committedMetadata = "";
    }
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> committed =
        partitions.isEmpty() ? Map.of() : consumer.committed(new HashSet<>(partitions));
    for (TopicPartition tp : partitions) {
      long position = consumer.position(tp);
      OffsetAndMetadata c = committed.get(tp);
      Owned p = new Owned(tp, position);
      if (c != null && c.offset() == position) {
        p.skip.addAll(settledOffsets(position, c.metadata()));
        p.committedMetadata = c.metadata();
      }
      owned.put(tp, p);
    }
    if (!partitions.isEmpty()) {
      log.info("this replica now owns partitions {}", partitions);
    }
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    release(partitions, true);
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    release(partitions, false);
  }

  /**
   * Gives partitions up: what is final is committed (when the group still lets this replica), and
   * what is not stops being sent here, since the next owner sends it.
   */
  private void release(Collection<TopicPartition> partitions, boolean commit) {
    List<Owned> released = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      Owned p = owned.remove(tp);
      if (p != null) {
        p.owned = false;
        released.add(p);
      }
    }
    if (commit && !released.isEmpty()) {
      try {
        commit(released, true);
      } catch (RuntimeException e) {
        log.warn("could not commit the settled offsets of {}: {}", partitions, e.toString());
      }
    }
    if (!released.isEmpty()) {
      log.info("this replica gave up partitions {}", partitions);
    }
  }

  /** A partition this replica owns. */
  private static final class Owned {
    final TopicPartition partition;
    final ConcurrentSkipListSet<Long> open = new ConcurrentSkipListSet<>();

    /** Final records above the first open one. */
    final ConcurrentSkipListSet<Long> settled = new ConcurrentSkipListSet<>();

    /** Records the former owner settled, to skip when read. */
    final Set<Long> skip = new HashSet<>();

    volatile long next;
    long committed;
    String committedMetadata = "";
    volatile boolean owned = true;

    Owned(TopicPartition partition, long position) {
      this.partition = partition;
      this.next = position;
      this.committed = position;
    }
  }

  /** A record handed to delivery. */
  public static final class Record {
    private final Owned partition;
    private final long offset;

    Record(Owned partition, long offset) {
      this.partition = partition;
      this.offset = offset;
    }

    /** Whether this replica still owns the record's partition. */
    public boolean owned() {
      return partition.owned;
    }

    /** The record's outcome is final: the committed offset may pass it. */
    public void settle() {
      partition.settled.add(offset);
      partition.open.remove(offset);
    }
  }
}
