package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nm4j render} on a configuration directory whose template bodies are a ConfigMap manifest:
 * each receiver's title and body as it would be sent, with the precedence of the settings, the
 * channel kind and the receiver, and a broken template reported with the built-in one rendered.
 */
class RenderCommandTest {
  private static final String CONFIG =
      """
      apiVersion: notification.kubesphere.io/v1alpha1
      kind: NotificationManager
      metadata: {name: notification-manager}
      spec:
        template:
          timezone: Asia/Shanghai
          text: {name: ops-templates}
          languagePack: [{name: words, key: fr}]
        receivers:
          options:
            slack: {template: slack-short}
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: ops-templates}
      data:
        slack-short: "*${commonName}* in ${commonNamespace}: <#list alerts as a>${a.startsAt}</#list>"
        subject: "[ops] ${commonName}"
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: demo-templates, labels: {namespace: demo}}
      data:
        mine: "demo sees <#list alerts as a>${a.name"
      ---
      apiVersion: notification.kubesphere.io/v1alpha1
      kind: SlackConfig
      metadata: {name: default-slack, labels: {type: default}}
      spec: {slackTokenSecret: {name: slack-tokens, key: token}}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: slack-tokens}
      stringData: {token: xoxb-never-shown}
      ---
      apiVersion: notification.kubesphere.io/v1alpha1
      kind: SlackReceiver
      metadata: {name: ops, labels: {type: global}}
      spec: {channel: '#ops'}
      ---
      apiVersion: notification.kubesphere.io/v1alpha1
      kind: SlackReceiver
      metadata: {name: demo, labels: {type: tenant, namespace: demo}}
      spec: {channel: '#demo', template: mine, tmplText: {name: demo-templates}}
      ---
      apiVersion: notification.kubesphere.io/v1alpha1
      kind: EmailConfig
      metadata: {name: default-email, labels: {type: default}}
      spec:
        from: nm4j@example.com
        smartHost: {host: 127.0.0.1, port: 25}
      ---
      apiVersion: notification.kubesphere.io/v1alpha1
      kind: EmailReceiver
      metadata: {name: ops, labels: {type: global}}
      spec: {to: [ops@example.com], tmplType: text}
      ---
      apiVersion: notification.kubesphere.io/v1alpha1
      kind: EmailReceiver
      metadata: {name: paris, labels: {type: global}}
      spec: {to: [paris@example.com], tmplType: text, language: fr}
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: words}
      data:
        fr: |
          - name: fr
            dictionary: {firing: EN COURS, resolved: RÉSOLU}
      """;

  @TempDir Path dir;

  private Cli.Result render(String... more) throws Exception {
    Path config = Files.createDirectories(dir.resolve("config"));
    Files.writeString(config.resolve("config.yaml"), CONFIG);
    String[] args = {
      "render",
      "--config",
      config.toString(),
      "--alerts",
      Cli.resource("alertmanager/firing-single.json").toString()
    };
    String[] all = new String[args.length + more.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return Cli.run(all);
  }

  @Test
  void printsEachReceiversTitleAndBodyWithTheTemplatesChosenForIt() throws Exception {
    Cli.Result r = render();

    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains("=== SlackReceiver/ops (alerts [0])")
        .contains("*KubePodCrashLooping* in demo: 2026-11-24 23:55:41 +08:00")
        .contains("=== EmailReceiver/ops (alerts [0])")
        .contains("--- subject\n[ops] KubePodCrashLooping")
        .contains("--- text\n")
        .doesNotContain("--- html")
        .doesNotContain("xoxb-never-shown");
  }

  @Test
  void aBrokenTenantTemplateIsReportedAndTheBuiltInOneIsShown() throws Exception {
    Cli.Result r = render("--receiver", "SlackReceiver/demo");

    assertThat(r.exit()).isZero();
    assertThat(r.err())
        .contains("problem: SlackReceiver/demo")
        .contains("ConfigMap/demo-templates:mine:1:");
    assertThat(r.out())
        .contains("=== SlackReceiver/demo")
        .contains("KubePodCrashLooping")
        .contains("(message: template failed, built-in used: ConfigMap/demo-templates:mine:1:")
        .doesNotContain("=== SlackReceiver/ops");
  }

  @Test
  void aLanguagePackConfigMapGivesTheWordsOfItsLanguage() throws Exception {
    Cli.Result r = render("--receiver", "EmailReceiver/paris");

    assertThat(r.exit()).isZero();
    assertThat(r.err()).doesNotContain("words", "language");
    assertThat(r.out())
        .contains("=== EmailReceiver/paris")
        .contains("[EN COURS:1] KubePodCrashLooping")
        .contains("EN COURS (1)")
        .doesNotContain("FIRING");
  }

  @Test
  void theServerWideLanguageAppliesAndTheSettingsTimeZoneWinsOverTheServers() throws Exception {
    Cli.Result r =
        render(
            "--receiver",
            "EmailReceiver/ops",
            "--language",
            "zh-cn",
            "--timezone",
            "Europe/Berlin");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("开始时间").contains("2026-11-24 23:55:41").doesNotContain("Starts");
  }

  @Test
  void anUnknownLanguageExitsWithTwoNamingTheFlag() throws Exception {
    Cli.Result r = render("--language", "tlh");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo("nm4j render: --language: no language pack \"tlh\"; there are en and zh-cn\n");
  }

  @Test
  void aReceiverThePayloadDoesNotReachExitsWithOne() throws Exception {
    Cli.Result r = render("--receiver", "SlackReceiver/nobody");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("no notification of the payload goes to SlackReceiver/nobody");
  }
}
