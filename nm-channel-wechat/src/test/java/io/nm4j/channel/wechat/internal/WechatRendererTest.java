package io.nm4j.channel.wechat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.LanguagePack;
import io.nm4j.spi.MessageSettings;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.RenderOptions;
import io.nm4j.spi.Scope;
import io.nm4j.spi.TemplateEngine;
import io.nm4j.test.CapturedAlerts;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WechatRendererTest {
  private static final ObjectRef RECEIVER = new ObjectRef("WechatReceiver", "r");
  private final WechatRenderer renderer =
      new WechatRenderer(TemplateEngine.onClassPath(WechatRendererTest.class.getClassLoader()));

  private static Notification notification(Map<String, String> labels, Map<String, String> notes) {
    Alert alert =
        new Alert(
            AlertStatus.FIRING, labels, notes, Instant.parse("2026-11-24T15:55:41Z"), null, "", "");
    return new Notification(
        "n-1", RECEIVER, Scope.GLOBAL, null, null, List.of(alert), AlertBatch.of(List.of(alert)));
  }

  private String text(Notification n) {
    return renderer.render(n, RenderOptions.DEFAULT, false).text().strip();
  }

  private String markdown(Notification n) {
    return renderer.render(n, RenderOptions.DEFAULT, true).text().strip();
  }

  @Test
  void textAndMarkdownShowEveryLabelAndAnnotationOfACapturedPayload() {
    Notification n = CapturedAlerts.notification("grouped-multi-namespace", RECEIVER);
    String text = text(n);
    String markdown = markdown(n);

    assertThat(text).startsWith("[FIRING:5] HighErrorRate\n\n[FIRING: 5]\n");
    assertThat(markdown).startsWith("### [FIRING:5] HighErrorRate\n");
    for (String value : CapturedAlerts.shownValues(n.batch())) {
      assertThat(text).contains(value);
      if (!value.startsWith("https://")) {
        assertThat(markdown).contains(value);
      }
    }
    assertThat(text).contains("Runbook: https://runbooks.example.com/HighErrorRate");
    assertThat(markdown).contains("[Runbook](https://runbooks.example.com/HighErrorRate)");
  }

  @Test
  void theSummaryFollowsTheSharedPrecedenceAndOtherAnnotationsFollowIt() {
    assertThat(
            text(
                notification(Map.of("alertname", "A"), Map.of("summary", "s", "description", "d"))))
        .contains("Alert: A\ns\ndescription: d\n");
    assertThat(text(notification(Map.of("alertname", "A"), Map.of("description", "d"))))
        .contains("Alert: A\nd\n")
        .doesNotContain("description:");
    assertThat(markdown(notification(Map.of("alertname", "A"), Map.of("message", "m"))))
        .contains("**A**: m\n");
  }

  @Test
  void anAlertWithoutAlertnameIsNamedAsEveryChannelNamesIt() {
    assertThat(text(notification(Map.of(), Map.of()))).contains("Alert: (no alertname)\n");
    assertThat(markdown(notification(Map.of(), Map.of()))).contains("**(no alertname)**");
  }

  @Test
  void hostileValuesCannotAddLinesColoursOrLinks() {
    Notification n =
        notification(
            Map.of(
                "alertname", "X",
                "a", "<font color=\"warning\">red</font>",
                "b", "[l](http://evil)",
                "c", "one\n> quoted"),
            Map.of());

    assertThat(markdown(n))
        .contains("&lt;font color=\"warning\"&gt;red&lt;/font&gt;", "[l]\\(http://evil)")
        .contains("c: one &gt; quoted");
    assertThat(text(n)).contains("c: one > quoted").doesNotContain("one\n");
  }

  @Test
  void chineseWordsAndShanghaiTime() {
    MessageSettings zh =
        MessageSettings.DEFAULT
            .withLanguage(LanguagePack.CHINESE_SIMPLIFIED)
            .withZone(ZoneId.of("Asia/Shanghai"));

    String text =
        renderer
            .render(
                CapturedAlerts.notification("mixed-firing-resolved", RECEIVER),
                new RenderOptions(zh, Map.of(), null),
                false)
            .text();

    assertThat(text)
        .startsWith("[告警:2 已恢复:1] KubePodNotReady")
        .contains("[已恢复: 1]")
        .contains("开始时间: 2026-11-24 23:56:06 +08:00");
  }
}
