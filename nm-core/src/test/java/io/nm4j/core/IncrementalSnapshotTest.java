package io.nm4j.core;

import static io.nm4j.core.Fixtures.config;
import static io.nm4j.core.Fixtures.global;
import static io.nm4j.core.Fixtures.receiver;
import static io.nm4j.core.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.nm4j.core.admin.AdminService;
import io.nm4j.core.admin.Caller;
import io.nm4j.core.internal.Owner;
import io.nm4j.core.internal.v2beta2.V2beta2Objects;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.SecretKeySelector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A change builds the next snapshot from the previous one, reusing every receiver's resolution the
 * change does not touch: asserted by identity of the unchanged destinations, whichever way the
 * change arrives (a set given whole, the admin API's store, a watched directory). A RoleBinding or
 * a rotated secret value shares everything else with the snapshot before, down to the lists.
 */
class IncrementalSnapshotTest {
  private static final String BASE =
      global("ops")
          + tenant("shop-pager", "shop")
          + tenant("web-pager", "web")
          + tenant("db-pager", "db")
          + config("d", "{type: default}");

  private static Map<String, Destination> byReceiver(Snapshot s) {
    Map<String, Destination> out = new HashMap<>();
    s.destinations().forEach(d -> out.put(d.receiver().toString(), d));
    return out;
  }

  /** A generated configuration, its set and the full build of it. */
  private record Generated(
      IncrementalSnapshotPropertyTest.Generator gen,
      Map<ObjectRef, ConfigObject> objects,
      ConfigSet set,
      Snapshot first) {
    static Generated withSeed(long seed) {
      IncrementalSnapshotPropertyTest.Generator gen =
          new IncrementalSnapshotPropertyTest.Generator(new Random(seed), new Random(~seed), true);
      Map<ObjectRef, ConfigObject> objects = gen.configuration();
      ConfigSet set = IncrementalSnapshotPropertyTest.set(objects);
      return new Generated(gen, objects, set, IncrementalSnapshotPropertyTest.full(set));
    }
  }

  /** The snapshot of {@code set}, built from nothing: a change that follows names its objects. */
  private static Snapshot built(ConfigSet set) {
    return Snapshot.build(set, Fixtures.CHANNELS, NotificationManager.DEFAULT_NAMESPACE, null);
  }

  private static ConfigSet plus(ConfigSet set, String yaml) {
    List<ConfigObject> objects = new ArrayList<>(set.objects());
    objects.addAll(Fixtures.yaml(yaml).objects());
    return ConfigSet.of(objects);
  }

  @Test
  void anAddedTenantReceiverLeavesEveryOtherDestinationTheSameInstance() {
    ConfigSet before = Fixtures.yaml(BASE);
    Snapshot first = Fixtures.snapshot(BASE);
    Snapshot next = first.next(plus(before, tenant("shop-second", "shop")));

    Map<String, Destination> was = byReceiver(first);
    Map<String, Destination> now = byReceiver(next);
    assertThat(now).containsKey("PagerReceiver/shop-second").hasSize(5);
    was.forEach((receiver, d) -> assertThat(now.get(receiver)).as(receiver).isSameAs(d));
  }

  @Test
  void aTenantReceiverAddedInPlaceLeavesEveryOtherNamespacesTargetsTheSameInstances() {
    ConfigSet before = Fixtures.yaml(BASE);
    Snapshot first = built(before);
    ConfigSet after = plus(before, tenant("shop-second", "shop"));

    Snapshot next = first.next(after);

    // In place: the memo lays the one new receiver over the build's, and nothing else is redone.
    assertThat(next.memo().changed()).isEqualTo(1);
    assertThat(next.problems()).isSameAs(first.problems());
    assertThat(next.destinationsFor("shop"))
        .extracting(d -> d.receiver().toString())
        .containsExactly(
            "PagerReceiver/ops", "PagerReceiver/shop-pager", "PagerReceiver/shop-second");
    for (String ns : List.of("web", "db")) {
      assertThat(next.destinationsFor(ns)).as(ns).isSameAs(first.destinationsFor(ns));
    }
    assertThat(next.destinationsFor(null)).isSameAs(first.destinationsFor(null));
    assertEqualsFullBuild(next, after.objects());
  }

  @Test
  void aTenantReceiverChangedThenRemovedInPlaceEqualsAFullBuildEachTime() {
    ConfigSet before = Fixtures.yaml(BASE);
    Snapshot first = built(before);
    List<ConfigObject> moved = new ArrayList<>();
    for (ConfigObject o : before.objects()) {
      moved.add(
          o.ref().toString().equals("PagerReceiver/web-pager")
              ? Fixtures.yaml(tenant("web-pager", "shop")).objects().get(0)
              : o);
    }

    Snapshot changed = first.next(ConfigSet.of(moved));

    assertThat(changed.memo().changed()).isEqualTo(1);
    assertThat(changed.destinationsFor("db")).isSameAs(first.destinationsFor("db"));
    assertThat(changed.destinationsFor("web")).isEqualTo(first.destinationsFor(null));
    assertEqualsFullBuild(changed, moved);

    List<ConfigObject> removed = new ArrayList<>(moved);
    removed.removeIf(o -> o.ref().toString().equals("PagerReceiver/shop-pager"));
    Snapshot next = changed.next(ConfigSet.of(removed));

    assertThat(next.memo().changed()).isEqualTo(2);
    assertThat(next.destinationsFor("shop"))
        .extracting(d -> d.receiver().toString())
        .containsExactly("PagerReceiver/ops", "PagerReceiver/web-pager");
    assertEqualsFullBuild(next, removed);
    // The next build folds what was applied in place and finds it as a build would.
    ConfigSet withProblem =
        plus(
            ConfigSet.of(removed),
            receiver("PagerReceiver", "shop-bad", "{type: tenant, namespace: shop}", "{}"));
    Snapshot rebuilt = next.next(withProblem);
    assertThat(rebuilt.memo().changed()).isZero();
    assertEqualsFullBuild(rebuilt, withProblem.objects());
  }

  @Test
  void aReceiverOfAUserRederivesOnlyTheNamespacesTheUserIsBoundIn() {
    InMemoryConfigSource source =
        aliceInShop(roleBinding("web-bob", "web", "bob") + roleBinding("db-alice", "db", "alice"));
    try (NotificationManager manager = managerOf(source)) {
      Snapshot first = manager.snapshot();

      source.put(Fixtures.yaml(tenant("alice-second", "alice", "user")).objects().get(0));

      Snapshot next = manager.snapshot();
      assertThat(next.memo().changed()).isEqualTo(1);
      for (String ns : List.of("shop", "db")) {
        assertThat(next.destinationsFor(ns))
            .as(ns)
            .extracting(d -> d.receiver().toString())
            .containsExactly(
                "PagerReceiver/alice-pager", "PagerReceiver/alice-second", "PagerReceiver/ops");
      }
      assertThat(next.destinationsFor("web")).isSameAs(first.destinationsFor("web"));
      assertEqualsFullBuild(next, source.load().objects());
    }
  }

  @Test
  void aReceiverWithAProblemTakesABuild() {
    ConfigSet before = Fixtures.yaml(BASE);
    Snapshot first = built(before);

    ConfigSet invalid =
        plus(
            before, receiver("PagerReceiver", "shop-bad", "{type: tenant, namespace: shop}", "{}"));
    Snapshot withProblem = first.next(invalid);

    assertThat(withProblem.memo().changed()).isZero();
    assertThat(withProblem.problems()).isNotEmpty();
    assertEqualsFullBuild(withProblem, invalid.objects());
  }

  @Test
  void aGlobalReceiverAddedInPlaceReachesEveryNamespaceAndKeepsEveryTenantsReceivers() {
    ConfigSet before = Fixtures.yaml(BASE);
    Snapshot first = built(before);
    ConfigSet after = plus(before, global("aa-ops"));

    Snapshot next = first.next(after);

    assertThat(next.memo().changed()).isEqualTo(1);
    assertThat(next.problems()).isSameAs(first.problems());
    assertThat(next.basis().resolving()).isSameAs(first.basis().resolving());
    for (String ns : List.of("shop", "web", "db", "nobody")) {
      assertThat(next.destinationsFor(ns))
          .as(ns)
          .extracting(d -> d.receiver().toString())
          .startsWith("PagerReceiver/aa-ops")
          .contains("PagerReceiver/ops");
    }
    assertThat(next.destinationsFor(null))
        .extracting(d -> d.receiver().toString())
        .containsExactly("PagerReceiver/aa-ops", "PagerReceiver/ops");
    Map<String, Destination> now = byReceiver(next);
    byReceiver(first).forEach((r, d) -> assertThat(now.get(r)).as(r).isSameAs(d));
    assertEqualsFullBuild(next, after.objects());
  }

  @Test
  void aGlobalReceiverChangedMovedToATenantAndBackThenRemovedInPlaceEqualsAFullBuildEachTime() {
    ConfigSet before = Fixtures.yaml(BASE);
    Snapshot snapshot = built(before);
    List<ConfigObject> objects = new ArrayList<>(before.objects());
    List<String> steps =
        List.of(
            receiver("PagerReceiver", "ops", "{type: global}", "{to: changed}"),
            tenant("ops", "web"),
            global("ops"));
    for (String yaml : steps) {
      objects = replaced(ConfigSet.of(objects), "PagerReceiver/ops", yaml);
      Snapshot previous = snapshot;
      snapshot = snapshot.next(ConfigSet.of(objects));

      // In place: one receiver, read again each time, lies over the build's.
      assertThat(snapshot.memo()).isNotSameAs(previous.memo());
      assertThat(snapshot.memo().changed()).as(yaml).isEqualTo(1);
      assertThat(snapshot.problems()).isSameAs(previous.problems());
      assertEqualsFullBuild(snapshot, objects);
    }
    objects.removeIf(o -> o.ref().toString().equals("PagerReceiver/ops"));
    Snapshot removed = snapshot.next(ConfigSet.of(objects));

    assertThat(removed.memo()).isNotSameAs(snapshot.memo());
    assertThat(removed.memo().changed()).isEqualTo(1);
    assertThat(removed.destinationsFor(null)).isEmpty();
    assertThat(removed.destinationsFor("shop"))
        .extracting(d -> d.receiver().toString())
        .containsExactly("PagerReceiver/shop-pager");
    assertEqualsFullBuild(removed, objects);
  }

  @Test
  void aGlobalReceiverAddedInPlaceInUserModeReachesEveryBoundNamespace() {
    InMemoryConfigSource source =
        aliceInShop(roleBinding("web-bob", "web", "bob") + roleBinding("db-alice", "db", "alice"));
    try (NotificationManager manager = managerOf(source)) {
      Snapshot first = manager.snapshot();

      source.put(Fixtures.yaml(global("aa-ops")).objects().get(0));

      Snapshot next = manager.snapshot();
      assertThat(next.memo().changed()).isEqualTo(1);
      assertThat(next.destinationsFor("web"))
          .extracting(d -> d.receiver().toString())
          .containsExactly("PagerReceiver/aa-ops", "PagerReceiver/bob-pager", "PagerReceiver/ops");
      assertThat(next.destinationsFor("unbound"))
          .extracting(d -> d.receiver().toString())
          .containsExactly("PagerReceiver/aa-ops", "PagerReceiver/ops");
      assertThat(next.problems()).isSameAs(first.problems());
      assertEqualsFullBuild(next, source.load().objects());
    }
  }

  @Test
  void aTenantReceiverAddedUnderAnExistingNameIsReportedDefinedTwiceAsAFullBuildReportsIt() {
    ConfigSet before = Fixtures.yaml(BASE);
    Snapshot first = built(before);
    ConfigSet twice = plus(before, tenant("shop-pager", "web"));

    Snapshot next = first.next(twice);

    assertThat(next.memo().changed()).isZero();
    assertThat(next.problems()).anySatisfy(p -> assertThat(p.toString()).contains("defined twice"));
    assertEqualsFullBuild(next, twice.objects());
  }

  /** BASE with shop's receiver selecting its own config by label, and that config. */
  private static final String SELECTING =
      global("ops")
          + receiver(
              "PagerReceiver",
              "shop-pager",
              "{type: tenant, namespace: shop}",
              "{to: shop, pagerConfigSelector: {matchLabels: {team: a}}}")
          + tenant("web-pager", "web")
          + config("d", "{type: default}")
          + receiver(
              "PagerConfig", "shop-a", "{type: tenant, namespace: shop, team: a}", "{host: a}");

  private static List<ConfigObject> replaced(ConfigSet set, String ref, String yaml) {
    List<ConfigObject> objects = new ArrayList<>();
    for (ConfigObject o : set.objects()) {
      objects.add(o.ref().toString().equals(ref) ? Fixtures.yaml(yaml).objects().get(0) : o);
    }
    return objects;
  }

  @Test
  void aChangedTenantConfigIsAppliedInPlaceToTheReceiversThatSelectIt() {
    ConfigSet before = Fixtures.yaml(SELECTING);
    Snapshot first = built(before);
    List<ConfigObject> objects =
        replaced(
            before,
            "PagerConfig/shop-a",
            receiver(
                "PagerConfig", "shop-a", "{type: tenant, namespace: shop, team: a}", "{host: b}"));

    Snapshot next = first.next(ConfigSet.of(objects));

    assertThat(next.memo().changed()).isEqualTo(1);
    assertThat(next.problems()).isSameAs(first.problems());
    assertThat(next.destinationsFor("shop"))
        .filteredOn(d -> d.receiver().name().equals("shop-pager"))
        .singleElement()
        .satisfies(d -> assertThat(String.valueOf(d.configSpec())).contains("b"));
    assertThat(next.destinationsFor("web")).isSameAs(first.destinationsFor("web"));
    assertEqualsFullBuild(next, objects);
  }

  @Test
  void aTenantConfigLabelledForAnotherTenantIsAppliedInPlaceWithoutReachingTheFirstTenant() {
    ConfigSet before = Fixtures.yaml(SELECTING);
    Snapshot first = built(before);
    // Labelled for web, though it matches shop's selector: shop's receiver must not take it.
    ConfigSet after =
        plus(
            before,
            receiver(
                "PagerConfig", "web-a", "{type: tenant, namespace: web, team: a}", "{host: w}"));

    Snapshot next = first.next(after);

    assertThat(next.memo().changed()).isEqualTo(1);
    assertThat(next.destinationsFor("shop")).isSameAs(first.destinationsFor("shop"));
    assertEqualsFullBuild(next, after.objects());
  }

  /** A global receiver selecting the admin's config by label, beside BASE's tenants. */
  private static final String ADMIN_SELECTING =
      receiver(
              "PagerReceiver",
              "ops",
              "{type: global}",
              "{to: ops, pagerConfigSelector: {matchLabels: {team: ops}}}")
          + tenant("shop-pager", "shop")
          + tenant("web-pager", "web")
          + config("d", "{type: default}")
          + receiver("PagerConfig", "ops-a", "{team: ops}", "{host: a}");

  /** {@code before}'s objects with the admin's config ops-a given these labels and spec. */
  private static List<ConfigObject> withOpsA(ConfigSet before, String labels, String spec) {
    return replaced(before, "PagerConfig/ops-a", receiver("PagerConfig", "ops-a", labels, spec));
  }

  @Test
  void aChangedAdminConfigIsAppliedInPlaceToTheGlobalReceiversThatSelectIt() {
    ConfigSet before = Fixtures.yaml(ADMIN_SELECTING);
    Snapshot first = built(before);
    List<ConfigObject> objects = withOpsA(before, "{team: ops}", "{host: b}");

    Snapshot next = first.next(ConfigSet.of(objects));

    assertThat(next.memo().changed()).isEqualTo(1);
    assertThat(next.problems()).isSameAs(first.problems());
    assertThat(next.destinationsFor(null))
        .singleElement()
        .satisfies(d -> assertThat(String.valueOf(d.configSpec())).contains("b"));
    assertThat(next.destinationsFor("shop"))
        .filteredOn(d -> d.receiver().name().equals("ops"))
        .singleElement()
        .isSameAs(next.destinationsFor(null).get(0));
    Map<String, Destination> now = byReceiver(next);
    for (String tenantReceiver : List.of("PagerReceiver/shop-pager", "PagerReceiver/web-pager")) {
      assertThat(now.get(tenantReceiver)).isSameAs(byReceiver(first).get(tenantReceiver));
    }
    assertEqualsFullBuild(next, objects);
  }

  @Test
  void anAdminConfigNoGlobalReceiverSelectsIsAppliedInPlaceAndChangesNoDestination() {
    ConfigSet before = Fixtures.yaml(ADMIN_SELECTING);
    Snapshot first = built(before);
    ConfigSet after = plus(before, receiver("PagerConfig", "dev-a", "{team: dev}", "{host: d}"));

    Snapshot next = first.next(after);

    assertThat(next.memo().changed()).isEqualTo(1);
    assertThat(next.destinations()).isEqualTo(first.destinations());
    for (String ns : List.of("shop", "web")) {
      assertThat(next.destinationsFor(ns)).as(ns).isSameAs(first.destinationsFor(ns));
    }
    assertEqualsFullBuild(next, after.objects());
  }

  @Test
  void anAdminConfigAGlobalReceiverNoLongerMatchesTakesABuildThatReportsIt() {
    ConfigSet before = Fixtures.yaml(ADMIN_SELECTING);
    Snapshot first = built(before);
    List<ConfigObject> objects = withOpsA(before, "{team: elsewhere}", "{host: a}");

    Snapshot next = first.next(ConfigSet.of(objects));

    // ops's selector now matches nothing, a notice of its own: a build places it.
    assertThat(next.memo().changed()).isZero();
    assertThat(next.problems())
        .anySatisfy(p -> assertThat(p.toString()).contains("selector matched nothing"));
    assertEqualsFullBuild(next, objects);
  }

  @Test
  void aRemovedConfigAReceiverUsedTakesABuild() {
    ConfigSet before = Fixtures.yaml(SELECTING);
    Snapshot first = built(before);
    List<ConfigObject> withoutShopA = new ArrayList<>(before.objects());
    withoutShopA.removeIf(o -> o.ref().toString().equals("PagerConfig/shop-a"));

    // shop's receiver now matches nothing, a notice of its own: a build places it.
    Snapshot removed = first.next(ConfigSet.of(withoutShopA));

    assertThat(removed.memo().changed()).isZero();
    assertEqualsFullBuild(removed, withoutShopA);
  }

  /** SELECTING with a tenant receiver whose selector matches nothing: it takes the default. */
  private static final String DEFAULTED =
      SELECTING
          + receiver(
              "PagerReceiver",
              "db-pager",
              "{type: tenant, namespace: db}",
              "{to: db, pagerConfigSelector: {matchLabels: {team: nobody}}}");

  private static List<ConfigObject> withDefault(ConfigSet before, String labels, String spec) {
    return replaced(before, "PagerConfig/d", receiver("PagerConfig", "d", labels, spec));
  }

  @Test
  void anEditedDefaultConfigIsBoundInPlaceToTheReceiversThatTookItAndNoOthers() {
    ConfigSet before = Fixtures.yaml(DEFAULTED);
    Snapshot first = built(before);
    List<ConfigObject> objects = withDefault(before, "{type: default}", "{host: x}");

    Snapshot next = first.next(ConfigSet.of(objects));

    // Read once, and not one receiver resolved again: the memo holds the default's reading alone.
    assertThat(next.memo().changed()).isEqualTo(1);
    assertThat(next.memo().resolutions()).isEqualTo(first.memo().resolutions());
    // db-pager's notice ("selector matched nothing; using default PagerConfig/d") holds as it was.
    assertThat(next.problems()).isSameAs(first.problems());
    Map<String, Destination> was = byReceiver(first);
    Map<String, Destination> now = byReceiver(next);
    for (String tookDefault :
        List.of("PagerReceiver/ops", "PagerReceiver/web-pager", "PagerReceiver/db-pager")) {
      assertThat(now.get(tookDefault).config()).as(tookDefault).hasToString("PagerConfig/d");
      assertThat(String.valueOf(now.get(tookDefault).configSpec())).as(tookDefault).contains("x");
      assertThat(now.get(tookDefault).rendering())
          .as(tookDefault)
          .isSameAs(was.get(tookDefault).rendering());
    }
    assertThat(now.get("PagerReceiver/shop-pager")).isSameAs(was.get("PagerReceiver/shop-pager"));
    assertThat(next.destinationsFor("shop"))
        .filteredOn(d -> d.receiver().name().equals("ops"))
        .singleElement()
        .isSameAs(now.get("PagerReceiver/ops"));
    assertEqualsFullBuild(next, objects);
  }

  @Test
  void aNamespaceRoutedBeforeItsTenantsDefaultIsEditedInPlaceReachesTheEditedDefaultAfter() {
    // No global receiver takes the default, yet the merge routing kept for web holds the
    // destination bound to the default before: the change has to make it be merged again.
    ConfigSet before = Fixtures.yaml(tenant("web-pager", "web") + config("d", "{type: default}"));
    Snapshot first = built(before);
    assertThat(first.destinationsFor("web"))
        .filteredOn(d -> d.receiver().name().equals("web-pager"))
        .singleElement()
        .satisfies(d -> assertThat(String.valueOf(d.configSpec())).doesNotContain("x"));
    List<ConfigObject> objects = withDefault(before, "{type: default}", "{host: x}");

    Snapshot next = first.next(ConfigSet.of(objects));

    assertThat(next.memo().changed()).isEqualTo(1);
    assertThat(next.destinationsFor("web"))
        .filteredOn(d -> d.receiver().name().equals("web-pager"))
        .singleElement()
        .isSameAs(byReceiver(next).get("PagerReceiver/web-pager"))
        .satisfies(d -> assertThat(String.valueOf(d.configSpec())).contains("x"));
    assertEqualsFullBuild(next, objects);
  }

  @Test
  void aDefaultEditedInPlaceKeepsEveryNamespaceWhileEachSnapshotRoutesToItsOwnDefault() {
    ConfigSet before = Fixtures.yaml(DEFAULTED);
    Snapshot first = built(before);
    List<String> namespaces = List.of("shop", "web", "db");
    Map<String, List<Destination>> routedBefore = new HashMap<>();
    namespaces.forEach(ns -> routedBefore.put(ns, first.destinationsFor(ns)));
    List<ConfigObject> objects = withDefault(before, "{type: default}", "{host: edited-host}");

    Snapshot next = first.next(ConfigSet.of(objects));

    assertThat(next.memo().changed()).isEqualTo(1);
    for (String ns : namespaces) {
      // The receivers keep their slots: the namespace is the same holder in both snapshots.
      assertThat(next.tables().byNamespace().get(ns))
          .as(ns)
          .isNotNull()
          .isSameAs(first.tables().byNamespace().get(ns));
    }
    // Read in turn, each snapshot keeps routing to the default it was made with.
    for (int read = 0; read < 2; read++) {
      for (String ns : namespaces) {
        assertThat(first.destinationsFor(ns)).as(ns).isEqualTo(routedBefore.get(ns));
        assertThat(configSpecs(first.destinationsFor(ns))).as(ns).doesNotContain("edited-host");
        assertThat(next.destinationsFor(ns))
            .as(ns)
            .containsExactlyElementsOf(destinationsOf(next, routedBefore.get(ns)));
        assertThat(next.destinationsFor(ns))
            .as(ns)
            .filteredOn(d -> !d.receiver().name().equals("shop-pager"))
            .allSatisfy(d -> assertThat(String.valueOf(d.configSpec())).contains("edited-host"));
      }
    }
    assertEqualsFullBuild(next, objects);
  }

  @Test
  void aDefaultEditedInPlaceInUserModeKeepsEveryNamespaceWhileEachSnapshotRoutesToItsOwnDefault() {
    ConfigSet before =
        Fixtures.yaml(
            aliceInShopYaml(
                roleBinding("web-alice", "web", "alice") + roleBinding("web-bob", "web", "bob")));
    Snapshot first = built(before);
    assertThat(receivers(first.destinationsFor("web")))
        .containsExactly(
            "PagerReceiver/alice-pager", "PagerReceiver/bob-pager", "PagerReceiver/ops");
    List<List<Destination>> routedBefore =
        List.of(first.destinationsFor("shop"), first.destinationsFor("web"));
    List<ConfigObject> objects = withDefault(before, "{type: default}", "{host: edited-host}");

    Snapshot next = first.next(ConfigSet.of(objects));

    assertThat(next.memo().changed()).isEqualTo(1);
    for (String ns : List.of("shop", "web")) {
      assertThat(next.tables().byNamespace().get(ns))
          .as(ns)
          .isNotNull()
          .isSameAs(first.tables().byNamespace().get(ns));
      assertThat(next.destinationsFor(ns))
          .as(ns)
          .isNotEmpty()
          .allSatisfy(d -> assertThat(String.valueOf(d.configSpec())).contains("edited-host"));
      assertThat(configSpecs(first.destinationsFor(ns))).as(ns).doesNotContain("edited-host");
    }
    assertThat(first.destinationsFor("shop")).isEqualTo(routedBefore.get(0));
    assertThat(first.destinationsFor("web")).isEqualTo(routedBefore.get(1));
    assertEqualsFullBuild(next, objects);
  }

  @Test
  void aDefaultEditedInPlaceRebindsOnlyTheReceiversOfItsChannel() {
    // ChatReceiver sorts before PagerReceiver, zed-chat after: each takes the Chat default.
    ConfigSet before =
        Fixtures.yaml(
            DEFAULTED
                + receiver("ChatReceiver", "web-chat", "{type: tenant, namespace: web}", "{to: c}")
                + receiver("ChatReceiver", "zed-chat", "{type: global}", "{to: z}")
                + receiver("ChatConfig", "d", "{type: default}", "{}"));
    Snapshot first = built(before);
    List<ConfigObject> objects = withDefault(before, "{type: default}", "{host: edited-host}");

    Snapshot next = first.next(ConfigSet.of(objects));

    assertThat(next.memo().changed()).isEqualTo(1);
    Map<String, Destination> was = byReceiver(first);
    Map<String, Destination> now = byReceiver(next);
    for (String chat : List.of("ChatReceiver/web-chat", "ChatReceiver/zed-chat")) {
      assertThat(now.get(chat)).as(chat).isSameAs(was.get(chat));
    }
    for (String pager :
        List.of("PagerReceiver/ops", "PagerReceiver/web-pager", "PagerReceiver/db-pager")) {
      assertThat(String.valueOf(now.get(pager).configSpec())).as(pager).contains("edited-host");
    }
    assertThat(next.destinationsFor("web"))
        .extracting(d -> d.receiver().toString())
        .containsExactly(
            "ChatReceiver/web-chat",
            "ChatReceiver/zed-chat",
            "PagerReceiver/ops",
            "PagerReceiver/web-pager");
    assertEqualsFullBuild(next, objects);
  }

  /** The config specs of {@code destinations}, printed. */
  private static String configSpecs(List<Destination> destinations) {
    return destinations.stream().map(d -> String.valueOf(d.configSpec())).toList().toString();
  }

  /** The destinations of {@code snapshot} of the receivers of {@code destinations}, in order. */
  private static List<Destination> destinationsOf(
      Snapshot snapshot, List<Destination> destinations) {
    Map<String, Destination> now = byReceiver(snapshot);
    return destinations.stream().map(d -> now.get(d.receiver().toString())).toList();
  }

  @Test
  void aBuildAfterADefaultEditedInPlaceResolvesTheReceiversBoundToItAgainstTheNewDefault() {
    ConfigSet before = Fixtures.yaml(DEFAULTED);
    Snapshot edited =
        built(before).next(ConfigSet.of(withDefault(before, "{type: default}", "{host: x}")));
    assertThat(edited.memo().changed()).isEqualTo(1);
    // A receiver and a config changed together take a build, which reuses the memo where it holds.
    List<ConfigObject> objects =
        new ArrayList<>(withDefault(before, "{type: default}", "{host: y}"));
    objects.addAll(Fixtures.yaml(tenant("late-pager", "web")).objects());

    Snapshot next = edited.next(ConfigSet.of(objects));

    assertThat(next.memo().changed()).isZero();
    assertThat(byReceiver(next).get("PagerReceiver/web-pager").configSpec().toString())
        .contains("y");
    assertEqualsFullBuild(next, objects);
  }

  @Test
  void aDefaultConfigAddedRemovedRenamedOrRelabelledTakesABuild() {
    ConfigSet before = Fixtures.yaml(DEFAULTED);
    Snapshot first = built(before);
    List<ConfigObject> relabelled = withDefault(before, "{type: default, tier: gold}", "{}");
    List<ConfigObject> removed = new ArrayList<>(before.objects());
    removed.removeIf(o -> o.ref().toString().equals("PagerConfig/d"));
    List<ConfigObject> renamed = new ArrayList<>(removed);
    renamed.addAll(Fixtures.yaml(config("d2", "{type: default}")).objects());
    List<ConfigObject> second = new ArrayList<>(before.objects());
    second.addAll(Fixtures.yaml(config("d2", "{type: default}")).objects());
    List<ConfigObject> becameDefault =
        replaced(
            before,
            "PagerConfig/shop-a",
            receiver("PagerConfig", "shop-a", "{type: default}", "{host: a}"));

    for (List<ConfigObject> objects :
        List.of(relabelled, removed, renamed, second, becameDefault)) {
      Snapshot next = first.next(ConfigSet.of(objects));

      assertThat(next.memo().changed()).as(objects.toString()).isZero();
      assertEqualsFullBuild(next, objects);
    }
  }

  @Test
  void aDefaultConfigEditedBesideASecondDefaultTakesABuild() {
    ConfigSet before = plus(Fixtures.yaml(DEFAULTED), config("e", "{type: default}"));
    Snapshot first = built(before);
    assertThat(first.problems())
        .anySatisfy(p -> assertThat(p.toString()).contains("a second default"));
    List<ConfigObject> objects = withDefault(before, "{type: default}", "{host: x}");

    Snapshot next = first.next(ConfigSet.of(objects));

    assertThat(next.memo().changed()).isZero();
    assertEqualsFullBuild(next, objects);
  }

  @Test
  void aDefaultAndATenantConfigEditedTogetherAreAppliedInPlace() {
    ConfigSet before = Fixtures.yaml(DEFAULTED);
    Snapshot first = built(before);
    List<ConfigObject> objects =
        replaced(
            ConfigSet.of(withDefault(before, "{type: default}", "{host: x}")),
            "PagerConfig/shop-a",
            receiver(
                "PagerConfig", "shop-a", "{type: tenant, namespace: shop, team: a}", "{host: b}"));

    Snapshot next = first.next(ConfigSet.of(objects));

    assertThat(next.memo().changed()).isEqualTo(2);
    Map<String, Destination> now = byReceiver(next);
    assertThat(now.get("PagerReceiver/shop-pager").configSpec().toString()).contains("b");
    assertThat(now.get("PagerReceiver/web-pager").configSpec().toString()).contains("x");
    assertEqualsFullBuild(next, objects);
  }

  @Test
  void aGlobalReceiverAddedBesideRoutingStagesIsAppliedInPlaceAndRoutesAsAFullBuild() {
    Generated g = Generated.withSeed(7);
    ConfigObject added = Fixtures.yaml(global("zz-global")).objects().get(0);
    List<ConfigObject> objects = new ArrayList<>(g.set().objects());
    objects.add(added);

    Snapshot next = g.first().next(ConfigSet.of(objects));

    assertThat(next.stages()).isNotNull();
    assertThat(next.memo().changed()).isEqualTo(1);
    assertThat(next.destinationsFor("t1"))
        .extracting(d -> d.receiver().toString())
        .contains("PagerReceiver/zz-global");
    assertEqualsFullBuild(next, objects);
  }

  @Test
  void aTenantReceiverAddedBesideRoutingStagesIsAppliedInPlaceAndRoutesAsAFullBuild() {
    Generated g = Generated.withSeed(7);
    ConfigObject added = Fixtures.yaml(tenant("zz-added", "t1")).objects().get(0);
    List<ConfigObject> objects = new ArrayList<>(g.set().objects());
    objects.add(added);

    Snapshot next = g.first().next(ConfigSet.of(objects));

    assertThat(g.first().stages()).isNotNull();
    assertThat(next.stages()).isNotNull();
    assertThat(next.memo().changed()).isEqualTo(1); // applied in place: no build folded it
    assertThat(next.destinationsFor("t1"))
        .extracting(d -> d.receiver().toString())
        .contains("PagerReceiver/zz-added");
    assertEqualsFullBuild(next, objects);
  }

  @Test
  void anEqualObjectFromANewReadIsReusedLikeTheSameObject() {
    Snapshot first = Fixtures.snapshot(BASE);
    // A source that reads everything again (a directory, a relist) hands over equal objects.
    Snapshot next = first.next(Fixtures.yaml(BASE));
    Map<String, Destination> now = byReceiver(next);
    byReceiver(first).forEach((r, d) -> assertThat(now.get(r)).as(r).isSameAs(d));
  }

  @Test
  void aRotatedSecretChangesItsValueAndNoReceiversResolution() {
    String withSecret =
        BASE.replace(config("d", "{type: default}"), "")
            + Fixtures.defaultConfigWithToken("old-token");
    Snapshot first = Fixtures.snapshot(withSecret);
    Snapshot next =
        first.next(Fixtures.yaml(withSecret.replace(base64("old-token"), base64("new-token"))));

    SecretKeySelector token = new SecretKeySelector("sec", "token");
    assertThat(first.secrets().value(Owner.ADMIN, token).reveal()).isEqualTo("old-token");
    assertThat(next.secrets().value(Owner.ADMIN, token).reveal()).isEqualTo("new-token");
    Map<String, Destination> now = byReceiver(next);
    byReceiver(first).forEach((r, d) -> assertThat(now.get(r)).as(r).isSameAs(d));
  }

  @Test
  void aChangedTenantConfigReResolvesOnlyThatTenantsReceivers() {
    String tenantConfig =
        config("shop-config", "{type: tenant, namespace: shop}")
            .replace("spec: {}", "spec: {host: a.example}");
    String selecting =
        BASE.replace(
            tenant("shop-pager", "shop"),
            Fixtures.receiver(
                "PagerReceiver",
                "shop-pager",
                "{type: tenant, namespace: shop}",
                "{to: x, pagerConfigSelector: {matchLabels: {namespace: shop}}}"));
    Snapshot first = Fixtures.snapshot(selecting + tenantConfig);
    Snapshot next =
        first.next(Fixtures.yaml(selecting + tenantConfig.replace("a.example", "b.example")));

    Map<String, Destination> was = byReceiver(first);
    Map<String, Destination> now = byReceiver(next);
    assertThat(now.get("PagerReceiver/shop-pager"))
        .isNotSameAs(was.get("PagerReceiver/shop-pager"));
    assertThat(now.get("PagerReceiver/shop-pager").configSpec().toString()).contains("b.example");
    for (String other :
        List.of("PagerReceiver/ops", "PagerReceiver/web-pager", "PagerReceiver/db-pager")) {
      assertThat(now.get(other)).as(other).isSameAs(was.get(other));
    }
  }

  @Test
  void changedSettingsResolveEveryReceiverAgain() {
    Snapshot first = Fixtures.snapshot(BASE);
    Snapshot next =
        first.next(
            Fixtures.yaml(
                BASE
                    + "---\napiVersion: notification.kubesphere.io/v1alpha1\n"
                    + "kind: NotificationManager\nmetadata: {name: nm}\n"
                    + "spec: {template: {language: zh-cn}}\n"));
    Map<String, Destination> now = byReceiver(next);
    byReceiver(first).forEach((r, d) -> assertThat(now.get(r)).as(r).isNotSameAs(d));
  }

  @Test
  void anEmptySnapshotHasNoBuildToContinue() {
    assertThatThrownBy(() -> Snapshot.empty().next(ConfigSet.EMPTY))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aReceiverCreatedThroughTheAdminApiDoesNotResolveOtherTenantsAgain() {
    InMemoryConfigSource store = new InMemoryConfigSource();
    store.putAll(Fixtures.yaml(BASE).objects());
    try (NotificationManager manager =
            NotificationManager.builder()
                .discoverChannels(false)
                .channel(new PagerChannelProvider())
                .configSource(store)
                .build();
        AdminService admin = AdminService.builder().store(store).manager(manager).build()) {
      Map<String, Destination> was = byReceiver(manager.snapshot());
      admin.create(
          new Caller("sam", Set.of("ns:shop")),
          "pagerreceivers",
          Fixtures.yaml(Fixtures.receiver("PagerReceiver", "shop-new", "{}", "{to: x}"))
              .objects()
              .get(0));

      Map<String, Destination> now = byReceiver(manager.snapshot());
      assertThat(now).containsKey("PagerReceiver/shop-new");
      was.forEach((r, d) -> assertThat(now.get(r)).as(r).isSameAs(d));
    }
  }

  @Test
  void aFileAddedToAWatchedDirectoryDoesNotResolveTheOtherFilesReceiversAgain(@TempDir Path dir)
      throws IOException {
    Files.writeString(dir.resolve("base.yaml"), BASE);
    try (FileConfigSource source = FileConfigSource.of(dir, Duration.ofMillis(50));
        NotificationManager manager =
            NotificationManager.builder()
                .discoverChannels(false)
                .channel(new PagerChannelProvider())
                .configSource(source)
                .build()) {
      Map<String, Destination> was = byReceiver(manager.snapshot());
      Files.writeString(dir.resolve("more.yaml"), tenant("web-second", "web"));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> byReceiver(manager.snapshot()).containsKey("PagerReceiver/web-second"));

      Map<String, Destination> now = byReceiver(manager.snapshot());
      was.forEach((r, d) -> assertThat(now.get(r)).as(r).isSameAs(d));
    }
  }

  private static String roleBinding(String name, String ns, String user) {
    return Fixtures.roleBinding(name, ns, "[{kind: User, name: " + user + "}]");
  }

  /** A memory source in user mode: alice's and bob's receivers, alice bound in shop. */
  private static InMemoryConfigSource aliceInShop(String more) {
    InMemoryConfigSource source = new InMemoryConfigSource();
    source.putAll(Fixtures.yaml(aliceInShopYaml(more)).objects());
    return source;
  }

  /**
   * User mode: a global receiver, alice's and bob's receivers, a default config, alice bound in
   * shop, and {@code more}.
   */
  private static String aliceInShopYaml(String more) {
    return Fixtures.USER_MODE
        + global("ops")
        + tenant("alice-pager", "alice", "user")
        + tenant("bob-pager", "bob", "user")
        + config("d", "{type: default}")
        + roleBinding("shop-alice", "shop", "alice")
        + more;
  }

  private static NotificationManager managerOf(InMemoryConfigSource source) {
    return NotificationManager.builder()
        .discoverChannels(false)
        .channel(new PagerChannelProvider())
        .configSource(source)
        .build();
  }

  @Test
  void aRoleBindingAddedToTheMemorySourceRederivesOnlyItsNamespace() {
    InMemoryConfigSource source = aliceInShop(roleBinding("web-bob", "web", "bob"));
    try (NotificationManager manager = managerOf(source)) {
      Snapshot first = manager.snapshot();
      List<Destination> web = first.destinationsFor("web");

      source.put(Fixtures.yaml(roleBinding("db-alice", "db", "alice")).objects().get(0));

      Snapshot next = manager.snapshot();
      assertThat(next).isNotSameAs(first);
      assertThat(next.destinationsFor("db"))
          .extracting(d -> d.receiver().toString())
          .containsExactly("PagerReceiver/alice-pager", "PagerReceiver/ops");
      assertThat(next.destinationsFor("web")).isSameAs(web);
      assertThat(next.destinations()).isSameAs(first.destinations());
      assertThat(next.problems()).isSameAs(first.problems());
    }
  }

  @Test
  void aRoleBindingRemovedFromTheMemorySourceLeavesItsNamespaceTheGlobalReceivers() {
    InMemoryConfigSource source = aliceInShop("");
    try (NotificationManager manager = managerOf(source)) {
      source.remove("RoleBinding", "shop-alice");

      assertThat(manager.snapshot().destinationsFor("shop"))
          .extracting(d -> d.receiver().toString())
          .containsExactly("PagerReceiver/ops");
    }
  }

  @Test
  void aSecretRotatedInTheMemorySourceSharesEverythingButTheSecret() {
    String withSecret =
        BASE.replace(config("d", "{type: default}"), "")
            + Fixtures.defaultConfigWithToken("old-token");
    InMemoryConfigSource source = new InMemoryConfigSource();
    source.putAll(Fixtures.yaml(withSecret).objects());
    try (NotificationManager manager = managerOf(source)) {
      Snapshot first = manager.snapshot();

      source.put(
          Fixtures.yaml(Fixtures.secret("sec", "token", base64("new-token"))).objects().get(0));

      Snapshot next = manager.snapshot();
      SecretKeySelector token = new SecretKeySelector("sec", "token");
      assertThat(next.secrets().value(Owner.ADMIN, token).reveal()).isEqualTo("new-token");
      assertThat(first.secrets().value(Owner.ADMIN, token).reveal()).isEqualTo("old-token");
      assertThat(next.destinations()).isSameAs(first.destinations());
      assertThat(next.destinationsFor("shop")).isSameAs(first.destinationsFor("shop"));
      assertThat(next.problems()).isSameAs(first.problems());
    }
  }

  @Test
  void aSecretGainingAKeyIsBuiltAgainAndItsReferencesResolve() {
    String referencing =
        BASE.replace(config("d", "{type: default}"), "")
            + Fixtures.secret("sec", "other", base64("x"))
            + receiver("PagerConfig", "d", "{type: default}", "{token: {name: sec, key: token}}");
    Snapshot first = Fixtures.snapshot(referencing);
    assertThat(first.problems()).anyMatch(p -> p.message().contains("has no key \"token\""));

    Snapshot next =
        first.next(
            Fixtures.yaml(
                referencing.replace(
                    Fixtures.secret("sec", "other", base64("x")),
                    Fixtures.secret("sec", "token", base64("x")))));

    assertThat(next.problems()).noneMatch(p -> p.message().contains("has no key"));
  }

  @Test
  void aChangedRouterRebuildsOnlyTheRoutingStagesOnTheSameReceiverTablesReadingOnlyItself() {
    Generated generated = Generated.withSeed(5);
    IncrementalSnapshotPropertyTest.Generator gen = generated.gen();
    Map<ObjectRef, ConfigObject> objects = generated.objects();
    ConfigSet set = generated.set();
    Snapshot first = generated.first();
    ConfigObject router = gen.router("router0");
    ConfigObject old = objects.put(router.ref(), router);

    Snapshot next =
        first.next(
            ConfigSet.following(
                set, new ArrayList<>(objects.values()), List.of(), List.of(old), List.of(router)));

    Snapshot.Staging before = Objects.requireNonNull(first.basis().staging());
    Snapshot.Staging after = Objects.requireNonNull(next.basis().staging());
    assertThat(after.receivers()).isSameAs(before.receivers());
    assertThat(Objects.requireNonNull(next.stages()).receivers()).isSameAs(before.receivers());
    assertThat(next.stages()).isNotSameAs(first.stages());
    assertThat(after.readings()).hasSameSizeAs(before.readings());
    for (int i = 0; i < after.readings().size(); i++) {
      V2beta2Objects.Reading reading = after.readings().get(i);
      if (reading.object() == router) {
        assertThat(reading).isNotSameAs(before.readings().get(i));
      } else {
        assertThat(reading).isSameAs(before.readings().get(i));
      }
    }
    assertThat(next.destinations()).isSameAs(first.destinations());
    assertThat(next.destinationsFor("t1")).isSameAs(first.destinationsFor("t1"));
    assertEqualsFullBuild(next, new ArrayList<>(objects.values()));
  }

  @Test
  void anAddedSilenceTakesItsPlaceInTheSetsOrderAndKeepsEveryOtherReading() {
    Generated generated = Generated.withSeed(9);
    ConfigSet set = generated.set();
    Snapshot first = generated.first();
    ConfigObject silence = generated.gen().silence("silence-new");
    // First in the set, so before every v2beta2 object read before: its problems come first too.
    List<ConfigObject> withSilence = new ArrayList<>();
    withSilence.add(silence);
    withSilence.addAll(set.objects());

    Snapshot next =
        first.next(ConfigSet.following(set, withSilence, List.of(), List.of(), List.of(silence)));

    Snapshot.Staging before = Objects.requireNonNull(first.basis().staging());
    Snapshot.Staging after = Objects.requireNonNull(next.basis().staging());
    assertThat(after.receivers()).isSameAs(before.receivers());
    assertThat(after.readings().get(0).object()).isSameAs(silence);
    assertThat(after.readings().subList(1, after.readings().size()))
        .containsExactlyElementsOf(before.readings());
    assertEqualsFullBuild(next, withSilence);
  }

  @Test
  void aRemovedRouterDropsOnlyItsReading() {
    Generated generated = Generated.withSeed(11);
    Map<ObjectRef, ConfigObject> objects = generated.objects();
    ConfigObject router = objects.remove(new ObjectRef("Router", "router0"));

    Snapshot next =
        generated
            .first()
            .next(
                ConfigSet.following(
                    generated.set(),
                    new ArrayList<>(objects.values()),
                    List.of(),
                    List.of(router),
                    List.of()));

    List<V2beta2Objects.Reading> kept =
        new ArrayList<>(Objects.requireNonNull(generated.first().basis().staging()).readings());
    kept.removeIf(r -> r.object() == router);
    assertThat(Objects.requireNonNull(next.basis().staging()).readings())
        .containsExactlyElementsOf(kept);
    assertEqualsFullBuild(next, new ArrayList<>(objects.values()));
  }

  @Test
  void aRouterAddedUnderAnExistingNameIsReportedDefinedTwiceAsAFullBuildReportsIt() {
    Generated generated = Generated.withSeed(5);
    IncrementalSnapshotPropertyTest.Generator gen = generated.gen();
    ConfigSet set = generated.set();
    Snapshot first = generated.first();
    List<ConfigObject> routerTwice = new ArrayList<>(set.objects());
    ConfigObject second = gen.router("router0");
    routerTwice.add(second);

    Snapshot next =
        first.next(ConfigSet.following(set, routerTwice, List.of(), List.of(), List.of(second)));

    assertThat(next.problems())
        .anyMatch(p -> p.object().contains("router0") && p.message().startsWith("defined twice"));
    assertEqualsFullBuild(next, routerTwice);
  }

  @Test
  void aSilenceOutsideTheNamespaceStaysIgnoredWhenARouterChangesInPlace() {
    IncrementalSnapshotPropertyTest.Generator gen =
        new IncrementalSnapshotPropertyTest.Generator(new Random(5), new Random(~5L), true);
    Map<ObjectRef, ConfigObject> objects = gen.configuration();
    ConfigObject elsewhere =
        Fixtures.yaml(
                "apiVersion: notification.kubesphere.io/v2beta2\nkind: Silence\n"
                    + "metadata: {name: mute-all, namespace: elsewhere, labels: {type: global}}\n"
                    + "spec:\n  matcher: {}\n")
            .objects()
            .get(0);
    objects.put(elsewhere.ref(), elsewhere);
    ConfigSet set = IncrementalSnapshotPropertyTest.set(objects);
    Snapshot first = IncrementalSnapshotPropertyTest.full(set);
    ConfigObject router = gen.router("router0");
    ConfigObject old = objects.put(router.ref(), router);

    Snapshot next =
        first.next(
            ConfigSet.following(
                set, new ArrayList<>(objects.values()), List.of(), List.of(old), List.of(router)));

    assertEqualsFullBuild(next, new ArrayList<>(objects.values()));
  }

  @Test
  void reorderingAnObjectDefinedTwiceUsesTheNewFirstAsAFullBuildDoes() {
    ConfigObject inShop = Fixtures.yaml(tenant("pager", "shop")).objects().get(0);
    ConfigObject inWeb = Fixtures.yaml(tenant("pager", "web")).objects().get(0);
    List<ConfigObject> common =
        Fixtures.yaml(global("ops") + config("d", "{type: default}")).objects();
    List<ConfigObject> shopFirst = new ArrayList<>(List.of(inShop));
    shopFirst.addAll(common);
    shopFirst.add(inWeb);
    List<ConfigObject> webFirst = new ArrayList<>(List.of(inWeb));
    webFirst.addAll(common);
    webFirst.add(inShop);
    Snapshot first =
        Snapshot.build(
            ConfigSet.of(shopFirst),
            Fixtures.CHANNELS,
            NotificationManager.DEFAULT_NAMESPACE,
            null);

    Snapshot next = first.next(ConfigSet.of(webFirst));

    assertThat(next.destinationsFor("web"))
        .extracting(d -> d.receiver().toString())
        .contains("PagerReceiver/pager");
    assertThat(next.destinationsFor("shop"))
        .extracting(d -> d.receiver().toString())
        .doesNotContain("PagerReceiver/pager");
  }

  @Test
  void movingAnObjectWithAProblemReportsTheProblemsInTheNewOrderAsAFullBuildDoes() {
    List<ConfigObject> objects =
        new ArrayList<>(
            Fixtures.yaml(
                    BASE
                        + receiver(
                            "PagerReceiver", "shop-bad", "{type: tenant, namespace: shop}", "{}")
                        + receiver(
                            "PagerReceiver", "web-bad", "{type: tenant, namespace: web}", "{}"))
                .objects());
    Snapshot first = built(ConfigSet.of(objects));
    assertThat(first.problems()).hasSize(2);

    List<ConfigObject> moved = new ArrayList<>(objects);
    moved.add(moved.remove(moved.size() - 2));
    Snapshot next = first.next(ConfigSet.of(moved));

    assertEqualsFullBuild(next, moved);
  }

  @Test
  void editingOneReceiverOverAndOverKeepsOneResolutionOfItInTheMemo() {
    ConfigSet set = Fixtures.yaml(BASE);
    Snapshot s =
        Snapshot.build(set, Fixtures.CHANNELS, NotificationManager.DEFAULT_NAMESPACE, null);
    int atBuild = s.memo().resolutions();
    List<ConfigObject> objects = new ArrayList<>(set.objects());
    int at = -1;
    for (int i = 0; i < objects.size(); i++) {
      if (objects.get(i).ref().toString().equals("PagerReceiver/shop-pager")) {
        at = i;
      }
    }
    for (int i = 0; i < 500; i++) {
      objects.set(
          at,
          Fixtures.yaml(
                  receiver(
                      "PagerReceiver",
                      "shop-pager",
                      "{type: tenant, namespace: shop}",
                      "{to: shop-" + i + "}"))
              .objects()
              .get(0));
      s = s.next(ConfigSet.of(List.copyOf(objects)));
    }
    // Each edit was applied in place (no build folded the overlay), and the overlay holds only the
    // receiver's latest version.
    assertThat(s.memo().changed()).isEqualTo(1);
    assertThat(s.memo().resolutions()).isEqualTo(atBuild + 1);
    assertEqualsFullBuild(s, objects);
  }

  /**
   * v2beta2 objects of two tenants, with a router naming {@code shop-new} (not there yet) and each
   * tenant's own pager config.
   */
  private static final String V2_BASE =
      V2beta2RoutingTest.settings("All")
          + V2beta2RoutingTest.globalReceiver("ops", "pager: {to: ops}")
          + V2beta2RoutingTest.tenantReceiver("shop-pager", "shop", "pager: {to: shop}")
          + V2beta2RoutingTest.tenantReceiver("web-pager", "web", "pager: {to: web}")
          + V2beta2RoutingTest.defaultConfig("d")
          + V2beta2RoutingTest.object(
              "Config", "shop-own", "{type: tenant, namespace: shop, team: gold}", "  pager: {}")
          + V2beta2RoutingTest.object(
              "Config", "web-own", "{type: tenant, namespace: web, team: gold}", "  pager: {}")
          + V2beta2RoutingTest.object(
              "Router",
              "to-new",
              "{}",
              "  alertSelector: {matchLabels: {alertname: B}}\n  receivers:\n    name: [shop-new]");

  private static ConfigObject v2(String yaml) {
    return Fixtures.yaml(yaml).objects().get(0);
  }

  /** {@code set} with {@code added} in place of the object of the same reference, or at its end. */
  private static Snapshot changed(Snapshot first, ConfigSet set, ConfigObject added) {
    List<ConfigObject> objects = new ArrayList<>();
    List<ConfigObject> removed = new ArrayList<>();
    for (ConfigObject o : set.objects()) {
      if (o.ref().equals(added.ref())) {
        removed.add(o);
        objects.add(added);
      } else {
        objects.add(o);
      }
    }
    if (removed.isEmpty()) {
      objects.add(added);
    }
    return first.next(ConfigSet.following(set, objects, List.of(), removed, List.of(added)));
  }

  @Test
  void aTenantV2beta2ReceiverAddedInPlaceKeepsEveryOtherNamespaceAndReadingAndIsRouted() {
    ConfigSet set = Fixtures.yaml(V2_BASE);
    Snapshot first = IncrementalSnapshotPropertyTest.full(set);
    ConfigObject added =
        v2(
            V2beta2RoutingTest.tenantReceiver(
                "shop-new",
                "shop",
                "pager: {to: new, pagerConfigSelector: {matchLabels: {team: gold}},"
                    + " alertSelector: {matchLabels: {alertname: B}}}"));

    Snapshot next = changed(first, set, added);

    assertThat(next.basis().resolving()).isSameAs(first.basis().resolving());
    assertThat(next.memo()).isSameAs(first.memo());
    assertThat(next.destinationsFor("web")).isSameAs(first.destinationsFor("web"));
    assertThat(next.destinationsFor(null)).isSameAs(first.destinationsFor(null));
    Destination shopNew =
        next.destinationsFor("shop").stream()
            .filter(d -> d.receiver().toString().equals("Receiver/shop-new[pager]"))
            .findFirst()
            .orElseThrow();
    assertThat(String.valueOf(shopNew.config())).isEqualTo("Config/shop-own[pager]");
    List<V2beta2Objects.Reading> before =
        Objects.requireNonNull(first.basis().staging()).readings();
    List<V2beta2Objects.Reading> after = Objects.requireNonNull(next.basis().staging()).readings();
    assertThat(after.subList(0, before.size())).containsExactlyElementsOf(before);
    assertThat(after.get(before.size()).object()).isSameAs(added);
    assertThat(next.route(AlertBatch.of(List.of(Alert.firing(Map.of("alertname", "B"))))).routers())
        .isNotEmpty();
    assertEqualsFullBuild(next, next.basis().objects());
  }

  @Test
  void aTenantV2beta2ReceiverChangedThenRemovedInPlaceKeepsItsSlotThenLeavesIt() {
    ConfigSet set = Fixtures.yaml(V2_BASE);
    Snapshot first = IncrementalSnapshotPropertyTest.full(set);
    ConfigObject disabled =
        v2(
            V2beta2RoutingTest.tenantReceiver(
                "shop-pager", "shop", "pager: {to: shop, enabled: false}"));

    Snapshot changed = changed(first, set, disabled);

    assertThat(changed.basis().resolving()).isSameAs(first.basis().resolving());
    assertThat(changed.tables().slots().slotOf(new ObjectRef("Receiver", "shop-pager[pager]")))
        .isEqualTo(first.tables().slots().slotOf(new ObjectRef("Receiver", "shop-pager[pager]")));
    assertThat(changed.stages()).isNotNull();
    assertEqualsFullBuild(changed, changed.basis().objects());

    List<ConfigObject> without = new ArrayList<>(changed.basis().objects());
    without.remove(disabled);
    Snapshot removed =
        changed.next(
            ConfigSet.following(
                ConfigSet.of(changed.basis().objects()),
                without,
                List.of(),
                List.of(disabled),
                List.of()));

    assertThat(removed.basis().resolving()).isSameAs(first.basis().resolving());
    assertThat(removed.tables().slots().empty()).isEqualTo(1);
    assertThat(removed.destinationsFor("shop"))
        .extracting(d -> d.receiver().toString())
        .doesNotContain("Receiver/shop-pager[pager]");
    assertEqualsFullBuild(removed, without);
  }

  @Test
  void aTenantV2beta2ReceiverSelectingAnotherTenantsConfigTakesABuildAndNeverGetsIt() {
    ConfigSet set = Fixtures.yaml(V2_BASE);
    Snapshot first = IncrementalSnapshotPropertyTest.full(set);
    ConfigObject hostile =
        v2(
            V2beta2RoutingTest.tenantReceiver(
                "shop-pager",
                "shop",
                "pager: {to: shop, pagerConfigSelector: {matchLabels: {namespace: web}}}"));

    Snapshot next = changed(first, set, hostile);

    // Its selector matches none of its own tenant's configs: a notice a build places.
    assertThat(next.basis().resolving()).isNotSameAs(first.basis().resolving());
    assertThat(next.destinationsFor("shop"))
        .filteredOn(d -> d.receiver().toString().equals("Receiver/shop-pager[pager]"))
        .extracting(d -> String.valueOf(d.config()))
        .containsExactly("Config/d[pager]");
    assertEqualsFullBuild(next, next.basis().objects());
  }

  @Test
  void aGlobalV2beta2ReceiverAddedChangedOrMovedToATenantIsAppliedInPlaceAsAFullBuildWouldBe() {
    ConfigSet set = Fixtures.yaml(V2_BASE);
    Snapshot first = IncrementalSnapshotPropertyTest.full(set);

    Snapshot added =
        changed(first, set, v2(V2beta2RoutingTest.globalReceiver("aa-ops", "pager: {to: aa}")));
    Snapshot global =
        changed(first, set, v2(V2beta2RoutingTest.globalReceiver("ops", "pager: {to: ops2}")));
    Snapshot moved =
        changed(
            first, set, v2(V2beta2RoutingTest.tenantReceiver("ops", "shop", "pager: {to: ops}")));

    for (Snapshot next : List.of(added, global, moved)) {
      assertThat(next.basis().resolving()).isSameAs(first.basis().resolving());
      assertThat(next.problems()).isSameAs(first.problems());
      assertEqualsFullBuild(next, next.basis().objects());
    }
    assertThat(added.destinationsFor("web"))
        .extracting(d -> d.receiver().toString())
        .containsExactly(
            "Receiver/aa-ops[pager]", "Receiver/ops[pager]", "Receiver/web-pager[pager]");
    assertThat(global.destinationsFor(null))
        .extracting(d -> d.receiver().toString())
        .containsExactly("Receiver/ops[pager]");
    assertThat(global.destinationsFor(null).get(0))
        .isNotEqualTo(first.destinationsFor(null).get(0));
    assertThat(moved.destinationsFor(null)).isEmpty();
    assertThat(moved.destinationsFor("web"))
        .extracting(d -> d.receiver().toString())
        .containsExactly("Receiver/web-pager[pager]");
    assertThat(moved.destinationsFor("shop"))
        .extracting(d -> d.receiver().toString())
        .containsExactly("Receiver/ops[pager]", "Receiver/shop-pager[pager]");
  }

  @ParameterizedTest(name = "user mode {0}")
  @ValueSource(booleans = {false, true})
  void aV2beta2ReceiverReachableOnlyThroughARouterIsChangedInPlaceAndNoNamespaceWithIt(
      boolean userMode) {
    ConfigSet set = Fixtures.yaml(v2Untenanted(userMode));
    Snapshot first = IncrementalSnapshotPropertyTest.full(set);
    AlertBatch b = AlertBatch.of(List.of(Alert.firing(Map.of("alertname", "B"))));

    Snapshot changed =
        changed(
            first,
            set,
            v2(V2beta2RoutingTest.object("Receiver", "routed", "{team: x}", "  pager: {to: r2}")));
    Snapshot added =
        changed(
            first,
            set,
            v2(
                V2beta2RoutingTest.object(
                    "Receiver", "aa-routed", "{team: x}", "  pager: {to: aa}")));
    Snapshot madeGlobal =
        changed(first, set, v2(V2beta2RoutingTest.globalReceiver("routed", "pager: {to: r}")));
    Snapshot globalMadeRouterOnly =
        changed(
            first,
            set,
            v2(V2beta2RoutingTest.object("Receiver", "ops", "{team: x}", "  pager: {to: ops}")));

    List<Snapshot> inPlace = List.of(changed, added, madeGlobal, globalMadeRouterOnly);
    for (int i = 0; i < inPlace.size(); i++) {
      Snapshot next = inPlace.get(i);
      assertThat(next.basis().resolving()).as("change %d", i).isSameAs(first.basis().resolving());
      assertThat(next.problems()).isSameAs(first.problems());
      assertEqualsFullBuild(next, next.basis().objects());
    }
    for (Snapshot next : List.of(changed, added)) {
      // In no namespace's targets, it leaves every namespace and the global targets as they were.
      for (String ns : List.of("t0", "t1")) {
        assertThat(next.tables().byNamespace().get(ns))
            .as(ns)
            .isSameAs(first.tables().byNamespace().get(ns));
      }
      assertThat(next.destinationsFor(null)).isSameAs(first.destinationsFor(null));
    }
    assertThat(changed.route(b).routes())
        .anySatisfy(
            r -> {
              assertThat(r.destination().receiver()).hasToString("Receiver/routed[pager]");
              assertThat(String.valueOf(r.destination().receiverSpec())).contains("r2");
            });
    // The snapshot before still routes to the receiver as it was.
    assertThat(first.route(b).routes())
        .anySatisfy(
            r -> {
              assertThat(r.destination().receiver()).hasToString("Receiver/routed[pager]");
              assertThat(String.valueOf(r.destination().receiverSpec())).doesNotContain("r2");
            });
    assertThat(receivers(madeGlobal.destinationsFor(null)))
        .containsExactly("Receiver/ops[pager]", "Receiver/routed[pager]");
    assertThat(receivers(globalMadeRouterOnly.destinationsFor(null))).isEmpty();
  }

  @Test
  void aGlobalReceiverChangedInPlaceLeavesEveryNamespacesTenantReceiversTheSameInstances() {
    ConfigSet v1 = Fixtures.yaml(BASE);
    Snapshot v1First = built(v1);
    ConfigSet v2 = Fixtures.yaml(V2_BASE);
    Snapshot v2First = IncrementalSnapshotPropertyTest.full(v2);

    Snapshot v1Added = v1First.next(plus(v1, global("aa-ops")));
    Snapshot v2Added =
        changed(v2First, v2, v2(V2beta2RoutingTest.globalReceiver("aa-ops", "pager: {to: aa}")));

    assertThat(v1Added.memo().changed()).isEqualTo(1);
    assertThat(v1Added.tables().byNamespace()).isSameAs(v1First.tables().byNamespace());
    assertThat(v1Added.tables().slotsOfTenant()).isSameAs(v1First.tables().slotsOfTenant());
    assertThat(v2Added.basis().resolving()).isSameAs(v2First.basis().resolving());
    assertThat(v2Added.tables().byNamespace()).isSameAs(v2First.tables().byNamespace());
    assertThat(v2Added.tables().slotsOfTenant()).isSameAs(v2First.tables().slotsOfTenant());
  }

  @Test
  void snapshotsSharingANamespaceEachRouteItWithTheirOwnGlobalReceivers() {
    ConfigSet before = Fixtures.yaml(BASE);
    Snapshot first = built(before);
    List<Destination> shopBefore = first.destinationsFor("shop");
    Snapshot next = first.next(plus(before, global("aa-ops")));

    // Read alternately, each snapshot's merge replaces the other's in the namespace they share.
    for (int i = 0; i < 2; i++) {
      assertThat(next.destinationsFor("shop"))
          .extracting(d -> d.receiver().toString())
          .containsExactly("PagerReceiver/aa-ops", "PagerReceiver/ops", "PagerReceiver/shop-pager");
      assertThat(first.destinationsFor("shop")).isEqualTo(shopBefore);
    }
    assertThat(next.destinationsFor("shop")).isSameAs(next.destinationsFor("shop"));
    assertThat(next.tables().byNamespace().get("shop"))
        .isSameAs(first.tables().byNamespace().get("shop"));
  }

  @Test
  void threadsReadingNamespacesOfSnapshotsWithDifferentGlobalReceiversEachGetTheirSnapshots()
      throws Exception {
    ConfigSet before = Fixtures.yaml(BASE);
    Snapshot first = built(before);
    Snapshot next = first.next(plus(before, global("aa-ops")));
    List<String> namespaces = List.of("shop", "web", "db", "nobody");
    Map<String, List<String>> expectedFirst = new HashMap<>();
    Map<String, List<String>> expectedNext = new HashMap<>();
    for (String ns : namespaces) {
      expectedFirst.put(ns, receivers(built(before).destinationsFor(ns)));
      expectedNext.put(ns, receivers(built(plus(before, global("aa-ops"))).destinationsFor(ns)));
    }
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> readers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        boolean firstFirst = t % 2 == 0;
        readers.add(
            threads.submit(
                () -> {
                  int mismatches = 0;
                  for (int i = 0; i < 2_000; i++) {
                    String ns = namespaces.get(i % namespaces.size());
                    Snapshot s = (i % 2 == 0) == firstFirst ? first : next;
                    Map<String, List<String>> expected = s == first ? expectedFirst : expectedNext;
                    mismatches += receivers(s.destinationsFor(ns)).equals(expected.get(ns)) ? 0 : 1;
                  }
                  return mismatches;
                }));
      }
      for (Future<Integer> reader : readers) {
        assertThat(reader.get(60, TimeUnit.SECONDS)).isZero();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  private static List<String> receivers(List<Destination> destinations) {
    return destinations.stream().map(d -> d.receiver().toString()).toList();
  }

  private static ConfigObject v2Config(String name, String labels, String pager) {
    return v2(V2beta2RoutingTest.object("Config", name, labels, "  pager: " + pager));
  }

  @Test
  void aTenantV2beta2ConfigChangedInPlaceResolvesOnlyItsTenantsReceiversAgain() {
    ConfigSet set = Fixtures.yaml(V2_BASE);
    Snapshot first = IncrementalSnapshotPropertyTest.full(set);
    ConfigObject changed =
        v2Config("shop-own", "{type: tenant, namespace: shop, team: gold}", "{host: changed}");

    Snapshot next = changed(first, set, changed);

    assertThat(next.basis().resolving()).isSameAs(first.basis().resolving());
    assertThat(next.problems()).isSameAs(first.problems());
    assertThat(next.destinationsFor("web")).isSameAs(first.destinationsFor("web"));
    assertThat(next.destinationsFor(null)).isSameAs(first.destinationsFor(null));
    assertThat(next.destinationsFor("shop"))
        .filteredOn(d -> d.receiver().toString().equals("Receiver/shop-pager[pager]"))
        .singleElement()
        .satisfies(d -> assertThat(String.valueOf(d.configSpec())).contains("changed"));
    assertEqualsFullBuild(next, next.basis().objects());
  }

  @Test
  void aV2beta2ConfigMovedToAnotherTenantIsAppliedInPlaceToBothTenants() {
    ConfigSet set = Fixtures.yaml(V2_BASE);
    Snapshot first = IncrementalSnapshotPropertyTest.full(set);
    ConfigObject moved = v2Config("shop-own", "{type: tenant, namespace: web}", "{}");

    Snapshot next = changed(first, set, moved);

    assertThat(next.basis().resolving()).isSameAs(first.basis().resolving());
    // shop has no Config of its own left: its receiver (no selector) takes the default; web's
    // receiver has two candidates now, and takes the first by name.
    assertThat(next.destinationsFor("shop"))
        .filteredOn(d -> d.receiver().toString().equals("Receiver/shop-pager[pager]"))
        .extracting(d -> String.valueOf(d.config()))
        .containsExactly("Config/d[pager]");
    assertThat(next.destinationsFor("web"))
        .filteredOn(d -> d.receiver().toString().equals("Receiver/web-pager[pager]"))
        .extracting(d -> String.valueOf(d.config()))
        .containsExactly("Config/shop-own[pager]");
    assertEqualsFullBuild(next, next.basis().objects());
  }

  @Test
  void aTenantV2beta2ConfigOfATenantWithoutReceiversIsCheckedAndAppliedInPlace() {
    ConfigSet set = Fixtures.yaml(V2_BASE);
    Snapshot first = IncrementalSnapshotPropertyTest.full(set);

    Snapshot next = changed(first, set, v2Config("db-own", "{type: tenant, namespace: db}", "{}"));

    assertThat(next.basis().resolving()).isSameAs(first.basis().resolving());
    assertThat(next.destinationsFor("shop")).isSameAs(first.destinationsFor("shop"));
    assertEqualsFullBuild(next, next.basis().objects());
  }

  /**
   * v2beta2 objects of two tenants (namespaces t0 and t1, or users alice and bob bound in them): a
   * global Receiver, t1's Receiver and a router-only one take the default {@code Config} d, t0's
   * Receiver takes t0's own {@code Config}; an admin's {@code Config} no one selects.
   */
  private static String v2Untenanted(boolean userMode) {
    String key = userMode ? "user" : "namespace";
    String t0 = userMode ? "alice" : "t0";
    String t1 = userMode ? "bob" : "t1";
    return V2beta2RoutingTest.settings("All")
        + (userMode
            ? "  receivers: {tenantKey: user}\n"
                + roleBinding("t0-alice", "t0", "alice")
                + roleBinding("t1-bob", "t1", "bob")
            : "")
        + V2beta2RoutingTest.globalReceiver("ops", "pager: {to: ops}")
        + V2beta2RoutingTest.object(
            "Receiver", "t0-pager", "{type: tenant, " + key + ": " + t0 + "}", "  pager: {to: t0}")
        + V2beta2RoutingTest.object(
            "Receiver", "t1-pager", "{type: tenant, " + key + ": " + t1 + "}", "  pager: {to: t1}")
        + V2beta2RoutingTest.object("Receiver", "routed", "{team: x}", "  pager: {to: routed}")
        + V2beta2RoutingTest.object(
            "Router",
            "to-routed",
            "{}",
            "  alertSelector: {matchLabels: {alertname: B}}\n  receivers:\n    name: [routed]")
        + V2beta2RoutingTest.defaultConfig("d")
        + V2beta2RoutingTest.object(
            "Config", "t0-own", "{type: tenant, " + key + ": " + t0 + "}", "  pager: {}")
        + V2beta2RoutingTest.object("Config", "admins", "{team: ops}", "  pager: {}");
  }

  private static ConfigObject editedDefault(String labels, String blocks) {
    return v2(V2beta2RoutingTest.object("Config", "d", labels, blocks));
  }

  @ParameterizedTest(name = "user mode {0}")
  @ValueSource(booleans = {false, true})
  void anEditedDefaultV2beta2ConfigIsBoundInPlaceToTheBlocksThatTookItAndNoOthers(
      boolean userMode) {
    ConfigSet set = Fixtures.yaml(v2Untenanted(userMode));
    Snapshot first = IncrementalSnapshotPropertyTest.full(set);
    Map<String, Destination> was = byReceiver(first);

    Snapshot next =
        changed(
            first, set, editedDefault("{type: default}", "  pager: {host: edited}\n  chat: {}"));

    // In place: nothing resolved again, the problems (the admin's notice) kept as they were.
    assertThat(next.basis().resolving()).isSameAs(first.basis().resolving());
    assertThat(next.memo()).isSameAs(first.memo());
    assertThat(next.problems()).isSameAs(first.problems());
    Map<String, Destination> now = byReceiver(next);
    for (String tookDefault :
        List.of("Receiver/ops[pager]", "Receiver/t1-pager[pager]", "Receiver/routed[pager]")) {
      assertThat(now.get(tookDefault).config()).as(tookDefault).hasToString("Config/d[pager]");
      assertThat(String.valueOf(now.get(tookDefault).configSpec()))
          .as(tookDefault)
          .contains("edited");
      assertThat(now.get(tookDefault).rendering())
          .as(tookDefault)
          .isSameAs(was.get(tookDefault).rendering());
      // The snapshot before keeps the default it was made with.
      assertThat(String.valueOf(byReceiver(first).get(tookDefault).configSpec()))
          .as(tookDefault)
          .doesNotContain("edited");
    }
    assertThat(now.get("Receiver/t0-pager[pager]")).isSameAs(was.get("Receiver/t0-pager[pager]"));
    for (String ns : List.of("t0", "t1")) {
      // The blocks keep their slots: each namespace is the same holder in both snapshots.
      assertThat(next.tables().byNamespace().get(ns))
          .as(ns)
          .isNotNull()
          .isSameAs(first.tables().byNamespace().get(ns));
    }
    assertThat(next.destinationsFor("t1"))
        .filteredOn(d -> d.receiver().toString().equals("Receiver/t1-pager[pager]"))
        .singleElement()
        .isSameAs(now.get("Receiver/t1-pager[pager]"));
    // The router reaches the router-only block bound to the edited default.
    assertThat(next.route(AlertBatch.of(List.of(Alert.firing(Map.of("alertname", "B"))))).routes())
        .anySatisfy(
            r -> {
              assertThat(r.destination().receiver()).hasToString("Receiver/routed[pager]");
              assertThat(String.valueOf(r.destination().configSpec())).contains("edited");
            });
    assertEqualsFullBuild(next, next.basis().objects());
  }

  @ParameterizedTest(name = "user mode {0}")
  @ValueSource(booleans = {false, true})
  void aDefaultV2beta2ConfigEditedAndPutAtTheSetsEndIsBoundInPlaceAsAFullBuildWouldBe(
      boolean userMode) {
    // A source that re-inserts what changed moves it to the end: a default has no problem to move.
    ConfigSet set = Fixtures.yaml(v2Untenanted(userMode));
    Snapshot first = IncrementalSnapshotPropertyTest.full(set);
    List<ConfigObject> objects = new ArrayList<>(set.objects());
    objects.removeIf(o -> o.ref().toString().equals("Config/d"));
    objects.add(editedDefault("{type: default}", "  pager: {host: edited}\n  chat: {}"));

    Snapshot next = first.next(ConfigSet.of(objects));

    assertThat(next.basis().resolving()).isSameAs(first.basis().resolving());
    assertThat(String.valueOf(byReceiver(next).get("Receiver/ops[pager]").configSpec()))
        .contains("edited");
    assertEqualsFullBuild(next, objects);
  }

  @ParameterizedTest(name = "user mode {0}")
  @ValueSource(booleans = {false, true})
  void anAdminsV2beta2ConfigEditedInPlaceKeepsItsNoticeAndEveryDestination(boolean userMode) {
    ConfigSet set = Fixtures.yaml(v2Untenanted(userMode));
    Snapshot first = IncrementalSnapshotPropertyTest.full(set);
    assertThat(Fixtures.problems(first))
        .anySatisfy(p -> assertThat(p).contains("Config/admins[pager]").contains("no receiver"));

    Snapshot next =
        changed(
            first,
            set,
            v2(
                V2beta2RoutingTest.object(
                    "Config", "admins", "{team: ops}", "  pager: {host: edited}")));

    assertThat(next.basis().resolving()).isSameAs(first.basis().resolving());
    assertThat(next.problems()).isSameAs(first.problems());
    assertThat(next.destinations()).hasSameSizeAs(first.destinations());
    for (int i = 0; i < first.destinations().size(); i++) {
      assertThat(next.destinations().get(i)).isSameAs(first.destinations().get(i));
    }
    assertThat(Objects.requireNonNull(next.basis().staging()).configs())
        .anySatisfy(
            c -> {
              assertThat(c.config().ref()).hasToString("Config/admins[pager]");
              assertThat(String.valueOf(c.config().spec())).contains("edited");
            });
    assertEqualsFullBuild(next, next.basis().objects());
  }

  @ParameterizedTest(name = "user mode {0}")
  @ValueSource(booleans = {false, true})
  void aDefaultOrAdminsV2beta2ConfigThatMayChangeWhatBlocksTakeOrReportTakesABuild(
      boolean userMode) {
    ConfigSet set = Fixtures.yaml(v2Untenanted(userMode));
    Snapshot first = IncrementalSnapshotPropertyTest.full(set);
    List<ConfigObject> withoutDefault = new ArrayList<>(set.objects());
    withoutDefault.removeIf(o -> o.ref().toString().equals("Config/d"));
    List<ConfigObject> adminsMoved = new ArrayList<>(set.objects());
    adminsMoved.removeIf(o -> o.ref().toString().equals("Config/admins"));
    adminsMoved.add(0, v2Config("admins", "{team: ops}", "{host: edited}"));

    List<Snapshot> built =
        List.of(
            // Relabelled: its priority among the defaults may change.
            changed(
                first,
                set,
                editedDefault("{type: default, priority: '1'}", "  pager: {}\n  chat: {}")),
            // A block dropped: the blocks that took it take none.
            changed(first, set, editedDefault("{type: default}", "  pager: {host: x}")),
            // A problem: a build places it.
            changed(
                first,
                set,
                editedDefault("{type: default}", "  pager: {host: [not, a, string]}\n  chat: {}")),
            changed(first, set, v2Config("admins2", "{team: ops}", "{}")),
            changed(first, set, v2Config("t0-own", "{team: gold}", "{}")),
            first.next(ConfigSet.of(withoutDefault)),
            // Edited and moved in the set's order: the admin's notice moves among the problems.
            first.next(ConfigSet.of(adminsMoved)));

    for (int i = 0; i < built.size(); i++) {
      Snapshot next = built.get(i);
      assertThat(next.basis().resolving())
          .as("change %d", i)
          .isNotSameAs(first.basis().resolving());
      assertEqualsFullBuild(next, next.basis().objects());
    }
  }

  /** {@code next} routes, resolves and reports as a build of {@code objects} from nothing. */
  private static void assertEqualsFullBuild(Snapshot next, List<ConfigObject> objects) {
    assertThat(IncrementalSnapshotPropertyTest.view(next))
        .isEqualTo(
            IncrementalSnapshotPropertyTest.view(
                IncrementalSnapshotPropertyTest.full(ConfigSet.of(objects))));
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
