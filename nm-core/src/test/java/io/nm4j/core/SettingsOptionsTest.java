package io.nm4j.core;

import static io.nm4j.core.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.CompiledTemplate;
import io.nm4j.spi.FieldError;
import io.nm4j.spi.LanguagePack;
import io.nm4j.spi.MessageModel;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.RenderOptions;
import io.nm4j.spi.Schema;
import io.nm4j.spi.Scope;
import io.nm4j.spi.SettingsOptions;
import io.nm4j.spi.SpecReader;
import io.nm4j.spi.TemplateFormat;
import io.nm4j.spi.TemplateLimits;
import io.nm4j.spi.TemplateOutput;
import io.nm4j.spi.TemplateSlots;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The settings' {@code spec.receivers.options}: each channel kind's block parsed once by its
 * provider and handed to every destination of the kind, problems reported on the settings object
 * with the field; the global template name; and the server-wide language and time zone below the
 * settings.
 */
class SettingsOptionsTest {
  /** The options of the test kind: a message size the vendor caps at 100. */
  record PagerOptions(int maxSize, List<FieldError> notices) implements SettingsOptions {}

  /** A pager kind that takes {@code spec.receivers.options.pager.maxSize}. */
  static final class OptionsPagerProvider extends UnknownFieldsTest.DescribedPager {
    @Override
    public ChannelDescription description() {
      return super.description()
          .withSettingsOptions(Schema.object().property("maxSize", Schema.integer()).build());
    }

    @Override
    public TemplateSlots templateSlots() {
      return new TemplateSlots(
          Map.of("message", TemplateFormat.TEXT, "title", TemplateFormat.TEXT),
          "message",
          Map.of("text", "message"),
          "titleTemplate",
          "title");
    }

    @Override
    public Parsed<PagerOptions> parseSettingsOptions(SpecReader block) {
      List<FieldError> notices = new ArrayList<>();
      Integer size = block.cappedInteger("maxSize", 1, 100, "the vendor's limit", notices);
      return Parsed.of(new PagerOptions(size == null ? 100 : size, notices), block.errors());
    }
  }

  private static final ChannelRegistry CHANNELS =
      ChannelRegistry.of(List.of(new OptionsPagerProvider()));

  private static String settings(String receivers, String template) {
    return """
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: NotificationManager
        metadata: {name: notification-manager}
        spec:
          template: %s
          receivers: %s
        """
        .formatted(template, receivers);
  }

  private static final String ADMIN_TEMPLATES =
      """
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: admin-templates, namespace: kubesphere-monitoring-system}
      data:
        global-body: "global body ${commonName}"
      """;

  private static Snapshot snapshot(String yaml) {
    return Snapshot.build(yaml(yaml), CHANNELS, NotificationManager.DEFAULT_NAMESPACE, null);
  }

