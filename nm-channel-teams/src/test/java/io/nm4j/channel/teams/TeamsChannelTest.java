package io.nm4j.channel.teams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.EgressPolicy;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Scope;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SendProgress;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TeamsChannelTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant START = Instant.parse("2026-11-24T15:55:41Z");
  private static final String SIGNATURE = TeamsChannelCompatibilityTest.SIGNATURE;

  private final MockWebServer server = new MockWebServer();
  private TeamsChannel channel;

  @BeforeEach
  void start() throws Exception {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    channel = TeamsChannel.builder().build();
  }

  @AfterEach
  void stop() {
    channel.close();
    server.close();
  }

  private String webhook() {
    return server.url("/workflows/abc/triggers/manual/paths/invoke").toString()
        + "?api-version=1&"
        + SIGNATURE;
  }

  private static Notification notification(List<Alert> alerts) {
    return new Notification(
        "n1",
        new ObjectRef("TeamsReceiver", "payments-teams"),
        Scope.TENANT,
        "payments",
        new ObjectRef("TeamsConfig", "default"),
        alerts,
        AlertBatch.of(alerts));
  }

  private SendRequest<TeamsReceiver, TeamsConfig> request(
      List<Alert> alerts, EgressPolicy configEgress, EgressPolicy receiverEgress) {
    return new SendRequest<>(
        notification(alerts),
        new TeamsReceiver(null, new SecretKeySelector("teams-webhook", "url")),
        new TeamsConfig(),
        Map.of(TeamsReceiver.WEBHOOK, Secret.of(webhook())),
        Instant.now().plusSeconds(10),
        configEgress,
        "0123456789abcdef0123456789abcdef",
        SendProgress.NONE,
        receiverEgress);
  }

  private static Alert alert(AlertStatus status, String name, Map<String, String> annotations) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("zone", "eu-1");
    labels.put("severity", "critical");
    labels.put("namespace", "payments");
    labels.put("alertname", name);
    return new Alert(
        status,
        labels,
        annotations,
        START,
        status == AlertStatus.RESOLVED ? START.plusSeconds(60) : null,
        "http://prometheus:9090/graph?g0.expr=up",
        name);
  }

  @Test
  void postsOneAdaptiveCardMessageWithEveryLabelAndAnnotationFiringBeforeResolved()
      throws Exception {
    server.enqueue(TeamsReplies.accepted());
    List<Alert> alerts =
        List.of(
            alert(AlertStatus.RESOLVED, "DiskFull", Map.of("summary", "disk was full")),
            alert(
                AlertStatus.FIRING,
                "HighLatency",
                Map.of("summary", "p99 over 2s", "runbook_url", "https://runbooks/latency")));

    SendResult result =
        channel.send(request(alerts, EgressPolicy.UNRESTRICTED, EgressPolicy.UNRESTRICTED));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    RecordedRequest r = server.takeRequest(1, TimeUnit.SECONDS);
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getTarget())
        .isEqualTo("/workflows/abc/triggers/manual/paths/invoke?api-version=1&" + SIGNATURE);
    assertThat(r.getHeaders().get("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(r.getHeaders().get(SendRequest.ORIGIN_HEADER))
        .isEqualTo("0123456789abcdef0123456789abcdef");
    JsonNode body = JSON.readTree(r.getBody().string(StandardCharsets.UTF_8));
    assertThat(body.path("type").asText()).isEqualTo("message");
    assertThat(body.path("attachments")).hasSize(1);
    JsonNode attachment = body.path("attachments").get(0);
    assertThat(attachment.path("contentType").asText())
        .isEqualTo("application/vnd.microsoft.card.adaptive");
    JsonNode card = attachment.path("content");
    assertThat(card.path("type").asText()).isEqualTo("AdaptiveCard");
    assertThat(card.path("version").asText()).isEqualTo("1.4");
    assertThat(card.path("body").get(0).path("text").asText())
        .isEqualTo("\\[FIRING:1 RESOLVED:1\\] 2 alerts");
    List<String> texts = new ArrayList<>();
    card.path("body").forEach(b -> texts.add(b.path("text").asText()));
    assertThat(card.path("body"))
        .allSatisfy(b -> assertThat(b.path("type").asText()).isEqualTo("TextBlock"));
    assertThat(texts)
        .containsSubsequence(
            "**FIRING** (1)",
            "**HighLatency**: p99 over 2s",
            "namespace: payments",
            "severity: critical",
            "zone: eu-1",
            "Starts: 2026-11-24 15:55:41 UTC",
            "[Source](http://prometheus:9090/graph?g0.expr=up) · [Runbook](https://runbooks/latency)",
            "**RESOLVED** (1)",
            "**DiskFull**: disk was full",
            "Starts: 2026-11-24 15:55:41 UTC · Ends: 2026-11-24 15:56:41 UTC");
  }

  @Test
  void markdownInLabelsAndAnnotationsStaysAValueAndFormatsLinksOrMentionsNothing()
      throws Exception {
    server.enqueue(TeamsReplies.accepted());
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", "**Pwned**");
    labels.put("link", "[click](https://evil.example)");
    labels.put("mention", "<at>everyone</at>");
    labels.put("list", "- item");
    labels.put("job_name", "node_exporter");
    Alert hostile =
        new Alert(
            AlertStatus.FIRING,
            labels,
            Map.of("summary", "_all_ `code` # heading"),
            START,
            null,
            "",
            "fp");

    channel.send(request(List.of(hostile), EgressPolicy.UNRESTRICTED, EgressPolicy.UNRESTRICTED));

    JsonNode card =
        JSON.readTree(
                server.takeRequest(1, TimeUnit.SECONDS).getBody().string(StandardCharsets.UTF_8))
            .path("attachments")
            .get(0)
            .path("content");
    List<String> texts = new ArrayList<>();
    card.path("body").forEach(b -> texts.add(b.path("text").asText()));
    assertThat(texts.get(0)).isEqualTo("\\[FIRING:1\\] \\*\\*Pwned\\*\\*");
    assertThat(texts)
        .contains(
            "**\\*\\*Pwned\\*\\***: \\_all\\_ \\`code\\` # heading",
            "link: \\[click\\]\\(https://evil.example\\)",
            "mention: \\<at>everyone\\</at>",
            "list: \\- item",
            "job_name: node_exporter");
  }

  @Test
  void aTenantsWebhookOnLoopbackIsDeniedByTheReceiverOwnersPolicyEvenWithTheAdminsConfig() {
    server.enqueue(TeamsReplies.accepted());

    SendResult result =
        channel.send(
            request(
                List.of(alert(AlertStatus.FIRING, "Up", Map.of())),
                EgressPolicy.UNRESTRICTED,
                EgressPolicy.tenantDefault()));

    assertThat(result).isInstanceOf(SendResult.Failed.class);
    SendResult.Failed failed = (SendResult.Failed) result;
    assertThat(failed.reason()).isEqualTo(SendResult.Reason.EGRESS_DENIED);
    assertThat(failed.retryable()).isFalse();
    assertThat(failed.detail()).contains("loopback").doesNotContain(SIGNATURE);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aNotificationTooLargeForOneCardIsPostedAsCardsEachWithinTheSizeAndNamedByPart()
      throws Exception {
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      alerts.add(alert(AlertStatus.FIRING, "Load" + i, Map.of("description", "x".repeat(900) + i)));
    }
    for (int i = 0; i < 10; i++) {
      server.enqueue(TeamsReplies.accepted());
    }

    SendResult result =
        channel.send(request(alerts, EgressPolicy.UNRESTRICTED, EgressPolicy.UNRESTRICTED));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    int cards = server.getRequestCount();
    assertThat(cards).isGreaterThan(1);
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < cards; i++) {
      RecordedRequest r = server.takeRequest(1, TimeUnit.SECONDS);
      assertThat(r.getBodySize()).isLessThanOrEqualTo(TeamsChannel.DEFAULT_MAX_MESSAGE_BYTES);
      JsonNode card =
          JSON.readTree(r.getBody().string(StandardCharsets.UTF_8))
              .path("attachments")
              .get(0)
              .path("content");
      assertThat(card.path("body").get(0).path("text").asText())
          .isEqualTo("\\[FIRING:60\\] 60 alerts (part " + (i + 1) + "/" + cards + ")");
      all.append(card);
    }
    for (int i = 0; i < 60; i++) {
      assertThat(all.toString()).contains("\"**Load" + i + "**");
    }
  }
}
