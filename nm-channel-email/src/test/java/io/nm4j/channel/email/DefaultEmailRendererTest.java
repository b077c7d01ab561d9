package io.nm4j.channel.email;

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
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultEmailRendererTest {
  private static final ObjectRef RECEIVER = new ObjectRef("EmailReceiver", "ops");
  private final EmailRenderer renderer = EmailRenderer.defaultRenderer();

  private static Notification of(List<Alert> alerts) {
    return new Notification(
        "n-1", RECEIVER, Scope.GLOBAL, null, null, alerts, AlertBatch.of(alerts));
  }

  private static Alert alert(Map<String, String> labels, Map<String, String> annotations) {
    return new Alert(AlertStatus.FIRING, labels, annotations, Sends.STARTS, null, "", "fp");
  }

  private static String html(String value) {
    return value
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }

  @Test
  void theBuiltInEmailShowsEveryLabelAndAnnotationOfACapturedPayloadWithLinks() {
    Notification n = CapturedAlerts.notification("grouped-multi-namespace", RECEIVER);

    EmailContent c = renderer.render(n);

    assertThat(c.subject()).isEqualTo("[FIRING:5] HighErrorRate");
    for (String value : CapturedAlerts.shownValues(n.batch())) {
      assertThat(c.text()).contains(value);
      assertThat(c.html()).contains(html(value));
    }
    assertThat(c.html())
        .contains("<a href=\"https://runbooks.example.com/HighErrorRate\">Runbook</a>")
        .contains("<a href=\"http://prometheus.monitoring.svc:9090/graph?g0.expr=sum+by");
    assertThat(c.templateProblem()).isNull();
  }

  @Test
  void firingComesBeforeResolvedAndTheSubjectNamesTheCommonNamespace() {
    EmailContent c =
        renderer.render(CapturedAlerts.notification("mixed-firing-resolved", RECEIVER));

    assertThat(c.subject()).isEqualTo("[FIRING:2 RESOLVED:1] KubePodNotReady (tenant-c)");
    assertThat(c.text().indexOf("FIRING (2)")).isLessThan(c.text().indexOf("RESOLVED (1)"));
    assertThat(c.html().indexOf(">FIRING (2)<")).isLessThan(c.html().indexOf(">RESOLVED (1)<"));
  }

  @Test
  void theSummaryIsTheSummaryThenTheDescriptionThenTheMessageAsInEveryChannel() {
    EmailContent c =
        renderer.render(
            of(
                List.of(
                    alert(
                        Map.of("alertname", "A"),
                        Map.of("description", "the description", "message", "the message")))));

    assertThat(c.text()).contains("- A: the description\n  message: the message");
  }

  @Test
  void lineBreaksInLabelValuesNeverReachTheSubject() {
    EmailContent c =
        renderer.render(
            of(List.of(alert(Map.of("alertname", "X\r\nBcc: evil@example.com"), Map.of()))));

    assertThat(c.subject()).doesNotContain("\r", "\n").contains("X  Bcc: evil@example.com");
  }

  @Test
  void htmlEscapesEveryLabelAndAnnotationValue() {
    Notification n = CapturedAlerts.notification("special-chars", RECEIVER);

    EmailContent c = renderer.render(n);

    assertThat(c.html())
        .contains("&lt;b&gt;bold&lt;/b&gt; &amp; &quot;double&quot; &#39;single&#39;")
        .doesNotContain("<b>bold</b>", "<html>");
    assertThat(c.text()).contains("<b>bold</b>").contains("运维团队").contains("🔥 fire");
  }

  @Test
  void chineseWordsAndShanghaiTime() {
    MessageSettings zh =
        MessageSettings.DEFAULT
            .withLanguage(LanguagePack.CHINESE_SIMPLIFIED)
            .withZone(ZoneId.of("Asia/Shanghai"));

    EmailContent c =
        renderer.render(
            CapturedAlerts.notification("mixed-firing-resolved", RECEIVER),
            new RenderOptions(zh, Map.of(), null));

    assertThat(c.subject()).isEqualTo("[告警:2 已恢复:1] KubePodNotReady (tenant-c)");
    assertThat(c.html()).contains("<html lang=\"zh-cn\">").contains("2026-11-24 23:56:06 +08:00");
  }

  @Test
  void theTruncationNoteIsShown() {
    EmailContent c = renderer.render(CapturedAlerts.notification("truncated", RECEIVER));

    assertThat(c.text()).endsWith("3 more alerts were left out by Alertmanager\n");
    assertThat(c.html()).contains("<em>3 more alerts were left out by Alertmanager</em>");
  }

  @Test
  void aCustomSubjectIsUsedAndABrokenCustomBodyFallsBackNamingItsLine() {
    TemplateEngine engine = TemplateEngine.onClassPath(getClass().getClassLoader());
    CompiledTemplate subject =
        compile(engine, "s.ftl", "Alerts: ${alerts?size}", TemplateFormat.TEXT);
    CompiledTemplate html =
        compile(engine, "h.ftl", "<p>\n<#list 1..x as i></#list>", TemplateFormat.HTML);

    EmailContent c =
        renderer.render(
            CapturedAlerts.notification("mixed-firing-resolved", RECEIVER),
            new RenderOptions(
                MessageSettings.DEFAULT, Map.of("subject", subject, "html", html), null));

    assertThat(c.subject()).isEqualTo("Alerts: 3");
    assertThat(c.html()).contains("KubePodNotReady");
    assertThat(c.templateProblem()).isNotNull();
    assertThat(c.templateProblem().template()).isEqualTo("h.ftl");
    assertThat(c.templateProblem().line()).isEqualTo(2);
  }

  private static CompiledTemplate compile(
      TemplateEngine engine, String name, String text, TemplateFormat format) {
    return ((TemplateCompilation.Compiled) engine.compile(new TemplateSource(name, text), format))
        .template();
  }
}
