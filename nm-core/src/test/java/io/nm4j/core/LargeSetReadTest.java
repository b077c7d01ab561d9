package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nm4j.core.internal.snapshot.ReadAhead;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.Problem;
import io.nm4j.spi.SpecReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A cold build of a set large enough to be parsed on two threads reads it as one thread would: the
 * same receivers and configs, the same problems in the set's order.
 */
class LargeSetReadTest {
  private static final String NS = NotificationManager.DEFAULT_NAMESPACE;
  private static final int RECEIVERS = ReadAhead.FROM_OBJECTS * 2;

  /**
   * Receivers of both pager kinds and their configs, with every seventh receiver invalid (a missing
   * {@code spec.to} and an unknown field), every thirteenth defined twice and every nineteenth
   * config in another namespace, spread over the whole set.
   */
  private static List<ConfigObject> objects() {
    List<ConfigObject> objects = new ArrayList<>();
    objects.add(
        ConfigObject.of("PagerConfig", "default").label("type", "default").spec(Map.of()).build());
    for (int i = 0; i < RECEIVERS; i++) {
      String kind = kindOf(i);
      String name = nameOf(i);
      ConfigObject.Builder receiver =
          ConfigObject.of(kind, name).label("type", "tenant").label("namespace", "ns-" + i % 97);
      if (i % 7 == 0) {
        receiver.spec(Map.of());
      } else {
        receiver.spec(Map.of("to", name));
      }
      objects.add(receiver.build());
      if (i % 13 == 0) {
        objects.add(receiver.origin("again.yaml").build());
      }
      if (i % 5 == 0) {
        ConfigObject.Builder config =
            ConfigObject.of("PagerConfig", "c-" + i).label("type", "tenant").spec(Map.of());
        if (i % 19 == 0) {
          config.namespace("elsewhere");
        }
        objects.add(config.build());
      }
    }
    return objects;
  }

  private static String kindOf(int i) {
    return i % 3 == 0 ? "ChatReceiver" : "PagerReceiver";
  }

  private static String nameOf(int i) {
    return String.format(Locale.ROOT, "r-%05d", i);
  }

  /**
   * The cold build of {@code objects}, having checked that it has the problems and destinations of
   * a build that reads them on one thread.
   */
  private static Snapshot builtAsOnOneThread(List<ConfigObject> objects) {
    ConfigSet set = ConfigSet.of(objects);
    Snapshot cold = Snapshot.build(set, Fixtures.CHANNELS, NS, null);
    // A build after a change reuses the readings it can and parses the rest on its own thread.
    Snapshot small =
        Snapshot.build(ConfigSet.of(objects.subList(0, 10)), Fixtures.CHANNELS, NS, null);
    Snapshot oneThread = small.next(set);

    assertThat(cold.problems()).isEqualTo(oneThread.problems());
    assertThat(cold.destinations()).isEqualTo(oneThread.destinations());
    return cold;
  }

  /** The objects of the snapshot's problems that {@code which} picks, in the order reported. */
  private static List<String> objectsWith(Snapshot snapshot, Predicate<Problem> which) {
    List<String> objects = new ArrayList<>();
    for (Problem p : snapshot.problems()) {
      if (which.test(p)) {
        objects.add(p.object());
      }
    }
    return objects;
  }

  @Test
  void aLargeSetParsedOnTwoThreadsReportsWhatOneThreadReportsInTheSetsOrder() {
    Snapshot cold = builtAsOnOneThread(objects());

    List<String> invalidInOrder = objectsWith(cold, p -> p.field().equals("spec.to"));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < RECEIVERS; i += 7) {
      expected.add(kindOf(i) + "/" + nameOf(i));
    }
    assertThat(invalidInOrder).isEqualTo(expected);
    assertThat(cold.destinations()).hasSize(RECEIVERS - (RECEIVERS + 6) / 7);
    assertThat(cold.problems())
        .filteredOn(p -> p.field().equals("metadata.name"))
        .hasSize((RECEIVERS + 12) / 13);
  }

  /**
   * Secrets spread over a large set, every eleventh with a value that is not base64: read on either
   * thread, their problems come in the set's order and the receivers' secrets resolve as on one.
   */
  @Test
  void secretsReadOnTwoThreadsReportWhatOneThreadReportsInTheSetsOrder() {
    List<ConfigObject> objects = objects();
    List<ConfigObject> withSecrets = new ArrayList<>();
    for (int i = 0; i < objects.size(); i++) {
      withSecrets.add(objects.get(i));
      if (i % 3 == 0) {
        String value = i % 11 == 0 ? "not base64!" : "dG9rZW4=";
        withSecrets.add(
            new ConfigObject(
                "v1",
                "Secret",
                new io.nm4j.spi.ObjectMeta("s-" + i, NS, Map.of(), "", "", null),
                Map.of("data", Map.of("token", value)),
                "secrets.yaml"));
      }
    }
    Snapshot cold = builtAsOnOneThread(withSecrets);

    List<String> malformed = objectsWith(cold, p -> p.object().startsWith("Secret/"));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < objects.size(); i += 33) {
      expected.add("Secret/s-" + i);
    }
    assertThat(malformed).isEqualTo(expected);
  }

  /**
   * A parser that throws a checked exception it does not declare, on an object of the half the
   * second thread parses: the build fails with it, as a build on one thread does, instead of
   * waiting for that object for ever.
   */
  @Test
  // A guard against the hang this test is about, not a measure of speed: on its own thread, since
  // a build spinning in wait does not answer an interrupt.
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aParserThrowingUndeclaredOnTheSecondThreadFailsTheBuildInsteadOfHangingIt() {
    ChannelRegistry channels = ChannelRegistry.of(List.of(new ThrowingOnBoom()));
    List<ConfigObject> objects = new ArrayList<>();
    for (int i = 0; i < RECEIVERS; i++) {
      String to = i == RECEIVERS - 10 ? "boom" : "r" + i;
      objects.add(
          ConfigObject.of("BoomReceiver", nameOf(i))
              .label("type", "tenant")
              .label("namespace", "ns")
              .spec(Map.of("to", to))
              .build());
    }

    assertThatThrownBy(() -> Snapshot.build(ConfigSet.of(objects), channels, NS, null))
        .isInstanceOf(java.io.IOException.class)
        .hasMessage("boom");
  }

  /**
   * A pager channel named Boom whose parser throws an undeclared IOException for {@code to: boom}.
   */
  private static final class ThrowingOnBoom extends DelegatingPagerProvider {
    ThrowingOnBoom() {
      super(new PagerChannelProvider("Boom"));
    }

    @Override
    public Parsed<PagerChannelProvider.PagerReceiver> parseReceiver(SpecReader spec) {
      if ("boom".equals(spec.string("to"))) {
        throw LargeSetReadTest.<RuntimeException>undeclared(new java.io.IOException("boom"));
      }
      return super.parseReceiver(spec);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T undeclared(Throwable t) throws T {
    throw (T) t;
  }
}
