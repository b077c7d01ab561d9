package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nm4j.core.internal.snapshot.SplitWork;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.Problem;
import io.nm4j.spi.ReceiverSpec;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SpecReader;
import io.nm4j.spi.TemplateFormat;
import io.nm4j.spi.TemplateSlots;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A cold build of a set large enough to resolve its receivers on two threads gives what one thread
 * gives: the same destinations, the same problems in the same order (a channel kind's templates
 * reported once, where the first receiver of the kind is resolved), and a helper thread that fails
 * costs nothing but the work it gave up.
 */
class LargeSetResolveTest {
  private static final String NS = NotificationManager.DEFAULT_NAMESPACE;
  private static final int RECEIVERS = SplitWork.FROM_OBJECTS * 2;

  /** The name of the helper thread that resolves receivers beside the build. */
  private static final String HELPER = "nm4j-snapshot-resolve";

  private static TemplateSlots slots() {
    return new TemplateSlots(
        Map.of("message", TemplateFormat.TEXT), "message", Map.of("text", "message"), null, null);
  }

  private static final ChannelRegistry CHANNELS =
      ChannelRegistry.of(
          List.of(
              new PagerChannelProvider().withTemplateSlots(slots()),
              new PagerChannelProvider("Chat").withTemplateSlots(slots()),
              new PagerChannelProvider("Zed").withTemplateSlots(slots())));

  /**
   * Settings whose templates for the pager and zed kinds have a problem, receivers of three kinds
   * with problems of resolution all over the set, and a default config for the pager kind only.
   * Sorted by kind and name the pager receivers span the middle, where the helper starts, and the
   * zed receivers all lie in the helper's half.
   */
  private static List<ConfigObject> objects() {
    List<ConfigObject> objects = new ArrayList<>();
    objects.add(
        ConfigObject.of("NotificationManager", "notification-manager")
            .spec(
                Map.of(
                    "receivers",
                    Map.of(
                        "options",
                        Map.of(
                            "pager", Map.of("timezone", "Nowhere/Never"),
                            "zed", Map.of("timezone", "Nowhere/Never")))))
            .build());
    objects.add(
        ConfigObject.of("PagerConfig", "default").label("type", "default").spec(Map.of()).build());
    for (int i = 0; i < RECEIVERS; i++) {
      objects.add(receiver(kindOf(i), nameOf(i), i));
    }
    return objects;
  }

  private static ConfigObject receiver(String kind, String name, int i) {
    ConfigObject.Builder receiver =
        ConfigObject.of(kind, name).label("type", i % 17 == 0 ? "other" : "tenant");
    if (i % 11 != 0) {
      receiver.label("namespace", "ns-" + i % 97);
    }
    if (i % 23 == 0) {
      receiver.spec(
          Map.of(
              "to",
              name,
              kind.replace("Receiver", "").toLowerCase(Locale.ROOT) + "ConfigSelector",
              Map.of("matchLabels", Map.of("app", "none"))));
    } else {
      receiver.spec(Map.of("to", name));
    }
    return receiver.build();
  }

  private static String kindOf(int i) {
    if (i % 40 == 0) {
      return "ZedReceiver";
    }
    return i % 3 == 0 ? "ChatReceiver" : "PagerReceiver";
  }

  private static String nameOf(int i) {
    return String.format(Locale.ROOT, "r-%05d", i);
  }

  /** The same set built on one thread: after a build of a few of its objects. */
  private static Snapshot builtOnOneThread(List<ConfigObject> objects, ChannelRegistry channels) {
    Snapshot small = Snapshot.build(ConfigSet.of(objects.subList(0, 10)), channels, NS, null);
    return small.next(ConfigSet.of(objects));
  }

