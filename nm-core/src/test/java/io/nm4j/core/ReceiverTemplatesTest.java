package io.nm4j.core;

import static io.nm4j.core.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.CompiledTemplate;
import io.nm4j.spi.LanguagePack;
import io.nm4j.spi.MessageModel;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.RenderOptions;
import io.nm4j.spi.Scope;
import io.nm4j.spi.TemplateFormat;
import io.nm4j.spi.TemplateLimits;
import io.nm4j.spi.TemplateOutput;
import io.nm4j.spi.TemplateSlots;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which templates, language and time zone a receiver renders with: built-in &lt; the settings'
 * {@code spec.template} &lt; the channel kind's options &lt; the receiver's own fields, template
 * bodies from ConfigMaps under the ownership rule, and template problems reported with the built-in
 * template used meanwhile.
 */
class ReceiverTemplatesTest {
  private static final ChannelRegistry CHANNELS =
      ChannelRegistry.of(
          List.of(
              new PagerChannelProvider()
                  .withTemplateSlots(
                      new TemplateSlots(
                          Map.of("message", TemplateFormat.TEXT, "title", TemplateFormat.TEXT),
                          "message",
                          Map.of("text", "message"),
                          "titleTemplate",
                          "title")),
              new PagerChannelProvider("Chat")));

  private static final String SETTINGS =
      """
      ---
      apiVersion: notification.kubesphere.io/v1alpha1
      kind: NotificationManager
      metadata: {name: notification-manager}
      spec:
        template:
          language: zh-cn
          timezone: Asia/Shanghai
          text: {name: admin-templates}
        receivers:
          options:
            global: {cluster: c1}
            pager: {template: kind-body}
      """;

  private static final String ADMIN_TEMPLATES =
      """
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: admin-templates, namespace: kubesphere-monitoring-system}
      data:
        title: "admin title ${commonName}"
        kind-body: "kind body ${commonName}"
      """;

  private static Snapshot snapshot(String yaml) {
    return Snapshot.build(yaml(yaml), CHANNELS, NotificationManager.DEFAULT_NAMESPACE, null);
  }

  private static Destination destination(Snapshot s, String receiver) {
    return s.destinations().stream()
        .filter(d -> d.receiver().toString().equals(receiver))
        .findFirst()
        .orElseThrow(() -> new AssertionError(receiver + " not routed; " + Fixtures.problems(s)));
  }

  private static String render(RenderOptions options, String template) {
    CompiledTemplate t = options.template(template);
    assertThat(t).as(template).isNotNull();
    Alert alert = Alert.firing(Map.of("alertname", "DiskFull", "namespace", "team-a"));
    Notification n =
        new Notification(
            "n1",
            new ObjectRef("PagerReceiver", "r"),
            Scope.GLOBAL,
            null,
            null,
            List.of(alert),
            AlertBatch.of(List.of(alert)));
    TemplateOutput out = t.render(MessageModel.of(n, options.settings()), TemplateLimits.DEFAULT);
    if (out instanceof TemplateOutput.Failed f) {
      return "FAILED " + f.problem();
    }
    return ((TemplateOutput.Rendered) out).text();
  }

