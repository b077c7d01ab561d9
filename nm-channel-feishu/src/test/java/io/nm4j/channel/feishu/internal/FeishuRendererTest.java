package io.nm4j.channel.feishu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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

class FeishuRendererTest {
  private static final Instant START = Instant.parse("2026-11-24T15:55:41Z");
  private static final TemplateEngine ENGINE =
      TemplateEngine.onClassPath(FeishuRendererTest.class.getClassLoader());
  private static final ObjectRef RECEIVER = new ObjectRef("FeishuReceiver", "r");
  private final FeishuRenderer renderer = new FeishuRenderer(ENGINE);

  private static Alert alert(Map<String, String> labels, String summary) {
    return new Alert(AlertStatus.FIRING, labels, Map.of("summary", summary), START, null, "", "fp");
  }

  private String text(Notification n, RenderOptions options) {
    return renderer.render(n, options).text().strip();
  }

  private static List<String> paragraphs(FeishuRenderer.Message m) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : m.content().path("post").path("zh_cn").path("content")) {
      out.add(p.get(0).path("tag").asText() + ":" + p.get(0).path("text").asText());
    }
    return out;
  }

  @Test
  void theBuiltInMessageShowsEveryLabelAndAnnotationOfACapturedPayloadWithLinks() {
    Notification n = CapturedAlerts.notification("grouped-multi-namespace", RECEIVER);

    String text = text(n, RenderOptions.DEFAULT);

    assertThat(text).startsWith("[FIRING:5] HighErrorRate\n");
    for (String value : CapturedAlerts.shownValues(n.batch())) {
      assertThat(text).contains(value.replace('\n', ' '));
    }
    for (Alert a : n.alerts()) {
      assertThat(text).contains("    service: " + a.labels().get("service") + "\n");
    }
    assertThat(text)
        .contains("    Runbook: https://runbooks.example.com/HighErrorRate")
        .contains("    Source: http://prometheus.monitoring.svc:9090/graph?g0.expr=sum+by+%28")
        .contains("    Starts: 2026-11-24 15:55:47 UTC");
    List<FeishuRenderer.Message> post = FeishuRenderer.messages(text, "post", List.of(), 19_800);
    assertThat(post).hasSize(1);
    assertThat(post.get(0).content().path("post").path("zh_cn").path("title").asText())
        .isEqualTo("[FIRING:5] HighErrorRate");
    assertThat(paragraphs(post.get(0))).allSatisfy(p -> assertThat(p).startsWith("text:"));
  }

  @Test
  void firingAlertsComeBeforeResolvedOnesWithTheirCountsAndEndTimes() {
    Notification n = CapturedAlerts.notification("mixed-firing-resolved", RECEIVER);

    String text = text(n, RenderOptions.DEFAULT);

    assertThat(text).startsWith("[FIRING:2 RESOLVED:1] KubePodNotReady");
    assertThat(text.indexOf("FIRING (2)")).isLessThan(text.indexOf("RESOLVED (1)"));
    assertThat(text).contains("Ends: 2026-11-24 15:56:08 UTC");
  }

  @Test
  void hostileValuesStayTextAndMentionNobody() {
    Alert hostile =
        alert(
            Map.of("alertname", "<at user_id=\"all\">all</at>", "md", "**b** [x](y)\nnext"),
            "</b> <AT id=1>");

    String text =
        text(CapturedAlerts.notification(RECEIVER, List.of(hostile)), RenderOptions.DEFAULT);
    FeishuRenderer.Message message =
        FeishuRenderer.messages(text, "text", List.of(), 19_800).get(0);

    assertThat(text).contains("    md: **b** [x](y) next");
    assertThat(message.content().path("text").asText())
        .doesNotContainIgnoringCase("<at")
        .contains("<\u200bat user_id=\"all\">all</at>", "</b> <\u200bAT id=1>");
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

    assertThat(text).startsWith("[告警:1] A").contains("开始时间: 2026-11-24 23:55:41 +08:00");
  }

  @Test
  void alertsLeftOutByAlertmanagerAreMentioned() {
    Notification n = CapturedAlerts.notification("truncated", RECEIVER);

    assertThat(text(n, RenderOptions.DEFAULT))
        .endsWith("3 more alerts were left out by Alertmanager");
  }

  @Test
  void aCustomTemplateReplacesTheBuiltInOneForBothTypes() {
    CompiledTemplate custom = compile("${alerts?size} alert(s)\nfor ${receiver}");

    ChannelTemplates.Rendering r =
        renderer.render(
            CapturedAlerts.notification(RECEIVER, List.of(alert(Map.of("alertname", "A"), "s"))),
            new RenderOptions(MessageSettings.DEFAULT, Map.of("message", custom), "text"));

    assertThat(r.fallbackReason()).isNull();
    assertThat(FeishuRenderer.messages(r.text(), "text", List.of(), 19_800).get(0).content())
        .hasToString("{\"text\":\"1 alert(s)\\nfor FeishuReceiver/r\"}");
    FeishuRenderer.Message post =
        FeishuRenderer.messages(r.text(), "post", List.of(), 19_800).get(0);
    assertThat(post.content().path("post").path("zh_cn").path("title").asText())
        .isEqualTo("1 alert(s)");
    assertThat(paragraphs(post)).containsExactly("text:for FeishuReceiver/r");
  }

  @Test
  void aLongNotificationIsSplitIntoPartsWithinTheContentSizeEachWithTheKeywords() {
    String text = "[FIRING:9] A\n" + "line with \"quotes\" and 中文\n".repeat(2_000);

    List<FeishuRenderer.Message> parts =
        FeishuRenderer.messages(text, "post", List.of("prod"), 19_800);

    assertThat(parts).hasSizeGreaterThan(2);
    for (int i = 0; i < parts.size(); i++) {
      FeishuRenderer.Message m = parts.get(i);
      assertThat(FeishuRenderer.size(m.content())).isLessThanOrEqualTo(19_800);
      assertThat(m.content().path("post").path("zh_cn").path("title").asText())
          .isEqualTo("[FIRING:9] A (part " + (i + 1) + "/" + parts.size() + ")");
      List<String> lines = paragraphs(m);
      assertThat(lines.get(lines.size() - 1)).isEqualTo("text:[Keywords] prod");
    }
  }

  private static CompiledTemplate compile(String text) {
    TemplateCompilation c =
        ENGINE.compile(new TemplateSource("custom.ftl", text), TemplateFormat.TEXT);
    return ((TemplateCompilation.Compiled) c).template();
  }
}
