package io.nm4j.channel.telegram.internal;

import static io.nm4j.channel.telegram.BalancedHtml.assertBalanced;
import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.ChannelTemplates;
import io.nm4j.spi.CompiledTemplate;
import io.nm4j.spi.LanguagePack;
import io.nm4j.spi.MessageSettings;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.RenderOptions;
import io.nm4j.spi.TemplateCompilation;
import io.nm4j.spi.TemplateEngine;
import io.nm4j.spi.TemplateFormat;
import io.nm4j.spi.TemplateSource;
import io.nm4j.test.CapturedAlerts;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TelegramRendererTest {
  private static final Instant START = Instant.parse("2026-11-24T15:55:41Z");
  private static final TemplateEngine ENGINE =
      TemplateEngine.onClassPath(TelegramRendererTest.class.getClassLoader());
  private static final ObjectRef RECEIVER = new ObjectRef("TelegramReceiver", "r");
  private final TelegramRenderer renderer = new TelegramRenderer(ENGINE);

  private static Alert alert(Map<String, String> labels, String summary) {
    return new Alert(AlertStatus.FIRING, labels, Map.of("summary", summary), START, null, "", "fp");
  }

  private String text(Notification n, RenderOptions options) {
    return renderer.render(n, options).text().strip();
  }

  /** Telegram's HTML escaping of a value, as the engine does it. */
  private static String escaped(String value) {
    return value
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace('\n', ' ');
  }

  @Test
  void theBuiltInMessageShowsEveryLabelAndAnnotationOfACapturedPayloadWithLinks() {
    Notification n = CapturedAlerts.notification("grouped-multi-namespace", RECEIVER);

    String text = text(n, RenderOptions.DEFAULT);

    assertThat(text).startsWith("<b>[FIRING:5] HighErrorRate</b>\n");
    for (String value : CapturedAlerts.shownValues(n.batch())) {
      if (!value.startsWith("https://")) {
        assertThat(text).contains(escaped(value));
      }
    }
    for (Alert a : n.alerts()) {
      assertThat(text).contains("<code>service</code>: " + escaped(a.labels().get("service")));
    }
    assertThat(text)
        .contains("<a href=\"https://runbooks.example.com/HighErrorRate\">Runbook</a>")
        .contains("<a href=\"http://prometheus.monitoring.svc:9090/graph?g0.expr=sum+by+%28")
        .contains("Starts: 2026-11-24 15:55:47 UTC");
    assertBalanced(text);
  }

  @Test
  void firingAlertsComeBeforeResolvedOnesWithTheirCountsAndEndTimes() {
    Notification n = CapturedAlerts.notification("mixed-firing-resolved", RECEIVER);

    String text = text(n, RenderOptions.DEFAULT);

    assertThat(text).startsWith("<b>[FIRING:2 RESOLVED:1] KubePodNotReady</b>");
    assertThat(text.indexOf("<b>FIRING</b> (2)")).isLessThan(text.indexOf("<b>RESOLVED</b> (1)"));
    assertThat(text).contains("Ends: 2026-11-24 15:56:08 UTC");
  }

  @Test
  void hostileLabelValuesStayText() {
    Alert hostile =
        alert(
            Map.of(
                "alertname", "</b><i>x",
                "namespace", "a&b",
                "link", "<a href=\"https://evil.example\">[x](y)</a>",
                "stars", "*bold*",
                "multi", "one\ntwo"),
            "used > 90% & rising");

    String text =
        text(CapturedAlerts.notification(RECEIVER, List.of(hostile)), RenderOptions.DEFAULT);

    assertThat(text)
        .contains("&lt;/b&gt;&lt;i&gt;x", "a&amp;b", "used &gt; 90% &amp; rising", "*bold*")
        .contains("&lt;a href=&quot;https://evil.example&quot;&gt;[x](y)&lt;/a&gt;")
        .contains("<code>multi</code>: one two")
        .doesNotContain("evil.example\">", "</b><i>");
    assertBalanced(text);
  }

  @Test
  void chineseWordsAndAZoneOtherThanUtc() {
    MessageSettings settings =
        MessageSettings.DEFAULT
            .withLanguage(LanguagePack.CHINESE_SIMPLIFIED)
            .withZone(ZoneId.of("Asia/Shanghai"));

    String text =
        text(
            CapturedAlerts.notification(RECEIVER, List.of(alert(Map.of("alertname", "A"), "s"))),
            new RenderOptions(settings, Map.of(), null));

    assertThat(text).startsWith("<b>[告警:1] A</b>").contains("开始时间: 2026-11-24 23:55:41 +08:00");
  }

  @Test
  void alertsLeftOutByAlertmanagerAreMentioned() {
    Notification n = CapturedAlerts.notification("truncated", RECEIVER);

    assertThat(text(n, RenderOptions.DEFAULT))
        .endsWith("<i>3 more alerts were left out by Alertmanager</i>");
  }

  @Test
  void aCustomTemplateReplacesTheBuiltInOne() {
    CompiledTemplate custom = compile("<b>${alerts?size}</b> alert(s) for ${receiver}");

    ChannelTemplates.Rendering r =
        renderer.render(
            CapturedAlerts.notification(RECEIVER, List.of(alert(Map.of("alertname", "A"), "s"))),
            new RenderOptions(MessageSettings.DEFAULT, Map.of("message", custom), null));

    assertThat(r.text()).isEqualTo("<b>1</b> alert(s) for TelegramReceiver/r");
    assertThat(r.fallbackReason()).isNull();
  }

  @Test
  void mentionsOpenTheFirstMessageOnly() {
    List<String> parts =
        TelegramRenderer.messages(
            "<b>title</b>\n" + "line\n".repeat(2_000), List.of("@oncall", "@lead"));

    assertThat(parts).hasSizeGreaterThan(1);
    assertThat(parts.get(0)).startsWith("@oncall @lead\n<b>title</b> (part 1/");
    assertThat(parts.get(1)).startsWith("<b>title</b> (part 2/");
  }

  @Test
  void tagsSpanningACutAreClosedAndOpenedAgainAndNoEntityOrTagIsCut() {
    String text =
        "<b>title</b>\n<blockquote><i>"
            + "x&amp;y ".repeat(900)
            + "<a href=\"https://example.com/\">link</a> "
            + "é&lt;".repeat(900)
            + "</i></blockquote>\nend";

    List<String> parts = TelegramRenderer.messages(text, List.of());

    assertThat(parts).hasSizeGreaterThan(2);
    for (int i = 0; i < parts.size(); i++) {
      String part = parts.get(i);
      assertThat(part.length()).isLessThanOrEqualTo(TelegramRenderer.MAX_MESSAGE_CHARS);
      assertThat(part).startsWith("<b>title</b> (part " + (i + 1) + "/" + parts.size() + ")\n\n");
      assertThat(part).doesNotContainPattern("&[a-z]*$").doesNotContainPattern("&[a-z]*<");
      assertBalanced(part);
    }
    assertThat(parts.get(1)).contains("<blockquote><i>");
    assertThat(String.join("", parts).replaceAll("<[^>]*>|\\(part \\d+/\\d+\\)|title", ""))
        .contains("link");
  }

  private static CompiledTemplate compile(String text) {
    TemplateCompilation c =
        ENGINE.compile(new TemplateSource("custom.ftl", text), TemplateFormat.TELEGRAM_HTML);
    return ((TemplateCompilation.Compiled) c).template();
  }
}
