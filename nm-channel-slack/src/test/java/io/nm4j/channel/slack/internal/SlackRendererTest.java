package io.nm4j.channel.slack.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlackRendererTest {
  private static final Instant START = Instant.parse("2026-11-24T15:55:41Z");
  private final SlackRenderer renderer = new SlackRenderer();

  private static Notification notification(List<Alert> alerts, int truncated) {
    AlertBatch of = AlertBatch.of(alerts);
    AlertBatch batch =
        new AlertBatch(
            "nm4j", of.status(), alerts, Map.of(), Map.of(), Map.of(), "", "", truncated);
    return new Notification(
        "n1",
        new ObjectRef("SlackReceiver", "r"),
        Scope.GLOBAL,
        null,
        new ObjectRef("SlackConfig", "c"),
        alerts,
        batch);
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

  @Test
  void escapesOnlyTheThreeCharactersSlackReserves() {
    assertThat(SlackRenderer.escape("a & b <c> *d* _e_ \"f\""))
        .isEqualTo("a &amp; b &lt;c&gt; *d* _e_ \"f\"");
    assertThat(SlackRenderer.escape("plain")).isEqualTo("plain");
  }

  @Test
  void resolvedAlertShowsStartEndAndASourceLinkWithItsUrlEscaped() {
    Alert resolved =
        new Alert(
            AlertStatus.RESOLVED,
            Map.of("alertname", "Down", "severity", "critical"),
            Map.of("description", "it was down"),
            START,
            START.plusSeconds(60),
            "http://prom:9090/graph?g0.expr=up&x=a|b",
            "fp");

    SlackMessage m = renderer.render(notification(List.of(resolved), 0)).get(0);

    assertThat(m.sections())
        .containsExactly(
            "*[RESOLVED:1] Down*",
            "*Resolved* (1 alert)",
            "*Down*\nseverity: critical\nit was down\nstarted 2026-11-24T15:55:41Z, ended"
                + " 2026-11-24T15:56:41Z · <http://prom:9090/graph?g0.expr=up&amp;x=a%7Cb|source>");
    assertThat(m.text())
        .isEqualTo(
            "[RESOLVED:1] Down\nResolved (1 alert):\n• Down (severity: critical): it was down"
                + " (started 2026-11-24T15:55:41Z, ended 2026-11-24T15:56:41Z)");
  }

  @Test
  void hugeAlertIsClippedWithAnEllipsisWithinSectionLimitWithoutCuttingAnEntity() {
    String summary = "&".repeat(3_000);

    List<SlackMessage> parts = renderer.render(notification(List.of(alert("Big", summary)), 0));

    assertThat(parts).hasSize(1);
    SlackMessage m = parts.get(0);
    assertThat(m.text().length()).isLessThanOrEqualTo(SlackRenderer.MAX_TEXT_CHARS);
    assertThat(m.sections())
        .allSatisfy(
            s -> assertThat(s.length()).isLessThanOrEqualTo(SlackRenderer.MAX_SECTION_CHARS));
    String section = m.sections().get(2);
    assertThat(section).endsWith("&amp;…");
    assertThat(section.replace("&amp;", "")).doesNotContain("&");
  }

  @Test
  void clipNeverSplitsASurrogatePair() {
    String emoji = "\uD83D\uDD25";
    String clipped = SlackRenderer.clip("a" + emoji.repeat(10), 4);
    assertThat(clipped).isEqualTo("a" + emoji + "…");
  }

  @Test
  void splitPartsRepeatTheGroupHeadingAsContinuedAndNumberThemselves() {
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      alerts.add(alert("A" + i, "x".repeat(400)));
    }

    List<SlackMessage> parts = renderer.render(notification(alerts, 0));

    assertThat(parts).hasSizeGreaterThan(2);
    for (int i = 0; i < parts.size(); i++) {
      SlackMessage m = parts.get(i);
      String title = "[FIRING:30] 30 alerts (part " + (i + 1) + "/" + parts.size() + ")";
      assertThat(m.text()).startsWith(title + "\n");
      assertThat(m.sections().get(0)).isEqualTo("*" + title + "*");
      assertThat(m.sections().get(1))
          .isEqualTo(i == 0 ? "*Firing* (30 alerts)" : "*Firing* (30 alerts, continued)");
      assertThat(m.text().length()).isLessThanOrEqualTo(SlackRenderer.MAX_TEXT_CHARS);
      assertThat(m.sections().size()).isLessThanOrEqualTo(SlackRenderer.MAX_BLOCKS);
    }
  }

  @Test
  void manyShortAlertsAreSplitByTheBlockLimit() {
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      alerts.add(Alert.firing(Map.of("alertname", "S" + i)));
    }

    List<SlackMessage> parts = renderer.render(notification(alerts, 0));

    assertThat(parts).hasSize(3);
    assertThat(parts)
        .allSatisfy(
            m -> assertThat(m.sections().size()).isLessThanOrEqualTo(SlackRenderer.MAX_BLOCKS));
    assertThat(parts.stream().mapToInt(m -> m.sections().size() - 2).sum()).isEqualTo(120);
  }

  @Test
  void alertsLeftOutByAlertmanagerAreMentioned() {
    SlackMessage m = renderer.render(notification(List.of(alert("A", "s")), 3)).get(0);

    assertThat(m.text()).endsWith("\n3 more alerts were left out by Alertmanager.");
    assertThat(m.sections()).last().isEqualTo("_3 more alerts were left out by Alertmanager._");
  }
}
