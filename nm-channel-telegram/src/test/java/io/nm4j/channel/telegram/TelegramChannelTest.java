package io.nm4j.channel.telegram;

import static io.nm4j.channel.telegram.BalancedHtml.assertBalanced;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.RatePermits;
import io.nm4j.spi.Scope;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.test.ChannelCompatibilityKit;
import io.nm4j.test.MutableClock;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TelegramChannelTest {
  private static final String TOKEN = TelegramChannelCompatibilityTest.TOKEN;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant START = Instant.parse("2026-11-24T15:55:41Z");

  private final MockWebServer server = new MockWebServer();
  private TelegramChannel channel;

  @BeforeEach
  void start() throws Exception {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    channel = TelegramChannel.builder().apiUrl(server.url("/").toString()).build();
  }

  @AfterEach
  void stop() {
    channel.close();
    server.close();
  }

  private static Alert alert(AlertStatus status, Map<String, String> labels, String summary) {
    return new Alert(
        status,
        labels,
        Map.of("summary", summary, "runbook_url", "https://runbooks.example/crashloop"),
        START,
        status == AlertStatus.RESOLVED ? START.plusSeconds(60) : null,
        "http://prometheus.example:9090/graph?g0.expr=up",
        "fp-" + labels.hashCode());
  }

  private static SendRequest<TelegramReceiver, TelegramConfig> request(
      List<Alert> alerts, List<String> chats, List<String> mentions) {
    return request(alerts, chats, mentions, Instant.now());
  }

  private static SendRequest<TelegramReceiver, TelegramConfig> request(
      List<Alert> alerts, List<String> chats, List<String> mentions, Instant now) {
    Notification n =
        new Notification(
            "n1",
            new ObjectRef("TelegramReceiver", "ops"),
            Scope.GLOBAL,
            null,
            new ObjectRef("TelegramConfig", "ops-bot"),
            alerts,
            AlertBatch.of(alerts));
    return new SendRequest<>(
        n,
        new TelegramReceiver(null, chats, mentions),
        new TelegramConfig(new SecretKeySelector("telegram", "token")),
        Map.of(TelegramConfig.TOKEN_FIELD, Secret.of(TOKEN)),
        now.plusSeconds(10));
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
  void postsSendMessageWithHtmlParseModeToTheBotsPath() throws Exception {
    server.enqueue(TelegramReplies.ok());
    SendResult result =
        channel.send(
            request(
                List.of(
                    alert(
                        AlertStatus.FIRING,
                        Map.of(
                            "alertname",
                            "KubePodCrashLooping",
                            "namespace",
                            "demo",
                            "pod",
                            "web-1"),
                        "Pod demo/web-1 is crash looping.")),
                List.of("-1001234567890"),
                List.of("@oncall_team")));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    assertThat(((SendResult.Delivered) result).detail())
        .isEqualTo(
            "POST http://"
                + server.url("/").host()
                + ":"
                + server.getPort()
                + "/bot<token>/sendMessage: 1 message sent to -1001234567890");
    RecordedRequest r = server.takeRequest();
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getTarget()).isEqualTo("/bot" + TOKEN + "/sendMessage");
    assertThat(r.getHeaders().get("Content-Type")).isEqualTo("application/json; charset=utf-8");
    JsonNode body = JSON.readTree(r.getBody().string(StandardCharsets.UTF_8));
    assertThat(body.path("chat_id").asText()).isEqualTo("-1001234567890");
    assertThat(body.path("parse_mode").asText()).isEqualTo("HTML");
    assertThat(body.path("link_preview_options").path("is_disabled").asBoolean()).isTrue();
    assertThat(body.path("text").asText())
        .isEqualTo(
            """
            @oncall_team
            <b>[FIRING:1] KubePodCrashLooping</b>

            <b>FIRING</b> (1)
            <b>• KubePodCrashLooping</b>: Pod demo/web-1 is crash looping.
            <code>namespace</code>: demo
            <code>pod</code>: web-1
            Starts: 2026-11-24 15:55:41 UTC
            <a href="http://prometheus.example:9090/graph?g0.expr=up">Source</a> · \
            <a href="https://runbooks.example/crashloop">Runbook</a>""");
  }

  @Test
  void firingAlertsComeBeforeResolvedOnesWithImportantLabelsFirst() throws Exception {
    server.enqueue(TelegramReplies.ok());
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("zone", "eu-1");
    labels.put("severity", "critical");
    labels.put("alertname", "DiskFull");
    labels.put("namespace", "storage");
    channel.send(
        request(
            List.of(
                alert(AlertStatus.RESOLVED, Map.of("alertname", "Old"), "was bad"),
                alert(AlertStatus.FIRING, labels, "is bad")),
            List.of("@nm4j_alerts"),
            List.of()));

    String text = bodies().get(0).path("text").asText();
    assertThat(text.indexOf("<b>FIRING</b> (1)")).isGreaterThan(0);
    assertThat(text.indexOf("<b>FIRING</b> (1)")).isLessThan(text.indexOf("<b>RESOLVED</b> (1)"));
    assertThat(text.indexOf("<code>namespace</code>"))
        .isLessThan(text.indexOf("<code>severity</code>"));
    assertThat(text.indexOf("<code>severity</code>")).isLessThan(text.indexOf("<code>zone</code>"));
    assertThat(text).contains("Ends: 2026-11-24 15:56:41 UTC");
  }

  @Test
  void hostileLabelValuesCannotOpenOrCloseTags() throws Exception {
    server.enqueue(TelegramReplies.ok());
    String hostile = "</b><a href=\"https://evil.example\">click</a> & <tg-spoiler>";
    channel.send(
        request(
            List.of(
                alert(
                    AlertStatus.FIRING,
                    Map.of("alertname", hostile, "note\"><b>", hostile + "\nsecond line"),
                    hostile)),
            List.of("-1001234567890"),
            List.of()));

    String text = bodies().get(0).path("text").asText();
    assertThat(text).doesNotContain("evil.example\">").doesNotContain("<tg-spoiler>");
    assertThat(text)
        .contains(
            "&lt;/b&gt;&lt;a href=&quot;https://evil.example&quot;&gt;click&lt;/a&gt; &amp;"
                + " &lt;tg-spoiler&gt;");
    assertThat(text).doesNotContain("\nsecond line");
    assertBalanced(text);
  }

  @Test
  void aLargeNotificationIsSplitIntoOrderedPartsOfBalancedHtmlWithinTheLimit() throws Exception {
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      alerts.add(
          alert(
              AlertStatus.FIRING,
              Map.of("alertname", "Alert" + i, "detail", "é&<>".repeat(100)),
              "summary " + i));
    }
    for (int i = 0; i < 40; i++) {
      server.enqueue(TelegramReplies.ok());
    }
    // A private chat: the parts outnumber a group's 20 messages a minute.
    SendResult result = channel.send(request(alerts, List.of("123456789"), List.of()));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    List<String> texts = new ArrayList<>();
    for (JsonNode body : bodies()) {
      texts.add(body.path("text").asText());
    }
    assertThat(texts).hasSizeGreaterThan(1);
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      // https://core.telegram.org/bots/api#sendmessage: "1-4096 characters after entities parsing"
      assertThat(text.length()).isLessThanOrEqualTo(4096);
      assertThat(text).contains("(part " + (i + 1) + "/" + texts.size() + ")");
      assertBalanced(text);
      assertThat(text).doesNotContainPattern("&[a-z]*$").doesNotContainPattern("&[a-z]*\n");
    }
    String all = String.join("\n", texts);
    for (int i = 0; i < 60; i++) {
      assertThat(all).contains("<b>• Alert" + i + "</b>");
    }
    assertThat(all.indexOf("Alert1</b>")).isLessThan(all.indexOf("Alert59</b>"));
  }

  @Test
  void aChatThatIsGoneFailsPermanentlyButTheOtherChatsStillGetTheMessage() throws Exception {
    server.enqueue(TelegramReplies.error(400, "Bad Request: chat not found"));
    server.enqueue(TelegramReplies.ok());
    SendResult result =
        channel.send(
            request(
                List.of(alert(AlertStatus.FIRING, Map.of("alertname", "A"), "a")),
                List.of("@gone_chat", "-1001234567890"),
                List.of()));

    assertThat(result).isInstanceOf(SendResult.Failed.class);
    SendResult.Failed failed = (SendResult.Failed) result;
    assertThat(failed.reason()).isEqualTo(Reason.INVALID_RECIPIENT);
    assertThat(failed.retryable()).isFalse();
    assertThat(failed.detail())
        .startsWith(
            "TelegramConfig/ops-bot: chat @gone_chat: POST http://" + server.url("/").host() + ":")
        .contains("Telegram error 400 \"Bad Request: chat not found\"");
    assertThat(failed.progress().size()).isEqualTo(1);
    assertThat(bodies())
        .extracting(b -> b.path("chat_id").asText())
        .containsExactly("@gone_chat", "-1001234567890");
  }

  @Test
  void floodControlIsRetriedAfterTheRepliesRetryAfterAndTheRetryResumes() throws Exception {
    List<Alert> one = List.of(alert(AlertStatus.FIRING, Map.of("alertname", "A"), "a"));
    server.enqueue(TelegramReplies.ok());
    server.enqueue(TelegramReplies.tooManyRequests(7));
    SendRequest<TelegramReceiver, TelegramConfig> first =
        request(one, List.of("-1001", "-1002"), List.of());
    SendResult.Failed failed = (SendResult.Failed) channel.send(first);
    assertThat(failed.reason()).isEqualTo(Reason.RATE_LIMITED);
    assertThat(failed.retryAfter()).hasSeconds(7);

    server.enqueue(TelegramReplies.ok());
    SendResult retried = channel.send(first.withProgress(failed.progress()));
    assertThat(retried).isInstanceOf(SendResult.Delivered.class);
    assertThat(bodies())
        .extracting(b -> b.path("chat_id").asText())
        .containsExactly("-1001", "-1002", "-1002");
  }

  @Test
  void aGroupTakesTwentyMessagesAMinuteFromABotAndAPrivateChatIsNotCounted() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    RatePermits shared = new RatePermits();
    TelegramChannel.Builder sharing =
        TelegramChannel.builder().apiUrl(server.url("/").toString()).clock(clock).permits(shared);
    TelegramChannel first = sharing.build();
    TelegramChannel second = sharing.build();
    for (int i = 0; i < 23; i++) {
      server.enqueue(TelegramReplies.ok());
    }
    for (int i = 0; i < 20; i++) {
      TelegramChannel c = i % 2 == 0 ? first : second;
      assertThat(
              c.send(
                  request(
                      List.of(alert(AlertStatus.FIRING, Map.of("alertname", "A" + i), "a")),
                      List.of("-1001234567890"),
                      List.of())))
          .isInstanceOf(SendResult.Delivered.class);
    }
    List<Alert> next = List.of(alert(AlertStatus.FIRING, Map.of("alertname", "A20"), "a"));

    SendResult.Failed waiting =
        (SendResult.Failed)
            second.send(request(next, List.of("123456789", "-1001234567890"), List.of()));

    assertThat(waiting.reason()).isEqualTo(Reason.AWAITING_PERMIT);
    assertThat(waiting.retryAfter()).hasSeconds(60);
    assertThat(waiting.detail())
        .startsWith("TelegramConfig/ops-bot: chat -1001234567890: 20 messages a minute to a group");
    assertThat(server.getRequestCount()).as("the private chat got its message").isEqualTo(21);

    clock.advance(Duration.ofMinutes(1));
    SendRequest<TelegramReceiver, TelegramConfig> retry =
        request(next, List.of("123456789", "-1001234567890"), List.of(), clock.instant())
            .withProgress(waiting.progress());
    assertThat(first.send(retry)).isInstanceOf(SendResult.Delivered.class);
    assertThat(server.getRequestCount()).isEqualTo(22);
    first.close();
    second.close();
  }

  @Test
  void theBotTokenIsInNoDetailAndNoLogLineOfAFailedRequest() {
    MockResponse drop =
        new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build();
    List<String> shown = new ArrayList<>();
    String logs =
        ChannelCompatibilityKitAccess.capture(
            () -> {
              for (MockResponse reply :
                  List.of(
                      drop,
                      drop,
                      TelegramReplies.error(404, "Not Found"),
                      TelegramReplies.error(401, "Unauthorized"),
                      TelegramReplies.tooManyRequests(3),
                      new MockResponse.Builder().code(500).body("bot" + TOKEN).build())) {
                server.enqueue(reply);
              }
              for (int i = 0; i < 5; i++) {
                SendResult r =
                    channel.send(
                        request(
                            List.of(alert(AlertStatus.FIRING, Map.of("alertname", "A"), "a")),
                            List.of("-1001"),
                            List.of()));
                shown.add(r.toString());
                shown.add(((SendResult.Failed) r).detail());
              }
            });
    assertThat(logs).contains("bot<token>/sendMessage");
    shown.add(logs);
    for (String text : shown) {
      assertThat(text).doesNotContain(TOKEN).doesNotContain(TOKEN.substring(TOKEN.indexOf(':')));
    }
    assertThat(channel.toString()).doesNotContain(TOKEN);
  }

  @Test
  void aTokenThatIsNoBotTokenIsRejectedWithoutSendingOrShowingIt() throws Exception {
    SendRequest<TelegramReceiver, TelegramConfig> base =
        request(List.of(), List.of("-1001"), List.of());
    SendRequest<TelegramReceiver, TelegramConfig> bad =
        new SendRequest<>(
            base.notification(),
            base.receiver(),
            base.config(),
            Map.of(TelegramConfig.TOKEN_FIELD, Secret.of("not a token/../../x")),
            base.deadline());
    SendResult.Failed failed = (SendResult.Failed) channel.send(bad);
    assertThat(failed.reason()).isEqualTo(Reason.AUTH_REJECTED);
    assertThat(failed.detail()).doesNotContain("not a token");
    assertThat(server.getRequestCount()).isZero();
  }

  /** The kit's stderr capture, which its secret test uses for the log lines. */
  private abstract static class ChannelCompatibilityKitAccess
      extends ChannelCompatibilityKit<TelegramReceiver, TelegramConfig, MockResponse> {
    static String capture(Runnable action) {
      return capturingStderr(action);
    }
  }
}
