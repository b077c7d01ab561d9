package io.nm4j.core.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class BatchDeduplicatorTest {
  private static final Instant STARTED = Instant.parse("2026-01-01T00:00:00Z");
  private final ManualClock clock = new ManualClock();
  private final BatchDeduplicator dedup = new BatchDeduplicator(Duration.ofMinutes(5), 100, clock);

  private static Alert alert(String fingerprint, AlertStatus status, @Nullable Instant endsAt) {
    return new Alert(
        status, Map.of("alertname", "Down"), Map.of(), STARTED, endsAt, "", fingerprint);
  }

  private static AlertBatch batch(String groupKey, Alert... alerts) {
    return new AlertBatch(
        "nm",
        AlertStatus.FIRING,
        List.of(alerts),
        Map.of(),
        Map.of(),
        Map.of(),
        "http://am",
        groupKey,
        0);
  }

  @Test
  void aBatchResentWithinTheWindowIsNotFirstSeen() {
    AlertBatch b = batch("{}:{alertname=\"Down\"}", alert("aa", AlertStatus.FIRING, null));

    assertThat(dedup.firstSeen(b)).isTrue();
    clock.advance(Duration.ofMinutes(4).plusSeconds(59));
    assertThat(
            dedup.firstSeen(
                batch("{}:{alertname=\"Down\"}", alert("aa", AlertStatus.FIRING, null))))
        .isFalse();
  }

  @Test
  void aBatchAfterTheWindowIsFirstSeenAgain() {
    AlertBatch b = batch("g", alert("aa", AlertStatus.FIRING, null));

    assertThat(dedup.firstSeen(b)).isTrue();
    clock.advance(Duration.ofMinutes(5));
    assertThat(dedup.firstSeen(b)).isTrue();
    assertThat(dedup.firstSeen(b)).isFalse();
  }

  @Test
  void aChangeOfStatusEndOrFingerprintOrGroupIsANewBatch() {
    assertThat(dedup.firstSeen(batch("g", alert("aa", AlertStatus.FIRING, null)))).isTrue();
    assertThat(dedup.firstSeen(batch("g", alert("aa", AlertStatus.RESOLVED, null)))).isTrue();
    assertThat(
            dedup.firstSeen(batch("g", alert("aa", AlertStatus.RESOLVED, STARTED.plusSeconds(60)))))
        .isTrue();
    assertThat(dedup.firstSeen(batch("g", alert("bb", AlertStatus.FIRING, null)))).isTrue();
    assertThat(dedup.firstSeen(batch("h", alert("aa", AlertStatus.FIRING, null)))).isTrue();
    assertThat(
            dedup.firstSeen(
                batch(
                    "g",
                    alert("aa", AlertStatus.FIRING, null),
                    alert("bb", AlertStatus.FIRING, null))))
        .isTrue();
    assertThat(dedup.firstSeen(batch("g", alert("aa", AlertStatus.RESOLVED, null)))).isFalse();
  }

  @Test
  void batchesWithoutGroupKeyAreNeverDeduplicated() {
    AlertBatch inCode = AlertBatch.of(List.of(Alert.firing(Map.of("alertname", "Down"))));

    assertThat(dedup.firstSeen(inCode)).isTrue();
    assertThat(dedup.firstSeen(inCode)).isTrue();
    assertThat(dedup.size()).isZero();
  }

  @Test
  void memoryIsBoundedForgettingTheOldestFirst() {
    BatchDeduplicator small = new BatchDeduplicator(Duration.ofMinutes(5), 3, clock);
    for (int i = 0; i < 5; i++) {
      assertThat(small.firstSeen(batch("g" + i, alert("aa", AlertStatus.FIRING, null)))).isTrue();
    }

    assertThat(small.size()).isEqualTo(3);
    assertThat(small.firstSeen(batch("g4", alert("aa", AlertStatus.FIRING, null)))).isFalse();
    assertThat(small.firstSeen(batch("g0", alert("aa", AlertStatus.FIRING, null)))).isTrue();
  }

  @Test
  void aForgottenBatchIsFirstSeenAgainSoARejectedBatchCanBeRetried() {
    AlertBatch b = batch("g", alert("aa", AlertStatus.FIRING, null));
    assertThat(dedup.firstSeen(b)).isTrue();

    dedup.forget(b);

    assertThat(dedup.firstSeen(b)).isTrue();
  }

  @Test
  void expiredEntriesAreEvicted() {
    for (int i = 0; i < 10; i++) {
      dedup.firstSeen(batch("g" + i, alert("aa", AlertStatus.FIRING, null)));
    }
    clock.advance(Duration.ofMinutes(6));
    dedup.firstSeen(batch("new", alert("aa", AlertStatus.FIRING, null)));

    assertThat(dedup.size()).isEqualTo(1);
  }

  @Test
  void textsAreKeptApartWhereOneEndsAndTheNextBegins() {
    assertThat(dedup.firstSeen(batch("ab", alert("c", AlertStatus.FIRING, null)))).isTrue();
    assertThat(dedup.firstSeen(batch("a", alert("bc", AlertStatus.FIRING, null)))).isTrue();
    assertThat(dedup.firstSeen(batch("abcd", alert("efgh", AlertStatus.FIRING, null)))).isTrue();
    assertThat(dedup.firstSeen(batch("abcde", alert("fgh", AlertStatus.FIRING, null)))).isTrue();
  }

  @Test
  void aMissingEndIsNotTheEndAtTheEpochNorAnEndInAnotherNanosecond() {
    assertThat(dedup.firstSeen(batch("g", alert("aa", AlertStatus.RESOLVED, null)))).isTrue();
    assertThat(dedup.firstSeen(batch("g", alert("aa", AlertStatus.RESOLVED, Instant.EPOCH))))
        .isTrue();
    assertThat(dedup.firstSeen(batch("g", alert("aa", AlertStatus.RESOLVED, STARTED.plusNanos(1)))))
        .isTrue();
    assertThat(dedup.firstSeen(batch("g", alert("aa", AlertStatus.RESOLVED, STARTED)))).isTrue();
    assertThat(dedup.firstSeen(batch("g", alert("aa", AlertStatus.RESOLVED, STARTED)))).isFalse();
  }

  @Test
  void eachDeduplicatorHashesUnderAKeyOfItsOwnDrawnAtRandom() {
    // the same batch under two deduplicators: each remembers it on its own, and the hashes
    // differ because each key is drawn at random (checked through the hash itself)
    AlertBatch b = batch("g", alert("aa", AlertStatus.FIRING, null));
    BatchDeduplicator other = new BatchDeduplicator(Duration.ofMinutes(5), 100, clock);

    assertThat(dedup.firstSeen(b)).isTrue();
    assertThat(other.firstSeen(b)).isTrue();
    assertThat(dedup.digestOf(b)).isNotEqualTo(other.digestOf(b));
    assertThat(dedup.digestOf(b)).isEqualTo(dedup.digestOf(b));
  }
}
