package io.nm4j.channel.wechat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WechatRendererTest {

  private static Notification notification(Map<String, String> annotations) {
    Alert alert =
        new Alert(
            AlertStatus.FIRING,
            Map.of("namespace", "demo"),
            annotations,
            Instant.parse("2026-11-24T15:55:41Z"),
            null,
            "",
            "");
    return new Notification(
        "n-1",
        new ObjectRef("WechatReceiver", "r"),
        Scope.GLOBAL,
        null,
        null,
        List.of(alert),
        AlertBatch.of(List.of(alert)));
  }

  @Test
  void theSummaryFollowsTheSharedPrecedenceAndTheDescriptionIsShownWhenItIsNotTheSummary() {
    assertThat(WechatRenderer.text(notification(Map.of("summary", "s", "description", "d"))))
        .contains("Summary: s\nDescription: d\n");
    assertThat(WechatRenderer.text(notification(Map.of("description", "d"))))
        .contains("Summary: d\n")
        .doesNotContain("Description:");
    assertThat(WechatRenderer.markdown(notification(Map.of("message", "m"))))
        .contains("> Summary: m\n");
  }

  @Test
  void anAlertWithoutAlertnameIsNamedAsEveryChannelNamesIt() {
    assertThat(WechatRenderer.text(notification(Map.of()))).contains("Alert: (no alertname)\n");
    assertThat(WechatRenderer.markdown(notification(Map.of()))).contains("**(no alertname)**");
  }
}
