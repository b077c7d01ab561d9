package io.nm4j.core;

import static io.nm4j.core.Fixtures.CHANNELS;
import static io.nm4j.core.Fixtures.alert;
import static io.nm4j.core.Fixtures.batch;
import static io.nm4j.core.Fixtures.routes;
import static io.nm4j.core.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.core.internal.Owner;
import io.nm4j.core.internal.delivery.ManualClock;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Problem;
import io.nm4j.spi.SecretKeySelector;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * notification-manager's v2beta2 model: Receiver and Config blocks parsed by their channel's
 * provider, Routers with the route policies, global and tenant Silences, and each receiver block's
 * enabled flag and alert selector, beside v1alpha1 objects in one snapshot.
 */
class V2beta2RoutingTest {
  private static final Clock NOON =
      Clock.fixed(Instant.parse("2026-03-04T12:00:00Z"), ZoneOffset.UTC);

  static String object(String kind, String name, String labels, String spec) {
    return "---\napiVersion: notification.kubesphere.io/v2beta2\nkind: "
        + kind
        + "\nmetadata:\n  name: "
        + name
        + "\n  labels: "
        + labels
        + "\nspec:\n"
        + spec
        + "\n";
  }

  static String globalReceiver(String name, String block) {
    return object("Receiver", name, "{type: global}", "  " + block);
  }

  static String tenantReceiver(String name, String tenant, String block) {
    return object("Receiver", name, "{type: tenant, namespace: " + tenant + "}", "  " + block);
  }

  static String defaultConfig(String name) {
    return object("Config", name, "{type: default}", "  pager: {}\n  chat: {}");
  }

  static String settings(String policy) {
    return "---\napiVersion: notification.kubesphere.io/v2beta2\nkind: NotificationManager\n"
        + "metadata: {name: notification-manager}\nspec:\n  routePolicy: "
        + policy
        + "\n";
  }

  static Snapshot snapshot(String yaml) {
    return snapshot(yaml, NOON);
  }

  static Snapshot snapshot(String yaml, Clock clock) {
    return Snapshot.build(
        Fixtures.yaml(yaml), CHANNELS, NotificationManager.DEFAULT_NAMESPACE, null, clock);
  }

  static List<String> errors(Snapshot s) {
    return s.problems().stream()
        .filter(p -> p.severity() == Problem.Severity.ERROR)
        .map(Problem::toString)
        .toList();
  }

  static io.nm4j.spi.Alert inNs(String ns, String... labels) {
    String[] all = new String[labels.length + 4];
    all[0] = "alertname";
    all[1] = "A";
    all[2] = "namespace";
    all[3] = ns;
    System.arraycopy(labels, 0, all, 4, labels.length);
    return alert(all);
  }

  /** An alert with labels (name, value, ...) under the fingerprint its sender chose. */
  static io.nm4j.spi.Alert fingerprinted(String fingerprint, String... labels) {
    io.nm4j.spi.Alert a = alert(labels);
    return new io.nm4j.spi.Alert(
        a.status(),
        a.labels(),
        a.annotations(),
        a.startsAt(),
        a.endsAt(),
        a.generatorURL(),
        fingerprint);
  }

  /** A clock that counts how often it is read, as an instant and as milliseconds. */
  static final class CountingClock extends Clock {
    volatile Instant now;
    int reads;
    int millisReads;

    CountingClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      reads++;
      return now;
    }

