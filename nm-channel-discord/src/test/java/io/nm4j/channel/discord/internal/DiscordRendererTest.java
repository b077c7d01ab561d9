package io.nm4j.channel.discord.internal;

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

class DiscordRendererTest {
  private static final Instant START = Instant.parse("2026-11-24T15:55:41Z");
  private static final TemplateEngine ENGINE =
      TemplateEngine.onClassPath(DiscordRendererTest.class.getClassLoader());
  private static final ObjectRef RECEIVER = new ObjectRef("DiscordReceiver", "r");
  private final DiscordRenderer renderer = new DiscordRenderer(ENGINE);

  private static Alert alert(Map<String, String> labels, String summary) {
    return new Alert(AlertStatus.FIRING, labels, Map.of("summary", summary), START, null, "", "fp");
  }

  private String text(Notification n, RenderOptions options) {
    return renderer.render(n, options).text().strip();
  }

  /** Discord's escaping of a value, as the engine does it. */
  private static String escaped(String value) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ("\\*_~`|[]():<>@".indexOf(c) >= 0 || (i == 0 && "#-+".indexOf(c) >= 0)) {
        out.append('\\');
      }
      out.append(Character.isISOControl(c) ? ' ' : c);
    }
    return out.toString();
  }

  @Test
  void theBuiltInMessageShowsEveryLabelAndAnnotationOfACapturedPayloadWithLinks() {
    Notification n = CapturedAlerts.notification("grouped-multi-namespace", RECEIVER);

    String text = text(n, RenderOptions.DEFAULT);

    assertThat(text).startsWith("\\[FIRING\\:5\\] HighErrorRate\n");
    for (String value : CapturedAlerts.shownValues(n.batch())) {
      if (!value.startsWith("https://")) {
        assertThat(text).contains(escaped(value));
      }
    }
    for (Alert a : n.alerts()) {
      assertThat(text).contains("- service: " + escaped(a.labels().get("service")));
    }
    assertThat(text)
        .contains("[Runbook](<https://runbooks.example.com/HighErrorRate>)")
        .contains("[Source](<http://prometheus.monitoring.svc:9090/graph?g0.expr=sum+by+%28")
        .contains("Starts: 2026-11-24 15\\:55\\:47 UTC");
  }

  @Test
  void firingAlertsComeBeforeResolvedOnesWithTheirCountsAndEndTimes() {
    Notification n = CapturedAlerts.notification("mixed-firing-resolved", RECEIVER);

    String text = text(n, RenderOptions.DEFAULT);

    assertThat(text).startsWith("\\[FIRING\\:2 RESOLVED\\:1\\] KubePodNotReady");
    assertThat(text.indexOf("**FIRING** (2)")).isLessThan(text.indexOf("**RESOLVED** (1)"));
    assertThat(text).contains("Ends: 2026-11-24 15\\:56\\:08 UTC");
  }

  @Test
  void hostileLabelValuesCannotPingFormatOrLink() {
    Alert hostile =
        alert(
            Map.of(
                "alertname", "@everyone",
                "namespace", "<@123> <@&456>",
                "team", "**bold** ||spoiler|| [x](https://e.x)",
                "multi", "one\n# two"),
            "</b> *i*");

    String text =
        text(CapturedAlerts.notification(RECEIVER, List.of(hostile)), RenderOptions.DEFAULT);

    assertThat(text)
        .contains("\\@everyone", "\\<\\@123\\> \\<\\@&456\\>", "\\*\\*bold\\*\\*")
        .contains("\\|\\|spoiler\\|\\|", "\\[x\\]\\(https\\://e.x\\)", "one # two")
        .doesNotContainPattern("(?<!\\\\)@everyone")
        .doesNotContain("<@", "[x](", "\n# two");
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

    assertThat(text)
        .startsWith("\\[告警\\:1\\] A")
        .contains("开始时间: 2026-11-24 23\\:55\\:41 +08\\:00");
  }

  @Test
  void alertsLeftOutByAlertmanagerAreMentioned() {
    Notification n = CapturedAlerts.notification("truncated", RECEIVER);

    assertThat(text(n, RenderOptions.DEFAULT))
        .endsWith("*3 more alerts were left out by Alertmanager*");
  }

  @Test
  void aCustomTemplateReplacesTheBuiltInOne() {
    CompiledTemplate custom = compile("${alerts?size} alert(s) for ${receiver}");

    ChannelTemplates.Rendering r =
        renderer.render(
            CapturedAlerts.notification(RECEIVER, List.of(alert(Map.of("alertname", "A"), "s"))),
            new RenderOptions(MessageSettings.DEFAULT, Map.of("message", custom), null));

    assertThat(r.text()).isEqualTo("1 alert(s) for DiscordReceiver/r");
    assertThat(r.fallbackReason()).isNull();
  }

  @Test
  void contentPartsRepeatTheBoldTitleAndMentionsOpenTheFirst() {
    List<DiscordMessage> parts =
        DiscordRenderer.content("[FIRING:9] A\n" + "line\n".repeat(1_000), "<@1> <@&2>");

    assertThat(parts).hasSizeGreaterThan(2);
    for (int i = 0; i < parts.size(); i++) {
      String content = parts.get(i).content();
      assertThat(content.length()).isLessThanOrEqualTo(DiscordRenderer.MAX_CONTENT_CHARS);
      String title = "**[FIRING:9] A** (part " + (i + 1) + "/" + parts.size() + ")";
      assertThat(content).startsWith(i == 0 ? "<@1> <@&2>\n" + title : title);
    }
  }

  @Test
  void aCutNeverSeparatesABackslashFromTheCharacterItEscapes() {
    String body = "\\@".repeat(3_000);

    for (DiscordMessage m : DiscordRenderer.content("title\n" + body, "")) {
      String text = m.content().substring(m.content().indexOf("\n\n") + 2);
      assertThat(text).matches("(\\\\@)+");
    }
    for (DiscordMessage m : DiscordRenderer.embeds("title\n" + body, "", true)) {
      assertThat(m.embeds().get(0).description()).matches("(\\\\@)+");
    }
  }

  private static CompiledTemplate compile(String text) {
    TemplateCompilation c =
        ENGINE.compile(new TemplateSource("custom.ftl", text), TemplateFormat.DISCORD_MARKDOWN);
    return ((TemplateCompilation.Compiled) c).template();
  }
}
