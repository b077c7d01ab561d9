package io.nm4j.core.internal.journal;

import io.nm4j.core.journal.Journal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segment files of a journal directory as a journal opens them: its lock, and what its segments
 * hold (the batches not finished, with their completed receivers), a torn or corrupt tail truncated
 * at the last good record and reported.
 */
public final class SegmentFiles {
  private static final Logger log = LoggerFactory.getLogger(SegmentFiles.class);
  private static final Pattern SEGMENT = Pattern.compile("journal-(\\d{16})\\.log");

  private SegmentFiles() {}

  /**
   * What the segments held at open.
   *
   * @param pending the batches not finished, oldest first
   * @param segmentOfBatch batch id: the segment holding it
   * @param unfinishedBySegment every segment found: how many unfinished batches it holds
   * @param repairs what was truncated, one line a segment
   * @param maxId the highest record id found; 0 for none
   * @param maxSegment the highest segment number found; 0 for none
   */
  public record Contents(
      List<Journal.Pending> pending,
      Map<Long, Long> segmentOfBatch,
      TreeMap<Long, Integer> unfinishedBySegment,
      List<String> repairs,
      long maxId,
      long maxSegment) {}

  /** A batch read from a segment, with the receivers whose outcome is final. */
  private static final class OpenBatch {
    final long segment;
    final byte[] body;
    final Set<String> completed = new HashSet<>();

    OpenBatch(long segment, byte[] body) {
      this.segment = segment;
      this.body = body;
    }
  }

  /**
   * Takes the directory's lock: one journal at a time, in this process or another.
   *
   * @throws IOException naming the directory when another journal holds it
   */
  public static FileChannel lock(Path dir) throws IOException {
    FileChannel ch =
        FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      if (ch.tryLock() != null) {
        return ch;
      }
    } catch (OverlappingFileLockException e) {
      // held in this JVM: the same directory opened twice
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    ch.close();
    throw new IOException("journal directory " + dir + " is in use by another journal");
  }

  /** Reads every segment of {@code dir}, truncating torn tails. */
  public static Contents read(Path dir) throws IOException {
    List<String> repairs = new ArrayList<>();
    Map<Long, OpenBatch> open = new LinkedHashMap<>();
    TreeMap<Long, Integer> unfinishedBySegment = new TreeMap<>();
    long maxId = 0;
    long maxSegment = 0;
    for (Map.Entry<Long, Path> e : segments(dir).entrySet()) {
      long segment = e.getKey();
      maxSegment = Math.max(maxSegment, segment);
      unfinishedBySegment.put(segment, 0);
      maxId = Math.max(maxId, readSegment(segment, e.getValue(), open, repairs));
    }
    List<Journal.Pending> pending = new ArrayList<>(open.size());
    Map<Long, Long> segmentOfBatch = new HashMap<>();
    for (Map.Entry<Long, OpenBatch> e : open.entrySet()) {
      OpenBatch b = e.getValue();
      pending.add(new Journal.Pending(e.getKey(), b.body, b.completed));
      segmentOfBatch.put(e.getKey(), b.segment);
      unfinishedBySegment.merge(b.segment, 1, Integer::sum);
    }
    return new Contents(
        List.copyOf(pending),
        segmentOfBatch,
        unfinishedBySegment,
        List.copyOf(repairs),
        maxId,
        maxSegment);
  }

  private static TreeMap<Long, Path> segments(Path dir) throws IOException {
    TreeMap<Long, Path> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Iterator<Path> it = files.iterator(); it.hasNext(); ) {
        Path p = it.next();
        Matcher m = SEGMENT.matcher(p.getFileName().toString());
        if (m.matches()) {
          out.put(Long.parseLong(m.group(1)), p);
        }
      }
    }
    return out;
  }

  private static long readSegment(
      long segment, Path file, Map<Long, OpenBatch> open, List<String> repairs) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
    long maxId = 0;
    for (Frames.Record r; (r = Frames.read(in)) != null; ) {
      maxId = Math.max(maxId, r.id());
      switch (r.type()) {
        case Frames.BATCH -> open.put(r.id(), new OpenBatch(segment, r.body()));
        case Frames.COMPLETED -> {
          OpenBatch b = open.get(r.id());
          if (b != null) {
            b.completed.add(r.text());
          }
        }
        default -> open.remove(r.id());
      }
    }
    if (in.hasRemaining()) {
      int good = in.position();
      int total = in.limit();
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.truncate(good);
        ch.force(true);
      }
      String repair =
          "journal "
              + file.getFileName()
              + ": torn or corrupt record at byte "
              + good
              + " of "
              + total
              + "; truncated there ("
              + (total - good)
              + " bytes dropped, never acknowledged)";
      log.warn(repair);
      repairs.add(repair);
    }
    return maxId;
  }
}