    @Override
    public long millis() {
      millisReads++;
      return now.toEpochMilli();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  @Nested
  class Model {
    @Test
    void eachBlockOfAReceiverIsOneReceiverNamedAfterItsBlock() {
      Snapshot s =
          snapshot(
              globalReceiver("ops", "pager: {to: ops}\n  chat: {to: ops-room}")
                  + defaultConfig("default"));
      assertThat(errors(s)).isEmpty();
      Routing r = s.route(batch(alert("alertname", "NodeDown")));
      assertThat(routes(r))
          .containsExactly(
              entry("Receiver/ops[chat]", List.of(0)), entry("Receiver/ops[pager]", List.of(0)));
      assertThat(r.routes().get(1).destination().config())
          .isEqualTo(new ObjectRef("Config", "default[pager]"));
    }

    @Test
    void v1alpha1AndV2beta2ReceiversOfOneNameNeverCollide() {
      Snapshot s =
          snapshot(
              Fixtures.global("ops")
                  + Fixtures.config("d", "{type: default}")
                  + globalReceiver("ops", "pager: {to: ops}")
                  + defaultConfig("default"));
      assertThat(errors(s)).isEmpty();
      assertThat(routes(s.route(batch(alert("alertname", "X")))))
          .containsExactly(
              entry("PagerReceiver/ops", List.of(0)), entry("Receiver/ops[pager]", List.of(0)));
    }

    @Test
    void anUnknownBlockIsAnErrorNamingObjectAndFieldAndTheObjectIsLeftOut() {
      Snapshot s =
          snapshot(
              globalReceiver("ops", "fax: {to: ops}\n  pager: {to: ops}")
                  + defaultConfig("default"));
      assertThat(errors(s))
          .containsExactly(
              "Receiver/ops: spec.fax: unknown channel block \"fax\"; known blocks: pager, chat");
      assertThat(s.route(batch(alert("a", "b"))).routes()).isEmpty();
    }

    @Test
    void aProvidersOwnErrorsCarryTheBlockPath() {
      Snapshot s = snapshot(globalReceiver("ops", "pager: {}") + defaultConfig("default"));
      assertThat(errors(s))
          .anySatisfy(
              e ->
                  assertThat(e)
                      .contains("Receiver/ops")
                      .contains("spec.pager.to")
                      .contains("is required"));
    }

    @Test
    void aCredentialSecretKeyRefBecomesASecretReferenceOfTheOwner() {
      Snapshot s =
          snapshot(
              Fixtures.secret("pager-token", "token", "c2VjcmV0")
                  + object(
                      "Config",
                      "default",
                      "{type: default}",
                      "  pager:\n    token:\n      valueFrom:\n        secretKeyRef: {namespace: kubesphere-monitoring-system, name: pager-token, key: token}")
                  + globalReceiver("ops", "pager: {to: ops}"));
      assertThat(errors(s)).isEmpty();
      Destination d = s.destinations().get(0);
      assertThat(d.configSpec().secretRefs())
          .containsExactly(entry("spec.token", new SecretKeySelector("pager-token", "token")));
    }

    @Test
    void aSecretKeyRefInAnotherNamespaceIsRefused() {
      Snapshot s =
          snapshot(
              object(
                      "Config",
                      "default",
                      "{type: default}",
                      "  pager:\n    token: {valueFrom: {secretKeyRef: {namespace: kube-system, name: t, key: k}}}")
                  + globalReceiver("ops", "pager: {to: ops}"));
      assertThat(errors(s))
          .anySatisfy(
              e -> assertThat(e).contains("Config/default").contains("spec.pager.token.namespace"));
    }

    @Test
    void anInlineCredentialValueIsTheAdminsSecretAndNeverPrinted() {
      Snapshot s =
          snapshot(
              object(
                      "Config",
                      "default",
                      "{type: default}",
                      "  pager:\n    token: {value: hunter2}")
                  + globalReceiver("ops", "pager: {to: ops}"));
      assertThat(errors(s)).isEmpty();
      Destination d = s.destinations().get(0);
      SecretKeySelector ref = d.configSpec().secretRefs().get("spec.token");
      assertThat(s.secrets().value(Owner.ADMIN, ref).reveal()).isEqualTo("hunter2");
      assertThat(s.toString() + s.problems() + d).doesNotContain("hunter2");
    }

    @Test
    void aTenantMayNotWriteAnInlineCredentialValue() {
      Snapshot s =
          snapshot(
              object(
                      "Config",
                      "shop-pager",
                      "{type: tenant, namespace: shop}",
                      "  pager:\n    token: {value: hunter2}")
                  + tenantReceiver("shop", "shop", "pager: {to: shop}"));
      assertThat(errors(s))
          .anySatisfy(
              e ->
                  assertThat(e)
                      .contains("Config/shop-pager")
                      .contains("spec.pager.token")
                      .contains("allowed only in the admin's objects"));
      assertThat(errors(s)).allSatisfy(e -> assertThat(e).doesNotContain("hunter2"));
    }
  }

  @Nested
  class ConfigSelection {
    @Test
    void tenantReceiverWhoseSelectorMatchesNoneOfItsConfigsFallsBackToTheDefault() {
      Snapshot s =
          snapshot(
              tenantReceiver(
                      "shop",
                      "shop",
                      "pager: {to: shop, pagerConfigSelector: {matchLabels: {team: none}}}")
                  + object(
                      "Config",
                      "shop-own",
                      "{type: tenant, namespace: shop, team: shop}",
                      "  pager: {}")
                  + defaultConfig("default"));
      Destination d = s.destinationsFor("shop").get(0);
      assertThat(d.config()).isEqualTo(new ObjectRef("Config", "default[pager]"));
      assertThat(s.problems())
          .anySatisfy(
              p ->
                  assertThat(p.message())
                      .contains("selector matched none of tenant shop's configs"));
    }

    @Test
    void globalReceiverWhoseSelectorMatchesNoDefaultHasNoConfigAndSaysWhy() {
      Snapshot s =
          snapshot(
              globalReceiver(
                      "ops", "pager: {to: ops, pagerConfigSelector: {matchLabels: {tier: gold}}}")
                  + defaultConfig("default"));
      Destination d = s.destinationsFor(null).get(0);
      assertThat(d.config()).isNull();
      assertThat(d.configReason()).isEqualTo("selector matched no default pager Config");
      assertThat(s.route(batch(alert("a", "b"))).routes()).hasSize(1);
    }

    @Test
    void theLowestPriorityLabelWinsThenTheFirstName() {
      Snapshot s =
          snapshot(
              globalReceiver("ops", "pager: {to: ops}")
                  + object("Config", "b", "{type: default, priority: '1'}", "  pager: {}")
                  + object("Config", "a", "{type: default, priority: '1'}", "  pager: {}")
                  + object("Config", "c", "{type: default, priority: '0'}", "  pager: {}")
                  + object("Config", "d", "{type: default}", "  pager: {}"));
      assertThat(s.destinations().get(0).config()).isEqualTo(new ObjectRef("Config", "c[pager]"));
      Snapshot tie =
          snapshot(
              globalReceiver("ops", "pager: {to: ops}")
                  + object("Config", "b", "{type: default, priority: '1'}", "  pager: {}")
                  + object("Config", "a", "{type: default, priority: '1'}", "  pager: {}"));
      assertThat(tie.destinations().get(0).config()).isEqualTo(new ObjectRef("Config", "a[pager]"));
    }

    @Test
    void tenantReceiverNeverSeesAnotherTenantsConfig() {
      Snapshot s =
          snapshot(
              tenantReceiver("shop", "shop", "pager: {to: shop, pagerConfigSelector: {}}")
                  + object("Config", "pay-own", "{type: tenant, namespace: pay}", "  pager: {}"));
      Destination d = s.destinationsFor("shop").get(0);
      assertThat(d.config()).isNull();
    }
  }

  @Nested
  class Filters {
    @Test
    void aRegularExpressionAlertSelectorKeepsOnlyTheAlertsItFinds() {
      Snapshot s =
          snapshot(
              globalReceiver(
                      "ops",
                      "pager:\n    to: ops\n    alertSelector:\n      matchExpressions:\n"
                          + "      - {key: alertname, operator: Match, regexValue: 'Kube(Pod|Node)'}\n"
                          + "      - {key: severity, operator: In, values: [critical]}")
                  + defaultConfig("default"));
      Routing r =
          s.route(
              batch(
                  alert("alertname", "KubePodCrashLooping", "severity", "critical"),
                  alert("alertname", "KubeNodeDown", "severity", "warning"),
                  alert("alertname", "Watchdog", "severity", "critical"),
                  alert("alertname", "AKubeNodeB", "severity", "critical")));
      assertThat(routes(r)).containsExactly(entry("Receiver/ops[pager]", List.of(0, 3)));
      assertThat(r.filtered())
          .extracting(Routing.Filtered::alert, f -> f.by().toString())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(1, "Receiver/ops"),
              org.assertj.core.groups.Tuple.tuple(2, "Receiver/ops"));
      assertThat(r.filtered().get(0).reason())
          .startsWith("alertSelector ")
          .endsWith("does not match");
    }

    @Test
    void aDisabledBlockGetsNothingWhileItsSiblingDoes() {
      Snapshot s =
          snapshot(
              globalReceiver("ops", "pager: {to: ops, enabled: false}\n  chat: {to: room}")
                  + defaultConfig("default"));
      Routing r = s.route(batch(alert("alertname", "X")));
      assertThat(routes(r)).containsExactly(entry("Receiver/ops[chat]", List.of(0)));
      assertThat(r.filtered())
          .containsExactly(
              new Routing.Filtered(
                  0,
                  new ObjectRef("Receiver", "ops[pager]"),
                  new ObjectRef("Receiver", "ops"),
                  "enabled: false"));
    }

    @Test
    void receiversAndSilencesSharingASelectorAreEachDecidedPerAlert() {
      String selector =
          "    alertSelector:\n      matchExpressions:\n"
              + "      - {key: alertname, operator: Match, regexValue: '^Kube'}\n";
      Snapshot s =
          snapshot(
              globalReceiver("ops", "pager:\n    to: ops\n" + selector)
                  + globalReceiver("sre", "pager:\n    to: sre\n" + selector)
                  + tenantReceiver("shop", "shop", "pager:\n    to: shop\n" + selector)
                  + tenantReceiver("pay", "pay", "pager:\n    to: pay\n" + selector)
                  + object(
                      "Silence",
                      "pay-kube",
                      "{type: tenant, namespace: pay}",
                      "  matcher:\n    matchExpressions:\n"
                          + "    - {key: alertname, operator: Match, regexValue: '^Kube'}")
                  + defaultConfig("default"));
      assertThat(errors(s)).isEmpty();
      Routing r =
          s.route(
              batch(
                  inNs("shop", "alertname", "KubePodDown"),
                  inNs("pay", "alertname", "NodeDown"),
                  inNs("pay", "alertname", "KubeJobFailed"),
                  inNs("shop", "alertname", "Watchdog"),
                  inNs("shop", "alertname", "KubeletDown")));
      assertThat(routes(r))
          .containsExactly(
              entry("Receiver/ops[pager]", List.of(0, 2, 4)),
              entry("Receiver/shop[pager]", List.of(0, 4)),
              entry("Receiver/sre[pager]", List.of(0, 2, 4)));
      assertThat(r.silenced())
          .containsExactly(
              new Routing.Silenced(
                  2,
                  new ObjectRef("Silence", "pay-kube"),
                  new ObjectRef("Receiver", "pay[pager]")));
      assertThat(r.filtered())
          .extracting(Routing.Filtered::alert, f -> f.receiver().toString())
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(1, "Receiver/ops[pager]"),
              org.assertj.core.groups.Tuple.tuple(1, "Receiver/sre[pager]"),
              org.assertj.core.groups.Tuple.tuple(1, "Receiver/pay[pager]"),
              org.assertj.core.groups.Tuple.tuple(3, "Receiver/ops[pager]"),
              org.assertj.core.groups.Tuple.tuple(3, "Receiver/sre[pager]"),
              org.assertj.core.groups.Tuple.tuple(3, "Receiver/shop[pager]"));
    }

