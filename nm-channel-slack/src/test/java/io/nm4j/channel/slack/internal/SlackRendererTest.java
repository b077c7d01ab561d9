package io.nm4j.channel.slack.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.ChannelTemplates;
import io.nm4j.spi.CompiledTemplate;
import io.nm4j.spi.LanguagePack;
import io.nm4j.spi.MessageSettings;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.RenderOptions;
import io.nm4j.spi.Scope;
import io.nm4j.spi.TemplateCompilation;
import io.nm4j.spi.TemplateEngine;
import io.nm4j.spi.TemplateFormat;
import io.nm4j.spi.TemplateSource;
import io.nm4j.test.CapturedAlerts;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlackRendererTest {
  private static final Instant START = Instant.parse("2026-11-24T15:55:41Z");
  private static final TemplateEngine ENGINE =
      TemplateEngine.onClassPath(SlackRendererTest.class.getClassLoader());
  private static final ObjectRef RECEIVER = new ObjectRef("SlackReceiver", "r");
  private final SlackRenderer renderer = new SlackRenderer(ENGINE);

  private static Notification notification(List<Alert> alerts, int truncated) {
    AlertBatch of = AlertBatch.of(alerts);
    AlertBatch batch =
        new AlertBatch(
            "nm4j", of.status(), alerts, Map.of(), Map.of(), Map.of(), "", "", truncated);
    return new Notification("n1", RECEIVER, Scope.GLOBAL, null, null, alerts, batch);
  }

  private static Alert alert(String name, String summary) {
    return new Alert(
        AlertStatus.FIRING,
        Map.of("alertname", name, "namespace", "demo"),
        Map.of("summary", summary),
        START,
        null,
        "",
        "fp");
  }

  private String text(Notification n, RenderOptions options) {
    return renderer.render(n, options).text().strip();
  }

  /** Slack's escaping of a value, as the engine does it. */
  private static String escaped(String value) {
    StringBuilder out = new StringBuilder();
    for (char c : value.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '*', '_', '~', '`' -> out.append(c == '_' ? "" : "\u200B").append(c);
        default -> out.append(Character.isISOControl(c) ? ' ' : c);
      }
    }
    return out.toString();
  }

  @Test
  void theBuiltInMessageShowsEveryLabelAndAnnotationOfACapturedPayloadWithLinks() {
    Notification n = CapturedAlerts.notification("grouped-multi-namespace", RECEIVER);

    String text = text(n, RenderOptions.DEFAULT);

    assertThat(text).startsWith("*[FIRING:5] HighErrorRate*\n");
    for (String value : CapturedAlerts.shownValues(n.batch())) {
      if (!value.startsWith("https://")) {
        assertThat(text).contains(escaped(value));
      }
    }
    assertThat(text)
        .contains("<https://runbooks.example.com/HighErrorRate|Runbook>")
        .contains("<http://prometheus.monitoring.svc:9090/graph?g0.expr=sum+by+%28namespace")
        .contains("Starts: 2026-11-24 15:55:47 UTC");
    for (Alert a : n.alerts()) {
      assertThat(text).contains("service=" + a.labels().get("service"));
    }
  }

  @Test
  void firingAlertsComeBeforeResolvedOnesWithTheirCounts() {
    Notification n = CapturedAlerts.notification("mixed-firing-resolved", RECEIVER);

    String text = text(n, RenderOptions.DEFAULT);

    assertThat(text).startsWith("*[FIRING:2 RESOLVED:1] KubePodNotReady*");
    assertThat(text.indexOf("*FIRING* (2)")).isLessThan(text.indexOf("*RESOLVED* (1)"));
    assertThat(text.indexOf("db-2")).isLessThan(text.indexOf("db-1"));
    assertThat(text).contains("Ends: 2026-11-24 15:56:08 UTC");
  }

  @Test
  void hostileLabelValuesCannotFormatMentionOrLink() {
    Alert hostile =
        new Alert(
            AlertStatus.FIRING,
            Map.of(
                "alertname", "Disk<Full>",
                "namespace", "a&b",
                "severity", "<!channel>",
                "team", "*bold* _it_ ~s~ `code`",
                "link", "<http://evil|click> [x](y)",
                "multi", "one\ntwo",
                "intra", "a_b_c"),
            Map.of("summary", "used > 90% & rising"),
            START,
            null,
            "javascript:alert(1)",
            "fp");

    String text = text(notification(List.of(hostile), 0), RenderOptions.DEFAULT);

    assertThat(text)
        .contains(
            "Disk&lt;Full&gt;", "namespace=a&amp;b", "&lt;!channel&gt;", "used &gt; 90% &amp;")
        .contains("\u200B*bold\u200B*", "\u200B`code\u200B`", "&lt;http://evil|click&gt;")
        .contains("a_b_c")
        .contains("multi=one two")
        .doesNotContain("<!channel>", "<http://evil", "javascript:");
  }

  @Test
  void chineseWordsAndAZoneOtherThanUtc() {
    MessageSettings settings =
        MessageSettings.DEFAULT
            .withLanguage(LanguagePack.CHINESE_SIMPLIFIED)
            .withZone(ZoneId.of("Asia/Shanghai"));

    String text =
        text(
            notification(List.of(alert("A", "s")), 0), new RenderOptions(settings, Map.of(), null));

    assertThat(text).startsWith("*[告警:1] A*").contains("开始时间: 2026-11-24 23:55:41 +08:00");
  }

  @Test
  void alertsLeftOutByAlertmanagerAreMentioned() {
    Notification n = CapturedAlerts.notification("truncated", RECEIVER);

    assertThat(text(n, RenderOptions.DEFAULT))
        .endsWith("_3 more alerts were left out by Alertmanager_");
  }

  @Test
  void aLongNotificationIsSplitIntoNumberedPartsThatRepeatTheTitle() {
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      alerts.add(alert("A" + i, "x".repeat(400)));
    }

    List<SlackMessage> parts =
        SlackRenderer.messages(text(notification(alerts, 0), RenderOptions.DEFAULT));

    assertThat(parts).hasSizeGreaterThan(2);
    for (int i = 0; i < parts.size(); i++) {
      SlackMessage m = parts.get(i);
      assertThat(m.text())
          .startsWith("*[FIRING:30] 30 alerts* (part " + (i + 1) + "/" + parts.size() + ")\n");
      assertThat(m.text().length()).isLessThanOrEqualTo(SlackRenderer.MAX_TEXT_CHARS);
      assertThat(m.sections())
          .allSatisfy(
              s -> assertThat(s.length()).isLessThanOrEqualTo(SlackRenderer.MAX_SECTION_CHARS));
      assertThat(String.join("", m.sections())).isEqualTo(m.text());
    }
  }

  @Test
  void aCustomTemplateReplacesTheBuiltInOne() {
    CompiledTemplate custom = compile("${alerts?size} alert(s) for ${receiver}");

    ChannelTemplates.Rendering r =
        renderer.render(
            notification(List.of(alert("A", "s")), 0),
            new RenderOptions(MessageSettings.DEFAULT, Map.of("message", custom), null));

    assertThat(r.text()).isEqualTo("1 alert(s) for SlackReceiver/r");
    assertThat(r.fallbackReason()).isNull();
  }

  @Test
  void aFailingCustomTemplateFallsBackToTheBuiltInOneAndSaysWhy() {
    CompiledTemplate custom = compile("line one\n${alerts[0].nope}");

    ChannelTemplates.Rendering r =
        renderer.render(
            notification(List.of(alert("A", "s")), 0),
            new RenderOptions(MessageSettings.DEFAULT, Map.of("message", custom), null));

    assertThat(r.text()).startsWith("*[FIRING:1] A*");
    assertThat(r.fallbackReason()).isNotNull();
    assertThat(r.fallbackReason().toString()).startsWith("custom.ftl:2:");
    assertThat(r.annotate("posted"))
        .startsWith("posted (template failed, built-in used: custom.ftl:2:");
  }

  private static CompiledTemplate compile(String text) {
    TemplateCompilation c =
        ENGINE.compile(new TemplateSource("custom.ftl", text), TemplateFormat.SLACK_MRKDWN);
    return ((TemplateCompilation.Compiled) c).template();
  }
}