  @Test
  void aReceiverWithoutTemplateFieldsRendersWithTheChannelKindsAndTheSettingsChoices() {
    Snapshot s = snapshot(SETTINGS + ADMIN_TEMPLATES + Fixtures.global("ops"));

    RenderOptions options = destination(s, "PagerReceiver/ops").rendering();

    assertThat(render(options, "message")).isEqualTo("kind body DiskFull");
    assertThat(render(options, "title")).isEqualTo("admin title DiskFull");
    assertThat(options.settings().language()).isEqualTo(LanguagePack.CHINESE_SIMPLIFIED);
    assertThat(options.settings().zone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
  }

  @Test
  void theReceiversOwnFieldsWinOverTheChannelKindAndTheSettings() {
    String own =
        """
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: ops-templates, namespace: kubesphere-monitoring-system}
        data:
          mine: "ops body ${alerts?size}"
        """;
    Snapshot s =
        snapshot(
            SETTINGS
                + ADMIN_TEMPLATES
                + own
                + Fixtures.receiver(
                    "PagerReceiver",
                    "ops",
                    "{type: global}",
                    "{to: ops, template: mine, tmplText: {name: ops-templates},"
                        + " language: en, timezone: UTC, tmplType: text}"));

    RenderOptions options = destination(s, "PagerReceiver/ops").rendering();

    assertThat(Fixtures.problems(s)).noneMatch(p -> p.contains("ERROR"));
    assertThat(render(options, "message")).isEqualTo("ops body 1");
    assertThat(render(options, "title")).isEqualTo("admin title DiskFull");
    assertThat(options.settings().language()).isEqualTo(LanguagePack.ENGLISH);
    assertThat(options.settings().zone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(options.type()).isEqualTo("text");
  }

  @Test
  void withoutAnyChoiceAReceiverRendersBuiltInInEnglishAndUtc() {
    Snapshot s = snapshot(Fixtures.global("ops"));

    RenderOptions options = destination(s, "PagerReceiver/ops").rendering();

    assertThat(options.templates()).isEmpty();
    assertThat(options.settings().language()).isEqualTo(LanguagePack.ENGLISH);
    assertThat(options.settings().zone()).isEqualTo(ZoneOffset.UTC);
  }

  @Test
  void aTenantReceiverNeverUsesAnotherTenantsTemplates() {
    String bobs =
        """
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: bob-templates, namespace: kubesphere-monitoring-system, labels: {namespace: bob}}
        data:
          message: "bob's message"
        """;
    Snapshot s =
        snapshot(
            bobs
                + Fixtures.receiver(
                    "PagerReceiver",
                    "alice",
                    "{type: tenant, namespace: alice}",
                    "{to: alice, tmplText: {name: bob-templates}}")
                + Fixtures.receiver(
                    "PagerReceiver",
                    "bob",
                    "{type: tenant, namespace: bob}",
                    "{to: bob, tmplText: {name: bob-templates}}"));

    assertThat(destination(s, "PagerReceiver/alice").rendering().templates()).isEmpty();
    assertThat(Fixtures.problems(s))
        .anyMatch(
            p ->
                p.contains("PagerReceiver/alice")
                    && p.contains("spec.tmplText")
                    && p.contains("belongs to tenant bob, not to tenant alice"));
    assertThat(render(destination(s, "PagerReceiver/bob").rendering(), "message"))
        .isEqualTo("bob's message");
  }

  @Test
  void aTenantReceiverCannotUseTheAdminsTemplateSetButInheritsTheSettingsOne() {
    Snapshot s =
        snapshot(
            SETTINGS
                + ADMIN_TEMPLATES
                + Fixtures.receiver(
                    "PagerReceiver",
                    "alice",
                    "{type: tenant, namespace: alice}",
                    "{to: alice, tmplText: {name: admin-templates}}"));

    RenderOptions options = destination(s, "PagerReceiver/alice").rendering();

    assertThat(Fixtures.problems(s))
        .anyMatch(p -> p.contains("belongs to the admin, not to tenant alice"));
    assertThat(render(options, "title")).isEqualTo("admin title DiskFull");
  }

  @Test
  void aTemplateThatDoesNotCompileIsAProblemNamingItsLineAndColumnAndRendersBuiltInMeanwhile() {
    String broken =
        """
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: broken, namespace: kubesphere-monitoring-system}
        data:
          message: "line one\\n<#list alerts as a>${a.name}"
        """;
    Snapshot s =
        snapshot(
            broken
                + Fixtures.receiver(
                    "PagerReceiver",
                    "ops",
                    "{type: global}",
                    "{to: ops, tmplText: {name: broken}}"));

    assertThat(Fixtures.problems(s))
        .anyMatch(
            p ->
                p.contains("PagerReceiver/ops")
                    && p.contains("ConfigMap/broken:message:2:")
                    && p.contains("built-in template is used"));
    String rendered = render(destination(s, "PagerReceiver/ops").rendering(), "message");
    assertThat(rendered).startsWith("FAILED ConfigMap/broken:message:2:");
  }

  @Test
  void aTemplateNamedButFoundInNoSetIsReported() {
    Snapshot s =
        snapshot(
            Fixtures.receiver(
                "PagerReceiver", "ops", "{type: global}", "{to: ops, template: nowhere}"));

    assertThat(Fixtures.problems(s))
        .anyMatch(
            p ->
                p.contains("PagerReceiver/ops")
                    && p.contains("spec.template")
                    && p.contains("\"nowhere\" is in none of its template sets"));
    assertThat(destination(s, "PagerReceiver/ops").rendering().templates()).isEmpty();
  }

  @Test
  void anOversizedTemplateIsReportedAndLeftOut() {
    String big = "x".repeat(64 * 1024 + 1);
    Snapshot s =
        snapshot(
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  message: "
                + big
                + "\n"
                + Fixtures.receiver(
                    "PagerReceiver", "ops", "{type: global}", "{to: ops, tmplText: {name: big}}"));

    assertThat(Fixtures.problems(s))
        .anyMatch(p -> p.contains("ConfigMap/big") && p.contains("at most 65536 bytes"));
    assertThat(destination(s, "PagerReceiver/ops").rendering().templates()).isEmpty();
  }

  @Test
  void templateFieldsOfAChannelWithoutTemplatesAreReportedAsIgnored() {
    Snapshot s =
        snapshot(
            Fixtures.receiver(
                "ChatReceiver", "ops", "{type: global}", "{to: ops, template: whatever}"));

    assertThat(Fixtures.problems(s))
        .anyMatch(
            p ->
                p.contains("ChatReceiver/ops")
                    && p.contains("spec.template")
                    && p.contains("renders from no templates; ignored"));
  }

  @Test
  void anOptionNm4jDoesNotUseIsReportedAsIgnored() {
    Snapshot s = snapshot(SETTINGS + ADMIN_TEMPLATES + Fixtures.global("ops"));

    assertThat(Fixtures.problems(s))
        .anyMatch(
            p ->
                p.contains("NotificationManager/notification-manager")
                    && p.contains("spec.receivers.options.global.cluster")
                    && p.contains("nm4j does not use this option; ignored"));
  }
}
