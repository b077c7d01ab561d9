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
import org.jspecify.annotations.Nullable;
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

  /** A firing DiskFull alert's notification to {@code receiver}. */
  private static Notification diskFull(ObjectRef receiver, @Nullable ObjectRef config) {
    Alert alert = Alert.firing(Map.of("alertname", "DiskFull", "namespace", "team-a"));
    return new Notification(
        "n1", receiver, Scope.GLOBAL, null, config, List.of(alert), AlertBatch.of(List.of(alert)));
  }

  private static String render(RenderOptions options, String template) {
    CompiledTemplate t = options.template(template);
    assertThat(t).as(template).isNotNull();
    Notification n = diskFull(new ObjectRef("PagerReceiver", "r"), null);
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
  void receiversWithoutTemplateFieldsOfTheirOwnShareOneComputationOfTheirOptions() {
    Snapshot s =
        snapshot(SETTINGS + ADMIN_TEMPLATES + Fixtures.global("ops") + Fixtures.global("oncall"));

    RenderOptions ops = destination(s, "PagerReceiver/ops").rendering();
    RenderOptions oncall = destination(s, "PagerReceiver/oncall").rendering();

    assertThat(oncall).isSameAs(ops);
    assertThat(render(oncall, "message")).isEqualTo("kind body DiskFull");
  }

  @Test
  void aProblemOfTheSettingsChoicesIsReportedForEveryReceiverThatUsesThem() {
    String settings =
        """
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: NotificationManager
        metadata: {name: notification-manager}
        spec:
          template:
            text: {name: admin-templates}
          receivers:
            options:
              pager: {template: nowhere}
        """;
    Snapshot s =
        snapshot(settings + ADMIN_TEMPLATES + Fixtures.global("ops") + Fixtures.global("oncall"));

    for (String receiver : List.of("PagerReceiver/ops", "PagerReceiver/oncall")) {
      assertThat(Fixtures.problems(s))
          .as(receiver)
          .anyMatch(
              p ->
                  p.contains(receiver)
                      && p.contains("spec.template")
                      && p.contains("\"nowhere\" is in none of its template sets"));
    }
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
  void aTemplateSetIsReadForReceiversListedBeforeItsConfigMapAsForThoseAfter() {
    String opsTemplates =
        """
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: ops-templates, namespace: kubesphere-monitoring-system}
        data:
          mine: "ops body ${alerts?size}"
        """;
    String oncallTemplates =
        """
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: oncall-templates, namespace: kubesphere-monitoring-system}
        data:
          mine: "oncall body ${alerts?size}"
        """;
    Snapshot s =
        snapshot(
            Fixtures.receiver(
                    "PagerReceiver",
                    "ops",
                    "{type: global}",
                    "{to: ops, template: mine, tmplText: {name: ops-templates}}")
                + opsTemplates
                + Fixtures.receiver(
                    "PagerReceiver",
                    "oncall",
                    "{type: global}",
                    "{to: oncall, template: mine, tmplText: {name: oncall-templates}}")
                + oncallTemplates);

    assertThat(Fixtures.problems(s)).noneMatch(p -> p.contains("ERROR"));
    assertThat(render(destination(s, "PagerReceiver/ops").rendering(), "message"))
        .isEqualTo("ops body 1");
    assertThat(render(destination(s, "PagerReceiver/oncall").rendering(), "message"))
        .isEqualTo("oncall body 1");
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
  void aTemplateNamedWithItsKeyCompilesAloneWhicheverReceiverOfItsSetIsResolvedFirst() {
    String set =
        """
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: set, namespace: kubesphere-monitoring-system}
        data:
          main: "main ${commonName}"
          broken: "<#list alerts as a>"
        """;
    for (List<String> names : List.of(List.of("a", "b"), List.of("b", "a"))) {
      String keyed = names.get(0) + "-keyed";
      String whole = names.get(1) + "-whole";
      Snapshot s =
          snapshot(
              set
                  + Fixtures.receiver(
                      "PagerReceiver",
                      keyed,
                      "{type: global}",
                      "{to: ops, template: main, tmplText: {name: set, key: main}}")
                  + Fixtures.receiver(
                      "PagerReceiver",
                      whole,
                      "{type: global}",
                      "{to: ops, template: main, tmplText: {name: set}}"));

      // The whole set is the library of a template named without a key: its broken sibling fails
      // it. Named with its key, the template is compiled alone and the sibling is not read.
      assertThat(Fixtures.problems(s))
          .as("%s resolved first", names.get(0))
          .anyMatch(p -> p.contains("PagerReceiver/" + whole) && p.contains("ConfigMap/set:broken"))
          .noneMatch(p -> p.contains("PagerReceiver/" + keyed) && p.contains("ConfigMap/set"));
    }
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
    Snapshot s = oversizedSetNamedBy("{to: ops, tmplText: {name: big}}");

    assertThat(Fixtures.problems(s))
        .anyMatch(p -> p.contains("ConfigMap/big") && p.contains("at most 65536 bytes"));
    assertThat(destination(s, "PagerReceiver/ops").rendering().templates()).isEmpty();
  }

  @Test
  void aTemplateSetNamedOnlyByAnInvalidReceiverIsNotRead() {
    Snapshot s = oversizedSetNamedBy("{tmplText: {name: big}}");

    assertThat(Fixtures.problems(s)).anyMatch(p -> p.contains("PagerReceiver/ops"));
    assertThat(Fixtures.problems(s)).noneMatch(p -> p.contains("ConfigMap/big"));
  }

  /** A ConfigMap {@code big} with a template over the size limit, and a receiver of that spec. */
  private static Snapshot oversizedSetNamedBy(String receiverSpec) {
    String big = "x".repeat(64 * 1024 + 1);
    return snapshot(
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  message: "
            + big
            + "\n"
            + Fixtures.receiver("PagerReceiver", "ops", "{type: global}", receiverSpec));
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

  @Test
  void aV2beta2ReceiverBlockChoosesItsTemplatesLikeAV1alpha1Receiver() {
    String own =
        """
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: ops-templates, namespace: kubesphere-monitoring-system}
        data:
          mine: "block body"
        """;
    Snapshot s =
        snapshot(
            own
                + V2beta2RoutingTest.defaultConfig("defaults")
                + V2beta2RoutingTest.globalReceiver(
                    "ops", "pager: {to: ops, template: mine, tmplText: {name: ops-templates}}"));

    assertThat(render(destination(s, "Receiver/ops[pager]").rendering(), "message"))
        .isEqualTo("block body");
  }

  @Test
  void aSendCarriesTheRenderOptionsOfItsReceiver() {
    List<RenderOptions> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    PagerChannelProvider pager =
        new PagerChannelProvider(
                "Pager",
                context ->
                    request -> {
                      seen.add(request.rendering());
                      return io.nm4j.spi.SendResult.delivered();
                    })
            .withTemplateSlots(TemplateSlots.single("message", TemplateFormat.TEXT));
    try (NotificationManager manager =
        NotificationManager.builder().discoverChannels(false).channel(pager).build()) {
      Snapshot s =
          manager.snapshotOf(
              yaml(
                  ADMIN_TEMPLATES.replace("kind-body:", "message:")
                      + Fixtures.config("default-pager", "{type: default}")
                      + Fixtures.receiver(
                          "PagerReceiver",
                          "ops",
                          "{type: global}",
                          "{to: ops, tmplText: {name: admin-templates}, timezone: Asia/Tokyo}")));
      Destination d = destination(s, "PagerReceiver/ops");
      Notification n = diskFull(d.receiver(), d.config());

      assertThat(manager.sendNow(d, n, s, java.time.Duration.ofSeconds(5)))
          .isInstanceOf(io.nm4j.spi.SendResult.Delivered.class);
      assertThat(seen).singleElement().isSameAs(d.rendering());
      assertThat(render(seen.get(0), "message")).isEqualTo("kind body DiskFull");
      assertThat(seen.get(0).settings().zone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
    }
  }

  @Test
  void theAdminApiRefusesATenantReceiverNamingABrokenOrForeignTemplateSet() {
    InMemoryConfigSource store = new InMemoryConfigSource();
    store.putAll(
        yaml("""
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: shop-broken, labels: {namespace: shop}}
                data:
                  message: "<#if>"
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: web-templates, labels: {namespace: web}}
                data:
                  message: "web"
                """)
            .objects());
    PagerChannelProvider pager =
        new PagerChannelProvider()
            .withTemplateSlots(TemplateSlots.single("message", TemplateFormat.TEXT));
    try (NotificationManager manager =
            NotificationManager.builder()
                .discoverChannels(false)
                .channel(pager)
                .configSource(store)
                .build();
        io.nm4j.core.admin.AdminService admin =
            io.nm4j.core.admin.AdminService.builder().store(store).manager(manager).build()) {
      io.nm4j.core.admin.Caller shop =
          new io.nm4j.core.admin.Caller("sam", java.util.Set.of("ns:shop"));

      io.nm4j.core.admin.AdminException broken =
          org.junit.jupiter.api.Assertions.assertThrows(
              io.nm4j.core.admin.AdminException.class,
              () ->
                  admin.create(
                      shop,
                      "pagerreceivers",
                      yaml(Fixtures.receiver(
                              "PagerReceiver",
                              "p1",
                              "{}",
                              "{to: x, tmplText: {name: shop-broken}}"))
                          .objects()
                          .get(0)));
      io.nm4j.core.admin.AdminException foreign =
          org.junit.jupiter.api.Assertions.assertThrows(
              io.nm4j.core.admin.AdminException.class,
              () ->
                  admin.create(
                      shop,
                      "pagerreceivers",
                      yaml(Fixtures.receiver(
                              "PagerReceiver",
                              "p2",
                              "{}",
                              "{to: x, tmplText: {name: web-templates}}"))
                          .objects()
                          .get(0)));

      assertThat(broken.status().code()).isEqualTo(422);
      assertThat(broken.status().toMap().toString()).contains("ConfigMap/shop-broken:message:1:");
      assertThat(foreign.status().code()).isEqualTo(422);
      assertThat(foreign.status().toMap().toString())
          .contains("belongs to tenant web, not to tenant shop");
    }
  }
}
