package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code nm4j route} on the Alertmanager fixtures against the valid manifest sets and a config made
 * for the fixtures' namespaces. Each notification is asserted as one line: {@code receiver | scope
 * [tenant] | config | alert indexes}.
 */
class RouteCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The global receivers of both valid sets, with the configs they resolve to. */
  private static final List<String> GLOBALS =
      List.of(
          "DingTalkReceiver/global-dingtalk | global | DingTalkConfig/default-dingtalk",
          "EmailReceiver/global-email | global | EmailConfig/default-email",
          "SlackReceiver/global-slack | global | SlackConfig/default-slack",
          "WebhookReceiver/global-webhook | global | WebhookConfig/audit-webhook",
          "WechatReceiver/global-wechat | global | WechatConfig/default-wechat");

  @TempDir Path dir;

  /** An explain document reduced to what the tests compare. */
  private record Explained(List<String> notifications, List<String> unrouted, JsonNode problems) {}

  private Explained route(Path config, String payload) {
    Cli.Result r =
        Cli.run(
            "route",
            "--config",
            config.toString(),
            "--alerts",
            Cli.resource("alertmanager/" + payload).toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.exit()).isZero();
    JsonNode root;
    try {
      root = JSON.readTree(r.out());
    } catch (IOException e) {
      throw new AssertionError("route did not print JSON: " + r.out(), e);
    }
    List<String> notifications = new ArrayList<>();
    for (JsonNode n : root.get("notifications")) {
      String scope = n.get("scope").asText();
      if (n.hasNonNull("tenant")) {
        scope += " " + n.get("tenant").asText();
      }
      List<Integer> alerts = new ArrayList<>();
      n.get("alerts").forEach(a -> alerts.add(a.asInt()));
      notifications.add(
          n.get("receiver").asText()
              + " | "
              + scope
              + " | "
              + (n.get("config").isNull() ? "null" : n.get("config").asText())
              + " | "
              + alerts);
    }
    List<String> unrouted = new ArrayList<>();
    for (JsonNode u : root.get("unrouted")) {
      unrouted.add(u.get("alert").asInt() + ": " + u.get("reason").asText());
    }
    // The fixtures' settings carry notification-manager options nm4j does not use; their notices
    // are pinned by the core's tests, not here.
    com.fasterxml.jackson.databind.node.ArrayNode problems = JSON.createArrayNode();
    for (JsonNode p : root.get("problems")) {
      if (!p.get("message").asText().equals("nm4j does not use this option; ignored")) {
        problems.add(p);
      }
    }
    return new Explained(notifications, unrouted, problems);
  }

  private static List<String> globalsGet(List<Integer> alerts) {
    return GLOBALS.stream().map(g -> g + " | " + alerts).toList();
  }

  private static List<Integer> upTo(int count) {
    return IntStream.range(0, count).boxed().toList();
  }

  static Stream<Arguments> fixturePayloadsOnValidSets() {
    List<Arguments> args = new ArrayList<>();
    String[][] payloads = {
      {"firing-single.json", "1"},
      {"resolved-single.json", "1"},
      {"special-chars.json", "1"},
      {"grouped-multi-namespace.json", "5"},
      {"grouped-one-namespace.json", "3"},
      {"mixed-firing-resolved.json", "3"},
      {"no-namespace.json", "1"},
      {"truncated.json", "2"},
    };
    for (String set : List.of("manifests", "manifests/kubesphere")) {
      for (String[] p : payloads) {
        args.add(Arguments.of(set, p[0], Integer.parseInt(p[1])));
      }
    }
    return args.stream();
  }

  /**
   * The fixtures' alerts are in demo, tenant-a/b/c or no namespace: neither valid set has a tenant
   * receiver for them (no receiver labeled with those namespaces; no RoleBinding there), so only
   * the global receivers get them, each all alerts once, in one notification.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("fixturePayloadsOnValidSets")
  void fixtureAlertsOfNamespacesWithoutTenantReceiversReachOnlyTheGlobals(
      String set, String payload, int alerts) {
    Cli.copyFilesOf(set, dir);

    Explained e = route(dir, payload);

    assertThat(e.notifications()).containsExactlyElementsOf(globalsGet(upTo(alerts)));
    assertThat(e.unrouted()).isEmpty();
    assertThat(e.problems()).isEmpty();
  }

  @Test
  void namespaceTenancyGivesShopAndPaymentsAlertsToTheirTenantReceiversWithTheirConfigs() {
    Cli.copyFilesOf("manifests", dir);

    Explained e = route(dir, "shop-and-payments.json"); // alerts: shop, payments, shop

    assertThat(e.notifications())
        .containsExactly(
            "DingTalkReceiver/global-dingtalk | global | DingTalkConfig/default-dingtalk | [0, 1, 2]",
            "DingTalkReceiver/shop-dingtalk | tenant shop | DingTalkConfig/default-dingtalk | [0, 2]",
            "EmailReceiver/global-email | global | EmailConfig/default-email | [0, 1, 2]",
            "EmailReceiver/payments-email | tenant payments | EmailConfig/default-email | [1]",
            "EmailReceiver/shop-email | tenant shop | EmailConfig/shop-smtp | [0, 2]",
            "SlackReceiver/global-slack | global | SlackConfig/default-slack | [0, 1, 2]",
            "SlackReceiver/payments-slack | tenant payments | SlackConfig/payments-slack | [1]",
            "WebhookReceiver/global-webhook | global | WebhookConfig/audit-webhook | [0, 1, 2]",
            "WebhookReceiver/payments-webhook | tenant payments | WebhookConfig/payments-webhook | [1]",
            "WechatReceiver/global-wechat | global | WechatConfig/default-wechat | [0, 1, 2]",
            "WechatReceiver/shop-wechat | tenant shop | WechatConfig/default-wechat | [0, 2]");
    assertThat(e.unrouted()).isEmpty();
    assertThat(e.problems()).isEmpty();
  }

  /**
   * KubeSphere tenancy: shop binds alice twice and bob, payments binds bob. alice gets each shop
   * alert once; bob gets the alerts of both namespaces.
   */
  @Test
  void userTenancyGivesAliceEachShopAlertOnceAndBobBothNamespaces() {
    Cli.copyFilesOf("manifests/kubesphere", dir);

    Explained e = route(dir, "shop-and-payments.json"); // alerts: shop, payments, shop

    assertThat(e.notifications())
        .containsExactly(
            "DingTalkReceiver/alice-dingtalk | tenant alice | DingTalkConfig/default-dingtalk | [0, 2]",
            "DingTalkReceiver/global-dingtalk | global | DingTalkConfig/default-dingtalk | [0, 1, 2]",
            "EmailReceiver/alice-email | tenant alice | EmailConfig/alice-smtp | [0, 2]",
            "EmailReceiver/bob-email | tenant bob | EmailConfig/default-email | [0, 1, 2]",
            "EmailReceiver/global-email | global | EmailConfig/default-email | [0, 1, 2]",
            "SlackReceiver/bob-slack | tenant bob | SlackConfig/bob-slack | [0, 1, 2]",
            "SlackReceiver/global-slack | global | SlackConfig/default-slack | [0, 1, 2]",
            "WebhookReceiver/bob-webhook | tenant bob | WebhookConfig/bob-webhook | [0, 1, 2]",
            "WebhookReceiver/global-webhook | global | WebhookConfig/audit-webhook | [0, 1, 2]",
            "WechatReceiver/alice-wechat | tenant alice | WechatConfig/default-wechat | [0, 2]",
            "WechatReceiver/global-wechat | global | WechatConfig/default-wechat | [0, 1, 2]");
    assertThat(e.unrouted()).isEmpty();
    assertThat(e.problems()).isEmpty();
  }

  /**
   * A config for the fixtures' namespaces (test resource {@code tenants/}): tenant-a has an e-mail
   * and a Slack receiver, tenant-b and demo a Slack receiver each, tenant-c nothing, and there is
   * no global receiver. Each row: payload | expected notifications (separated by ";") | expected
   * unrouted alert indexes.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          grouped-multi-namespace.json | EmailReceiver/tenant-a-email tenant-a EmailConfig/default-email [0, 1]; SlackReceiver/tenant-a-slack tenant-a SlackConfig/tenant-a-slack [0, 1]; SlackReceiver/tenant-b-slack tenant-b SlackConfig/tenant-b-slack [2, 3] | 4
          grouped-one-namespace.json   | EmailReceiver/tenant-a-email tenant-a EmailConfig/default-email [0, 1, 2]; SlackReceiver/tenant-a-slack tenant-a SlackConfig/tenant-a-slack [0, 1, 2] |
          truncated.json               | SlackReceiver/tenant-b-slack tenant-b SlackConfig/tenant-b-slack [0, 1] |
          firing-single.json           | SlackReceiver/demo-slack demo SlackConfig/default-slack [0] |
          resolved-single.json         | SlackReceiver/demo-slack demo SlackConfig/default-slack [0] |
          special-chars.json           | SlackReceiver/demo-slack demo SlackConfig/default-slack [0] |
          mixed-firing-resolved.json   | | 0 1 2
          no-namespace.json            | | 0
          """)
  void fixtureAlertsReachExactlyTheReceiversOfTheirNamespaces(
      String payload, String expected, String unrouted) {
    Cli.copyFilesOf("tenants", dir);

    Explained e = route(dir, payload);

    List<String> want =
        expected == null
            ? List.of()
            : Stream.of(expected.split(";"))
                .map(String::strip)
                .map(
                    s -> {
                      // "Kind/name tenant Config/name [..]" -> the line format of route(...)
                      String[] p = s.split(" ", 4);
                      return p[0] + " | tenant " + p[1] + " | " + p[2] + " | " + p[3];
                    })
                .toList();
    assertThat(e.notifications()).containsExactlyElementsOf(want);
    List<String> unroutedIndexes =
        e.unrouted().stream().map(u -> u.substring(0, u.indexOf(':'))).toList();
    assertThat(unroutedIndexes)
        .containsExactlyElementsOf(
            unrouted == null ? List.of() : List.of(unrouted.strip().split(" ")));
    assertThat(e.problems()).isEmpty();
  }

  @Test
  void unroutedAlertsCarryTheirReason() {
    Cli.copyFilesOf("tenants", dir);

    assertThat(route(dir, "grouped-multi-namespace.json").unrouted())
        .containsExactly("4: no global receiver and no tenant receiver for namespace tenant-c");
    assertThat(route(dir, "no-namespace.json").unrouted())
        .containsExactly("0: no namespace label and no global receiver");
  }

  @Test
  void routePrintsTheConfigurationProblemsAndStillExplains() {
    Cli.copyFilesOf("tenants", dir);
    Cli.copy("manifests/invalid/slack-receiver-no-channel.yaml", dir);

    Explained e = route(dir, "firing-single.json");

    assertThat(e.notifications())
        .containsExactly(
            "SlackReceiver/demo-slack | tenant demo | SlackConfig/default-slack | [0]");
    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0).get("object").asText()).isEqualTo("SlackReceiver/no-channel");
    assertThat(e.problems().get(0).get("field").asText()).isEqualTo("spec.channel");
    assertThat(e.problems().get(0).get("severity").asText()).isEqualTo("error");
  }

  @Test
  void exampleConfigSendsEveryAlertToTheGlobalWebhookAndTenantAlertsToTheirTeams() {
    Explained e =
        route(
            Path.of("..", "examples", "config"), "shop-and-payments.json"); // shop, payments, shop

    assertThat(e.notifications())
        .containsExactly(
            "EmailReceiver/shop-email | tenant shop | EmailConfig/default-email | [0, 2]",
            "SlackReceiver/payments-slack | tenant payments | SlackConfig/payments-slack | [1]",
            "WebhookReceiver/global-webhook | global | WebhookConfig/default-webhook | [0, 1, 2]");
    assertThat(e.unrouted()).isEmpty();
    assertThat(e.problems()).isEmpty();
  }
}
