package io.nm4j.channel.dingtalk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarkdownRendererTest {
  private static final TemplateEngine ENGINE =
      TemplateEngine.onClassPath(MarkdownRendererTest.class.getClassLoader());
  private static final ObjectRef RECEIVER = new ObjectRef("DingTalkReceiver", "r");
  private static final int MAX = 19_960;
  private final MarkdownRenderer renderer = new MarkdownRenderer(ENGINE);

  private static Notification notification(Alert... alerts) {
    return new Notification(
        "n", RECEIVER, Scope.GLOBAL, null, null, List.of(alerts), AlertBatch.of(List.of(alerts)));
  }

  private String text(Notification n, RenderOptions options) {
    MarkdownRenderer.Rendered r = renderer.render(n, options, List.of(), MAX);
    assertThat(r.parts()).hasSize(1);
    return r.parts().get(0).text();
  }

  @Test
  void theBuiltInMarkdownShowsEveryLabelAndAnnotationOfACapturedPayloadWithLinks() {
    Notification n = CapturedAlerts.notification("grouped-multi-namespace", RECEIVER);

    String text = text(n, RenderOptions.DEFAULT);

    assertThat(text).startsWith("#### [FIRING:5] HighErrorRate\n\n##### FIRING (5)\n\n");
    for (String value : CapturedAlerts.shownValues(n.batch())) {
      if (!value.startsWith("https://")) {
        assertThat(text).contains(value);
      }
    }
    assertThat(text)
        .contains("[Runbook](https://runbooks.example.com/HighErrorRate)")
        .contains(
            "[Source](http://prometheus.monitoring.svc:9090/graph?g0.expr=sum+by+%28namespace");
  }

  @Test
  void firingBeforeResolvedAndTheTruncationNote() {
    String mixed =
        text(CapturedAlerts.notification("mixed-firing-resolved", RECEIVER), RenderOptions.DEFAULT);
    assertThat(mixed.indexOf("##### FIRING (2)")).isLessThan(mixed.indexOf("##### RESOLVED (1)"));

    String truncated =
        text(CapturedAlerts.notification("truncated", RECEIVER), RenderOptions.DEFAULT);
    assertThat(truncated).endsWith("*3 more alerts were left out by Alertmanager*");
  }

  @Test
  void hostileValuesStayValuesInMarkdown() {
    Alert hostile =
        new Alert(
            AlertStatus.FIRING,
            Map.of("alertname", "X", "a", "**b** [l](http://evil) `c` <font>", "n", "one\n# two"),
            Map.of("summary", "~~gone~~ _i_"),
            null,
            null,
            "",
            "fp");
    Notification n = notification(hostile);

    String text = text(n, RenderOptions.DEFAULT);

    assertThat(text)
        .contains("a=\\*\\*b\\*\\* [l]\\(http://evil) \\`c\\` &lt;font&gt;")
        .contains("n=one # two")
        .contains("\\~\\~gone\\~\\~ \\_i\\_")
        .doesNotContain("<font>", "](http://evil");
  }

  @Test
  void chineseWordsAndShanghaiTime() {
    Notification n = CapturedAlerts.notification("mixed-firing-resolved", RECEIVER);
    MessageSettings settings =
        MessageSettings.DEFAULT
            .withLanguage(LanguagePack.CHINESE_SIMPLIFIED)
            .withZone(ZoneId.of("Asia/Shanghai"));

    String text = text(n, new RenderOptions(settings, Map.of(), null));

    assertThat(text)
        .startsWith("#### [告警:2 已恢复:1] KubePodNotReady")
        .contains("开始时间: 2026-11-24 23:56:06 +08:00")
        .contains("结束时间: 2026-11-24 23:56:08 +08:00");
  }

  @Test
  void aBrokenCustomTemplateFallsBackToTheBuiltInOneAndTheProblemNamesItsLine() {
    CompiledTemplate custom =
        ((TemplateCompilation.Compiled)
                ENGINE.compile(
                    new TemplateSource("ConfigMap/tpl:dingtalk.ftl", "#### ok\n\n${nope}"),
                    TemplateFormat.MARKDOWN))
            .template();
    Notification n = CapturedAlerts.notification("mixed-firing-resolved", RECEIVER);

    MarkdownRenderer.Rendered r =
        renderer.render(
            n,
            new RenderOptions(MessageSettings.DEFAULT, Map.of("markdown", custom), null),
            List.of("alert"),
            MAX);

    assertThat(r.parts().get(0).text()).startsWith("#### [alert] [FIRING:2 RESOLVED:1]");
    assertThat(r.problem()).isNotNull();
    assertThat(r.problem().toString()).startsWith("ConfigMap/tpl:dingtalk.ftl:3:3: ");
  }

  @Test
  void theRobotsKeywordLeadsTheTitleOfEveryPart() {
    Alert big =
        new Alert(
            AlertStatus.FIRING,
            Map.of("alertname", "Big"),
            Map.of("summary", "x".repeat(3_000)),
            Instant.EPOCH,
            null,
            "",
            "fp");
    Notification n = notification(big, big, big);

    MarkdownRenderer.Rendered r = renderer.render(n, RenderOptions.DEFAULT, List.of("ops"), 4_000);

    assertThat(r.parts()).hasSizeGreaterThan(1);
    for (MarkdownMessage m : r.parts()) {
      assertThat(m.title()).startsWith("[ops] [FIRING:3] Big (part ");
      assertThat(m.text()).startsWith("#### [ops] [FIRING:3] Big (part ");
    }
  }
}
