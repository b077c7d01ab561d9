package io.nm4j.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Scope;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultEmailRendererTest {
  private static Notification of(List<Alert> alerts) {
    return new Notification(
        "n-1",
        new ObjectRef("EmailReceiver", "ops"),
        Scope.GLOBAL,
        null,
        null,
        alerts,
        AlertBatch.of(alerts));
  }

  private static Alert alert(AlertStatus status, String name, String namespace) {
    return new Alert(
        status,
        Map.of("alertname", name, "namespace", namespace),
        Map.of(),
        Sends.STARTS,
        status == AlertStatus.RESOLVED ? Sends.STARTS.plusSeconds(60) : null,
        "",
        name);
  }

  @Test
  void subjectCountsFiringAndResolvedAndNamesTheAlerts() {
    EmailContent c = EmailRenderer.defaultRenderer().render(of(Sends.alerts()));

    assertThat(c.subject())
        .isEqualTo("[FIRING:1, RESOLVED:1] DiskFüll, KubePodCrashLooping in namespace demo");
  }

  @Test
  void onlyResolvedAlertsAcrossNamespacesGiveAResolvedSubjectWithoutANamespace() {
    EmailContent c =
        EmailRenderer.defaultRenderer()
            .render(
                of(
                    List.of(
                        alert(AlertStatus.RESOLVED, "A", "x"),
                        alert(AlertStatus.RESOLVED, "B", "y"),
                        alert(AlertStatus.RESOLVED, "C", "y"),
                        alert(AlertStatus.RESOLVED, "D", "y"))));

    assertThat(c.subject()).isEqualTo("[RESOLVED:4] A, B, C and 1 more");
    assertThat(c.text()).startsWith("Resolved (4)").doesNotContain("Firing");
  }

  @Test
  void theSummaryIsTheSummaryThenTheDescriptionThenTheMessageAsInEveryChannel() {
    Alert both =
        new Alert(
            AlertStatus.FIRING,
            Map.of("alertname", "A"),
            Map.of("message", "the message", "description", "the description"),
            Sends.STARTS,
            null,
            "",
            "a");
    EmailContent c = EmailRenderer.defaultRenderer().render(of(List.of(both)));

    assertThat(c.text()).contains("summary: the description").doesNotContain("the message");
    assertThat(c.html()).contains("<td>the description</td>");
  }

  @Test
  void lineBreaksInLabelValuesNeverReachTheSubject() {
    EmailContent c =
        EmailRenderer.defaultRenderer()
            .render(of(List.of(alert(AlertStatus.FIRING, "X\r\nBcc: evil@example.com", "demo"))));

    assertThat(c.subject()).doesNotContain("\r", "\n").contains("X  Bcc: evil@example.com");
  }

  @Test
  void htmlEscapesEveryLabelAndAnnotationValue() {
    EmailContent c =
        EmailRenderer.defaultRenderer()
            .render(
                of(
                    List.of(
                        new Alert(
                            AlertStatus.FIRING,
                            Map.of(
                                "alertname", "<img src=x onerror=alert(1)>",
                                "namespace", "\"quoted\" & 'single'",
                                "severity", "<b>"),
                            Map.of("summary", "</td></tr></table><script>x</script>"),
                            Sends.STARTS,
                            null,
                            "",
                            "f"))));

    assertThat(c.html())
        .doesNotContain("<img", "<script>", "<b>", "</td></tr></table><")
        .contains(
            "&lt;img src=x onerror=alert(1)&gt;",
            "&quot;quoted&quot; &amp; &#39;single&#39;",
            "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;");
    assertThat(c.text()).contains("<img src=x onerror=alert(1)>");
  }
}
