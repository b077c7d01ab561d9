package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.core.internal.snapshot.RoutingTables;
import io.nm4j.core.internal.snapshot.SplitWork;
import io.nm4j.core.internal.snapshot.Targets;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A cold build of a set large enough to derive its namespaces' targets on two threads gives the
 * tables one thread gives: the same receivers for each namespace, in the same order, whether the
 * namespace is the tenant or the users of its RoleBindings are.
 */
class LargeSetRouteTest {
  private static final String NS = NotificationManager.DEFAULT_NAMESPACE;
  private static final int RECEIVERS = SplitWork.FROM_OBJECTS * 2;
  private static final int TENANTS = 997;

  private static final ChannelRegistry CHANNELS =
      ChannelRegistry.of(List.of(new PagerChannelProvider()));

  /**
   * Receivers of {@link #TENANTS} tenants labelled by {@code tenantKey}, every thirteenth one
   * global, and a default config they all use.
   */
  private static List<ConfigObject> receivers(String tenantKey) {
    List<ConfigObject> objects = new ArrayList<>();
    objects.add(
        ConfigObject.of("PagerConfig", "default").label("type", "default").spec(Map.of()).build());
    for (int i = 0; i < RECEIVERS; i++) {
      String name = String.format(Locale.ROOT, "r-%05d", i);
      ConfigObject.Builder receiver =
          ConfigObject.of("PagerReceiver", name).spec(Map.of("to", name));
      if (i % 13 == 0) {
        receiver.label("type", "global");
      } else {
        receiver.label("type", "tenant").label(tenantKey, "t-" + i % TENANTS);
      }
      objects.add(receiver.build());
    }
    return objects;
  }

  /** The same set built on one thread: after a build of a few of its objects. */
  private static Snapshot builtOnOneThread(List<ConfigObject> objects) {
    Snapshot small = Snapshot.build(ConfigSet.of(objects.subList(0, 10)), CHANNELS, NS, null);
    return small.next(ConfigSet.of(objects));
  }

  /** Each namespace's receivers in their order, each tenant's slots and each user's namespaces. */
  private static Map<String, Object> tables(Snapshot s) {
    RoutingTables tables = s.tables();
    Map<String, Object> view = new TreeMap<>();
    tables
        .byNamespace()
        .forEach(
            (ns, own) -> {
              Targets targets = Objects.requireNonNull(tables.targetsOf(ns));
              view.put(
                  "namespace " + ns,
                  targets.destinations().stream().map(d -> d.receiver().toString()).toList()
                      + Arrays.toString(targets.indexes())
                      + Arrays.toString(own.tenantSlots()));
            });
    tables
        .slotsOfTenant()
        .forEach((tenant, slots) -> view.put("tenant " + tenant, Arrays.toString(slots)));
    if (tables.roleBindings() != null) {
      tables
          .roleBindings()
          .namespacesOfUser()
          .forEach(
              (user, namespaces) ->
                  view.put("user " + user, new TreeMap<>(Map.of(user, namespaces))));
    }
    return view;
  }

  @Test
  void namespacesAsTenantsDerivedOnTwoThreadsGetWhatOneThreadGives() {
    assertBuiltAsOnOneThread(receivers("namespace"), TENANTS);
  }

  @Test
  void roleBindingUsersDerivedOnTwoThreadsGetWhatOneThreadGives() {
    assertBuiltAsOnOneThread(userModeObjects(false), 1_500);
  }

  /**
   * RoleBindings whose subjects fail when the helper thread reads them: the build derives the
   * namespace the helper gave up, and every later one, itself, and gets what one thread gets.
   */
  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aHelperFailingOnANamespaceLeavesTheBuildWhatOneThreadGives() {
    assertBuiltAsOnOneThread(userModeObjects(true), 1_500);
  }

  /** A cold build of {@code objects} has the tables and problems of the one-thread build. */
  private static void assertBuiltAsOnOneThread(List<ConfigObject> objects, int namespaces) {
    Snapshot cold = Snapshot.build(ConfigSet.of(objects), CHANNELS, NS, null);
    Snapshot oneThread = builtOnOneThread(objects);

    assertThat(tables(cold)).isEqualTo(tables(oneThread));
    assertThat(cold.tables().byNamespace().size()).isEqualTo(namespaces);
    assertThat(cold.problems()).isEqualTo(oneThread.problems());
  }

  /**
   * Settings with RoleBinding users as tenants, their receivers, and RoleBindings of 1,500
   * namespaces binding two users each; every tenth one's subjects fail on the helper thread when
   * {@code failOnHelper}.
   */
  private static List<ConfigObject> userModeObjects(boolean failOnHelper) {
    List<ConfigObject> objects = new ArrayList<>();
    objects.add(
        ConfigObject.of("NotificationManager", "notification-manager")
            .spec(Map.of("receivers", Map.of("tenantKey", "user")))
            .build());
    objects.addAll(receivers("user"));
    for (int n = 0; n < 1_500; n++) {
      objects.add(
          ConfigObject.of("RoleBinding", "operators")
              .apiVersion("rbac.authorization.k8s.io/v1")
              .namespace("ns-" + n)
              .field(
                  "subjects",
                  List.of(
                      Map.of("kind", "User", "name", "t-" + n % TENANTS),
                      Map.of("kind", "User", "name", "t-" + (n * 7) % TENANTS),
                      Map.of("kind", "Group", "name", "t-" + (n * 3) % TENANTS)))
              .build());
      if (failOnHelper && n % 10 == 0) {
        ConfigObject rb = objects.remove(objects.size() - 1);
        Map<String, Object> body = new LinkedHashMap<>(rb.body());
        body.put("subjects", new FailingOnHelper((List<?>) rb.body().get("subjects")));
        objects.add(new ConfigObject(rb.apiVersion(), rb.kind(), rb.metadata(), body, rb.origin()));
      }
    }
    return objects;
  }

  /** A list that fails when the thread deriving namespaces beside the build reads it. */
  private static final class FailingOnHelper extends AbstractList<Object> {
    private final List<?> elements;

    FailingOnHelper(List<?> elements) {
      this.elements = elements;
    }

    @Override
    public Object get(int index) {
      failOnHelper();
      return elements.get(index);
    }

    @Override
    public int size() {
      failOnHelper();
      return elements.size();
    }

    private static void failOnHelper() {
      if (Thread.currentThread().getName().equals("nm4j-snapshot-route")) {
        throw new IllegalStateException("boom");
      }
    }
  }
}
