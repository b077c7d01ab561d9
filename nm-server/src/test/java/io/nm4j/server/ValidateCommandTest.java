package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValidateCommandTest {
  @TempDir Path dir;

  /**
   * Per file of {@code manifests/invalid/} (loaded with {@code manifests/secrets.yaml}): the {@code
   * Kind/name: field} of its one error, on its last object, at the field the broken rule is about
   * (the kind's reference page in {@code docs/reference/}, {@code docs/ROUTING.md}). {@code
   * malformed-yaml.yaml} is reported by file name.
   */
  private static final Map<String, String> EXPECTED =
      Map.ofEntries(
          Map.entry(
              "dingtalk-config-chatbot-without-webhook.yaml",
              "DingTalkConfig/mute-bot: spec.chatbot.webhook"),
          Map.entry(
              "dingtalk-config-conversation-without-chatid.yaml",
              "DingTalkConfig/no-chat: spec.conversation.chatid"),
          Map.entry(
              "dingtalk-config-eleven-keywords.yaml",
              "DingTalkConfig/chatty: spec.chatbot.keywords"),
          Map.entry("email-config-bad-port.yaml", "EmailConfig/bad-port: spec.smartHost.port"),
          Map.entry("email-config-missing-from.yaml", "EmailConfig/no-from: spec.from"),
          Map.entry(
              "email-config-missing-password.yaml", "EmailConfig/no-password: spec.authPassword"),
          Map.entry("email-config-missing-port.yaml", "EmailConfig/no-port: spec.smartHost.port"),
          Map.entry("email-config-missing-username.yaml", "EmailConfig/no-user: spec.authUsername"),
          Map.entry("email-receiver-bad-address.yaml", "EmailReceiver/bad-address: spec.to[1]"),
          Map.entry("email-receiver-empty-to.yaml", "EmailReceiver/nobody: spec.to"),
          Map.entry(
              "receiver-neither-global-nor-tenant.yaml", "EmailReceiver/orphan: metadata.labels"),
          Map.entry("secret-not-base64.yaml", "Secret/broken-secret: data.token"),
          Map.entry(
              "selector-in-without-values.yaml",
              "SlackReceiver/empty-in: spec.slackConfigSelector.matchExpressions[0].values"),
          Map.entry(
              "selector-unknown-operator.yaml",
              "EmailReceiver/typo-operator: spec.emailConfigSelector.matchExpressions[0].operator"),
          Map.entry(
              "slack-config-missing-key.yaml", "SlackConfig/ghost-key: spec.slackTokenSecret"),
          Map.entry(
              "slack-config-missing-secret.yaml",
              "SlackConfig/ghost-secret: spec.slackTokenSecret"),
          Map.entry(
              "slack-config-secret-ref-without-name.yaml",
              "SlackConfig/ref-no-name: spec.slackTokenSecret.name"),
          Map.entry("slack-receiver-no-channel.yaml", "SlackReceiver/no-channel: spec.channel"),
          Map.entry(
              "tenant-receiver-without-tenant-label.yaml", "SlackReceiver/whose: metadata.labels"),
          Map.entry("two-default-configs.yaml", "EmailConfig/aa-second-default: metadata.labels"),
          Map.entry("unknown-kind.yaml", "PagerDutyReceiver/pager: kind"),
          Map.entry(
              "webhook-config-cert-without-key.yaml",
              "WebhookConfig/cert-no-key: spec.httpConfig.tlsConfig.key"),
          Map.entry(
              "webhook-config-insecure-with-ca.yaml",
              "WebhookConfig/insecure-ca: spec.httpConfig.tlsConfig.ca"),
          Map.entry("webhook-config-no-target.yaml", "WebhookConfig/nowhere: spec"),
          Map.entry(
              "webhook-config-tls-without-ca.yaml",
              "WebhookConfig/no-root: spec.httpConfig.tlsConfig.ca"),
          Map.entry("webhook-config-url-with-query.yaml", "WebhookConfig/query-url: spec.url"),
          Map.entry(
              "webhook-config-url-with-userinfo.yaml", "WebhookConfig/userinfo-url: spec.url"),
          Map.entry(
              "wechat-config-missing-secret.yaml", "WechatConfig/no-secret: spec.wechatApiSecret"),
          Map.entry("wechat-receiver-no-target.yaml", "WechatReceiver/no-target: spec"));

  static Stream<Arguments> invalidManifests() {
    return EXPECTED.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidManifests")
  void invalidManifestIsReportedOnItsLastObjectAndFieldAndExitsOne(String file, String expected) {
    Cli.copy("manifests/secrets.yaml", dir);
    Cli.copy("manifests/invalid/" + file, dir);

    Cli.Result r = Cli.run("validate", "--config", dir.toString());

    assertThat(r.exit()).as(r.out()).isEqualTo(1);
    assertThat(r.outLines()).as(r.out()).hasSize(1);
    assertThat(r.outLines().get(0)).startsWith(expected + ": ");
    assertThat(r.outLines().get(0).substring(expected.length() + 2)).isNotBlank();
    assertThat(r.errLines()).singleElement().asString().matches("\\d+ objects, 1 errors");
  }

  @Test
  void everyInvalidManifestHasAnExpectedProblem() throws IOException {
    try (Stream<Path> files = Files.list(Cli.resource("manifests/invalid"))) {
      Set<String> expected = new TreeSet<>(EXPECTED.keySet());
      expected.add("malformed-yaml.yaml");
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactlyElementsOf(expected);
    }
  }

  @Test
  void malformedYamlIsReportedByFileNameAndExitsOne() {
    Cli.copy("manifests/secrets.yaml", dir);
    Path file = Cli.copy("manifests/invalid/malformed-yaml.yaml", dir);

    Cli.Result r = Cli.run("validate", "--config", dir.toString());

    assertThat(r.exit()).isEqualTo(1);
    // named by its path below the configuration directory
    assertThat(r.outLines())
        .singleElement()
        .asString()
        .startsWith(dir.relativize(file) + ": malformed YAML: ");
    assertThat(r.errLines()).containsExactly("8 objects, 1 errors");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"manifests", "manifests/kubesphere"})
  void validSetPrintsNoProblemAndExitsZero(String set) {
    Cli.copyFilesOf(set, dir);

    Cli.Result r = Cli.run("validate", "--config", dir.toString());

    assertThat(r.outLines()).allMatch(ValidateCommandTest::isIgnoredOptionNotice);
    assertThat(r.exit()).isZero();
    assertThat(r.errLines()).singleElement().asString().matches("\\d+ objects, 0 errors");
  }

  @Test
  void validNamespaceSetCountsEveryObjectOfItsFiles() {
    Cli.copyFilesOf("manifests", dir);

    Cli.Result r = Cli.run("validate", "--config", dir.toString());

    // 3 dingtalk + 5 email + 1 settings + 8 secrets + 4 slack + 5 webhook + 3 wechat
    assertThat(r.errLines()).containsExactly("29 objects, 0 errors");
  }

  @Test
  void exampleConfigOfTheRepositoryIsValid() {
    Cli.Result r = Cli.run("validate", "--config", Path.of("..", "examples", "config").toString());

    assertThat(r.outLines()).allMatch(ValidateCommandTest::isIgnoredOptionNotice);
    assertThat(r.exit()).isZero();
    assertThat(r.errLines()).containsExactly("11 objects, 0 errors");
  }

  @Test
  void noticeIsPrintedAsANoticeLineAndDoesNotFail() throws IOException {
    Files.writeString(
        dir.resolve("slack.yaml"),
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: slack}
        stringData: {token: xoxb-fake}
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: SlackConfig
        metadata: {name: default-slack, labels: {type: default}}
        spec: {slackTokenSecret: {name: slack, key: token}}
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: SlackReceiver
        metadata: {name: ops, labels: {type: global}}
        spec:
          channel: '#ops'
          slackConfigSelector: {matchLabels: {team: nobody}}
        """);

    Cli.Result r = Cli.run("validate", "--config", dir.toString());

    assertThat(r.exit()).isZero();
    assertThat(r.outLines())
        .containsExactly(
            "notice: SlackReceiver/ops: spec.slackConfigSelector: selector matched nothing;"
                + " using default SlackConfig/default-slack");
    assertThat(r.errLines()).containsExactly("3 objects, 0 errors");
  }

  @Test
  void objectsOfAnotherNamespaceAreErrorsUnlessThatNamespaceIsChosen() throws IOException {
    Files.writeString(
        dir.resolve("secret.yaml"),
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: s, namespace: monitoring}
        stringData: {k: v}
        """);

    Cli.Result inDefault = Cli.run("validate", "--config", dir.toString());
    Cli.Result inMonitoring =
        Cli.run("validate", "--config", dir.toString(), "--namespace", "monitoring");

    assertThat(inDefault.exit()).isEqualTo(1);
    assertThat(inDefault.outLines())
        .containsExactly(
            "Secret/s: metadata.namespace: must be \"kubesphere-monitoring-system\" (the namespace"
                + " nm4j reads), was \"monitoring\"");
    assertThat(inMonitoring.exit()).isZero();
    assertThat(inMonitoring.out()).isEmpty();
  }

  @Test
  void allErrorsOfADirectoryArePrintedOnePerLine() {
    for (String f :
        List.of(
            "slack-receiver-no-channel.yaml",
            "email-config-bad-port.yaml",
            "webhook-config-url-with-query.yaml")) {
      Cli.copy("manifests/invalid/" + f, dir);
    }
    Cli.copy("manifests/secrets.yaml", dir);

    Cli.Result r = Cli.run("validate", "--config", dir.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.outLines())
        .hasSize(3)
        .anyMatch(l -> l.startsWith("SlackReceiver/no-channel: spec.channel: "))
        .anyMatch(l -> l.startsWith("EmailConfig/bad-port: spec.smartHost.port: "))
        .anyMatch(l -> l.startsWith("WebhookConfig/query-url: spec.url: "));
    assertThat(r.errLines()).containsExactly("11 objects, 3 errors");
  }

  /**
   * A notice that a notification-manager option of the settings is not used: valid sets carry them,
   * and validate says so without counting them as errors.
   */
  private static boolean isIgnoredOptionNotice(String line) {
    return line.startsWith(
            "notice: NotificationManager/notification-manager: spec.receivers.options.")
        && line.endsWith(": nm4j does not use this option; ignored");
  }
}
