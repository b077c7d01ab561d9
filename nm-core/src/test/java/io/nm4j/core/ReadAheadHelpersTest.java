package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nm4j.core.internal.snapshot.ReadAhead;
import io.nm4j.core.internal.snapshot.SplitWork;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.Problem;
import io.nm4j.spi.SpecReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Validations and builds of large sets share a bounded number of read-ahead threads: one that finds
 * them all busy reads its set on its own thread, and each thread ends with its build.
 */
class ReadAheadHelpersTest {
  private static final String NS = NotificationManager.DEFAULT_NAMESPACE;
  private static final String HELPER_THREAD = "nm4j-snapshot-read-ahead";
  private static final int RECEIVERS = ReadAhead.FROM_OBJECTS * 2;

  /**
   * A pager channel named Held that notes which threads parse its receivers, holds the thread
   * parsing a receiver with {@code to: hold} until released, and has the build parsing one with
   * {@code to: await-helper} wait until a helper parsed a receiver, so that a helper gets to work
   * however the threads are scheduled.
   */
  private static final class HeldPager extends DelegatingPagerProvider {
    final Set<String> parsingThreads = ConcurrentHashMap.newKeySet();
    final CountDownLatch release = new CountDownLatch(1);
    // Replaced between phases: the held helpers of a first phase count the first one down.
    volatile CountDownLatch helperParsed = new CountDownLatch(1);
    final CountDownLatch holding;

    HeldPager(int holds) {
      super(new PagerChannelProvider("Held"));
      this.holding = new CountDownLatch(holds);
    }

    @Override
    public Parsed<PagerChannelProvider.PagerReceiver> parseReceiver(SpecReader spec) {
      String thread = Thread.currentThread().getName();
      parsingThreads.add(thread);
      if (thread.equals(HELPER_THREAD)) {
        helperParsed.countDown();
      } else if ("await-helper".equals(spec.string("to"))) {
        try {
          helperParsed.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if ("hold".equals(spec.string("to"))) {
        holding.countDown();
        try {
          release.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return super.parseReceiver(spec);
    }
  }

  private static List<ConfigObject> receivers(String secondTo, String lastTo) {
    List<ConfigObject> objects = new ArrayList<>();
    for (int i = 0; i < RECEIVERS; i++) {
      String to = i == 1 ? secondTo : i == RECEIVERS - 1 ? lastTo : "r" + i;
      objects.add(
          ConfigObject.of("HeldReceiver", "r-" + i)
              .label("type", "tenant")
              .label("namespace", "ns-" + i % 31)
              .spec(Map.of("to", to))
              .build());
    }
    return objects;
  }

  private static long helpersAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(HELPER_THREAD) && t.isAlive())
        .count();
  }

  @Test
  void aValidationFindingEveryReadAheadThreadBusyReadsItsSetOnItsCallersThread() {
    HeldPager pager = new HeldPager(SplitWork.HELPERS);
    ChannelRegistry channels = ChannelRegistry.of(List.of(pager));
    List<ReadAhead> busy = new ArrayList<>();
    try {
      holdEveryHelper(pager, channels, busy);
      pager.parsingThreads.clear();
      List<Problem> errors =
          Snapshot.validate(invalid(), ConfigSet.of(receivers("r1", "last")), channels, NS);

      assertThat(errors).extracting(Problem::field).containsExactly("spec.to");
      assertThat(pager.parsingThreads).containsExactly(Thread.currentThread().getName());
      assertThat(helpersAlive()).isEqualTo(SplitWork.HELPERS);
    } finally {
      pager.release.countDown();
      busy.forEach(ReadAhead::finish);
    }
    assertThat(helpersAlive()).isZero();
  }

  @Test
  void aHelpersPlaceIsFreeAgainOnceTheBuildHoldingItFinished() {
    HeldPager pager = new HeldPager(SplitWork.HELPERS);
    ChannelRegistry channels = ChannelRegistry.of(List.of(pager));
    List<ReadAhead> busy = new ArrayList<>();
    try {
      holdEveryHelper(pager, channels, busy);
    } finally {
      pager.release.countDown();
      busy.forEach(ReadAhead::finish);
    }
    pager.parsingThreads.clear();
    pager.helperParsed = new CountDownLatch(1);

    // The build parsing r-1 waits until a helper parsed a receiver: one must have been started.
    List<Problem> errors =
        Snapshot.validate(invalid(), ConfigSet.of(receivers("await-helper", "last")), channels, NS);

    assertThat(errors).extracting(Problem::field).containsExactly("spec.to");
    assertThat(pager.helperParsed.getCount()).isZero();
    assertThat(pager.parsingThreads).contains(HELPER_THREAD);
  }

  /**
   * Starts a read-ahead per helper's place into {@code busy}, each reading from the end of its set
   * and held on its last object, and waits until every one is held.
   */
  private static void holdEveryHelper(
      HeldPager pager, ChannelRegistry channels, List<ReadAhead> busy) {
    for (int i = 0; i < SplitWork.HELPERS; i++) {
      busy.add(ReadAhead.start(receivers("r1", "hold"), channels, NS));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> pager.holding.getCount() == 0);
  }

  private static ConfigObject invalid() {
    return ConfigObject.of("HeldReceiver", "r-0").label("type", "tenant").spec(Map.of()).build();
  }
}
