package io.nm4j.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The commit metadata by which the next owner of a partition skips records already final. */
class OwnedPartitionsTest {
  @Test
  void theNextOwnerReadsBackTheFinalRecordsAboveTheCommittedOffset() {
    String metadata = OwnedPartitions.metadata(1_000, List.of(1_001L, 1_007L, 1_500L));

    assertThat(OwnedPartitions.settledOffsets(1_000, metadata))
        .containsExactlyInAnyOrder(1_001L, 1_007L, 1_500L);
  }

  @Test
  void metadataStaysWithinWhatBrokersAcceptAndWhatDoesNotFitIsSentAgain() {
    List<Long> settled = LongStream.range(1, 5_000).map(d -> 1_000_000 + d * 97).boxed().toList();

    String metadata = OwnedPartitions.metadata(1_000_000, settled);

    assertThat(metadata.length()).isLessThanOrEqualTo(OwnedPartitions.MAX_METADATA_CHARS);
    Set<Long> read = OwnedPartitions.settledOffsets(1_000_000, metadata);
    assertThat(read).isNotEmpty().hasSizeLessThan(settled.size());
    assertThat(settled).containsAll(read);
  }

  @Test
  void metadataThisQueueDidNotWriteSkipsNothing() {
    assertThat(OwnedPartitions.settledOffsets(10, "written by another tool")).isEmpty();
    assertThat(OwnedPartitions.settledOffsets(10, "abc,1f")).isEmpty();
    assertThat(OwnedPartitions.settledOffsets(10, null)).isEmpty();
    assertThat(OwnedPartitions.settledOffsets(10, "")).isEmpty();
  }
}
