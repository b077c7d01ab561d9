package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.core.internal.Owner;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.CompiledTemplate;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.TemplateFormat;
import io.nm4j.spi.TemplateSlots;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A snapshot built from the previous one ({@link Snapshot#next}) equals a snapshot built from
 * nothing, after any sequence of changes: random additions, changes and deletions of receivers,
 * configs, secrets, RoleBindings, template ConfigMaps, v2beta2 Receivers, Configs, Routers and
 * Silences, and the settings, over a generated configuration of a few hundred objects, with and
 * without v2beta2 objects. Each run is seeded and names its seed and step when it fails; {@code
 * -Dnm4j.incrementalSeed=N} replays one.
 */
class IncrementalSnapshotPropertyTest {
  private static final String NS = NotificationManager.DEFAULT_NAMESPACE;
  private static final Clock NOON =
      Clock.fixed(Instant.parse("2026-03-04T12:00:00Z"), ZoneOffset.UTC);
  private static final int TENANTS = 12;
  private static final int STEPS = 30;

  /** Pager renders from templates, Chat does not: both paths of the render options are covered. */
  static final ChannelRegistry CHANNELS =
      ChannelRegistry.of(
          List.of(
              new PagerChannelProvider()
                  .withTemplateSlots(TemplateSlots.single("message", TemplateFormat.TEXT)),
              new PagerChannelProvider("Chat")));

  /** How the changed set reaches {@link Snapshot#next}. */
  enum Delivery {
    /** With the change the source knows, following the set before. */
    TOLD,
    /** As a whole set only, compared with the set before. */
    COMPARED,
    /** With a change that follows a set this snapshot never saw: it must be compared instead. */
    STALE
  }

  /** Which objects a sequence holds and changes. */
  enum Mix {
    /** v1alpha1 objects only. */
    V1ALPHA1,
    /** v1alpha1 and v2beta2 objects, every kind changing. */
    V2BETA2,
    /** v1alpha1 and v2beta2 objects, mostly v2beta2 Receivers changing. */
    V2BETA2_RECEIVERS
  }

  @Test
  void everyChangeSequenceEndsInTheSnapshotAFullBuildMakes() {
    String fixed = System.getProperty("nm4j.incrementalSeed");
    List<Long> seeds = fixed != null ? List.of(Long.parseLong(fixed)) : List.of(1L, 22L);
    for (Delivery delivery : Delivery.values()) {
      int[] inPlace = new int[5];
      // The told change is the path sources take; the others share all but how it is found.
      int runs = delivery == Delivery.TOLD ? seeds.size() : 1;
      for (long seed : seeds.subList(0, runs)) {
        for (Mix mix : Mix.values()) {
          int[] counted = run(seed, delivery, mix);
          inPlace[0] += counted[0];
          inPlace[1] += counted[1];
          inPlace[2] += counted[2];
          inPlace[3] += counted[3];
          inPlace[4] += counted[4];
        }
      }
      // RoleBinding, secret-value, tenant receiver and tenant v2beta2 Receiver changes are applied
      // in place, sharing the problems.
      assertThat(inPlace[0]).as("%s: changes applied in place", delivery).isPositive();
      assertThat(inPlace[1])
          .as("%s: receiver changes applied in place", delivery)
          .isGreaterThanOrEqualTo(3);
      assertThat(inPlace[2])
          .as("%s: v2beta2 Receiver changes applied in place", delivery)
          .isGreaterThanOrEqualTo(2);
      assertThat(inPlace[3])
          .as("%s: changes of global receivers applied in place", delivery)
          .isGreaterThanOrEqualTo(1);
      assertThat(inPlace[4])
          .as("%s: changes of global v2beta2 Receivers applied in place", delivery)
          .isGreaterThanOrEqualTo(1);
    }
  }

  /**
   * Runs one seeded sequence; how many of its changes were applied in place, and how many of those
   * changed receivers (the memo then lays the changed receivers over the build's), how many changed
   * v2beta2 Receivers alone, how many changed global v1alpha1 receivers, and how many of the
   * v2beta2 Receiver changes changed a global one.
   */
  private static int[] run(long seed, Delivery delivery, Mix mix) {
    boolean v2beta2 = mix != Mix.V1ALPHA1;
    Generator gen = new Generator(new Random(seed), new Random(~seed), v2beta2);
    gen.v2ReceiversMostly = mix == Mix.V2BETA2_RECEIVERS;
    Map<ObjectRef, ConfigObject> objects = gen.configuration();
    ConfigSet set = set(objects);
    Snapshot incremental = full(set);
    int inPlace = 0;
    int receiversInPlace = 0;
    int v2ReceiversInPlace = 0;
    int globalsInPlace = 0;
    int globalV2ReceiversInPlace = 0;
    // Its own stream, so that the changes drawn are those of a sequence without moves.
    Random moves = new Random(seed * 31 + mix.ordinal());
    for (int step = 1; step <= STEPS; step++) {
      Map<ObjectRef, ConfigObject> before = new LinkedHashMap<>(objects);
      String change = gen.change(objects);
      if (gen.rnd.nextInt(4) == 0) {
        change += ", " + gen.change(objects);
      }
      List<ConfigObject> moved = new ArrayList<>();
      if (moves.nextInt(5) == 0) {
        // The same instance to the end of the set: only its place changes.
        List<ObjectRef> refs = new ArrayList<>(objects.keySet());
        ObjectRef ref = refs.get(moves.nextInt(refs.size()));
        ConfigObject same = objects.remove(ref);
        objects.put(ref, same);
        if (before.get(ref) == same) {
          moved.add(same);
        }
        change += ", moved " + ref;
      }
      ConfigSet next = delivered(delivery, set, before, objects, moved);
      Snapshot previous = incremental;
      incremental = incremental.next(next);
      if (incremental.problems() == previous.problems()) {
        inPlace++;
      }
      if (incremental.memo() != previous.memo() && incremental.memo().changed() > 0) {
        receiversInPlace++;
        List<ConfigObject> changed = notIn(before, objects);
        changed.addAll(notIn(objects, before));
        if (changed.stream().anyMatch(IncrementalSnapshotPropertyTest::isGlobalReceiver)) {
          globalsInPlace++;
        }
      }
      // Only a build resolves against new configs and templates.
      if (incremental.basis().resolving() == previous.basis().resolving()
          && Arrays.stream(change.split(", ")).allMatch(c -> c.contains(" Receiver/"))) {
        v2ReceiversInPlace++;
        List<ConfigObject> changed = notIn(before, objects);
        changed.addAll(notIn(objects, before));
        if (changed.stream().anyMatch(IncrementalSnapshotPropertyTest::isGlobalV2beta2Receiver)) {
          globalV2ReceiversInPlace++;
        }
      }
      set = next;
      Snapshot full = full(next);
      assertThat(view(incremental))
          .as(
              "%s, v2beta2 %s, seed %d, step %d (%s): incremental build differs from a full build",
              delivery, v2beta2, seed, step, change)
          .isEqualTo(view(full));
    }
    return new int[] {
      inPlace, receiversInPlace, v2ReceiversInPlace, globalsInPlace, globalV2ReceiversInPlace
    };
  }

  /** Whether {@code o} is a v1alpha1 receiver the generator labelled global. */
  static boolean isGlobalReceiver(ConfigObject o) {
    return o.apiVersion().equals(ConfigObject.API_VERSION)
        && o.kind().endsWith("Receiver")
        && "global".equals(o.metadata().labels().get("type"));
  }

  /** Whether {@code o} is a v2beta2 Receiver the generator labelled global. */
  static boolean isGlobalV2beta2Receiver(ConfigObject o) {
    return o.apiVersion().equals(ConfigObject.API_VERSION_V2BETA2)
        && o.kind().equals("Receiver")
        && "global".equals(o.metadata().labels().get("type"));
  }

  private static ConfigSet delivered(
      Delivery delivery,
      ConfigSet previous,
      Map<ObjectRef, ConfigObject> before,
      Map<ObjectRef, ConfigObject> after,
      List<ConfigObject> moved) {
    List<ConfigObject> objects = new ArrayList<>(after.values());
    return switch (delivery) {
      case TOLD -> {
        // A source tells an object it moved as removed and added, as ConfigSet.following says.
        List<ConfigObject> removed = notIn(before, after);
        List<ConfigObject> added = notIn(after, before);
        removed.addAll(moved);
        added.addAll(moved);
        yield ConfigSet.following(previous, objects, List.of(), removed, added);
      }
      case COMPARED -> ConfigSet.of(objects);
      case STALE ->
          ConfigSet.following(
              ConfigSet.of(new ArrayList<>(before.values())),
              objects,
              List.of(),
              List.of(),
              List.of());
    };
  }

  /** The objects of {@code a} that {@code b} does not hold (the same instance). */
  private static List<ConfigObject> notIn(
      Map<ObjectRef, ConfigObject> a, Map<ObjectRef, ConfigObject> b) {
    List<ConfigObject> out = new ArrayList<>();
    a.forEach(
        (ref, o) -> {
          if (b.get(ref) != o) {
            out.add(o);
          }
        });
    return out;
  }

  static ConfigSet set(Map<ObjectRef, ConfigObject> objects) {
    return ConfigSet.of(new ArrayList<>(objects.values()));
  }

  static Snapshot full(Map<ObjectRef, ConfigObject> objects) {
    return full(set(objects));
  }

  static Snapshot full(ConfigSet set) {
    return Snapshot.build(set, CHANNELS, NS, null, NOON);
  }

  /**
   * What a snapshot decides, in comparable form: its problems in order, each destination with its
   * config and render options (templates by name: compiled instances differ between builds), the
   * receivers of each namespace, how a batch of sample alerts routes, and its secrets' lookups.
   */
  static Map<String, Object> view(Snapshot s) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("settings", s.settings());
    view.put("problems", s.problems().stream().map(Object::toString).toList());
    List<String> destinations = new ArrayList<>();
    for (Destination d : s.destinations()) {
      destinations.add(describe(d));
    }
    view.put("destinations", destinations);
    Map<String, List<String>> byNamespace = new TreeMap<>();
    List<String> namespaces = new ArrayList<>();
    for (int t = 0; t < TENANTS; t++) {
      namespaces.add("t" + t);
    }
    namespaces.add("nobody");
    for (String ns : namespaces) {
      byNamespace.put(
          ns, s.destinationsFor(ns).stream().map(d -> d.receiver().toString()).toList());
    }
    view.put("byNamespace", byNamespace);
    List<Alert> alerts = new ArrayList<>();
    for (String ns : namespaces) {
      alerts.add(Alert.firing(Map.of("alertname", "A", "namespace", ns)));
      alerts.add(Alert.firing(Map.of("alertname", "B", "namespace", ns)));
    }
    alerts.add(Alert.firing(Map.of("alertname", "A")));
    Routing r = s.route(AlertBatch.of(alerts));
    view.put("routes", Fixtures.routes(r));
    view.put("silenced", r.silenced());
    view.put("routers", r.routers());
    view.put("filtered", r.filtered());
    view.put("unrouted", r.unrouted());
    view.put("routingProblems", r.problems());
    List<String> secrets = new ArrayList<>();
    for (int i = 0; i < Generator.SECRETS; i++) {
      for (Owner owner : List.of(Owner.ADMIN, Owner.tenant("t" + (i % TENANTS)))) {
        var found = s.secrets().value(owner, new SecretKeySelector("sec-" + i, "token"));
        secrets.add(
            owner.describe()
                + " sec-"
                + i
                + ": "
                + (found == null ? "-" : new String(found.bytes(), StandardCharsets.UTF_8)));
      }
    }
    view.put("secrets", secrets);
    return view;
  }

  private static String describe(Destination d) {
    Map<String, String> templates = new TreeMap<>();
    for (Map.Entry<String, CompiledTemplate> e : d.rendering().templates().entrySet()) {
      templates.put(e.getKey(), e.getValue().name() + " " + e.getValue().format());
    }
    return String.join(
        " | ",
        d.receiver().toString(),
        d.scope().toString(),
        String.valueOf(d.tenant()),
        d.receiverSpec().toString(),
        String.valueOf(d.config()),
        String.valueOf(d.configSpec()),
        String.valueOf(d.configReason()),
        String.valueOf(d.configTenant()),
        d.rendering().settings().toString(),
        String.valueOf(d.rendering().type()),
        templates.toString());
  }

  /** Random objects of every kind a snapshot holds, and random changes to them. */
  static final class Generator {
    static final int SECRETS = 16;
    private static final String[] TEAMS = {"red", "blue"};
    final Random rnd;

    /**
     * Draws the v2beta2 Receivers' block fields, so they vary without changing what {@link #rnd}
     * draws.
     */
    private final Random blockRnd;

    /** Whether most changes are of v2beta2 Receivers. */
    boolean v2ReceiversMostly;

    private final boolean v2beta2;
    private int serial;

    /**
     * @param v2beta2 whether the configuration holds v2beta2 objects (then the snapshot has routing
     *     stages) and the changes add them
     */
    Generator(Random rnd, Random blockRnd, boolean v2beta2) {
      this.rnd = rnd;
      this.blockRnd = blockRnd;
      this.v2beta2 = v2beta2;
    }

    /** A configuration of a few hundred objects, keyed by reference. */
    Map<ObjectRef, ConfigObject> configuration() {
      Map<ObjectRef, ConfigObject> objects = new LinkedHashMap<>();
      put(objects, settings());
      for (int i = 0; i < 140; i++) {
        put(objects, receiver("r" + i));
      }
      for (int i = 0; i < 40; i++) {
        put(objects, config("c" + i));
      }
      for (int i = 0; i < SECRETS; i++) {
        put(objects, secret(i));
      }
      for (int i = 0; i < 24; i++) {
        put(objects, roleBinding("rb" + i));
      }
      for (int i = 0; i < 4; i++) {
        put(objects, configMap(i));
      }
      if (!v2beta2) {
        return objects;
      }
      for (int i = 0; i < 10; i++) {
        put(objects, v2Receiver("v" + i));
      }
      put(objects, v2Config("v2-default", true));
      for (int i = 0; i < 3; i++) {
        put(objects, v2Config("vc" + i, false));
        put(objects, router("router" + i));
        put(objects, silence("silence" + i));
      }
      return objects;
    }

    /** Applies one random change; says which. */
    String change(Map<ObjectRef, ConfigObject> objects) {
      // Receivers change most (kinds 1, 2 and 11): the admin API writes them all day.
      int kind = rnd.nextInt(v2beta2 ? 12 : 7);
      kind = kind == 11 || (!v2beta2 && kind == 6 && rnd.nextBoolean()) ? 1 : kind;
      kind = v2ReceiversMostly && blockRnd.nextInt(4) != 0 ? 7 : kind;
      ConfigObject next =
          switch (kind) {
            case 0 -> settings();
            case 1, 2 -> receiver(pickName(objects, "PagerReceiver", "ChatReceiver", "r"));
            case 3 -> config(pickName(objects, "PagerConfig", "ChatConfig", "c"));
            case 4 -> secret(rnd.nextInt(SECRETS + 2));
            case 5 -> roleBinding("rb" + rnd.nextInt(30));
            case 6 -> configMap(rnd.nextInt(5));
            case 7 -> v2Receiver("v" + rnd.nextInt(12));
            case 8 -> v2ConfigChange();
            case 9 -> router("router" + rnd.nextInt(4));
            default -> silence("silence" + rnd.nextInt(4));
          };
      ObjectRef ref = next.ref();
      if (kind != 0 && objects.containsKey(ref) && rnd.nextInt(4) == 0) {
        objects.remove(ref);
        return "deleted " + ref;
      }
      String what = objects.containsKey(ref) ? "changed " : "added ";
      put(objects, next);
      return what + ref;
    }

    private String pickName(
        Map<ObjectRef, ConfigObject> objects, String kindA, String kindB, String prefix) {
      if (rnd.nextInt(3) == 0) {
        return prefix + "new" + serial++;
      }
      List<String> names = new ArrayList<>();
      for (ObjectRef ref : objects.keySet()) {
        if (ref.kind().equals(kindA) || ref.kind().equals(kindB)) {
          names.add(ref.name());
        }
      }
      return names.isEmpty() ? prefix + "0" : names.get(rnd.nextInt(names.size()));
    }

    private static void put(Map<ObjectRef, ConfigObject> objects, ConfigObject o) {
      // A changed object may change kind (Pager to Chat): the old one goes.
      objects.keySet().removeIf(r -> r.name().equals(o.metadata().name()) && sameFamily(r, o));
      objects.put(o.ref(), o);
    }

    private static boolean sameFamily(ObjectRef r, ConfigObject o) {
      return r.kind().replace("Chat", "Pager").equals(o.kind().replace("Chat", "Pager"));
    }

    private String tenant() {
      return "t" + rnd.nextInt(TENANTS);
    }

    private String user() {
      return "u" + rnd.nextInt(8);
    }

    private String team() {
      return TEAMS[rnd.nextInt(TEAMS.length)];
    }

    private static ConfigObject parse(String yaml) {
      ConfigSet set = Manifests.parse(yaml, "generated.yaml");
      assertThat(set.problems()).as(yaml).isEmpty();
      return set.objects().get(0);
    }

    ConfigObject settings() {
      String key = rnd.nextBoolean() ? "namespace" : "user";
      String template = rnd.nextInt(3) == 0 ? ", template: {text: {name: tmpl0}}" : "";
      return parse(
          "apiVersion: notification.kubesphere.io/v1alpha1\nkind: NotificationManager\n"
              + "metadata: {name: nm, namespace: "
              + NS
              + "}\nspec: {receivers: {tenantKey: "
              + key
              + "}"
              + template
              + "}\n");
    }

    ConfigObject receiver(String name) {
      String kind = rnd.nextBoolean() ? "Pager" : "Chat";
      int shape = rnd.nextInt(20);
      String labels =
          shape == 0
              ? "{}"
              : shape < 5
                  ? "{type: global}"
                  : "{type: tenant, namespace: " + tenant() + ", user: " + user() + "}";
      List<String> spec = new ArrayList<>();
      if (rnd.nextInt(20) != 0) {
        spec.add("to: " + name + rnd.nextInt(3));
      }
      if (rnd.nextInt(3) == 0) {
        spec.add(kind.toLowerCase() + "ConfigSelector: {matchLabels: {team: " + team() + "}}");
      }
      if (rnd.nextInt(5) == 0) {
        spec.add("tmplText: {name: tmpl" + rnd.nextInt(5) + "}");
      }
      if (rnd.nextInt(8) == 0) {
        spec.add("language: " + (rnd.nextBoolean() ? "zh-cn" : "xx"));
      }
      return parse(
          "apiVersion: notification.kubesphere.io/v1alpha1\nkind: "
              + kind
              + "Receiver\nmetadata: {name: "
              + name
              + ", namespace: "
              + NS
              + ", labels: "
              + labels
              + "}\nspec: {"
              + String.join(", ", spec)
              + "}\n");
    }

    ConfigObject config(String name) {
      String kind = rnd.nextBoolean() ? "Pager" : "Chat";
      int shape = rnd.nextInt(10);
      String labels =
          shape < 2
              ? "{type: default}"
              : shape < 4
                  ? "{team: " + team() + "}"
                  : shape == 4
                      ? "{type: tenant}"
                      : "{type: tenant, namespace: "
                          + tenant()
                          + ", user: "
                          + user()
                          + ", team: "
                          + team()
                          + "}";
      String spec =
          rnd.nextInt(5) < 3
              ? "{token: {name: sec-" + rnd.nextInt(SECRETS + 2) + ", key: token}}"
              : "{}";
      return parse(
          "apiVersion: notification.kubesphere.io/v1alpha1\nkind: "
              + kind
              + "Config\nmetadata: {name: "
              + name
              + ", namespace: "
              + NS
              + ", creationTimestamp: '2026-01-0"
              + (1 + rnd.nextInt(3))
              + "T00:00:00Z', labels: "
              + labels
              + "}\nspec: "
              + spec
              + "\n");
    }

    ConfigObject secret(int i) {
      String owner = rnd.nextBoolean() ? ", labels: {namespace: t" + (i % TENANTS) + "}" : "";
      String value =
          rnd.nextInt(12) == 0
              ? "'not base64!'"
              : Base64.getEncoder()
                  .encodeToString(("token-" + rnd.nextInt(1000)).getBytes(StandardCharsets.UTF_8));
      return parse(
          "apiVersion: v1\nkind: Secret\nmetadata: {name: sec-"
              + i
              + ", namespace: "
              + NS
              + owner
              + "}\ndata: {token: "
              + value
              + "}\n");
    }

    ConfigObject roleBinding(String name) {
      List<String> subjects = new ArrayList<>();
      for (int i = 0; i <= rnd.nextInt(3); i++) {
        subjects.add("{kind: User, name: " + user() + "}");
      }
      return parse(
          "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: "
              + name
              + ", namespace: "
              + tenant()
              + "}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: operator}\n"
              + "subjects: ["
              + String.join(", ", subjects)
              + "]\n");
    }

    ConfigObject configMap(int i) {
      String owner = rnd.nextInt(3) == 0 ? ", labels: {namespace: " + tenant() + "}" : "";
      String body = rnd.nextInt(8) == 0 ? "'broken ${'" : "'body " + i + " ${commonName!}'";
      return parse(
          "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tmpl"
              + i
              + ", namespace: "
              + NS
              + owner
              + "}\ndata: {message: "
              + body
              + "}\n");
    }

    /**
     * A v2beta2 Receiver, global or a tenant's; its pager block sometimes disabled, filtering by an
     * {@code alertSelector}, or selecting a config (its tenant's, or another tenant's, which it
     * must never get).
     */
    ConfigObject v2Receiver(String name) {
      String labels =
          rnd.nextInt(3) == 0
              ? "{type: global, team: " + team() + "}"
              : "{type: tenant, namespace: " + tenant() + ", user: " + user() + "}";
      if (blockRnd.nextInt(6) == 0) {
        // Neither global nor a tenant's: reachable only through a Router naming it or its team.
        labels = "{team: " + TEAMS[blockRnd.nextInt(TEAMS.length)] + "}";
      }
      String blocks =
          "  pager: {to: "
              + name
              + (blockRnd.nextInt(8) == 0 ? ", enabled: false" : "")
              + (blockRnd.nextInt(4) == 0
                  ? ", alertSelector: {matchLabels: {alertname: "
                      + (blockRnd.nextBoolean() ? "A" : "B")
                      + "}}"
                  : "")
              + switch (blockRnd.nextInt(6)) {
                case 0 -> ", pagerConfigSelector: {}";
                case 1 ->
                    ", pagerConfigSelector: {matchLabels: {namespace: t"
                        + blockRnd.nextInt(TENANTS)
                        + "}}";
                default -> "";
              }
              + "}"
              + (rnd.nextBoolean() ? "\n  chat: {to: " + name + "-room}" : "")
              + (rnd.nextInt(6) == 0 ? "\n  fax: {to: nowhere}" : "");
      return v2("Receiver", name, labels, blocks);
    }

    /**
     * A changed v2beta2 {@code Config}: mostly a tenant's or a default named like them; one in
     * three the configuration's default or an admin's, its {@code pager} block edited, now and then
     * relabelled or without its {@code chat} block.
     */
    ConfigObject v2ConfigChange() {
      return blockRnd.nextInt(3) != 0
          ? v2Config("vc" + rnd.nextInt(4), rnd.nextInt(8) == 0)
          : v2DefaultOrAdminConfig();
    }

    /**
     * The configuration's default v2beta2 {@code Config} or an admin's, its {@code pager} block
     * edited, now and then relabelled or without its {@code chat} block.
     */
    ConfigObject v2DefaultOrAdminConfig() {
      String blocks =
          "  pager: {host: h"
              + blockRnd.nextInt(3)
              + "}"
              + (blockRnd.nextInt(6) == 0 ? "" : "\n  chat: {}");
      return blockRnd.nextBoolean()
          ? v2(
              "Config",
              "v2-default",
              blockRnd.nextInt(6) == 0 ? "{type: default, priority: '1'}" : "{type: default}",
              blocks)
          : v2("Config", "v2-admin", "{team: ops}", blocks);
    }

    ConfigObject v2Config(String name, boolean isDefault) {
      String labels =
          isDefault
              ? "{type: default}"
              : "{type: tenant, namespace: " + tenant() + ", user: " + user() + "}";
      return v2("Config", name, labels, "  pager: {}\n  chat: {}");
    }

    /**
     * A Router of each way of naming receivers (a selector, names, a regular expression, a tenant's
     * channels), some disabled or naming none (a problem).
     */
    ConfigObject router(String name) {
      String type = rnd.nextBoolean() ? "\n    type: chat" : "";
      String receivers =
          switch (rnd.nextInt(6)) {
            case 0, 1 -> "selector: {matchLabels: {team: " + team() + "}}" + type;
            case 2 -> "name: [v" + rnd.nextInt(12) + ", v" + rnd.nextInt(12) + ", missing]" + type;
            case 3 -> "regexName: '^v" + rnd.nextInt(3) + "'" + type;
            case 4 ->
                "channels: [{tenant: "
                    + (rnd.nextBoolean() ? tenant() : user())
                    + (rnd.nextBoolean() ? ", type: [pager]" : "")
                    + "}]";
            default -> "{}";
          };
      return v2(
          "Router",
          name,
          "{}",
          (rnd.nextInt(8) == 0 ? "  enabled: false\n" : "")
              + "  alertSelector: {matchLabels: {alertname: "
              + (rnd.nextBoolean() ? "A" : "B")
              + "}}\n  receivers:\n    "
              + receivers);
    }

    ConfigObject silence(String name) {
      String labels =
          rnd.nextBoolean()
              ? "{type: global}"
              : "{type: tenant, namespace: " + tenant() + ", user: " + user() + "}";
      return v2(
          "Silence",
          name,
          labels,
          "  matcher: {matchLabels: {alertname: " + (rnd.nextBoolean() ? "A" : "B") + "}}");
    }

    private static ConfigObject v2(String kind, String name, String labels, String spec) {
      return parse(
          "apiVersion: notification.kubesphere.io/v2beta2\nkind: "
              + kind
              + "\nmetadata: {name: "
              + name
              + ", labels: "
              + labels
              + "}\nspec:\n"
              + spec
              + "\n");
    }
  }
}
