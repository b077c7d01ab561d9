package io.nm4j.channel.discord;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.channel.discord.DiscordReceiver.MessageType;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.EgressPolicy;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Scope;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DiscordChannelTest {
  private static final String TOKEN = DiscordChannelCompatibilityTest.TOKEN;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant START = Instant.parse("2026-11-24T15:55:41Z");
  private static final String USER = "80351110224678912";
  private static final String ROLE = "165511591545143296";

  private final MockWebServer server = new MockWebServer();
  private final DiscordChannel channel = DiscordChannel.builder().build();

  @BeforeEach
  void start() throws Exception {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    channel.close();
    server.close();
  }

  private static Alert alert(String name, Map<String, String> labels, String summary) {
    Map<String, String> all = new HashMap<>(labels);
    all.put("alertname", name);
    return new Alert(
        AlertStatus.FIRING,
        all,
        Map.of("summary", summary),
        START,
        null,
        "http://prometheus.example:9090/graph",
        "fp-" + name);
  }

  private SendRequest<DiscordReceiver, DiscordConfig> request(
      List<Alert> alerts, MessageType type, EgressPolicy egress) {
    Notification n =
        new Notification(
            "n1",
            new ObjectRef("DiscordReceiver", "team-a-discord"),
            Scope.TENANT,
            "team-a",
            new ObjectRef("DiscordConfig", "default"),
            alerts,
            AlertBatch.of(alerts));
    return new SendRequest<>(
        n,
        new DiscordReceiver(
            null, new SecretKeySelector("discord", "url"), type, List.of(USER), List.of(ROLE)),
        new DiscordConfig("Alertmanager"),
        Map.of(
            DiscordReceiver.WEBHOOK_FIELD,
            Secret.of(server.url(DiscordChannelCompatibilityTest.WEBHOOK_PATH).toString())),
        Instant.now().plusSeconds(10),
        egress,
        "nm4j-test");
  }

  private List<JsonNode> bodies() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(0, TimeUnit.SECONDS)) != null) {
      out.add(JSON.readTree(r.getBody().string(StandardCharsets.UTF_8)));
    }
    return out;
  }

  @Test
  void executesTheWebhookWithWaitAndAllowsOnlyTheReceiversMentions() throws Exception {
    server.enqueue(DiscordReplies.ok());
    SendResult result =
        channel.send(
            request(
                List.of(alert("DiskFull", Map.of("namespace", "storage"), "Disk is full.")),
                MessageType.CONTENT,
                EgressPolicy.UNRESTRICTED));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    assertThat(((SendResult.Delivered) result).detail())
        .endsWith("/api/webhooks/1311970000000000000/<token>: posted")
        .doesNotContain(TOKEN);
    RecordedRequest r = server.takeRequest();
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getTarget())
        .isEqualTo(DiscordChannelCompatibilityTest.WEBHOOK_PATH + "?wait=true");
    assertThat(r.getHeaders().get("X-Nm4j-Origin")).isEqualTo("nm4j-test");
    JsonNode body = JSON.readTree(r.getBody().string(StandardCharsets.UTF_8));
    assertThat(body.path("username").asText()).isEqualTo("Alertmanager");
    assertThat(body.path("allowed_mentions").toString())
        .isEqualTo("{\"parse\":[],\"users\":[\"" + USER + "\"],\"roles\":[\"" + ROLE + "\"]}");
    assertThat(body.path("content").asText())
        .isEqualTo(
            "<@"
                + USER
                + "> <@&"
                + ROLE
                + ">\n"
                + "**\\[FIRING\\:1\\] DiskFull**\n"
                + "\n"
                + "**FIRING** (1)\n"
                + "**DiskFull**: Disk is full.\n"
                + "- namespace: storage\n"
                + "Starts: 2026-11-24 15\\:55\\:41 UTC\n"
                + "[Source](<http://prometheus.example:9090/graph>)");
  }

  @Test
  void alertTextCannotPingEveryoneNorFormatNorMention() throws Exception {
    server.enqueue(DiscordReplies.ok());
    String hostile = "@everyone @here <@" + USER + "> <@&" + ROLE + "> **bold** [x](https://e.x)";
    channel.send(
        request(
            List.of(alert(hostile, Map.of("team", hostile), hostile)),
            MessageType.CONTENT,
            EgressPolicy.UNRESTRICTED));

    JsonNode body = bodies().get(0);
    // Discord pings only what allowed_mentions permits: parse is empty, so never @everyone.
    assertThat(body.path("allowed_mentions").path("parse")).isEmpty();
    String content = body.path("content").asText();
    String afterMentions = content.substring(content.indexOf('\n') + 1);
    assertThat(afterMentions)
        .doesNotContain("<@")
        .doesNotContain("**bold**")
        .doesNotContain("[x](")
        .doesNotContainPattern("(?<!\\\\)@everyone")
        .contains("\\@everyone")
        .contains("\\*\\*bold\\*\\*");
  }

  @Test
  void embedsStayWithinDiscordsLimitsAndKeepEveryAlertInOrder() throws Exception {
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < 35; i++) {
      Map<String, String> labels = new HashMap<>();
      for (int l = 0; l < 10; l++) {
        labels.put("label" + l, "v".repeat(200));
      }
      alerts.add(alert("Alert" + i, labels, "s".repeat(1000)));
    }
    for (int i = 0; i < 40; i++) {
      server.enqueue(DiscordReplies.ok());
    }
    SendResult result = channel.send(request(alerts, MessageType.EMBED, EgressPolicy.UNRESTRICTED));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    List<JsonNode> bodies = bodies();
    assertThat(bodies).hasSizeGreaterThan(1);
    StringBuilder descriptions = new StringBuilder();
    for (int i = 0; i < bodies.size(); i++) {
      JsonNode body = bodies.get(i);
      // https://discord.com/developers/docs/resources/message#embed-object-embed-limits
      assertThat(body.path("embeds").size()).isEqualTo(1);
      assertThat(body.path("content").asText().length()).isLessThanOrEqualTo(2000);
      JsonNode embed = body.path("embeds").get(0);
      String title = embed.path("title").asText();
      String description = embed.path("description").asText();
      assertThat(title)
          .isEqualTo("\\[FIRING\\:35\\] 35 alerts (part " + (i + 1) + "/" + bodies.size() + ")");
      assertThat(description.length()).isLessThanOrEqualTo(4096);
      assertThat(title.length() + description.length()).isLessThanOrEqualTo(6000);
      assertThat(embed.path("color").asInt()).isEqualTo(0xE01E5A);
      descriptions.append(description);
    }
    int last = -1;
    for (int i = 0; i < 35; i++) {
      int at = descriptions.indexOf("**Alert" + i + "**");
      assertThat(at).isGreaterThan(last);
      last = at;
    }
  }

  @Test
  void aTenantsWebhookOnAnInternalAddressIsRefusedBeforeAnythingIsSent() {
    SendResult result =
        channel.send(
            request(
                List.of(alert("A", Map.of(), "a")),
                MessageType.CONTENT,
                EgressPolicy.tenantDefault()));

    assertThat(result).isInstanceOf(SendResult.Failed.class);
    SendResult.Failed failed = (SendResult.Failed) result;
    assertThat(failed.reason()).isEqualTo(Reason.EGRESS_DENIED);
    assertThat(failed.retryable()).isFalse();
    assertThat(failed.detail()).doesNotContain(TOKEN);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void rateLimitIsRetriedAfterTheBodysFractionalRetryAfter() {
    server.enqueue(DiscordReplies.rateLimited("0.351"));
    SendResult.Failed failed =
        (SendResult.Failed)
            channel.send(
                request(
                    List.of(alert("A", Map.of(), "a")),
                    MessageType.CONTENT,
                    EgressPolicy.UNRESTRICTED));
    assertThat(failed.reason()).isEqualTo(Reason.RATE_LIMITED);
    assertThat(failed.retryAfter()).hasMillis(351);
    assertThat(failed.detail()).doesNotContain(TOKEN).contains("/<token>");
  }
}
