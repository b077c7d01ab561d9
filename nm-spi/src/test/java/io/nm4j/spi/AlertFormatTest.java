package io.nm4j.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertFormatTest {

  @Test
  void summaryIsTheFirstSetOfSummaryDescriptionMessageStripped() {
    assertThat(
            AlertFormat.summary(
                alert(Map.of("summary", " s ", "description", "d", "message", "m"))))
        .isEqualTo("s");
    assertThat(
            AlertFormat.summary(alert(Map.of("summary", "  ", "description", "d", "message", "m"))))
        .isEqualTo("d");
    assertThat(AlertFormat.summary(alert(Map.of("message", "m\n")))).isEqualTo("m");
    assertThat(AlertFormat.summary(alert(Map.of("runbook_url", "http://x")))).isNull();
  }

  @Test
  void anAlertWithoutAlertnameIsNamedSoAndLabelsAreStrippedOrAbsent() {
    Alert named = Alert.firing(Map.of("alertname", " KubePodCrashLooping ", "severity", " "));
    assertThat(AlertFormat.name(named)).isEqualTo("KubePodCrashLooping");
    assertThat(AlertFormat.name(Alert.firing(Map.of("alertname", "")))).isEqualTo("(no alertname)");
    assertThat(AlertFormat.label(named, "severity")).isNull();
    assertThat(AlertFormat.label(named, "namespace")).isNull();
    assertThat(AlertFormat.annotation(alert(Map.of("runbook_url", " u ")), "runbook_url"))
        .isEqualTo("u");
  }

  @Test
  void commonNameOnlyWhenEveryAlertSharesOne() {
    Alert a = Alert.firing(Map.of("alertname", "A"));
    Alert a2 = Alert.firing(Map.of("alertname", "A", "pod", "p"));
    Alert b = Alert.firing(Map.of("alertname", "B"));
    Alert none = Alert.firing(Map.of());
    assertThat(AlertFormat.commonName(List.of(a, a2))).isEqualTo("A");
    assertThat(AlertFormat.commonName(List.of(a, b))).isNull();
    assertThat(AlertFormat.commonName(List.of(a, none))).isNull();
    assertThat(AlertFormat.commonName(List.of())).isNull();
  }

  @Test
  void alertsByStatusAreFiringFirstEachInArrivalOrder() {
    Alert r1 = resolved("R1");
    Alert f1 = Alert.firing(Map.of("alertname", "F1"));
    Alert r2 = resolved("R2");
    Alert f2 = Alert.firing(Map.of("alertname", "F2"));
    Map<AlertStatus, List<Alert>> by = AlertFormat.byStatus(List.of(r1, f1, r2, f2));
    assertThat(by.keySet()).containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
    assertThat(by.get(AlertStatus.FIRING)).containsExactly(f1, f2);
    assertThat(by.get(AlertStatus.RESOLVED)).containsExactly(r1, r2);
    assertThat(AlertFormat.byStatus(List.of(f1)).get(AlertStatus.RESOLVED)).isEmpty();
  }

  @Test
  void labelsAreShownNameNamespaceSeverityFirstThenByName() {
    List<Map.Entry<String, String>> shown =
        AlertFormat.labelsInDisplayOrder(
            Map.of(
                "pod", "web-0",
                "severity", "warning",
                "alertname", "A",
                "container", "app",
                "namespace", "demo"));
    assertThat(shown)
        .extracting(Map.Entry::getKey)
        .containsExactly("alertname", "namespace", "severity", "container", "pod");
    assertThat(shown.get(3).getValue()).isEqualTo("app");
  }

  @Test
  void oneLineTurnsLineBreaksAndControlsIntoSpaces() {
    assertThat(AlertFormat.oneLine("a\r\nb\tc\u2028d\u0085e")).isEqualTo("a  b c d e");
    String plain = "告警 ok";
    assertThat(AlertFormat.oneLine(plain)).isSameAs(plain);
  }

  @Test
  void anAlertWithOtherAnnotationsIsOtherwiseTheSame() {
    Alert a = resolved("A");
    Alert b = a.withAnnotations(Map.of("summary", "s"));
    assertThat(b.annotations()).containsExactly(Map.entry("summary", "s"));
    assertThat(b.withAnnotations(a.annotations())).isEqualTo(a);
  }

  @Test
  void theSummarysAnnotationIsNamedAndAnnotationsShowTheSummarisingOnesFirstThenByName() {
    Alert alert =
        alert(
            Map.of(
                "runbook_url", "r", "message", "m", "summary", " ", "description", "d", "a", "x"));

    assertThat(AlertFormat.summaryAnnotation(alert)).isEqualTo("description");
    assertThat(AlertFormat.summaryAnnotation(alert(Map.of("runbook_url", "r")))).isNull();
    assertThat(AlertFormat.annotationsInDisplayOrder(alert.annotations()))
        .extracting(Map.Entry::getKey)
        .containsExactly("summary", "description", "message", "a", "runbook_url");
  }

  private static Alert alert(Map<String, String> annotations) {
    return new Alert(
        AlertStatus.FIRING, Map.of("alertname", "A"), annotations, Instant.EPOCH, null, "", "");
  }

  private static Alert resolved(String name) {
    return new Alert(
        AlertStatus.RESOLVED,
        Map.of("alertname", name),
        Map.of(),
        Instant.EPOCH,
        Instant.EPOCH.plusSeconds(60),
        "",
        "");
  }
}
