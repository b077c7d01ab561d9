package io.nm4j.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Scope;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterFileTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static Notification notification(String id) {
    Alert a =
        new Alert(
            AlertStatus.FIRING,
            Map.of("alertname", "KubePodCrashLooping", "namespace", "team-a-dev"),
            Map.of("summary", "pod restarts"),
            NOW,
            null,
            "",
            "3b2f1c");
    Alert b =
        new Alert(
            AlertStatus.RESOLVED,
            Map.of("alertname", "NodeDown"),
            Map.of(),
            NOW,
            NOW,
            "",
            "9a8d7e");
    return new Notification(
        id,
        new ObjectRef("DingTalkReceiver", "team-bot"),
        Scope.TENANT,
        "team-a",
        new ObjectRef("DingTalkConfig", "team-bot"),
        List.of(a, b),
        new AlertBatch(
            "nm", AlertStatus.FIRING, List.of(a, b), Map.of(), Map.of(), Map.of(), "", "{}:{}", 0));
  }

  @Test
  void writesOneJsonObjectPerDeadLetterWithTheFullReasonAndTheAlerts() throws Exception {
    Path file = dir.resolve("dead-letters.jsonl");
    try (DeadLetterFile dlf = new DeadLetterFile(file, Clock.fixed(NOW, ZoneOffset.UTC))) {
      dlf.onDeadLetter(
          notification("n-1"), 10, SendResult.retryable(Reason.REMOTE_ERROR, "errcode 130101"));
    }

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(1);
    JsonNode line = JSON.readTree(lines.get(0));
    assertThat(line.get("time").asText()).isEqualTo("2026-03-01T12:00:00Z");
    assertThat(line.get("notificationId").asText()).isEqualTo("n-1");
    assertThat(line.get("receiver").asText()).isEqualTo("DingTalkReceiver/team-bot");
    assertThat(line.get("tenant").asText()).isEqualTo("team-a");
    assertThat(line.get("config").asText()).isEqualTo("DingTalkConfig/team-bot");
    assertThat(line.get("reason").asText()).isEqualTo("REMOTE_ERROR");
    assertThat(line.get("retryable").asBoolean()).isTrue();
    assertThat(line.get("attempts").asInt()).isEqualTo(10);
    assertThat(line.get("detail").asText()).isEqualTo("errcode 130101");
    assertThat(line.get("alerts")).hasSize(2);
    assertThat(line.get("alerts").get(0).get("fingerprint").asText()).isEqualTo("3b2f1c");
    assertThat(line.get("alerts").get(0).get("labels").get("namespace").asText())
        .isEqualTo("team-a-dev");
    assertThat(line.get("alerts").get(1).get("status").asText()).isEqualTo("resolved");
  }

  @Test
  void appendsToAnExistingFileAndKeepsLinesWholeUnderConcurrentWrites() throws Exception {
    Path file = dir.resolve("dead-letters.jsonl");
    Files.writeString(file, "{\"earlier\":true}\n");
    try (DeadLetterFile dlf = new DeadLetterFile(file, Clock.fixed(NOW, ZoneOffset.UTC))) {
      List<CompletableFuture<Void>> writers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        writers.add(
            CompletableFuture.runAsync(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    dlf.onDeadLetter(
                        notification("n-" + thread + "-" + i),
                        1,
                        SendResult.permanent(Reason.AUTH_REJECTED, "invalid token"));
                  }
                }));
      }
      CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).join();
    }

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(401);
    assertThat(lines.get(0)).isEqualTo("{\"earlier\":true}");
    for (String l : lines.subList(1, lines.size())) {
      assertThat(JSON.readTree(l).get("reason").asText()).isEqualTo("AUTH_REJECTED");
    }
    assertThat(
            lines.stream()
                .skip(1)
                .map(l -> l.replaceAll(".*\"notificationId\":\"([^\"]+)\".*", "$1")))
        .doesNotHaveDuplicates()
        .hasSize(400);
  }
}
