package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.server.internal.InputException;
import io.nm4j.server.internal.ServeCommand;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nm4j serve --language --timezone}: the server-wide language and time zone of messages,
 * below the settings', seen through {@code POST /api/v2/render} over a real socket.
 */
class ServeLanguageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN = "admin-token-lang";
  private static final String BATCH =
      """
      {"version":"4","status":"firing","receiver":"nm4j","groupKey":"g1","alerts":[
       {"status":"firing","labels":{"alertname":"ShopDown","namespace":"shop"},
        "startsAt":"2026-11-25T10:00:00Z"}]}
      """;
  private static final String CONFIG =
      """
      apiVersion: notification.kubesphere.io/v1alpha1
      kind: SlackConfig
      metadata: {name: default-slack, labels: {type: default}}
      spec: {slackTokenSecret: {name: slack-tokens, key: token}}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: slack-tokens}
      stringData: {token: xoxb-never-shown}
      ---
      apiVersion: notification.kubesphere.io/v1alpha1
      kind: SlackReceiver
      metadata: {name: ops, labels: {type: global}}
      spec: {channel: '#ops'}
      """;
  private static final String SETTINGS_IN_UTC =
      """
      ---
      apiVersion: notification.kubesphere.io/v1alpha1
      kind: NotificationManager
      metadata: {name: notification-manager}
      spec:
        template: {timezone: UTC}
      """;

  @TempDir Path tmp;
  private final HttpClient client = HttpClient.newHttpClient();

  private ServeCommand.Running serve(String config, String... more) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(dir.resolve("objects.yaml"), config);
    Path tokens = Files.writeString(tmp.resolve("tokens.csv"), ADMIN + ",root,nm-admins\n");
    String[] flags = new String[more.length + 2];
    flags[0] = "--auth-tokens";
    flags[1] = tokens.toString();
    System.arraycopy(more, 0, flags, 2, more.length);
    return InProcessServe.start(InProcessServe.options(dir, tmp.resolve("data"), flags));
  }

  private String renderedMessage(ServeCommand.Running running) throws Exception {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> running.manager().snapshot().destinations().size() == 1);
    HttpResponse<String> r =
        client.send(
            Requests.to(
                running.server().address().getPort(), "POST", "/api/v2/render", ADMIN, null, BATCH),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode n = JSON.readTree(r.body()).get("notifications").get(0);
    return n.get("parts").get("message").asText();
  }

  @Test
  void aServerStartedInChineseAndShanghaiTimeRendersMessagesSo() throws Exception {
    try (ServeCommand.Running running =
        serve(CONFIG, "--language", "zh-cn", "--timezone", "Asia/Shanghai")) {
      String message = renderedMessage(running);

      assertThat(message).contains("开始时间").contains("2026-11-25 18:00:00");
      assertThat(message).doesNotContain("Starts");
    }
  }

  @Test
  void theSettingsTimeZoneWinsOverTheServersAndTheServersLanguageStays() throws Exception {
    try (ServeCommand.Running running =
        serve(CONFIG + SETTINGS_IN_UTC, "--language", "zh-cn", "--timezone", "Asia/Shanghai")) {
      String message = renderedMessage(running);

      assertThat(message).contains("开始时间").contains("2026-11-25 10:00:00");
    }
  }

  @Test
  void anUnknownLanguageOrTimeZoneIsRefusedAtStartNamingTheFlag() {
    assertThatThrownBy(() -> serve(CONFIG, "--language", "tlh"))
        .isInstanceOf(InputException.class)
        .hasMessage("--language: no language pack \"tlh\"; there are en and zh-cn");
    assertThatThrownBy(() -> serve(CONFIG, "--timezone", "Mars/Olympus"))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith("--timezone: unknown time zone \"Mars/Olympus\"");
  }
}