    @Test
    void aCatastrophicOrBackreferencingPatternIsRefused() {
      Snapshot s =
          snapshot(
              globalReceiver(
                      "nested",
                      "pager:\n    to: x\n    alertSelector:\n      matchExpressions:\n"
                          + "      - {key: a, operator: Match, regexValue: '(a+)+$'}")
                  + globalReceiver(
                      "backref",
                      "pager:\n    to: x\n    alertSelector:\n      matchExpressions:\n"
                          + "      - {key: a, operator: Match, regexValue: '(a)\\1'}")
                  + defaultConfig("default"));
      assertThat(errors(s))
          .anySatisfy(
              e ->
                  assertThat(e)
                      .contains("Receiver/nested")
                      .contains("regexValue")
                      .contains("exponential"))
          .anySatisfy(e -> assertThat(e).contains("Receiver/backref").contains("backreferences"));
      assertThat(s.destinations()).isEmpty();
    }

    @Test
    void aPatternJavaWouldReadDifferentlyFromRe2IsRefusedNamingObjectFieldAndConstruct() {
      Snapshot s =
          snapshot(
              globalReceiver(
                      "ungreedy",
                      "pager:\n    to: x\n    alertSelector:\n      matchExpressions:\n"
                          + "      - {key: a, operator: Exists}\n"
                          + "      - {key: a, operator: Match, regexValue: '(?U)a+'}")
                  + object(
                      "Router",
                      "r",
                      "{}",
                      "  alertSelector: {}\n  receivers:\n    regexName: 'team\\Z'\n    type: pager")
                  + defaultConfig("default"));
      assertThat(errors(s))
          .anySatisfy(
              e ->
                  assertThat(e)
                      .startsWith("Receiver/ungreedy: ")
                      .contains("alertSelector.matchExpressions[1].regexValue: ")
                      .contains("the flag U"))
          .anySatisfy(
              e ->
                  assertThat(e).startsWith("Router/r: spec.receivers.regexName: ").contains("\\Z"));
    }
  }

  @Nested
  class Silences {
    String silence(String name, String labels, String spec) {
      return object("Silence", name, labels, spec);
    }

    /** A global receiver, a default config and one global silence. */
    String opsWithGlobalSilence(String name, String spec) {
      return globalReceiver("ops", "pager: {to: ops}")
          + defaultConfig("default")
          + silence(name, "{type: global}", spec);
    }

    /** {@link #opsWithGlobalSilence} muting everything from 22:00 for eight hours. */
    String opsWithNightlySilence() {
      return opsWithGlobalSilence(
          "nightly", "  matcher: {}\n  schedule: '0 22 * * *'\n  duration: 8h");
    }

    @Test
    void aGlobalSilenceMutesForEveryoneAndATenantSilenceOnlyForItsTenant() {
      Snapshot s =
          snapshot(
              globalReceiver("ops", "pager: {to: ops}")
                  + tenantReceiver("shop", "shop", "pager: {to: shop}")
                  + tenantReceiver("pay", "pay", "pager: {to: pay}")
                  + Fixtures.tenant("shop-v1", "shop")
                  + Fixtures.config("d", "{type: default}")
                  + defaultConfig("default")
                  + silence(
                      "maintenance",
                      "{type: global}",
                      "  matcher: {matchLabels: {alertname: Maintenance}}")
                  + silence(
                      "shop-quiet",
                      "{type: tenant, namespace: shop}",
                      "  matcher: {matchExpressions: [{key: alertname, operator: Match, regexValue: '^Noisy'}]}"));
      Routing r =
          s.route(
              batch(
                  alert("alertname", "Maintenance", "namespace", "shop"),
                  alert("alertname", "NoisyThing", "namespace", "shop"),
                  alert("alertname", "NoisyThing", "namespace", "pay")));
      assertThat(routes(r))
          .containsExactly(
              entry("Receiver/ops[pager]", List.of(1, 2)),
              entry("Receiver/pay[pager]", List.of(2)));
      assertThat(r.silenced())
          .containsExactlyInAnyOrder(
              new Routing.Silenced(0, new ObjectRef("Silence", "maintenance"), null),
              new Routing.Silenced(
                  1,
                  new ObjectRef("Silence", "shop-quiet"),
                  new ObjectRef("Receiver", "shop[pager]")),
              new Routing.Silenced(
                  1,
                  new ObjectRef("Silence", "shop-quiet"),
                  new ObjectRef("PagerReceiver", "shop-v1")));
      assertThat(r.unrouted()).isEmpty();
    }

    @Test
    void aCronSilenceMutesInsideItsWindowAndNotOutside() {
      String yaml = opsWithNightlySilence();
      ZoneId shanghai = ZoneId.of("Asia/Shanghai");
      Clock inside = Clock.fixed(Instant.parse("2026-03-04T20:30:00Z"), shanghai); // 04:30 local
      Clock edge = Clock.fixed(Instant.parse("2026-03-04T14:00:00Z"), shanghai); // 22:00 local
      Clock outside = Clock.fixed(Instant.parse("2026-03-04T22:00:00Z"), shanghai); // 06:00 local
      Clock before = Clock.fixed(Instant.parse("2026-03-04T13:59:00Z"), shanghai); // 21:59 local
      assertThat(snapshot(yaml, inside).route(batch(alert("a", "b"))).routes()).isEmpty();
      assertThat(snapshot(yaml, edge).route(batch(alert("a", "b"))).silenced()).hasSize(1);
      assertThat(routes(snapshot(yaml, outside).route(batch(alert("a", "b")))))
          .containsOnlyKeys("Receiver/ops[pager]");
      assertThat(routes(snapshot(yaml, before).route(batch(alert("a", "b")))))
          .containsOnlyKeys("Receiver/ops[pager]");
    }

    @Test
    void aScheduleMayNameItsOwnTimeZone() {
      String yaml =
          opsWithGlobalSilence(
              "nightly",
              "  matcher: {}\n  schedule: 'CRON_TZ=Asia/Shanghai 0 22 * * *'\n  duration: 1h");
      Clock utc = Clock.fixed(Instant.parse("2026-03-04T14:30:00Z"), ZoneOffset.UTC);
      assertThat(snapshot(yaml, utc).route(batch(alert("a", "b"))).routes()).isEmpty();
    }

    @Test
    void aSilenceWithStartsAtAndDurationIsActiveOnlyInThatWindow() {
      String yaml =
          opsWithGlobalSilence(
              "window", "  matcher: {}\n  startsAt: '2026-03-04T11:00:00Z'\n  duration: 1h30m");
      assertThat(snapshot(yaml, NOON).route(batch(alert("a", "b"))).routes()).isEmpty();
      Clock later = Clock.fixed(Instant.parse("2026-03-04T12:30:00Z"), ZoneOffset.UTC);
      assertThat(snapshot(yaml, later).route(batch(alert("a", "b"))).routes()).hasSize(1);
    }

    @Test
    void oneSnapshotStartsAndStopsMutingExactlyAtTheWindowsEdges() {
      String yaml =
          opsWithGlobalSilence(
              "window", "  matcher: {}\n  startsAt: '2026-03-04T12:00:00.000500Z'\n  duration: 1h");
      ManualClock clock = new ManualClock(Instant.parse("2026-03-04T11:59:59.999Z"));
      Snapshot s = snapshot(yaml, clock);
      assertThat(s.route(batch(alert("a", "b"))).silenced()).isEmpty();
      clock.set(Instant.parse("2026-03-04T12:00:00.000499Z"));
      assertThat(s.route(batch(alert("a", "b"))).silenced()).isEmpty();
      clock.set(Instant.parse("2026-03-04T12:00:00.000500Z"));
      assertThat(s.route(batch(alert("a", "b"))).silenced()).hasSize(1);
      clock.set(Instant.parse("2026-03-04T13:00:00.000499Z"));
      assertThat(s.route(batch(alert("a", "b"))).silenced()).hasSize(1);
      clock.set(Instant.parse("2026-03-04T13:00:00.000500Z"));
      assertThat(s.route(batch(alert("a", "b"))).silenced()).isEmpty();
    }

    @Test
    void withinASpanEachBatchReadsTheClockOnceAsMillisecondsAndAfterItTheSilencesAreRecomputed() {
      String yaml = opsWithNightlySilence();
      CountingClock clock = new CountingClock(Instant.parse("2026-03-04T21:59:58Z"));
      Snapshot s = snapshot(yaml, clock);
      assertThat(routes(s.route(batch(alert("a", "b"))))).containsOnlyKeys("Receiver/ops[pager]");
      clock.reads = 0;
      clock.millisReads = 0;
      for (int i = 0; i < 3; i++) {
        assertThat(routes(s.route(batch(alert("a", "b", "n", "" + i), alert("a", "c")))))
            .containsOnlyKeys("Receiver/ops[pager]");
      }
      assertThat(clock.millisReads).isEqualTo(3);
      assertThat(clock.reads).isZero();
      clock.now = Instant.parse("2026-03-04T22:00:00Z");
      assertThat(s.route(batch(alert("a", "b"))).silenced()).hasSize(1);
    }

    @Test
    void silencesThatNoTimeCanChangeAreEvaluatedOnceAndTheClockIsNotReadAgain() {
      String yaml =
          globalReceiver("ops", "pager: {to: ops}")
              + defaultConfig("default")
              + silence("always", "{type: global}", "  matcher: {matchLabels: {a: quiet}}")
              + silence(
                  "cron-without-duration",
                  "{type: global}",
                  "  matcher: {matchLabels: {a: hush}}\n  schedule: '0 22 * * *'");
      CountingClock clock = new CountingClock(NOON.instant());
      Snapshot s = snapshot(yaml, clock);
      s.route(batch(alert("a", "b")));
      clock.reads = 0;
      clock.millisReads = 0;
      Routing r = s.route(batch(alert("a", "quiet"), alert("a", "hush"), alert("a", "loud")));
      assertThat(routes(r)).containsExactly(entry("Receiver/ops[pager]", List.of(2)));
      assertThat(clock.reads + clock.millisReads).isZero();
    }

    @Test
    void aBatchRoutedAtTheTimeItsCallerReadIsDecidedAtThatTimeWithoutReadingTheClock() {
      String yaml = opsWithNightlySilence();
      CountingClock clock = new CountingClock(Instant.parse("2026-03-04T12:00:00Z"));
      Snapshot s = snapshot(yaml, clock);
      clock.reads = 0;
      clock.millisReads = 0;
      io.nm4j.spi.Alert alert = fingerprinted("f1", "a", "b");
      Instant inside = Instant.parse("2026-03-04T23:00:00Z");
      Instant outside = Instant.parse("2026-03-05T06:00:00Z");
      assertThat(s.route(batch(alert), inside).silenced()).hasSize(1);
      assertThat(routes(s.route(batch(alert), outside))).containsOnlyKeys("Receiver/ops[pager]");
      assertThat(s.route(batch(alert, alert("a", "c")), inside).routes()).isEmpty();
      assertThat(clock.reads + clock.millisReads).isZero();
    }

    @Test
    void aCachedOneAlertRoutingHoldsAcrossSpansUntilACronSilenceStartsOrStops() {
      String yaml = opsWithNightlySilence();
      ManualClock clock = new ManualClock(Instant.parse("2026-03-04T20:00:30Z"));
      Snapshot s = snapshot(yaml, clock);
      io.nm4j.spi.Alert alert = fingerprinted("f1", "a", "b");
      Routing before = s.route(batch(alert));
      assertThat(routes(before)).containsOnlyKeys("Receiver/ops[pager]");
      // A later minute is another span (a schedule may fire at any minute) with the same silences.
      clock.set(Instant.parse("2026-03-04T21:59:59.999Z"));
      assertThat(s.route(batch(alert))).isSameAs(before);
      assertThat(s.route(batch(fingerprinted("f1", "a", "b")))).isSameAs(before);
      clock.set(Instant.parse("2026-03-04T22:00:00Z"));
      Routing inside = s.route(batch(alert));
      assertThat(inside.routes()).isEmpty();
      assertThat(inside.silenced()).hasSize(1);
      clock.set(Instant.parse("2026-03-05T05:59:00Z"));
      assertThat(s.route(batch(alert))).isSameAs(inside);
      clock.set(Instant.parse("2026-03-05T06:00:00Z"));
      assertThat(routes(s.route(batch(alert)))).containsOnlyKeys("Receiver/ops[pager]");
      assertThat(s.route(batch(alert), Instant.parse("2026-03-05T05:59:59Z")).routes()).isEmpty();
    }

    @Test
    void anAlertClaimingAnotherAlertsFingerprintIsRoutedOnItsOwnLabels() {
      Snapshot s =
          snapshot(
              globalReceiver("ops", "pager: {to: ops}")
                  + tenantReceiver("shop", "shop", "pager: {to: shop}")
                  + tenantReceiver("pay", "pay", "pager: {to: pay}")
                  + defaultConfig("default")
                  + silence(
                      "maintenance",
                      "{type: global}",
                      "  matcher: {matchLabels: {alertname: Maintenance}}"));
      io.nm4j.spi.Alert shop = fingerprinted("f00d", "alertname", "Disk", "namespace", "shop");
      io.nm4j.spi.Alert pay = fingerprinted("f00d", "alertname", "Disk", "namespace", "pay");
      io.nm4j.spi.Alert muted = fingerprinted("f00d", "alertname", "Maintenance");
      for (int round = 0; round < 2; round++) {
        assertThat(routes(s.route(batch(shop))))
            .containsOnlyKeys("Receiver/ops[pager]", "Receiver/shop[pager]");
        assertThat(routes(s.route(batch(pay))))
            .containsOnlyKeys("Receiver/ops[pager]", "Receiver/pay[pager]");
        assertThat(routes(s.route(batch(pay)))).doesNotContainKey("Receiver/shop[pager]");
        assertThat(s.route(batch(muted)).routes()).isEmpty();
        assertThat(routes(s.route(batch(shop))))
            .containsOnlyKeys("Receiver/ops[pager]", "Receiver/shop[pager]");
      }
    }

    @Test
    void aDisabledSilenceMutesNothing() {
      String yaml = opsWithGlobalSilence("off", "  enabled: false\n  matcher: {}");
      assertThat(snapshot(yaml).route(batch(alert("a", "b"))).routes()).hasSize(1);
    }

    @Test
    void aBadScheduleOrDurationIsAnErrorNamingTheField() {
      Snapshot s =
          snapshot(
              silence(
                      "bad",
                      "{type: global}",
                      "  matcher: {}\n  schedule: '61 * * * *'\n  duration: 8 hours")
                  + silence("every", "{type: global}", "  matcher: {}\n  schedule: '@every 1h'"));
      assertThat(errors(s))
          .anySatisfy(
              e ->
                  assertThat(e)
                      .contains("Silence/bad")
                      .contains("spec.schedule")
                      .contains("minute"))
          .anySatisfy(e -> assertThat(e).contains("Silence/bad").contains("spec.duration"))
          .anySatisfy(e -> assertThat(e).contains("Silence/every").contains("@every"));
    }
  }

  @Nested
  class Routers {
    String yaml(String policy) {
      return settings(policy)
          + globalReceiver("ops", "pager: {to: ops}")
          + object("Receiver", "dba", "{team: db}", "  pager: {to: dba}\n  chat: {to: dba-room}")
          + tenantReceiver("shop", "shop", "pager: {to: shop}")
          + Fixtures.tenant("shop-v1", "shop")
          + Fixtures.config("d", "{type: default}")
          + defaultConfig("default")
          + object(
              "Router",
              "databases",
              "{}",
              "  alertSelector:\n    matchExpressions:\n    - {key: alertname, operator: Match, regexValue: '^Mysql'}\n"
                  + "  receivers:\n    selector: {matchLabels: {team: db}}\n    type: chat");
    }

    Routing route(String policy) {
      Snapshot s = snapshot(yaml(policy));
      assertThat(errors(s)).isEmpty();
      return s.route(
          batch(inNs("shop", "x", "y"), alert("alertname", "MysqlDown", "namespace", "shop")));
    }

    @Test
    void allGivesTheRoutersReceiversBesideTheTenantsOnes() {
      assertThat(routes(route("All")))
          .containsExactly(
              entry("PagerReceiver/shop-v1", List.of(0, 1)),
              entry("Receiver/dba[chat]", List.of(1)),
              entry("Receiver/ops[pager]", List.of(0, 1)),
              entry("Receiver/shop[pager]", List.of(0, 1)));
    }

    @Test
    void routerFirstGivesOnlyTheRoutersReceiversWhenARouterMatches() {
      assertThat(routes(route("RouterFirst")))
          .containsExactly(
              entry("PagerReceiver/shop-v1", List.of(0, 1)),
              entry("Receiver/dba[chat]", List.of(1)),
              entry("Receiver/ops[pager]", List.of(0)),
              entry("Receiver/shop[pager]", List.of(0)));
    }

    @Test
    void routerOnlyGivesV2beta2ReceiversNothingARouterDoesNotName() {
      Routing r = route("RouterOnly");
      assertThat(routes(r))
          .containsExactly(
              entry("PagerReceiver/shop-v1", List.of(0, 1)),
              entry("Receiver/dba[chat]", List.of(1)));
      assertThat(r.routers())
          .containsExactly(
              new Routing.RouterMatch(
                  1,
                  new ObjectRef("Router", "databases"),
                  List.of(new ObjectRef("Receiver", "dba[chat]"))));
    }

    @Test
    void routerOnlyWithoutAnyRouterGivesV2beta2ReceiversNothing() {
      Snapshot s =
          snapshot(
              settings("RouterOnly")
                  + globalReceiver("ops", "pager: {to: ops}")
                  + tenantReceiver("shop", "shop", "pager: {to: shop}")
                  + Fixtures.tenant("shop-v1", "shop")
                  + Fixtures.config("d", "{type: default}")
                  + defaultConfig("default"));
      assertThat(errors(s)).isEmpty();

      assertThat(routes(s.route(batch(alert("alertname", "MysqlDown", "namespace", "shop")))))
          .containsExactly(entry("PagerReceiver/shop-v1", List.of(0)));
    }

    @Test
    void routersNameReceiversByNameRegexAndTenantChannels() {
      Snapshot s =
          snapshot(
              settings("RouterOnly")
                  + object("Receiver", "alpha", "{}", "  pager: {to: a}")
                  + object("Receiver", "team-beta", "{}", "  pager: {to: b}\n  chat: {to: b}")
                  + tenantReceiver("shop", "shop", "pager: {to: shop}\n  chat: {to: shop}")
                  + defaultConfig("default")
                  + object(
                      "Router",
                      "r",
                      "{}",
                      "  alertSelector: {}\n  receivers:\n    name: [alpha]\n    regexName: 'beta$'\n    type: pager")
                  + object(
                      "Router",
                      "t",
                      "{}",
                      "  alertSelector: {matchLabels: {tier: web}}\n  receivers:\n    channels: [{tenant: shop, type: [chat]}]"));
      assertThat(errors(s)).isEmpty();
      assertThat(routes(s.route(batch(alert("tier", "web")))))
          .containsExactly(
              entry("Receiver/alpha[pager]", List.of(0)),
              entry("Receiver/shop[chat]", List.of(0)),
              entry("Receiver/team-beta[pager]", List.of(0)));
    }

    @Test
    void explainTellsSilencesRoutersAndFilters() throws Exception {
      Snapshot s =
          snapshot(
              yaml("All")
                  + object(
                      "Silence",
                      "quiet",
                      "{type: global}",
                      "  matcher: {matchLabels: {alertname: Quiet}}"));
      Explain explain =
          Explain.of(s.route(batch(alert("alertname", "Quiet"), alert("alertname", "MysqlDown"))));
      JsonNode json = new ObjectMapper().readTree(explain.toJson());
      assertThat(json.at("/silenced/0/silence").asText()).isEqualTo("Silence/quiet");
      assertThat(json.at("/silenced/0/alert").asInt()).isZero();
      assertThat(json.at("/silenced/0/receiver").isMissingNode()).isTrue();
      assertThat(json.at("/routers/0/router").asText()).isEqualTo("Router/databases");
      assertThat(json.at("/routers/0/receivers/0").asText()).isEqualTo("Receiver/dba[chat]");
      assertThat(json.at("/unrouted").size()).isZero();
    }
  }
}
