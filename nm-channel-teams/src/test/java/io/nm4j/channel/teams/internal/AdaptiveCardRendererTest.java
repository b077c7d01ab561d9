package io.nm4j.channel.teams.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdaptiveCardRendererTest {
  private static final Instant START = Instant.parse("2026-11-24T15:55:41Z");
  private static final TemplateEngine ENGINE =
      TemplateEngine.onClassPath(AdaptiveCardRendererTest.class.getClassLoader());
  private static final ObjectRef RECEIVER = new ObjectRef("TeamsReceiver", "r");
  private final AdaptiveCardRenderer renderer = new AdaptiveCardRenderer(ENGINE, 24_000);

  private static Alert alert(Map<String, String> labels, String summary) {
    return new Alert(AlertStatus.FIRING, labels, Map.of("summary", summary), START, null, "", "fp");
  }

  private String text(Notification n, RenderOptions options) {
    return renderer.render(n, options).text().strip();
  }

  /** Teams' escaping of a value, as the engine does it (for values without leading markers). */
  private static String escaped(String value) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean inWord =
          i > 0
              && i + 1 < value.length()
              && Character.isLetterOrDigit(value.charAt(i - 1))
              && Character.isLetterOrDigit(value.charAt(i + 1));
      if ("\\*~`[]()<".indexOf(c) >= 0 || (c == '_' && !inWord)) {
        out.append('\\');
      }
      out.append(Character.isISOControl(c) ? ' ' : c);
    }
    return out.toString();
  }

  private static List<String> blockTexts(ObjectNode message) {
    List<String> texts = new ArrayList<>();
    for (JsonNode block : message.path("attachments").get(0).path("content").path("body")) {
      texts.add(block.path("text").asText());
    }
    return texts;
  }

  @Test
  void theBuiltInMessageShowsEveryLabelAndAnnotationOfACapturedPayloadWithLinks() {
    Notification n = CapturedAlerts.notification("grouped-multi-namespace", RECEIVER);

    String text = text(n, RenderOptions.DEFAULT);

    assertThat(text).startsWith("\\[FIRING:5\\] HighErrorRate\n");
    for (String value : CapturedAlerts.shownValues(n.batch())) {
      if (!value.startsWith("https://")) {
        assertThat(text).contains(escaped(value));
      }
    }
    for (Alert a : n.alerts()) {
      assertThat(text).contains("\nservice: " + escaped(a.labels().get("service")) + "\n");
    }
    assertThat(text)
        .contains("[Runbook](https://runbooks.example.com/HighErrorRate)")
        .contains("[Source](http://prometheus.monitoring.svc:9090/graph?g0.expr=sum+by+%28")
        .contains("Starts: 2026-11-24 15:55:47 UTC");
    List<ObjectNode> messages = renderer.messages(text);
    assertThat(messages).hasSize(1);
    List<String> blocks = blockTexts(messages.get(0));
    assertThat(blocks.get(0)).isEqualTo("\\[FIRING:5\\] HighErrorRate");
    assertThat(blocks).contains("**FIRING** (5)").doesNotContain("");
  }

  @Test
  void firingAlertsComeBeforeResolvedOnesWithTheirCountsAndEndTimes() {
    Notification n = CapturedAlerts.notification("mixed-firing-resolved", RECEIVER);

    String text = text(n, RenderOptions.DEFAULT);

    assertThat(text).startsWith("\\[FIRING:2 RESOLVED:1\\] KubePodNotReady");
    assertThat(text.indexOf("**FIRING** (2)")).isLessThan(text.indexOf("**RESOLVED** (1)"));
    assertThat(text).contains("Ends: 2026-11-24 15:56:08 UTC");
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

    assertThat(text).startsWith("\\[告警:1\\] A").contains("开始时间: 2026-11-24 23:55:41 +08:00");
  }

  @Test
  void alertsLeftOutByAlertmanagerAreMentioned() {
    Notification n = CapturedAlerts.notification("truncated", RECEIVER);

    assertThat(text(n, RenderOptions.DEFAULT))
        .endsWith("_3 more alerts were left out by Alertmanager_");
  }

  @Test
  void aCustomTemplateReplacesTheBuiltInOneAndItsLinesBecomeTextBlocks() {
    CompiledTemplate custom =
        compile("Alerts for ${receiver}\n<#list alerts as a>- ${a.name}<#sep>\n\n</#list>");

    ChannelTemplates.Rendering r =
        renderer.render(
            CapturedAlerts.notification(
                RECEIVER,
                List.of(
                    alert(Map.of("alertname", "A"), "s"), alert(Map.of("alertname", "B"), "t"))),
            new RenderOptions(MessageSettings.DEFAULT, Map.of("message", custom), null));

    assertThat(r.fallbackReason()).isNull();
    List<ObjectNode> messages = renderer.messages(r.text());
    assertThat(blockTexts(messages.get(0)))
        .containsExactly("Alerts for TeamsReceiver/r", "- A", "- B");
    JsonNode body = messages.get(0).path("attachments").get(0).path("content").path("body");
    assertThat(body.get(1).path("spacing").asText()).isEqualTo("None");
    assertThat(body.get(2).path("spacing").asText()).isEqualTo("Medium");
  }

  @Test
  void aLineLongerThanATextBlockIsCutWithoutPartingAnEscapeFromItsCharacter() {
    List<ObjectNode> messages = renderer.messages("title\n" + "\\*".repeat(3_000));

    List<String> blocks = new ArrayList<>();
    messages.forEach(m -> blocks.addAll(blockTexts(m).subList(1, blockTexts(m).size())));
    assertThat(blocks).hasSizeGreaterThan(2);
    assertThat(blocks)
        .allSatisfy(
            b -> {
              assertThat(b.length()).isLessThanOrEqualTo(AdaptiveCardRenderer.MAX_LINE_CHARS);
              assertThat(b).matches("(\\\\\\*)+");
            });
  }

  private static CompiledTemplate compile(String text) {
    TemplateCompilation c =
        ENGINE.compile(new TemplateSource("custom.ftl", text), TemplateFormat.TEAMS_MARKDOWN);
    return ((TemplateCompilation.Compiled) c).template();
  }
}
