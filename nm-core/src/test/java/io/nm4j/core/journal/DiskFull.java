package io.nm4j.core.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real full disk for a journal: Linux's {@code /dev/full} accepts an open for writing and fails
 * every write with ENOSPC ("No space left on device"). Linking the journal's next segment to it
 * makes the write after the next roll-over fail exactly as on a full file system. Linking it to
 * {@code /dev/null} instead gives a disk that takes every write and fails every {@code fsync} (with
 * EINVAL): a batch written and never made durable.
 */
public final class DiskFull {
  private static final Pattern SEGMENT = Pattern.compile("journal-(\\d{16})\\.log");

  private DiskFull() {}

  /** Links the segment after the newest one in {@code journalDir} to {@code /dev/full}. */
  public static Path linkNextSegmentToDevFull(Path journalDir) throws IOException {
    return linkNextSegmentTo(journalDir, Path.of("/dev/full"));
  }

  /** Links the segment after the newest one in {@code journalDir} to {@code /dev/null}. */
  public static Path linkNextSegmentToDevNull(Path journalDir) throws IOException {
    return linkNextSegmentTo(journalDir, Path.of("/dev/null"));
  }

  private static Path linkNextSegmentTo(Path journalDir, Path device) throws IOException {
    long newest = 0;
    try (Stream<Path> files = Files.list(journalDir)) {
      for (Path p : files.toList()) {
        Matcher m = SEGMENT.matcher(p.getFileName().toString());
        if (m.matches()) {
          newest = Math.max(newest, Long.parseLong(m.group(1)));
        }
      }
    }
    Path next = journalDir.resolve(String.format("journal-%016d.log", newest + 1));
    return Files.createSymbolicLink(next, device);
  }
}