  private static Destination ops(Snapshot s) {
    return s.destinations().stream()
        .filter(d -> d.receiver().toString().equals("PagerReceiver/ops"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("not routed; " + Fixtures.problems(s)));
  }

  @Test
  void aKindsOptionsReachEveryDestinationOfTheKindParsedByItsProvider() {
    Snapshot s =
        snapshot(
            settings("{options: {pager: {maxSize: 40}}}", "{}")
                + Fixtures.global("ops")
                + Fixtures.tenant("team", "team-a"));

    assertThat(s.destinations())
        .extracting(Destination::settingsOptions)
        .containsOnly(new PagerOptions(40, List.of()));
  }

  @Test
  void anInvalidOptionIsAnErrorNamingTheSettingsObjectAndFieldAndTheKindKeepsItsDefaults() {
    Snapshot s =
        snapshot(settings("{options: {pager: {maxSize: 0}}}", "{}") + Fixtures.global("ops"));

    assertThat(Fixtures.problems(s))
        .contains(
            "NotificationManager/notification-manager: spec.receivers.options.pager.maxSize:"
                + " must be 1..100, was 0; the channel's defaults are used");
    assertThat(ops(s).settingsOptions()).isSameAs(SettingsOptions.NONE);
  }

  @Test
  void aValueAboveTheVendorsLimitIsCappedAndReportedAsANotice() {
    Snapshot s =
        snapshot(settings("{options: {pager: {maxSize: 500}}}", "{}") + Fixtures.global("ops"));

    assertThat(ops(s).settingsOptions())
        .isEqualTo(
            new PagerOptions(
                100,
                List.of(
                    new FieldError(
                        "spec.receivers.options.pager.maxSize",
                        "is 500; 100 is used, the vendor's limit"))));
    assertThat(s.problems())
        .anySatisfy(
            p -> {
              assertThat(p.severity()).isEqualTo(io.nm4j.spi.Problem.Severity.NOTICE);
              assertThat(p.toString())
                  .isEqualTo(
                      "NotificationManager/notification-manager:"
                          + " spec.receivers.options.pager.maxSize: is 500; 100 is used, the"
                          + " vendor's limit");
            });
  }

  @Test
  void theGlobalTemplateOptionNamesTheBodyTemplateOfReceiversThatNameNone() {
    Snapshot s =
        snapshot(
            settings(
                    "{options: {global: {template: global-body}}}",
                    "{text: {name: admin-templates}}")
                + ADMIN_TEMPLATES
                + Fixtures.global("ops"));

    assertThat(Fixtures.problems(s)).noneMatch(p -> p.contains("global.template"));
    RenderOptions options = ops(s).rendering();
    CompiledTemplate message = options.template("message");
    assertThat(message).isNotNull();
    Alert alert = Alert.firing(Map.of("alertname", "DiskFull"));
    Notification n =
        new Notification(
            "n1",
            new ObjectRef("PagerReceiver", "ops"),
            Scope.GLOBAL,
            null,
            null,
            List.of(alert),
            AlertBatch.of(List.of(alert)));
    assertThat(message.render(MessageModel.of(n, options.settings()), TemplateLimits.DEFAULT))
        .isEqualTo(new TemplateOutput.Rendered("global body DiskFull"));
  }

  @Test
  void serverDefaultsApplyWhereTheSettingsChooseNoLanguageOrTimeZone() {
    MessageDefaults server = MessageDefaults.of("zh-cn", "Asia/Shanghai");

    Snapshot none =
        Snapshot.build(
            yaml(Fixtures.global("ops")),
            CHANNELS,
            NotificationManager.DEFAULT_NAMESPACE,
            null,
            Clock.systemUTC(),
            server);
    Snapshot utc =
        Snapshot.build(
            yaml(settings("{}", "{timezone: UTC}") + Fixtures.global("ops")),
            CHANNELS,
            NotificationManager.DEFAULT_NAMESPACE,
            null,
            Clock.systemUTC(),
            server);

    assertThat(ops(none).rendering().settings().language())
        .isEqualTo(LanguagePack.CHINESE_SIMPLIFIED);
    assertThat(ops(none).rendering().settings().zone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
    assertThat(ops(utc).rendering().settings().language())
        .isEqualTo(LanguagePack.CHINESE_SIMPLIFIED);
    assertThat(ops(utc).rendering().settings().zone()).isEqualTo(ZoneId.of("UTC"));
  }

  @Test
  void withoutServerDefaultsMessagesAreInEnglishAndUtc() {
    Snapshot s = snapshot(Fixtures.global("ops"));

    assertThat(ops(s).rendering().settings().language()).isEqualTo(LanguagePack.ENGLISH);
    assertThat(ops(s).rendering().settings().zone()).isEqualTo(ZoneOffset.UTC);
  }

  @Test
  void anUnknownLanguageOrTimeZoneIsRefusedNamingIt() {
    assertThatThrownBy(() -> MessageDefaults.of("klingon", "UTC"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("language: no language pack \"klingon\"; there are en and zh-cn");
    assertThatThrownBy(() -> MessageDefaults.of("en", "Mars/Base"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("timezone: unknown time zone \"Mars/Base\"");
  }
}
