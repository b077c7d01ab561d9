package io.nm4j.benchmarks;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.Snapshot;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.ObjectMeta;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One configuration change applied to the snapshot of 10,000 tenants and 50,000 receivers (with
 * {@link V2beta2Stages}' Receivers, Routers and Silences): {@link Snapshot#next} from the snapshot
 * before the change, as a manager builds it when its source changes. Each kind of change is a
 * parameter; {@link SnapshotBuildBenchmark} measures the full build it replaces. The change is told
 * with the set, as the Kubernetes and in-memory sources tell it; {@link SnapshotChangeCpu} also
 * measures a set given whole, compared with the one before.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class SnapshotChangeBenchmark {

  @Param({"namespace", "user"})
  public String tenantMode = "namespace";

  @Param({
    "tenantReceiverAdded",
    "tenantConfigChanged",
    "secretRotated",
    "roleBindingAdded",
    "routerChanged",
    "silenceAdded",
    "v2beta2ReceiverAdded",
    "globalReceiverAdded",
    "globalV2beta2ReceiverAdded",
    "adminConfigChanged",
    "defaultConfigChanged",
    "v2beta2ConfigChanged",
    "v2beta2DefaultConfigChanged",
    "routerOnlyReceiverChanged"
  })
  public String change = "tenantReceiverAdded";

  /** The kinds of change, as {@link #change} names them. */
  static final List<String> CHANGES =
      List.of(
          "tenantReceiverAdded",
          "tenantConfigChanged",
          "secretRotated",
          "roleBindingAdded",
          "routerChanged",
          "silenceAdded",
          "v2beta2ReceiverAdded",
          "globalReceiverAdded",
          "globalV2beta2ReceiverAdded",
          "adminConfigChanged",
          "defaultConfigChanged",
          "v2beta2ConfigChanged",
          "v2beta2DefaultConfigChanged",
          "routerOnlyReceiverChanged");

  private Snapshot before = Snapshot.empty();
  private ConfigSet changed = ConfigSet.EMPTY;

  @Setup(Level.Trial)
  public void setUp() {
    ChannelRegistry channels = Fixtures.channels();
    ConfigSet set = V2beta2Stages.with(Fixtures.config(tenantMode, channels));
    before = Snapshot.build(set, channels, SyntheticConfig.NAMESPACE, null);
    changed = changed(set, change);
  }

  @Benchmark
  public Snapshot applyChange() {
    return before.next(changed);
  }

  /**
   * The set after one change of the kind named, with the change told as a source that knows it
   * tells it ({@link ConfigSet#following}).
   */
  static ConfigSet changed(ConfigSet set, String change) {
    ConfigSet compared = compared(set, change);
    List<ConfigObject> removed = new ArrayList<>();
    List<ConfigObject> added = new ArrayList<>();
    List<ConfigObject> before = set.objects();
    List<ConfigObject> after = compared.objects();
    for (int i = 0; i < after.size(); i++) {
      if (i >= before.size()) {
        added.add(after.get(i));
      } else if (before.get(i) != after.get(i)) {
        removed.add(before.get(i));
        added.add(after.get(i));
      }
    }
    return ConfigSet.following(set, after, compared.problems(), removed, added);
  }

  /**
   * The same set without the change told, as a source that publishes whole sets gives it: the
   * snapshot compares it with the set before.
   */
  static ConfigSet compared(ConfigSet set, String change) {
    List<ConfigObject> objects = new ArrayList<>(set.objects());
    switch (change) {
      case "tenantReceiverAdded" ->
          objects.add(
              renamed(first(objects, o -> o.kind().endsWith("Receiver") && isTenant(o)), "added"));
      case "tenantConfigChanged" ->
          replace(
              objects,
              o -> o.kind().endsWith("Config") && isTenant(o),
              o -> relabeled(o, "revision", "2"));
      case "secretRotated" ->
          replace(objects, o -> o.kind().equals("Secret"), o -> withBody(o, "data", rotated(o)));
      case "roleBindingAdded" ->
          objects.add(
              ConfigObject.of("RoleBinding", "added-binding")
                  .apiVersion("rbac.authorization.k8s.io/v1")
                  .namespace(firstNamespace(objects))
                  .field("subjects", List.of(Map.of("kind", "User", "name", "added-user")))
                  .build());
      case "routerChanged" ->
          replace(
              objects,
              o -> o.kind().equals("Router"),
              o ->
                  withBody(
                      o,
                      "spec",
                      with(
                          o.spec(),
                          "alertSelector",
                          Map.of("matchLabels", Map.of("alertname", "ChangedByBenchmark")))));
      case "silenceAdded" ->
          objects.add(renamed(first(objects, o -> o.kind().equals("Silence")), "added"));
      case "v2beta2ReceiverAdded" ->
          objects.add(
              renamed(first(objects, o -> o.kind().equals("Receiver") && isTenant(o)), "added"));
      case "globalReceiverAdded" ->
          objects.add(
              renamed(
                  first(
                      objects,
                      o ->
                          o.kind().endsWith("Receiver")
                              && !o.kind().equals("Receiver")
                              && isGlobal(o)),
                  "added"));
      case "globalV2beta2ReceiverAdded" ->
          objects.add(
              globalCopy(
                  renamed(
                      first(objects, o -> o.kind().equals("Receiver") && isTenant(o)), "global")));
      case "adminConfigChanged" ->
          replace(
              objects,
              o ->
                  o.kind().endsWith("Config")
                      && "cluster".equals(o.metadata().labels().get("scope")),
              o -> relabeled(o, "revision", "2"));
      case "defaultConfigChanged" ->
          // The default of the kind most receivers have, its sender changed: most of them take it.
          replace(
              objects,
              o -> o.kind().equals("EmailConfig") && isDefault(o),
              o ->
                  withBody(
                      o,
                      "spec",
                      with(o.spec(), "from", "alerts-changed-by-benchmark@ops.example.com")));
      case "v2beta2ConfigChanged" ->
          replace(
              objects,
              o -> o.kind().equals("Config") && isTenant(o),
              o -> relabeled(o, "revision", "2"));
      case "routerOnlyReceiverChanged" ->
          // A Receiver labelled neither global nor a tenant's, which only its Router reaches.
          replace(
              objects,
              o -> o.kind().equals("Receiver") && o.metadata().name().startsWith("routed-"),
              o -> relabeled(o, "revision", "2"));
      case "v2beta2DefaultConfigChanged" ->
          // Its one field is its token's reference: the update Kubernetes delivers when anything
          // else of it changes (an annotation) holds the same spec, read, checked and bound anew.
          replace(
              objects,
              o -> o.kind().equals("Config") && isDefault(o),
              o -> withResourceVersion(o, "changed-by-benchmark"));
      default -> throw new IllegalArgumentException("unknown change " + change);
    }
    return new ConfigSet(objects, set.problems());
  }

  /** A namespace of the configuration: a RoleBinding's (user mode) or a tenant receiver's. */
  private static String firstNamespace(List<ConfigObject> objects) {
    for (ConfigObject o : objects) {
      String labeled = o.metadata().labels().get("namespace");
      if (o.kind().equals("RoleBinding")) {
        return o.metadata().namespace();
      } else if (labeled != null && o.kind().endsWith("Receiver")) {
        return labeled;
      }
    }
    throw new IllegalStateException("the configuration names no namespace");
  }

  private static boolean isGlobal(ConfigObject o) {
    return "global".equals(o.metadata().labels().get("type"));
  }

  private static boolean isDefault(ConfigObject o) {
    return "default".equals(o.metadata().labels().get("type"));
  }

  private static boolean isTenant(ConfigObject o) {
    return "tenant".equals(o.metadata().labels().get("type"));
  }

  private static ConfigObject first(List<ConfigObject> objects, Predicate<ConfigObject> which) {
    return objects.stream().filter(which).findFirst().orElseThrow();
  }

  private static void replace(
      List<ConfigObject> objects, Predicate<ConfigObject> which, UnaryOperator<ConfigObject> how) {
    int i = objects.indexOf(first(objects, which));
    objects.set(i, how.apply(objects.get(i)));
  }

  private static ConfigObject renamed(ConfigObject o, String suffix) {
    ObjectMeta m = o.metadata();
    return withMetadata(
        o,
        new ObjectMeta(
            m.name() + "-" + suffix,
            m.namespace(),
            m.labels(),
            m.uid(),
            m.resourceVersion(),
            m.creationTimestamp()));
  }

  /** {@code o} labelled as a global receiver: {@code type: global}, no tenant label. */
  private static ConfigObject globalCopy(ConfigObject o) {
    ObjectMeta m = o.metadata();
    return withMetadata(
        o,
        new ObjectMeta(
            m.name(),
            m.namespace(),
            Map.of("type", "global"),
            m.uid(),
            m.resourceVersion(),
            m.creationTimestamp()));
  }

  /** {@code o} with one more label, which no receiver's selector names. */
  private static ConfigObject relabeled(ConfigObject o, String key, String value) {
    ObjectMeta m = o.metadata();
    Map<String, String> labels = new LinkedHashMap<>(m.labels());
    labels.put(key, value);
    return withMetadata(
        o,
        new ObjectMeta(
            m.name(), m.namespace(), labels, m.uid(), m.resourceVersion(), m.creationTimestamp()));
  }

  private static ConfigObject withResourceVersion(ConfigObject o, String version) {
    ObjectMeta m = o.metadata();
    return withMetadata(
        o,
        new ObjectMeta(
            m.name(), m.namespace(), m.labels(), m.uid(), version, m.creationTimestamp()));
  }

  private static ConfigObject withMetadata(ConfigObject o, ObjectMeta metadata) {
    return new ConfigObject(o.apiVersion(), o.kind(), metadata, o.body(), o.origin());
  }

  private static ConfigObject withBody(ConfigObject o, String field, Object value) {
    return new ConfigObject(
        o.apiVersion(), o.kind(), o.metadata(), with(o.body(), field, value), o.origin());
  }

  private static Map<String, Object> with(Map<String, Object> map, String key, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(map);
    copy.put(key, value);
    return copy;
  }

  private static Map<String, Object> rotated(ConfigObject secret) {
    Map<String, Object> data = new LinkedHashMap<>();
    if (secret.body().get("data") instanceof Map<?, ?> old) {
      for (Object key : old.keySet()) {
        data.put(
            String.valueOf(key),
            Base64.getEncoder()
                .encodeToString(("rotated-" + key).getBytes(StandardCharsets.UTF_8)));
      }
    }
    return data;
  }
}
