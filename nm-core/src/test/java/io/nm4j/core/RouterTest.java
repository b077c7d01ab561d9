package io.nm4j.core;

import static io.nm4j.core.Fixtures.USER_MODE;
import static io.nm4j.core.Fixtures.alert;
import static io.nm4j.core.Fixtures.batch;
import static io.nm4j.core.Fixtures.config;
import static io.nm4j.core.Fixtures.global;
import static io.nm4j.core.Fixtures.inNamespace;
import static io.nm4j.core.Fixtures.problems;
import static io.nm4j.core.Fixtures.receiver;
import static io.nm4j.core.Fixtures.roleBinding;
import static io.nm4j.core.Fixtures.routes;
import static io.nm4j.core.Fixtures.secret;
import static io.nm4j.core.Fixtures.snapshot;
import static io.nm4j.core.Fixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.nm4j.core.internal.Owner;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Problem;
import io.nm4j.spi.Scope;
import io.nm4j.spi.SecretKeySelector;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RouterTest {

  @Nested
  class Tenancy {
    @Test
    void alertWithoutNamespaceReachesOnlyGlobalReceivers() {
      Snapshot s =
          snapshot(global("ops") + tenant("shop", "shop") + config("d", "{type: default}"));
      Routing r = s.route(batch(alert("alertname", "NodeDown", "instance", "node-1")));
      assertThat(routes(r)).containsOnly(entry("PagerReceiver/ops", List.of(0)));
    }

    @Test
    void namespaceModeTenantIsTheAlertsNamespace() {
      Snapshot s =
          snapshot(
              tenant("shop", "shop") + tenant("pay", "payments") + config("d", "{type: default}"));
      Routing r = s.route(batch(inNamespace("payments"), inNamespace("shop")));
      assertThat(routes(r))
          .containsExactly(
              entry("PagerReceiver/pay", List.of(0)), entry("PagerReceiver/shop", List.of(1)));
    }

    @Test
    void userModeTenantsAreTheUsersBoundInTheNamespaceEachOnce() {
      Snapshot s =
          snapshot(
              USER_MODE
                  + tenant("alice", "alice", "user")
                  + tenant("bob", "bob", "user")
                  + tenant("carol", "carol", "user")
                  + config("d", "{type: default}")
                  + roleBinding("a1", "shop", "[{kind: User, name: alice}]")
                  + roleBinding(
                      "a2",
                      "shop",
                      "[{kind: User, name: alice}, {kind: User, name: bob}, {kind: Group, name: carol},"
                          + " {kind: ServiceAccount, name: carol, namespace: shop}]"));
      Routing r = s.route(batch(inNamespace("shop")));
      assertThat(routes(r))
          .containsExactly(
              entry("PagerReceiver/alice", List.of(0)), entry("PagerReceiver/bob", List.of(0)));
      assertThat(r.routes())
          .extracting(x -> x.destination().tenant())
          .containsExactly("alice", "bob");
    }

    @Test
    void userModeNamespaceWithoutRoleBindingHasNoTenant() {
      Snapshot s =
          snapshot(USER_MODE + tenant("alice", "alice", "user") + config("d", "{type: default}"));
      Routing r = s.route(batch(inNamespace("shop")));
      assertThat(r.routes()).isEmpty();
      assertThat(r.unrouted())
          .singleElement()
          .satisfies(u -> assertThat(u.reason()).contains("shop"));
    }

    @Test
    void userModeIgnoresTheNamespaceLabelOfReceivers() {
      Snapshot s =
          snapshot(
              USER_MODE
                  + tenant("shop-ns", "shop", "namespace")
                  + config("d", "{type: default}")
                  + roleBinding("a1", "shop", "[{kind: User, name: alice}]"));
      assertThat(problems(s))
          .anySatisfy(p -> assertThat(p).contains("PagerReceiver/shop-ns").contains("\"user\""));
      assertThat(s.route(batch(inNamespace("shop"))).routes()).isEmpty();
    }

    @Test
    void hostTenantResolverDecidesTheTenants() {
      Snapshot s =
          Snapshot.build(
              Fixtures.yaml(
                  tenant("team-a", "team-a")
                      + tenant("team-b", "team-b")
                      + config("d", "{type: default}")),
              Fixtures.CHANNELS,
              NotificationManager.DEFAULT_NAMESPACE,
              ns -> ns.startsWith("a-") ? List.of("team-a") : List.of("team-b"));
      assertThat(routes(s.route(batch(inNamespace("a-1"), inNamespace("b-1"), inNamespace("a-2")))))
          .containsExactly(
              entry("PagerReceiver/team-a", List.of(0, 2)),
              entry("PagerReceiver/team-b", List.of(1)));
    }
  }

  @Nested
  class Receivers {
    @Test
    void everyGlobalReceiverGetsEveryAlertAndTenantReceiversTheirTenantsAlerts() {
      Snapshot s =
          snapshot(
              global("g1")
                  + global("g2")
                  + tenant("shop", "shop")
                  + config("d", "{type: default}"));
      Routing r =
          s.route(batch(inNamespace("shop"), inNamespace("other"), alert("alertname", "X")));
      assertThat(routes(r))
          .containsExactly(
              entry("PagerReceiver/g1", List.of(0, 1, 2)),
              entry("PagerReceiver/g2", List.of(0, 1, 2)),
              entry("PagerReceiver/shop", List.of(0)));
      assertThat(r.routes().get(0).destination().scope()).isEqualTo(Scope.GLOBAL);
      assertThat(r.routes().get(2).destination().scope()).isEqualTo(Scope.TENANT);
      assertThat(r.routes().get(2).destination().tenant()).isEqualTo("shop");
    }

    @Test
    void oneNotificationPerReceiverHoldsAllItsAlertsInArrivalOrder() {
      Snapshot s = snapshot(tenant("shop", "shop") + config("d", "{type: default}"));
      Routing r =
          s.route(
              batch(
                  inNamespace("shop"), inNamespace("x"), inNamespace("shop"), inNamespace("shop")));
      assertThat(r.routes()).hasSize(1);
      assertThat(r.routes().get(0).alerts()).containsExactly(0, 2, 3);
    }

    @Test
    void tenantReceiverWithoutTenantLabelIsReportedAndNeverUsed() {
      Snapshot s =
          snapshot(
              receiver("PagerReceiver", "lost", "{type: tenant}", "{to: x}")
                  + config("d", "{type: default}"));
      assertThat(problems(s))
          .containsExactly(
              "PagerReceiver/lost: metadata.labels: a tenant receiver needs the label \"namespace\""
                  + " naming its tenant; not used");
      assertThat(s.destinations()).isEmpty();
    }

    @Test
    void receiverMatchingBothOrNeitherSelectorIsReportedAndNeverUsed() {
      Snapshot s =
          snapshot(
              receiver("PagerReceiver", "none", "{team: x}", "{to: x}")
                  + config("d", "{type: default}")
                  + "---\napiVersion: notification.kubesphere.io/v1alpha1\nkind: NotificationManager\n"
                  + "metadata: {name: nm}\nspec: {receivers: {globalReceiverSelector: {matchLabels: {scope: all}},"
                  + " tenantReceiverSelector: {matchExpressions: [{key: scope, operator: Exists}]}}}\n"
                  + receiver("PagerReceiver", "both", "{scope: all, namespace: shop}", "{to: x}"));
      assertThat(problems(s))
          .anySatisfy(
              p -> assertThat(p).startsWith("PagerReceiver/none: metadata.labels: matches neither"))
          .anySatisfy(
              p -> assertThat(p).startsWith("PagerReceiver/both: metadata.labels: matches both"));
      assertThat(s.destinations()).isEmpty();
    }

    @Test
    void unroutedAlertsAreReportedWithTheirReason() {
      Snapshot s = snapshot(tenant("shop", "shop") + config("d", "{type: default}"));
      Routing r =
          s.route(batch(inNamespace("shop"), inNamespace("ns-x"), alert("alertname", "NodeDown")));
      assertThat(r.unrouted())
          .containsExactly(
              new Routing.Unrouted(
                  1, "no global receiver and no tenant receiver for namespace ns-x"),
              new Routing.Unrouted(2, "no namespace label and no global receiver"));
    }

    @Test
    void receiverOfAnotherChannelKindIsRoutedWithItsOwnKindsConfig() {
      Snapshot s =
          snapshot(
              receiver("ChatReceiver", "chat", "{type: global}", "{to: room}")
                  + receiver("ChatConfig", "chat-default", "{type: default}", "{}")
                  + config("d", "{type: default}"));
      assertThat(s.destinations())
          .singleElement()
          .satisfies(
              d -> assertThat(d.config()).isEqualTo(new ObjectRef("ChatConfig", "chat-default")));
    }
  }

  @Nested
  class ConfigResolution {
    private String configs() {
      return config("default", "{type: default}")
          + config("admin-a", "{purpose: a}")
          + config("admin-b", "{purpose: b}")
          + config("shop-1", "{type: tenant, namespace: shop, tier: gold}")
          + config("shop-2", "{type: tenant, namespace: shop, tier: silver}")
          + config("pay-1", "{type: tenant, namespace: payments, tier: gold}");
    }

    private Destination only(Snapshot s) {
      assertThat(s.destinations()).hasSize(1);
      return s.destinations().get(0);
    }

    private String tenantWith(String selector) {
      return receiver(
          "PagerReceiver",
          "shop",
          "{type: tenant, namespace: shop}",
          "{to: x, pagerConfigSelector: " + selector + "}");
    }

    private String globalWith(String selector) {
      return receiver(
          "PagerReceiver",
          "ops",
          "{type: global}",
          "{to: x, pagerConfigSelector: " + selector + "}");
    }

    @Test
    void noSelectorUsesTheDefaultConfig() {
      Snapshot s = snapshot(configs() + tenant("shop", "shop"));
      assertThat(only(s).config()).isEqualTo(new ObjectRef("PagerConfig", "default"));
      assertThat(only(s).configSpec()).isNotNull();
    }

    @Test
    void tenantReceiverPicksItsOwnMatchingConfig() {
      Snapshot s = snapshot(configs() + tenantWith("{matchLabels: {tier: gold}}"));
      assertThat(only(s).config()).isEqualTo(new ObjectRef("PagerConfig", "shop-1"));
      assertThat(problems(s)).isEmpty();
    }

    @Test
    void tenantReceiverNeverSeesAnotherTenantsConfigEvenWithAnEmptySelector() {
      Snapshot s = snapshot(configs() + tenantWith("{matchLabels: {namespace: payments}}"));
      assertThat(only(s).config()).isEqualTo(new ObjectRef("PagerConfig", "default"));
      assertThat(problems(s))
          .containsExactly(
              "PagerReceiver/shop: spec.pagerConfigSelector: selector matched nothing; using default PagerConfig/default");

      Snapshot empty = snapshot(configs() + tenantWith("{}"));
      assertThat(only(empty).config()).isEqualTo(new ObjectRef("PagerConfig", "default"));
      assertThat(problems(empty))
          .singleElement()
          .satisfies(
              p ->
                  assertThat(p)
                      .contains(
                          "ambiguous selector: matches PagerConfig/default, PagerConfig/shop-1, PagerConfig/shop-2"));
    }

    @Test
    void aChosenConfigIsOwnedByTheReceiversTenantUnlessItIsTheDefaultOrTheAdmins() {
      Snapshot own = snapshot(configs() + tenantWith("{matchLabels: {tier: gold}}"));
      assertThat(only(own).config()).isEqualTo(new ObjectRef("PagerConfig", "shop-1"));
      assertThat(only(own).configTenant()).isEqualTo("shop");

      Snapshot fallback = snapshot(configs() + tenantWith("{matchLabels: {tier: bronze}}"));
      assertThat(only(fallback).config()).isEqualTo(new ObjectRef("PagerConfig", "default"));
      assertThat(only(fallback).configTenant()).isNull();

      Snapshot defaultFirstByName = snapshot(configs() + tenantWith("{}"));
      assertThat(only(defaultFirstByName).config())
          .isEqualTo(new ObjectRef("PagerConfig", "default"));
      assertThat(only(defaultFirstByName).configTenant()).isNull();

      Snapshot admins = snapshot(configs() + globalWith("{matchLabels: {purpose: b}}"));
      assertThat(only(admins).config()).isEqualTo(new ObjectRef("PagerConfig", "admin-b"));
      assertThat(only(admins).configTenant()).isNull();
    }

    @Test
    void globalReceiverSeesAdminOwnedConfigsAndTheDefaultOnly() {
      Snapshot s = snapshot(configs() + globalWith("{matchLabels: {tier: gold}}"));
      assertThat(only(s).config()).isEqualTo(new ObjectRef("PagerConfig", "default"));
      Snapshot a = snapshot(configs() + globalWith("{matchLabels: {purpose: b}}"));
      assertThat(only(a).config()).isEqualTo(new ObjectRef("PagerConfig", "admin-b"));
    }

    @Test
    void ambiguousSelectorTakesTheFirstByNameAndReportsIt() {
      Snapshot s =
          snapshot(
              configs() + globalWith("{matchExpressions: [{key: purpose, operator: Exists}]}"));
      assertThat(only(s).config()).isEqualTo(new ObjectRef("PagerConfig", "admin-a"));
      assertThat(s.problems())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.severity()).isEqualTo(Problem.Severity.ERROR);
                assertThat(p.toString())
                    .isEqualTo(
                        "PagerReceiver/ops: spec.pagerConfigSelector: ambiguous selector: matches"
                            + " PagerConfig/admin-a, PagerConfig/admin-b; using PagerConfig/admin-a (first by name)");
              });
    }

    @Test
    void selectorMatchingNothingFallsBackToTheDefaultWithANotice() {
      Snapshot s = snapshot(configs() + tenantWith("{matchLabels: {tier: bronze}}"));
      assertThat(only(s).config()).isEqualTo(new ObjectRef("PagerConfig", "default"));
      assertThat(s.problems())
          .singleElement()
          .satisfies(p -> assertThat(p.severity()).isEqualTo(Problem.Severity.NOTICE));
    }

    @Test
    void receiverWithoutAnyConfigIsRoutedWithNullConfigAndReason() {
      Snapshot s = snapshot(tenant("shop", "shop"));
      Destination d = only(s);
      assertThat(d.config()).isNull();
      assertThat(d.configReason()).isEqualTo("no PagerConfig selected and no default");
      assertThat(s.route(batch(inNamespace("shop"))).routes()).hasSize(1);
      assertThat(problems(s))
          .containsExactly(
              "PagerReceiver/shop: spec: no PagerConfig selected and no default; its notifications fail with NO_CONFIG");
    }

    @Test
    void matchExpressionsCombineWithMatchLabels() {
      Snapshot s =
          snapshot(
              configs()
                  + tenantWith(
                      "{matchLabels: {namespace: shop}, matchExpressions: [{key: tier, operator: NotIn, values: [gold]},"
                          + " {key: legacy, operator: DoesNotExist}, {key: tier, operator: In, values: [silver, x]}]}"));
      assertThat(only(s).config()).isEqualTo(new ObjectRef("PagerConfig", "shop-2"));
    }

    @Test
    void unknownOperatorOrInWithoutValuesMakesTheReceiverInvalid() {
      Snapshot bad =
          snapshot(
              configs()
                  + tenantWith("{matchExpressions: [{key: tier, operator: Like, values: [x]}]}"));
      assertThat(bad.destinations()).isEmpty();
      assertThat(problems(bad))
          .containsExactly(
              "PagerReceiver/shop: spec.pagerConfigSelector.matchExpressions[0].operator: unknown operator \"Like\"; use In, NotIn, Exists or DoesNotExist");
      Snapshot empty =
          snapshot(
              configs()
                  + tenantWith("{matchExpressions: [{key: tier, operator: In, values: []}]}"));
      assertThat(empty.destinations()).isEmpty();
      assertThat(problems(empty))
          .containsExactly(
              "PagerReceiver/shop: spec.pagerConfigSelector.matchExpressions[0].values: operator In needs at least one value");
    }

    @Test
    void oldestDefaultWinsThenSmallestNameAndTheOthersAreNeverUsed() {
      String older =
          "---\napiVersion: notification.kubesphere.io/v1alpha1\nkind: PagerConfig\nmetadata: {name: z-old,"
              + " labels: {type: default}, creationTimestamp: '2024-01-01T00:00:00Z'}\nspec: {}\n";
      String newer =
          "---\napiVersion: notification.kubesphere.io/v1alpha1\nkind: PagerConfig\nmetadata: {name: a-new,"
              + " labels: {type: default}, creationTimestamp: '2025-01-01T00:00:00Z'}\nspec: {}\n";
      Snapshot s = snapshot(newer + older + global("ops"));
      assertThat(only(s).config()).isEqualTo(new ObjectRef("PagerConfig", "z-old"));
      assertThat(problems(s))
          .singleElement()
          .satisfies(
              p ->
                  assertThat(p)
                      .startsWith(
                          "PagerConfig/a-new: metadata.labels: a second default PagerConfig"));

      Snapshot byName =
          snapshot(config("b", "{type: default}") + config("a", "{type: default}") + global("ops"));
      assertThat(only(byName).config()).isEqualTo(new ObjectRef("PagerConfig", "a"));
      // the loser is not a candidate for selectors either
      Snapshot sel =
          snapshot(
              config("b", "{type: default}")
                  + config("a", "{type: default}")
                  + globalWith("{matchLabels: {type: default}}"));
      assertThat(only(sel).config()).isEqualTo(new ObjectRef("PagerConfig", "a"));
    }
  }

  @Nested
  class Secrets {
    private String configWithToken(String secretName) {
      return receiver(
          "PagerConfig", "d", "{type: default}", "{token: {name: " + secretName + ", key: token}}");
    }

    @Test
    void missingSecretIsReportedButTheConfigStillRoutes() {
      Snapshot s = snapshot(configWithToken("nope") + global("ops"));
      assertThat(problems(s))
          .containsExactly(
              "PagerConfig/d: spec.token: secret \"nope\" not found among the admin's secrets");
      assertThat(s.destinations().get(0).config()).isEqualTo(new ObjectRef("PagerConfig", "d"));
    }

    @Test
    void missingKeyIsReported() {
      Snapshot s =
          snapshot(configWithToken("sec") + secret("sec", "other", "eA==") + global("ops"));
      assertThat(problems(s))
          .containsExactly("PagerConfig/d: spec.token: secret \"sec\" has no key \"token\"");
    }

    @Test
    void secretValuesAreDecodedAndRedacted() {
      Snapshot s =
          snapshot(configWithToken("sec") + secret("sec", "token", "czNjcjN0") + global("ops"));
      assertThat(problems(s)).isEmpty();
      Owner admin = Owner.ADMIN;
      assertThat(s.secrets().value(admin, new SecretKeySelector("sec", "token")).reveal())
          .isEqualTo("s3cr3t");
      assertThat(String.valueOf(s.secrets().value(admin, new SecretKeySelector("sec", "token"))))
          .doesNotContain("s3cr3t");
      assertThat(String.valueOf(s.secrets())).doesNotContain("s3cr3t");
      assertThat(s.secrets().value(admin, new SecretKeySelector("sec", "nope"))).isNull();
    }

    @Test
    void secretThatIsNotBase64IsReported() {
      Snapshot s = snapshot(secret("sec", "token", "'not base64!'"));
      assertThat(problems(s)).containsExactly("Secret/sec: data.token: is not valid base64");
    }
  }

  @Test
  void objectsInAnotherNamespaceAreReportedAndIgnored() {
    Snapshot s =
        snapshot(
            "---\napiVersion: notification.kubesphere.io/v1alpha1\nkind: PagerReceiver\nmetadata: {name: x,"
                + " namespace: other, labels: {type: global}}\nspec: {to: x}\n");
    assertThat(problems(s))
        .containsExactly(
            "PagerReceiver/x: metadata.namespace: must be \"kubesphere-monitoring-system\" (the namespace nm4j reads), was \"other\"");
    assertThat(s.destinations()).isEmpty();
  }

  @Test
  void unknownKindIsReportedAndTheRestStillLoads() {
    Snapshot s =
        snapshot(
            "---\napiVersion: notification.kubesphere.io/v1alpha1\nkind: FeishuReceiver\nmetadata: {name: f}\nspec: {}\n"
                + global("ops")
                + config("d", "{type: default}"));
    assertThat(problems(s))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p)
                    .startsWith("FeishuReceiver/f: kind: unknown kind \"FeishuReceiver\""));
    assertThat(s.destinations()).hasSize(1);
  }

  @Test
  void invalidSpecReportsEveryErrorAtOnce() {
    Snapshot s =
        snapshot(
            receiver(
                "PagerReceiver",
                "bad",
                "{type: global}",
                "{pagerConfigSelector: {matchLabels: {a: [1]}, bogus: 1}}"));
    assertThat(problems(s))
        .containsExactlyInAnyOrder(
            "PagerReceiver/bad: spec.to: is required",
            "PagerReceiver/bad: spec.pagerConfigSelector.matchLabels.a: must be a string, was a list",
            "PagerReceiver/bad: spec.pagerConfigSelector.bogus: unknown selector field; use matchLabels or matchExpressions");
  }

  @Test
  void snapshotsAreImmutableAndRoutingIsAPrecomputedLookup() {
    Snapshot s = snapshot(global("ops") + tenant("shop", "shop") + config("d", "{type: default}"));
    assertThat(s.destinationsFor("shop"))
        .extracting(d -> d.receiver().name())
        .containsExactly("ops", "shop");
    assertThat(s.destinationsFor(null)).extracting(d -> d.receiver().name()).containsExactly("ops");
    assertThat(s.destinationsFor("shop"))
        .isSameAs(s.destinationsFor("shop").getClass() == null ? null : s.destinationsFor("shop"))
        .isNotNull();
  }
}
