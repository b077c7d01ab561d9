package io.nm4j.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.nm4j.core.internal.journal.Frames;
import io.nm4j.spi.ObjectRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileJournalTest {
  @TempDir Path dir;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("journal-")).sorted().toList();
    }
  }

  @Test
  void appendedBatchIsPendingAfterReopenWithItsCompletedReceiversUntilFinished() throws Exception {
    long a;
    long b;
    try (FileJournal j = FileJournal.open(dir)) {
      a = j.append(bytes("batch-a")).get();
      b = j.append(bytes("batch-b")).get();
      j.completed(a, new ObjectRef("WebhookReceiver", "ops"));
      j.finished(b);
      assertThat(j.unfinished()).isEqualTo(1);
    }
    try (FileJournal j = FileJournal.open(dir)) {
      assertThat(j.repairs()).isEmpty();
      assertThat(j.pending())
          .containsExactly(new Journal.Pending(a, bytes("batch-a"), Set.of("WebhookReceiver/ops")));
      assertThat(j.unfinished()).isEqualTo(1);
      long c = j.append(bytes("batch-c")).get();
      assertThat(c).isGreaterThan(b);
      j.finished(a);
      j.finished(c);
    }
    try (FileJournal j = FileJournal.open(dir)) {
      assertThat(j.pending()).isEmpty();
      assertThat(j.unfinished()).isZero();
    }
  }

  @Test
  void concurrentAppendsAllBecomeDurableWithDistinctIds() throws Exception {
    List<CompletableFuture<Long>> futures = new ArrayList<>();
    try (FileJournal j = FileJournal.open(dir)) {
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int base = t;
        Thread thread =
            new Thread(
                () -> {
                  for (int i = 0; i < 250; i++) {
                    CompletableFuture<Long> f = j.append(bytes("b" + base + "-" + i));
                    synchronized (futures) {
                      futures.add(f);
                    }
                  }
                });
        threads.add(thread);
        thread.start();
      }
      for (Thread thread : threads) {
        thread.join();
      }
      CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get();
    }
    try (FileJournal j = FileJournal.open(dir)) {
      assertThat(j.pending()).hasSize(2000);
      assertThat(j.pending().stream().map(Journal.Pending::id).distinct()).hasSize(2000);
    }
  }

  @Test
  void tornTailIsTruncatedAtTheLastGoodRecordAndReportedNotFatal() throws Exception {
    long a;
    try (FileJournal j = FileJournal.open(dir)) {
      a = j.append(bytes("batch-a")).get();
    }
    Path segment = segments().get(segments().size() - 1);
    long good = Files.size(segment);
    // a record cut off mid-write: a length promising more than is there
    Files.write(segment, new byte[] {0, 0, 1, 0, 7, 7, 7}, StandardOpenOption.APPEND);
    try (FileJournal j = FileJournal.open(dir)) {
      assertThat(j.repairs())
          .singleElement()
          .asString()
          .contains(segment.getFileName().toString())
          .contains("torn or corrupt record at byte " + good)
          .contains("7 bytes dropped");
      assertThat(j.pending()).extracting(Journal.Pending::id).containsExactly(a);
      assertThat(Files.size(segment)).isEqualTo(good);
      j.append(bytes("batch-b")).get();
    }
    try (FileJournal j = FileJournal.open(dir)) {
      assertThat(j.repairs()).isEmpty();
      assertThat(j.pending()).hasSize(2);
    }
  }

  @Test
  void recordWithABadChecksumEndsTheReadablePartOfItsSegment() throws Exception {
    try (FileJournal j = FileJournal.open(dir)) {
      j.append(bytes("batch-a")).get();
      j.append(bytes("batch-b")).get();
    }
    Path segment = segments().get(0);
    byte[] content = Files.readAllBytes(segment);
    content[content.length - 1] ^= 0x55; // last byte of batch-b's body
    Files.write(segment, content);
    try (FileJournal j = FileJournal.open(dir)) {
      assertThat(j.repairs()).singleElement().asString().contains("torn or corrupt record");
      assertThat(j.pending())
          .extracting(p -> new String(p.batch(), StandardCharsets.UTF_8))
          .containsExactly("batch-a");
    }
  }

  @Test
  void segmentsWhoseBatchesAreAllFinishedAreDeleted() throws Exception {
    byte[] body = new byte[600];
    try (FileJournal j = FileJournal.open(dir, 1024)) {
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        ids.add(j.append(body).get());
      }
      assertThat(segments().size()).isGreaterThan(3);
      for (long id : ids) {
        j.finished(id);
      }
      // the finish records roll one more segment and let every older one go
      j.append(body).get();
      assertThat(segments()).hasSize(1);
    }
    try (FileJournal j = FileJournal.open(dir, 1024)) {
      assertThat(j.pending()).hasSize(1);
    }
  }

  @Test
  void appendToAClosedJournalFailsSoTheBatchIsNeverAcknowledged() throws Exception {
    FileJournal j = FileJournal.open(dir);
    j.close();
    assertThatThrownBy(() -> j.append(bytes("late")).get())
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void anAppendOnAFullDiskFailsAndTheNextGoesToAFreshSegmentAndSurvivesReopen() throws Exception {
    long a;
    long c;
    Path full;
    try (FileJournal j = FileJournal.open(dir, 1024)) {
      a = j.append(new byte[600]).get();
      full = DiskFull.linkNextSegmentToDevFull(dir);

      CompletableFuture<Long> b = j.append(new byte[600]);
      assertThatThrownBy(b::get)
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(IOException.class)
          .hasRootCauseMessage("No space left on device");
      assertThat(j.unfinished()).isEqualTo(1);

      c = j.append(bytes("after")).get();
      assertThat(j.unfinished()).isEqualTo(2);
      // the segment that never held a record is gone (only the link; /dev/full stays)
      assertThat(Files.exists(full, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
      assertThat(Files.exists(Path.of("/dev/full"))).isTrue();
    }
    try (FileJournal j = FileJournal.open(dir)) {
      assertThat(j.repairs()).isEmpty();
      assertThat(j.pending()).extracting(Journal.Pending::id).containsExactly(a, c);
      assertThat(j.pending().get(1).batch()).isEqualTo(bytes("after"));
    }
  }

  @Test
  void aBatchIsReportedWrittenWithItsIdOnceItsRecordIsInTheSegmentAndBeforeItsAppendCompletes()
      throws Exception {
    try (FileJournal j = FileJournal.open(dir)) {
      CompletableFuture<CompletableFuture<Long>> appended = new CompletableFuture<>();
      CompletableFuture<List<Long>> idsInSegmentWhenWritten = new CompletableFuture<>();
      CompletableFuture<Boolean> appendDoneWhenWritten = new CompletableFuture<>();
      CompletableFuture<Long> written = new CompletableFuture<>();
      appended.complete(
          j.append(
              bytes("batch-a"),
              id -> {
                idsInSegmentWhenWritten.complete(idsInSegments());
                appendDoneWhenWritten.complete(appended.join().isDone());
                written.complete(id);
              }));

      long a = appended.join().get();
      assertThat(written.get()).isEqualTo(a);
      assertThat(idsInSegmentWhenWritten.get()).containsExactly(a);
      assertThat(appendDoneWhenWritten.get()).isFalse();
    }
  }

  @Test
  void aBatchWrittenToADiskThatCannotSyncIsReportedWrittenItsAppendFailsAndTheNextIsDurable()
      throws Exception {
    long a;
    long c;
    try (FileJournal j = FileJournal.open(dir, 1024)) {
      a = j.append(new byte[600]).get();
      DiskFull.linkNextSegmentToDevNull(dir);

      List<Long> written = new CopyOnWriteArrayList<>();
      CompletableFuture<Long> b = j.append(new byte[600], written::add);
      assertThatThrownBy(b::get)
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(IOException.class);
      // written, so its delivery may have started; never acknowledged, and not counted as
      // unfinished
      assertThat(written).hasSize(1);
      assertThat(j.unfinished()).isEqualTo(1);

      c = j.append(bytes("after"), written::add).get();
      assertThat(written).hasSize(2).last().isEqualTo(c);
      assertThat(j.unfinished()).isEqualTo(2);
    }
    try (FileJournal j = FileJournal.open(dir)) {
      assertThat(j.repairs()).isEmpty();
      assertThat(j.pending()).extracting(Journal.Pending::id).containsExactly(a, c);
    }
  }

  @Test
  void aWrittenCallbackThatThrowsAnErrorLeavesTheWriterRunningAndItsBatchDurable()
      throws Exception {
    long a;
    long b;
    try (FileJournal j = FileJournal.open(dir)) {
      CompletableFuture<Long> appended =
          j.append(
              bytes("batch-a"),
              id -> {
                throw new OutOfMemoryError("the appender's own failure");
              });
      CompletableFuture<Long> next = j.append(bytes("batch-b"));
      // a writer that died would leave both waiting forever
      await().until(() -> appended.isDone() && next.isDone());
      a = appended.get();
      b = next.get();
    }
    try (FileJournal j = FileJournal.open(dir)) {
      assertThat(j.pending()).extracting(Journal.Pending::id).containsExactly(a, b);
    }
  }

  @Test
  void aBatchThatCannotBeWrittenIsNeverReportedWritten() throws Exception {
    try (FileJournal j = FileJournal.open(dir, 1024)) {
      j.append(new byte[600]).get();
      DiskFull.linkNextSegmentToDevFull(dir);

      List<Long> written = new CopyOnWriteArrayList<>();
      CompletableFuture<Long> b = j.append(new byte[600], written::add);
      assertThatThrownBy(b::get).hasRootCauseMessage("No space left on device");
      assertThat(written).isEmpty();
    }
  }

  /** The ids of the records the segments hold now, as a reader of the files finds them. */
  private List<Long> idsInSegments() {
    try {
      List<Long> ids = new ArrayList<>();
      for (Path segment : segments()) {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(segment));
        for (Frames.Record r; (r = Frames.read(in)) != null; ) {
          ids.add(r.id());
        }
      }
      return ids;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void outcomeRecordsOfAFailedWriteAreWrittenWithTheNextOne() throws Exception {
    long a;
    try (FileJournal j = FileJournal.open(dir, 1024)) {
      // so full that the finish record alone rolls over, onto the full disk
      a = j.append(new byte[1000]).get();
      DiskFull.linkNextSegmentToDevFull(dir);
      j.finished(a);
      // the append may share the failing write with the finish record; a sender then retries
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(
              () -> {
                try {
                  j.append(bytes("after")).get();
                  return true;
                } catch (ExecutionException e) {
                  return false;
                }
              });
    }
    try (FileJournal j = FileJournal.open(dir)) {
      assertThat(j.pending()).extracting(Journal.Pending::id).doesNotContain(a);
    }
  }

  @Test
  void outcomeRecordsOfAFailedWriteReachTheDiskOnceItHasRoomWithoutAnotherAppend()
      throws Exception {
    try (FileJournal j = FileJournal.open(dir, 1024)) {
      long a = j.append(new byte[1000]).get();
      Path first = segments().get(0);
      Path full = DiskFull.linkNextSegmentToDevFull(dir);
      j.finished(a); // rolls onto the full disk and fails; nothing else is appended after it

      // the writer retries on its own: a fresh segment takes the finish record, so the first
      // segment (all finished) and the failed, empty one are deleted
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> !Files.exists(first) && !Files.exists(full, LinkOption.NOFOLLOW_LINKS));
    }
    try (FileJournal j = FileJournal.open(dir)) {
      assertThat(j.pending()).isEmpty();
    }
  }

  @Test
  void aSecondJournalOnTheSameDirectoryIsRefusedUntilTheFirstCloses() throws Exception {
    try (FileJournal j = FileJournal.open(dir)) {
      j.append(bytes("a")).get();
      assertThatThrownBy(() -> FileJournal.open(dir))
          .isInstanceOf(IOException.class)
          .hasMessage("journal directory " + dir + " is in use by another journal");
    }
    try (FileJournal j = FileJournal.open(dir)) {
      assertThat(j.pending()).hasSize(1);
    }
  }

  @Test
  void aSegmentFileThatAlreadyHoldsDataIsSteppedOverNeverOverwritten() throws Exception {
    try (FileJournal j = FileJournal.open(dir, 1024)) {
      j.append(new byte[600]).get();
      Path next = DiskFull.linkNextSegmentToDevFull(dir);
      Files.delete(next);
      Files.write(next, bytes("not ours"));

      // the batch rolls over past the occupied segment and is stored
      long id = j.append(new byte[600]).get();

      assertThat(Files.readString(next)).isEqualTo("not ours");
      Files.delete(next);
      assertThat(id).isEqualTo(2);
    }
    try (FileJournal j = FileJournal.open(dir)) {
      assertThat(j.pending()).extracting(Journal.Pending::id).containsExactly(1L, 2L);
      assertThat(j.repairs()).isEmpty();
    }
  }
}