  @Test
  void aLargeSetResolvedOnTwoThreadsGivesWhatOneThreadGivesInTheSameOrder() {
    List<ConfigObject> objects = objects();
    Snapshot cold = Snapshot.build(ConfigSet.of(objects), CHANNELS, NS, null);
    Snapshot oneThread = builtOnOneThread(objects, CHANNELS);

    assertThat(cold.problems()).isEqualTo(oneThread.problems());
    assertThat(cold.destinations()).isEqualTo(oneThread.destinations());
    assertThat(cold.memo().resolutions()).isEqualTo(oneThread.memo().resolutions());
    // Each kind's templates are reported once, where its first receiver in use is resolved: the
    // zed kind's (all in the helper's half) after r-00000, which matches no receiver selector.
    List<String> problems = Fixtures.problems(cold);
    for (String kind : List.of("pager", "zed")) {
      assertThat(problems)
          .as(kind)
          .filteredOn(p -> p.contains("spec.receivers.options." + kind + ".timezone"))
          .hasSize(1);
    }
    int zedTemplates = indexOf(problems, "spec.receivers.options.zed.timezone");
    assertThat(problems.get(zedTemplates - 1)).startsWith("ZedReceiver/r-00000: metadata.labels");
    assertThat(problems.subList(0, zedTemplates - 1)).noneMatch(p -> p.contains("ZedReceiver/"));
    assertThat(problems.subList(zedTemplates, problems.size()))
        .noneMatch(p -> p.contains("PagerReceiver/") || p.contains("ChatReceiver/"));
    // The problems of resolution, in the receivers' order by kind and name, second half included.
    List<String> unlabelled = new ArrayList<>();
    for (Problem p : cold.problems()) {
      if (p.message().startsWith("a tenant receiver needs the label")) {
        unlabelled.add(p.object());
      }
    }
    assertThat(unlabelled).isEqualTo(expectedInOrder(i -> i % 11 == 0 && i % 17 != 0));
    assertThat(cold.problems())
        .filteredOn(p -> p.message().startsWith("selector matched nothing; using default"))
        .extracting(Problem::object)
        .isEqualTo(
            expectedInOrder(
                i ->
                    i % 23 == 0
                        && i % 17 != 0
                        && i % 11 != 0
                        && kindOf(i).equals("PagerReceiver")));
  }

  /**
   * A set listing its receivers out of name order is resolved in name order on two threads, and its
   * memo keeps each receiver's resolution where the next build finds it: a build after a change
   * reuses every destination it did not touch.
   */
  @Test
  void aLargeSetListedOutOfNameOrderResolvesAsOneThreadAndKeepsEveryResolutionForTheNext() {
    List<ConfigObject> objects = objects();
    Collections.reverse(objects.subList(2, objects.size()));
    Snapshot cold = Snapshot.build(ConfigSet.of(objects), CHANNELS, NS, null);
    Snapshot oneThread = builtOnOneThread(objects, CHANNELS);

    assertThat(cold.problems()).isEqualTo(oneThread.problems());
    assertThat(cold.destinations()).isEqualTo(oneThread.destinations());
    assertThat(cold.memo().resolutions()).isEqualTo(oneThread.memo().resolutions());

    // A receiver without its tenant label cannot be applied in place: the set is built again.
    List<ConfigObject> after = new ArrayList<>(objects);
    after.add(
        ConfigObject.of("PagerReceiver", "r-new").label("type", "tenant").spec(Map.of()).build());
    Snapshot next = cold.next(ConfigSet.of(after));

    assertThat(next.memo().changed()).isZero();
    assertThat(next.destinations()).hasSameSizeAs(cold.destinations());
    for (int i = 0; i < cold.destinations().size(); i++) {
      assertThat(next.destinations().get(i))
          .as(cold.destinations().get(i).receiver().toString())
          .isSameAs(cold.destinations().get(i));
    }
  }

  /**
   * Receivers listed in no order at all, not one reversed run: the destinations follow them by
   * kind, then name, every one that routes, however the sort merges them.
   */
  @Test
  void aShuffledSetResolvesItsReceiversInKindAndNameOrder() {
    List<ConfigObject> objects = objects();
    Collections.shuffle(objects.subList(2, objects.size()), new Random(22));
    Snapshot shuffled = Snapshot.build(ConfigSet.of(objects), CHANNELS, NS, null);
    Snapshot listed = Snapshot.build(ConfigSet.of(objects()), CHANNELS, NS, null);

    List<ObjectRef> order = new ArrayList<>();
    shuffled.destinations().forEach(d -> order.add(d.receiver()));
    assertThat(order)
        .hasSize(listed.destinations().size())
        .isSortedAccordingTo(Comparator.comparing(ObjectRef::kind).thenComparing(ObjectRef::name));
    assertThat(shuffled.destinations()).isEqualTo(listed.destinations());
  }

