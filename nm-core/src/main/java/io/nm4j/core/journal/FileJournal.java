package io.nm4j.core.journal;

import io.nm4j.core.internal.journal.Frames;
import io.nm4j.core.internal.journal.SegmentFiles;
import io.nm4j.spi.ObjectRef;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable journal in a directory of segment files ({@code journal-<n>.log}). Records are framed
 * with their length and a CRC32C checksum. One writer thread takes every record waiting, writes
 * them in one go and forces them to disk once (group commit), so many concurrent appends share one
 * {@code fsync}; {@link #append} completes after its record's {@code fsync}, and {@link
 * #append(byte[], LongConsumer)} reports the record written between the write and the {@code
 * fsync}, so that delivery does not wait for the disk (a crash of the process then loses nothing
 * the write handed to the kernel; a power failure loses a batch not yet acknowledged). Outcome and
 * finish records are written at once but forced with the next batch (or at roll-over and close):
 * after a power failure the worst they cost is a notification sent again.
 *
 * <p>A run always writes a new segment; a segment is deleted once it and every older one hold no
 * unfinished batch. Opening reads all segments: a torn or corrupt record (a crash mid-write) ends
 * the readable part of its segment, which is truncated there and reported by {@link #repairs()},
 * never fatal. A failing disk (full, read-only) fails appends, so nothing is acknowledged that was
 * not stored; the write after a failure goes to a fresh segment, so appends succeed again as soon
 * as the disk has room.
 *
 * <p>One process at a time: opening takes an exclusive lock on {@code .lock} in the directory, so a
 * second server started on the same data directory (a rolling update on a shared volume) fails at
 * start instead of re-sending and interleaving the first one's batches.
 */
public final class FileJournal implements Journal {
  private static final Logger log = LoggerFactory.getLogger(FileJournal.class);

  /** Default size at which the writer starts a new segment. */
  public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;

  private static final int MAX_GROUP = 4096;
  // While outcome records of a failed write wait, the writer retries them this often even when no
  // new record arrives, so they reach the disk (and finished segments go) once it has room.
  private static final long CARRIED_RETRY_MILLIS = 1_000;

  private final Path dir;
  private final long segmentBytes;
  private final FileChannel lockChannel;
  private final LinkedBlockingQueue<Op> queue = new LinkedBlockingQueue<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong unfinished = new AtomicLong();
  private final List<Pending> pending;
  private final List<String> repairs;
  private final Thread writer;
  private final Object gate = new Object();
  private boolean closed; // guarded by gate

  // Owned by the writer thread after construction.
  private final TreeMap<Long, Integer> live = new TreeMap<>();
  private final Map<Long, Long> segmentOf = new HashMap<>();
  private long activeSegment;
  private FileChannel active;
  private long activeSize;
  private boolean failing;
  // Outcome and finish records of a failed write, written with the next group.
  private final List<Op> carried = new ArrayList<>();

  private record Op(
      byte type,
      long id,
      byte[] body,
      @Nullable CompletableFuture<Long> done,
      @Nullable LongConsumer written) {}

  private static final LongConsumer NOBODY_WAITS_FOR_THE_WRITE = id -> {};
  private static final Op STOP = new Op((byte) 0, 0, new byte[0], null, null);

  private FileJournal(Path dir, long segmentBytes) throws IOException {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    Files.createDirectories(dir);
    this.lockChannel = SegmentFiles.lock(dir);
    try {
      SegmentFiles.Contents found = SegmentFiles.read(dir);
      live.putAll(found.unfinishedBySegment());
      segmentOf.putAll(found.segmentOfBatch());
      this.pending = found.pending();
      this.repairs = found.repairs();
      ids.set(found.maxId());
      unfinished.set(pending.size());
      this.activeSegment = found.maxSegment() + 1;
      this.active = openSegment(activeSegment);
      live.put(activeSegment, 0);
      deleteFinishedSegments();
      this.writer = new Thread(this::writeLoop, "nm4j-journal");
      writer.setDaemon(true);
      writer.start();
    } catch (IOException | RuntimeException e) {
      lockChannel.close();
      throw e;
    }
  }

  /**
   * Opens (creating if missing) the journal in {@code dir} with the default segment size.
   *
   * @throws IOException when the directory cannot be created, read or written
   */
  public static FileJournal open(Path dir) throws IOException {
    return open(dir, DEFAULT_SEGMENT_BYTES);
  }

  /** Opens the journal in {@code dir}, starting a new segment once one reaches the given size. */
  public static FileJournal open(Path dir, long segmentBytes) throws IOException {
    Objects.requireNonNull(dir, "dir");
    if (segmentBytes < 1024) {
      throw new IllegalArgumentException(
          "segmentBytes: must be at least 1024, was " + segmentBytes);
    }
    return new FileJournal(dir, segmentBytes);
  }

  /** A segment file to be written already holds data. */
  private static final class SegmentHoldsData extends IOException {
    private static final long serialVersionUID = 1L;

    SegmentHoldsData(String message) {
      super(message);
    }
  }

  private Path segmentFile(long segment) {
    return dir.resolve(String.format("journal-%016d.log", segment));
  }

  /**
   * Opens a segment to write. Segment numbers only grow, so the file is new; one that exists and
   * holds data was not written by this run and is never overwritten. An existing empty one is used
   * as it is (an operator may place the segment on another device by a link).
   */
  private FileChannel openSegment(long segment) throws IOException {
    Path file = segmentFile(segment);
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      if (ch.size() > 0) {
        throw new SegmentHoldsData(
            "journal segment " + file + " already exists and holds data; not overwriting it");
      }
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    forceDirectory();
    return ch;
  }

  private void forceDirectory() {
    // Makes the new file's directory entry durable; not every platform can open a directory.
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      log.debug("cannot force directory {}", dir, e);
    }
  }

  /** The directory holding the segments. */
  public Path directory() {
    return dir;
  }

  @Override
  public CompletableFuture<Long> append(byte[] batch) {
    return append(batch, NOBODY_WAITS_FOR_THE_WRITE);
  }

  @Override
  public CompletableFuture<Long> append(byte[] batch, LongConsumer written) {
    Objects.requireNonNull(written, "written");
    CompletableFuture<Long> done = new CompletableFuture<>();
    synchronized (gate) {
      if (closed) {
        done.completeExceptionally(new IllegalStateException("journal closed"));
        return done;
      }
      // counted before the writer can fail it, which uncounts it before completing the future
      unfinished.incrementAndGet();
      queue.add(new Op(Frames.BATCH, ids.incrementAndGet(), batch.clone(), done, written));
    }
    return done;
  }

  @Override
  public void completed(long id, ObjectRef receiver) {
    offer(
        new Op(
            Frames.COMPLETED,
            id,
            receiver.toString().getBytes(StandardCharsets.UTF_8),
            null,
            null));
  }

  @Override
  public void finished(long id) {
    unfinished.decrementAndGet();
    offer(new Op(Frames.FINISHED, id, new byte[0], null, null));
  }

  private void offer(Op op) {
    synchronized (gate) {
      if (!closed) {
        queue.add(op);
      }
    }
  }

  @Override
  public List<Pending> pending() {
    return pending;
  }

  @Override
  public List<String> repairs() {
    return repairs;
  }

  @Override
  public long unfinished() {
    return unfinished.get();
  }

  @Override
  public boolean durable() {
    return true;
  }

  @Override
  public void close() {
    synchronized (gate) {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(STOP);
    }
    boolean interrupted = false;
    while (writer.isAlive()) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    try {
      lockChannel.close(); // releases the lock
    } catch (IOException e) {
      log.warn("releasing the journal lock in {} failed", dir, e);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void writeLoop() {
    List<Op> group = new ArrayList<>();
    boolean stop = false;
    while (!stop) {
      group.clear();
      try {
        Op first =
            carried.isEmpty()
                ? queue.take()
                : queue.poll(CARRIED_RETRY_MILLIS, TimeUnit.MILLISECONDS);
        if (first != null) {
          group.add(first);
        }
      } catch (InterruptedException e) {
        // only close() ends the writer; an interrupt from elsewhere is ignored
        continue;
      }
      queue.drainTo(group, MAX_GROUP - 1);
      group.addAll(0, carried);
      carried.clear();
      if (group.remove(STOP)) {
        stop = true;
      }
      if (!group.isEmpty()) {
        writeGroup(group);
      }
    }
    try {
      active.force(false); // outcome records written since the last batch
      active.close();
    } catch (IOException e) {
      log.warn("closing journal segment failed", e);
    }
  }

  private void writeGroup(List<Op> group) {
    int bytes = 0;
    for (Op op : group) {
      bytes += Frames.size(op.body().length);
    }
    try {
      // After a failed write the segment may be unusable (a device error, or a file that was
      // removed or replaced); a fresh segment lets writes succeed again once the disk does.
      if (failing || (activeSize > 0 && activeSize + bytes > segmentBytes)) {
        roll();
      }
      ByteBuffer out = ByteBuffer.allocate(bytes);
      for (Op op : group) {
        Frames.write(out, op.type(), op.id(), op.body());
      }
      out.flip();
      while (out.hasRemaining()) {
        active.write(out);
      }
      reportWritten(group);
      // Only a batch needs the disk before it is acknowledged. An outcome record lost to a power
      // failure only means a notification is sent again (at least once), so those ride on the
      // next batch's fsync (or the one at close) instead of paying for their own.
      if (needsForce(group)) {
        active.force(false);
      }
    } catch (IOException | RuntimeException e) {
      fail(group, e);
      return;
    }
    if (failing) {
      failing = false;
      log.info("journal writes succeed again in {}", dir);
    }
    activeSize += bytes;
    for (Op op : group) {
      switch (op.type()) {
        case Frames.BATCH -> {
          segmentOf.put(op.id(), activeSegment);
          live.merge(activeSegment, 1, Integer::sum);
        }
        case Frames.FINISHED -> {
          Long segment = segmentOf.remove(op.id());
          if (segment != null) {
            live.merge(segment, -1, Integer::sum);
          }
        }
        default -> {}
      }
    }
    deleteFinishedSegments();
    for (Op op : group) {
      if (op.done() != null) {
        op.done().complete(op.id());
      }
    }
  }

  /**
   * Tells each batch's appender that its record is written: its delivery may start while the {@code
   * fsync} runs, the acknowledgement still waits for it.
   */
  private static void reportWritten(List<Op> group) {
    for (Op op : group) {
      if (op.written() != null) {
        try {
          op.written().accept(op.id());
        } catch (Throwable e) {
          // The appender broke its contract (or ran out of memory). This thread is the journal's
          // only writer: it goes on, and the group is forced and completed all the same.
          log.error("the callback of journal batch {} written failed", op.id(), e);
        }
      }
    }
  }

  private static boolean needsForce(List<Op> group) {
    for (Op op : group) {
      if (op.done() != null) {
        return true;
      }
    }
    return false;
  }

  private void fail(List<Op> group, Exception e) {
    if (!failing) {
      failing = true;
      log.error("journal write failed in {}; intake is refused until it succeeds", dir, e);
    }
    try {
      // drop the partial write so the next group starts on a record boundary
      active.truncate(activeSize);
      active.position(activeSize);
    } catch (IOException | RuntimeException again) {
      log.debug("cannot truncate the journal segment after a failed write", again);
    }
    IOException cause =
        e instanceof IOException io ? io : new IOException("journal write failed: " + e, e);
    for (Op op : group) {
      if (op.done() != null) {
        unfinished.decrementAndGet();
        op.done().completeExceptionally(cause);
      } else if (op != STOP) {
        carried.add(op);
      }
    }
  }

  private void roll() throws IOException {
    long number = activeSegment + 1;
    FileChannel next;
    while (true) {
      try {
        next = openSegment(number);
        break;
      } catch (SegmentHoldsData e) {
        // Not ours (the lock keeps other journals out): step over it rather than refuse forever.
        log.warn("{}; skipping to the next segment", e.getMessage());
        number++;
      }
    }
    try {
      if (!failing) {
        active.force(false); // outcome records written since its last batch
      }
      active.close();
    } catch (IOException e) {
      log.debug("closing journal segment {} failed", activeSegment, e);
    }
    if (activeSize == 0 && live.getOrDefault(activeSegment, 0) == 0) {
      // Nothing was ever stored in it (every write to it failed): it holds no record to keep.
      try {
        Files.deleteIfExists(segmentFile(activeSegment));
        live.remove(activeSegment);
      } catch (IOException e) {
        log.debug("cannot delete empty journal segment {}", activeSegment, e);
      }
    }
    active = next;
    activeSegment = number;
    activeSize = 0;
    live.put(activeSegment, 0);
  }

  /**
   * Deletes the oldest segments while they hold no unfinished batch. Only a prefix: a later segment
   * may hold the outcome records of a batch in an older one that is still unfinished.
   */
  private void deleteFinishedSegments() {
    for (Iterator<Map.Entry<Long, Integer>> it = live.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, Integer> e = it.next();
      if (e.getKey() >= activeSegment || e.getValue() > 0) {
        return;
      }
      Path file = segmentFile(e.getKey());
      try {
        Files.deleteIfExists(file);
        it.remove();
      } catch (IOException ex) {
        log.warn("cannot delete finished journal segment {}", file, ex);
        return;
      }
    }
  }

  @Override
  public String toString() {
    return "file journal in " + dir;
  }
}
