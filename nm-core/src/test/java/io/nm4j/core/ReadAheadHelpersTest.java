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
   * A pager channel named Held that notes which threads parse its receivers, and holds the thread
   * parsing a receiver with {@code to: hold} until released.
   */
  private static final class HeldPager extends DelegatingPagerProvider {
    final Set<String> parsingThreads = ConcurrentHashMap.newKeySet();
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch holding;

    HeldPager(int holds) {
      super(new PagerChannelProvider("Held"));
      this.holding = new CountDownLatch(holds);
    }

    @Override
    public Parsed<PagerChannelProvider.PagerReceiver> parseReceiver(SpecReader spec) {
      parsingThreads.add(Thread.currentThread().getName());
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

  private static List<ConfigObject> receivers(String lastTo) {
    List<ConfigObject> objects = new ArrayList<>();
    for (int i = 0; i < RECEIVERS; i++) {
      objects.add(
          ConfigObject.of("HeldReceiver", "r-" + i)
              .label("type", "tenant")
              .label("namespace", "ns-" + i % 31)
              .spec(Map.of("to", i == RECEIVERS - 1 ? lastTo : "r" + i))
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
    for (int i = 0; i < SplitWork.HELPERS; i++) {
      // Each helper reads from the end of its set and is held on its last object.
      busy.add(ReadAhead.start(receivers("hold"), channels, NS));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> pager.holding.getCount() == 0);
    ConfigObject invalid =
        ConfigObject.of("HeldReceiver", "r-0").label("type", "tenant").spec(Map.of()).build();

    pager.parsingThreads.clear();
    List<Problem> errors =
        Snapshot.validate(invalid, ConfigSet.of(receivers("last")), channels, NS);

    assertThat(errors).extracting(Problem::field).containsExactly("spec.to");
    assertThat(pager.parsingThreads).containsExactly(Thread.currentThread().getName());
    assertThat(helpersAlive()).isEqualTo(SplitWork.HELPERS);

    pager.release.countDown();
    busy.forEach(ReadAhead::finish);
    assertThat(helpersAlive()).isZero();
    pager.parsingThreads.clear();
    assertThat(Snapshot.validate(invalid, ConfigSet.of(receivers("last")), channels, NS))
        .isEqualTo(errors);
    assertThat(pager.parsingThreads).contains(HELPER_THREAD);
  }
}