  /**
   * A receiver's spec that fails only when the helper thread checks it: the build resolves the run
   * the helper gave up, and every later one, itself, and gives what one thread gives.
   */
  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aHelperFailingOnItsThreadOnlyLeavesTheBuildWhatOneThreadGives() {
    ChannelRegistry channels = ChannelRegistry.of(List.of(new Boom(true)));
    List<ConfigObject> objects = boomObjects();
    Snapshot cold = Snapshot.build(ConfigSet.of(objects), channels, NS, null);
    Snapshot oneThread = builtOnOneThread(objects, channels);

    assertThat(cold.problems()).isEqualTo(oneThread.problems());
    assertThat(cold.destinations()).isEqualTo(oneThread.destinations());
    assertThat(cold.destinations()).hasSize(RECEIVERS);
  }

  /**
   * A receiver's spec that throws an undeclared checked exception in the half the helper resolves:
   * the build fails with it, as a build on one thread does, instead of waiting for that run.
   */
  @Test
  // A guard against the hang this test is about, not a measure of speed: on its own thread, since
  // a build spinning in wait does not answer an interrupt.
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aSpecThrowingUndeclaredInTheHelpersHalfFailsTheBuildInsteadOfHangingIt() {
    ChannelRegistry channels = ChannelRegistry.of(List.of(new Boom(false)));

    assertThatThrownBy(() -> Snapshot.build(ConfigSet.of(boomObjects()), channels, NS, null))
        .isInstanceOf(java.io.IOException.class)
        .hasMessage("boom");
  }

  private static List<ConfigObject> boomObjects() {
    List<ConfigObject> objects = new ArrayList<>();
    objects.add(
        ConfigObject.of("BoomConfig", "default").label("type", "default").spec(Map.of()).build());
    for (int i = 0; i < RECEIVERS; i++) {
      String to = i == RECEIVERS / 2 ? "boom" : "r" + i;
      objects.add(
          ConfigObject.of("BoomReceiver", nameOf(i))
              .label("type", "tenant")
              .label("namespace", "ns-" + i % 97)
              .spec(Map.of("to", to))
              .build());
    }
    return objects;
  }

  private static List<String> expectedInOrder(java.util.function.IntPredicate which) {
    List<String> expected = new ArrayList<>();
    for (String kind : List.of("ChatReceiver", "PagerReceiver", "ZedReceiver")) {
      for (int i = 0; i < RECEIVERS; i++) {
        if (kindOf(i).equals(kind) && which.test(i)) {
          expected.add(kind + "/" + nameOf(i));
        }
      }
    }
    return expected;
  }

  private static int indexOf(List<String> problems, String part) {
    for (int i = 0; i < problems.size(); i++) {
      if (problems.get(i).contains(part)) {
        return i;
      }
    }
    throw new AssertionError("no problem with " + part + " in " + problems);
  }

  /** A receiver whose secret references cannot be listed when it is {@code to: boom}. */
  private record BoomReceiver(String to, boolean onHelperOnly) implements ReceiverSpec {
    @Override
    public @Nullable LabelSelector configSelector() {
      return null;
    }

    @Override
    public Map<String, SecretKeySelector> secretRefs() {
      if (to.equals("boom") && (!onHelperOnly || Thread.currentThread().getName().equals(HELPER))) {
        throw LargeSetResolveTest.<RuntimeException>undeclared(new java.io.IOException("boom"));
      }
      return Map.of();
    }
  }

  /**
   * A pager channel named Boom whose receivers throw an undeclared IOException for {@code to: boom}
   * when their secret references are checked: on any thread, or on the helper's only.
   */
  private static final class Boom extends PagerKindsProvider<BoomReceiver> {
    private final boolean onHelperOnly;

    Boom(boolean onHelperOnly) {
      super(new PagerChannelProvider("Boom"));
      this.onHelperOnly = onHelperOnly;
    }

    @Override
    public Parsed<BoomReceiver> parseReceiver(SpecReader spec) {
      return Parsed.of(new BoomReceiver(spec.requiredString("to"), onHelperOnly), spec.errors());
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T undeclared(Throwable t) throws T {
    throw (T) t;
  }
}
