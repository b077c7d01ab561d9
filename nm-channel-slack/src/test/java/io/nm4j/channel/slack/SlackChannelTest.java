package io.nm4j.channel.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Scope;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SendProgress;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlackChannelTest {
  private static final String TOKEN = SlackChannelCompatibilityTest.TOKEN;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant START = Instant.parse("2026-11-24T15:55:41Z");

  private final MockWebServer server = new MockWebServer();
  private final List<SlackChannel> channels = new ArrayList<>();
  private SlackChannel channel;

  @BeforeEach
  void start() throws Exception {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    channel = open(SlackChannel.builder().apiUrl(server.url("/api/").toString()));
  }

  @AfterEach
  void stop() {
    channels.forEach(SlackChannel::close);
    server.close();
  }

  private SlackChannel open(SlackChannel.Builder builder) {
    SlackChannel c = builder.build();
    channels.add(c);
    return c;
  }

  private static Notification notification(List<Alert> alerts) {
    return new Notification(
        "n1",
        new ObjectRef("SlackReceiver", "payments-slack"),
        Scope.TENANT,
        "payments",
        new ObjectRef("SlackConfig", "payments-slack"),
        alerts,
        AlertBatch.of(alerts));
  }

  private static SendRequest<SlackReceiver, SlackConfig> request(
      List<Alert> alerts, Instant deadline) {
    return request(alerts, deadline, TOKEN);
  }

  private static SendRequest<SlackReceiver, SlackConfig> request(
      List<Alert> alerts, Instant deadline, String token) {
    return new SendRequest<>(
        notification(alerts),
        new SlackReceiver(null, "#payments-alerts"),
        new SlackConfig(new SecretKeySelector("payments-slack-secret", "token")),
        Map.of(SlackConfig.TOKEN_FIELD, Secret.of(token)),
        deadline);
  }

  private SendResult send(List<Alert> alerts) {
    return channel.send(request(alerts, Instant.now().plusSeconds(10)));
  }

  private static Alert crashLooping() {
    return new Alert(
        AlertStatus.FIRING,
        Map.of("alertname", "KubePodCrashLooping", "namespace", "payments", "severity", "warning"),
        Map.of("summary", "Pod payments/web is crash looping."),
        START,
        null,
        "",
        "223a4476294eb248");
  }

  private static JsonNode body(RecordedRequest r) throws Exception {
    return JSON.readTree(r.getBody().string(StandardCharsets.UTF_8));
  }

  /** The redacted URL details name: the server's host name as OkHttp resolved it. */
  private String postUrl() {
    return "http://" + server.getHostName() + ":" + server.getPort() + "/api/chat.postMessage";
  }

  private List<RecordedRequest> received() throws InterruptedException {
    List<RecordedRequest> out = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(0, TimeUnit.SECONDS)) != null) {
      out.add(r);
    }
    return out;
  }

  @Test
  void postsChatPostMessageWithBearerTokenUtf8JsonChannelTextAndMrkdwnBlocks() throws Exception {
    server.enqueue(SlackReplies.ok());

    SendResult result = send(List.of(crashLooping()));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    RecordedRequest r = server.takeRequest();
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getUrl().encodedPath()).isEqualTo("/api/chat.postMessage");
    assertThat(r.getUrl().query()).isNull();
    assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(r.getHeaders().get("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(body(r))
        .isEqualTo(
            JSON.readTree(
                """
                {"channel":"#payments-alerts",
                 "text":"*[FIRING:1] KubePodCrashLooping*\\n\\n*FIRING* (1)\\n• *KubePodCrashLooping*: Pod payments/web is crash looping.\\n      Labels: namespace=payments, severity=warning\\n      Starts: 2026-11-24 15:55:41 UTC",
                 "blocks":[
                  {"type":"section","text":{"type":"mrkdwn","text":"*[FIRING:1] KubePodCrashLooping*\\n\\n*FIRING* (1)\\n• *KubePodCrashLooping*: Pod payments/web is crash looping.\\n      Labels: namespace=payments, severity=warning\\n      Starts: 2026-11-24 15:55:41 UTC"}}
                 ]}
                """));
  }

  @Test
  void labelAndAnnotationValuesHaveAmpersandAndAngleBracketsEscaped() throws Exception {
    server.enqueue(SlackReplies.ok());
    Alert alert =
        new Alert(
            AlertStatus.FIRING,
            Map.of("alertname", "Disk<Full>", "namespace", "a&b", "severity", "<!channel>"),
            Map.of("summary", "used > 90% & rising"),
            START,
            null,
            "",
            "fp");

    send(List.of(alert));

    String raw = server.takeRequest().getBody().string(StandardCharsets.UTF_8);
    JsonNode body = JSON.readTree(raw);
    String text = body.path("text").asText();
    String section = body.path("blocks").get(0).path("text").path("text").asText();
    for (String shown : List.of(text, section)) {
      assertThat(shown)
          .contains("Disk&lt;Full&gt;", "a&amp;b", "&lt;!channel&gt;", "used &gt; 90% &amp; rising")
          .doesNotContain("<!channel>", "Disk<Full>", "a&b");
    }
  }

  @Test
  void firingAndResolvedAlertsAreListedApartFiringFirst() throws Exception {
    server.enqueue(SlackReplies.ok());
    Alert resolved =
        new Alert(
            AlertStatus.RESOLVED,
            Map.of("alertname", "Resolved1", "namespace", "payments"),
            Map.of("summary", "back"),
            START,
            START.plusSeconds(300),
            "",
            "r1");
    Alert firing = Alert.firing(Map.of("alertname", "Firing1"));

    send(List.of(resolved, firing));

    String text = body(server.takeRequest()).path("text").asText();
    assertThat(text)
        .startsWith("*[FIRING:1 RESOLVED:1] 2 alerts*\n\n*FIRING* (1)\n• *Firing1*\n")
        .endsWith(
            "*RESOLVED* (1)\n• *Resolved1*: back\n      Labels: namespace=payments\n"
                + "      Starts: 2026-11-24 15:55:41 UTC · Ends: 2026-11-24 16:00:41 UTC");
  }

  @Test
  void apiUrlOfTheBuilderRedirectsPostsKeepingItsPath() throws Exception {
    SlackChannel proxied =
        open(SlackChannel.builder().apiUrl(server.url("/proxy/slack/api").toString()));
    server.enqueue(SlackReplies.ok());

    SendResult result =
        proxied.send(request(List.of(crashLooping()), Instant.now().plusSeconds(10)));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    assertThat(server.takeRequest().getUrl().encodedPath())
        .isEqualTo("/proxy/slack/api/chat.postMessage");
  }

  @Test
  void apiUrlChannelOptionRedirectsTheProvidersChannel() throws Exception {
    var fromOption =
        new SlackChannelProvider()
            .channel(
                new ChannelContext(
                    Map.of("apiUrl", server.url("/via-option/").toString()), Clock.systemUTC()))
            .orElseThrow();
    server.enqueue(SlackReplies.ok());
    try {
      fromOption.send(request(List.of(crashLooping()), Instant.now().plusSeconds(10)));
    } finally {
      fromOption.close();
    }
    assertThat(server.takeRequest().getUrl().encodedPath())
        .isEqualTo("/via-option/chat.postMessage");
  }

  @Test
  void defaultApiUrlIsSlacks() {
    assertThat(SlackChannel.builder().build())
        .hasToString("SlackChannel[https://slack.com:443/api/chat.postMessage]");
  }

  @Test
  void unusableApiUrlOptionIsRejectedNamingTheOption() {
    var provider = new SlackChannelProvider();
    assertThatThrownBy(
            () ->
                provider.channel(
                    new ChannelContext(Map.of("apiUrl", "slack.com/api"), Clock.systemUTC())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("slack.apiUrl: ");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "invalid_auth, AUTH_REJECTED, false",
    "not_authed, AUTH_REJECTED, false",
    "account_inactive, AUTH_REJECTED, false",
    "token_revoked, AUTH_REJECTED, false",
    "token_expired, AUTH_REJECTED, false",
    "missing_scope, AUTH_REJECTED, false",
    "channel_not_found, INVALID_RECIPIENT, false",
    "not_in_channel, INVALID_RECIPIENT, false",
    "is_archived, INVALID_RECIPIENT, false",
    "restricted_action, INVALID_RECIPIENT, false",
    "msg_too_long, TOO_LARGE, false",
    "msg_blocks_too_long, TOO_LARGE, false",
    "no_text, REJECTED, false",
    "invalid_blocks, REJECTED, false",
    "invalid_arguments, REJECTED, false",
    "some_future_code, REJECTED, false",
    "ratelimited, RATE_LIMITED, true",
    "rate_limited, RATE_LIMITED, true",
    "message_limit_exceeded, RATE_LIMITED, true",
    "internal_error, REMOTE_ERROR, true",
    "fatal_error, REMOTE_ERROR, true",
    "service_unavailable, REMOTE_ERROR, true",
    "request_timeout, REMOTE_ERROR, true",
    "team_added_to_org, REMOTE_ERROR, true"
  })
  void slackErrorCodeMapsToItsReasonAndRetryabilityNamingCodeAndChannel(
      String code, Reason reason, boolean retryable) {
    server.enqueue(SlackReplies.error(code));

    SendResult result = send(List.of(crashLooping()));

    assertThat(result).isInstanceOf(SendResult.Failed.class);
    SendResult.Failed f = (SendResult.Failed) result;
    assertThat(f.reason()).isEqualTo(reason);
    assertThat(f.retryable()).isEqualTo(retryable);
    assertThat(f.retryAfter()).isNull();
    // msg_blocks_too_long adds what the post held
    assertThat(f.detail())
        .startsWith(
            "SlackConfig/payments-slack: POST "
                + postUrl()
                + ": Slack error "
                + code
                + " (channel #payments-alerts)");
  }

  @Test
  void http429IsRateLimitedRetryableAfterTheSecondsOfRetryAfter() {
    server.enqueue(SlackReplies.rateLimited(30));

    SendResult result = send(List.of(crashLooping()));

    assertThat(result).isInstanceOf(SendResult.Failed.class);
    SendResult.Failed f = (SendResult.Failed) result;
    assertThat(f.reason()).isEqualTo(Reason.RATE_LIMITED);
    assertThat(f.retryable()).isTrue();
    assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(f.detail()).contains("HTTP 429").endsWith("Slack error ratelimited");
  }

  @Test
  void retryAfterAsAnHttpDateIsMeasuredWithTheInjectedClock() {
    Instant now = Instant.parse("2026-10-21T07:27:00Z");
    SlackChannel fixed =
        open(
            SlackChannel.builder()
                .apiUrl(server.url("/api/").toString())
                .clock(Clock.fixed(now, ZoneOffset.UTC)));
    server.enqueue(
        new MockResponse.Builder()
            .code(429)
            .addHeader("Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT")
            .body("{\"ok\":false,\"error\":\"ratelimited\"}")
            .build());

    SendResult result = fixed.send(request(List.of(crashLooping()), now.plusSeconds(3600)));

    assertThat(((SendResult.Failed) result).retryAfter()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void ratelimitedInAnOkReplyHonoursItsRetryAfterHeader() {
    server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "application/json; charset=utf-8")
            .addHeader("Retry-After", "7")
            .body("{\"ok\":false,\"error\":\"ratelimited\"}")
            .build());

    SendResult.Failed f = (SendResult.Failed) send(List.of(crashLooping()));

    assertThat(f.reason()).isEqualTo(Reason.RATE_LIMITED);
    assertThat(f.retryable()).isTrue();
    assertThat(f.retryAfter()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void serverErrorsAreRetryableRemoteErrors() {
    server.enqueue(new MockResponse.Builder().code(502).build());

    SendResult.Failed f = (SendResult.Failed) send(List.of(crashLooping()));

    assertThat(f.reason()).isEqualTo(Reason.REMOTE_ERROR);
    assertThat(f.retryable()).isTrue();
    assertThat(f.detail()).contains("HTTP 502");
  }

  @Test
  void errorTextNotShapedLikeASlackCodeIsNeverRepeated() {
    server.enqueue(
        SlackReplies.json(200, "{\"ok\":false,\"error\":\"invalid_auth for " + TOKEN + "\"}"));

    SendResult.Failed f = (SendResult.Failed) send(List.of(crashLooping()));

    assertThat(f.reason()).isEqualTo(Reason.REJECTED);
    assertThat(f.retryable()).isFalse();
    assertThat(f.detail()).contains("Slack error unknown").doesNotContain(TOKEN);
  }

  @Test
  void missingTokenNamesFieldSecretAndKeyWithoutCallingSlack() throws Exception {
    SendRequest<SlackReceiver, SlackConfig> full =
        request(List.of(crashLooping()), Instant.now().plusSeconds(10));
    SendRequest<SlackReceiver, SlackConfig> without =
        new SendRequest<>(
            full.notification(), full.receiver(), full.config(), Map.of(), full.deadline());

    SendResult result = channel.send(without);

    assertThat(result)
        .isEqualTo(
            SendResult.permanent(
                Reason.MISSING_SECRET,
                "SlackConfig/payments-slack: spec.slackTokenSecret: secret"
                    + " \"payments-slack-secret\" has no key \"token\" (or does not exist)"));
    assertThat(received()).isEmpty();
  }

  private static List<Alert> manyAlerts(int count) {
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      alerts.add(
          new Alert(
              i % 3 == 0 ? AlertStatus.RESOLVED : AlertStatus.FIRING,
              Map.of("alertname", "Alert" + i, "namespace", "payments", "severity", "warning"),
              Map.of("summary", "Latency & errors <high> " + "y".repeat(300)),
              START,
              START.plusSeconds(60),
              "",
              "fp" + i));
    }
    return alerts;
  }

  @Test
  void notificationTooLongForOneMessageIsPostedInOrderedPartsEachWithinSlacksLimits()
      throws Exception {
    List<Alert> alerts = manyAlerts(60);
    for (int i = 0; i < 20; i++) {
      server.enqueue(SlackReplies.ok());
    }

    SendResult result = send(alerts);

    List<RecordedRequest> posts = received();
    assertThat(posts).hasSizeGreaterThan(1);
    assertThat(result)
        .isEqualTo(
            SendResult.delivered(
                "POST " + postUrl() + ": " + posts.size() + " parts posted to #payments-alerts"));
    List<String> namesInOrder = new ArrayList<>();
    for (int i = 0; i < posts.size(); i++) {
      JsonNode body = body(posts.get(i));
      String text = body.path("text").asText();
      assertThat(text.length()).isLessThanOrEqualTo(4_000);
      assertThat(text)
          .startsWith(
              "*[FIRING:40 RESOLVED:20] 60 alerts* (part " + (i + 1) + "/" + posts.size() + ")");
      assertThat(body.path("channel").asText()).isEqualTo("#payments-alerts");
      assertThat(body.path("blocks").size()).isLessThanOrEqualTo(50);
      body.path("blocks")
          .forEach(
              b ->
                  assertThat(b.path("text").path("text").asText().length())
                      .isLessThanOrEqualTo(3_000));
      for (String line : text.split("\n")) {
        if (line.startsWith("• *")) {
          namesInOrder.add(line.substring(3, line.indexOf('*', 3)));
        }
      }
    }
    List<String> expected = new ArrayList<>();
    alerts.stream()
        .filter(a -> a.status() == AlertStatus.FIRING)
        .forEach(a -> expected.add(a.labels().get("alertname")));
    alerts.stream()
        .filter(a -> a.status() == AlertStatus.RESOLVED)
        .forEach(a -> expected.add(a.labels().get("alertname")));
    assertThat(namesInOrder).containsExactlyElementsOf(expected);
  }

  /** Alerts as Prometheus sends them: a generatorURL holding the whole URL-encoded expression. */
  private static List<Alert> alertsWithLongGeneratorUrls(int count) {
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String expr =
          "sum%20by%20(namespace%2C%20pod)%20(rate(container_cpu_usage_seconds_total%7Bjob%3D"
              + "%22kubelet%22%2C%20metrics_path%3D%22%2Fmetrics%2Fcadvisor%22%2C%20namespace%3D"
              + "%22payments%22%2C%20pod%3D~%22web-.*%22%7D%5B5m%5D))%20%2F%20sum%20by%20("
              + "namespace%2C%20pod)%20(kube_pod_container_resource_limits%7Bresource%3D%22cpu"
              + "%22%2C%20namespace%3D%22payments%22%7D)%20%3E%200.9%20"
              + i;
      alerts.add(
          new Alert(
              AlertStatus.FIRING,
              Map.of(
                  "alertname",
                  "CPUThrottlingHigh" + i,
                  "namespace",
                  "payments",
                  "severity",
                  "warning"),
              Map.of(
                  "summary",
                  "Processes experience elevated CPU throttling in pod payments/web-" + i + "."),
              START,
              null,
              "http://prometheus-k8s-0.prometheus-operated.kubesphere-monitoring-system.svc:9090"
                  + "/graph?g0.expr="
                  + expr
                  + "&g0.tab=1",
              "fp" + i));
    }
    return alerts;
  }

  @Test
  void fortyEightAlertsWithLongGeneratorUrlsArePostedWithEveryPostsBlocksWithinSlacksBudget()
      throws Exception {
    List<Alert> alerts = alertsWithLongGeneratorUrls(48);
    for (int i = 0; i < 10; i++) {
      server.enqueue(SlackReplies.ok());
    }

    assertThat(send(alerts)).isInstanceOf(SendResult.Delivered.class);

    List<RecordedRequest> posts = received();
    assertThat(posts).hasSizeGreaterThan(1);
    List<String> namesInOrder = new ArrayList<>();
    int sourceLinks = 0;
    Pattern name = Pattern.compile("\\*(CPUThrottlingHigh\\d+)\\*");
    for (RecordedRequest post : posts) {
      JsonNode blocks = body(post).path("blocks");
      // At most 50 blocks, 3,000 characters of text each
      // (https://api.slack.com/reference/block-kit/blocks#section), and the total Slack does not
      // document (msg_blocks_too_long from about 13,200 characters) kept under 12,000.
      assertThat(blocks.size()).isLessThanOrEqualTo(50);
      int total = 0;
      for (JsonNode block : blocks) {
        String text = block.path("text").path("text").asText();
        assertThat(text.length()).isLessThanOrEqualTo(3_000);
        total += text.length();
        Matcher m = name.matcher(text);
        while (m.find()) {
          namesInOrder.add(m.group(1));
        }
        sourceLinks += text.split("\\|Source>", -1).length - 1;
      }
      assertThat(total).isLessThanOrEqualTo(12_000);
      assertThat(body(post).path("text").asText().length()).isLessThanOrEqualTo(4_000);
    }
    assertThat(namesInOrder)
        .containsExactlyElementsOf(alerts.stream().map(a -> a.labels().get("alertname")).toList());
    assertThat(sourceLinks).isEqualTo(alerts.size());
  }

  @Test
  void blocksSlackStillFindsTooLongArePermanentSayingWhatThePostHeld() {
    server.enqueue(SlackReplies.error("msg_blocks_too_long"));

    SendResult.Failed f = (SendResult.Failed) send(List.of(crashLooping()));

    assertThat(f.reason()).isEqualTo(Reason.TOO_LARGE);
    assertThat(f.retryable()).isFalse();
    assertThat(f.detail())
        .contains("Slack error msg_blocks_too_long (channel #payments-alerts)")
        .containsPattern(
            "the post held \\d+ blocks of \\d+ characters, within nm4j's budget of 12000");
  }

  @Test
  void aTokenWithATrailingNewlineIsSentWithoutItAndOneNoHeaderCanCarryIsPermanent()
      throws Exception {
    server.enqueue(SlackReplies.ok());
    SendResult sent =
        channel.send(request(List.of(crashLooping()), Instant.now().plusSeconds(10), TOKEN + "\n"));
    assertThat(sent).isInstanceOf(SendResult.Delivered.class);
    assertThat(received().get(0).getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);

    SendResult.Failed refused =
        (SendResult.Failed)
            channel.send(
                request(List.of(crashLooping()), Instant.now().plusSeconds(10), "xoxb-\n" + TOKEN));
    assertThat(refused.reason()).isEqualTo(Reason.AUTH_REJECTED);
    assertThat(refused.retryable()).isFalse();
    assertThat(refused.detail())
        .startsWith("SlackConfig/payments-slack: spec.slackTokenSecret: the token holds")
        .doesNotContain(TOKEN);
    assertThat(received()).isEmpty();
  }

  @Test
  void laterPartFailingStopsThereAndSaysHowManyPartsWent() throws Exception {
    server.enqueue(SlackReplies.ok());
    server.enqueue(SlackReplies.error("internal_error"));
    server.enqueue(SlackReplies.ok());

    SendResult result = send(manyAlerts(60));

    assertThat(received()).hasSize(2);
    SendResult.Failed f = (SendResult.Failed) result;
    assertThat(f.reason()).isEqualTo(Reason.REMOTE_ERROR);
    assertThat(f.retryable()).isTrue();
    assertThat(f.detail())
        .startsWith("SlackConfig/payments-slack: part 2 of ")
        .contains(" failed after 1 part was posted: ")
        .endsWith("Slack error internal_error (channel #payments-alerts)");
  }

  @Test
  void aRetryPostsOnlyThePartsTheFailedAttemptDidNotPost() throws Exception {
    List<Alert> alerts = manyAlerts(60);
    server.enqueue(SlackReplies.ok());
    server.enqueue(SlackReplies.ok());
    server.enqueue(SlackReplies.error("internal_error"));
    SendRequest<SlackReceiver, SlackConfig> first = request(alerts, Instant.now().plusSeconds(10));

    SendResult.Failed failed = (SendResult.Failed) channel.send(first);
    List<String> firstBodies = bodies(received());
    assertThat(failed.retryable()).isTrue();
    assertThat(failed.progress().size()).isEqualTo(2);

    for (int i = 0; i < 20; i++) {
      server.enqueue(SlackReplies.ok());
    }
    SendResult retried = channel.send(first.withProgress(failed.progress()));
    List<String> retryBodies = bodies(received());

    int parts = retryBodies.size() + 2;
    assertThat(retried)
        .isEqualTo(
            SendResult.delivered(
                "POST "
                    + postUrl()
                    + ": "
                    + parts
                    + " parts posted to #payments-alerts (2 on an earlier attempt)"));
    // The part that failed is posted again as it was; the two that arrived are not.
    assertThat(retryBodies.get(0)).isEqualTo(firstBodies.get(2));
    assertThat(retryBodies).doesNotContain(firstBodies.get(0), firstBodies.get(1));
    for (int i = 0; i < retryBodies.size(); i++) {
      assertThat(JSON.readTree(retryBodies.get(i)).path("text").asText())
          .startsWith("*[FIRING:40 RESOLVED:20] 60 alerts* (part " + (i + 3) + "/" + parts + ")");
    }
  }

  @Test
  void aFailureAfterPartsOfAnEarlierAttemptCountsThemAndKeepsThemInItsProgress() throws Exception {
    List<Alert> alerts = manyAlerts(60);
    server.enqueue(SlackReplies.ok());
    server.enqueue(SlackReplies.rateLimited(3));
    SendRequest<SlackReceiver, SlackConfig> first = request(alerts, Instant.now().plusSeconds(10));
    SendResult.Failed failed = (SendResult.Failed) channel.send(first);
    server.enqueue(SlackReplies.ok());
    server.enqueue(SlackReplies.error("service_unavailable"));

    SendResult.Failed again =
        (SendResult.Failed) channel.send(first.withProgress(failed.progress()));

    assertThat(received()).hasSize(4);
    assertThat(again.detail())
        .startsWith("SlackConfig/payments-slack: part 3 of ")
        .contains(" failed after 2 parts were posted (1 on an earlier attempt): ");
    assertThat(again.progress().keys()).containsAll(failed.progress().keys()).hasSize(2);
  }

  @Test
  void givenProgressCoveringEveryPartASendPostsNothingAndIsDelivered() throws Exception {
    List<Alert> alerts = manyAlerts(60);
    for (int i = 0; i < 20; i++) {
      server.enqueue(SlackReplies.ok());
    }
    SendRequest<SlackReceiver, SlackConfig> request =
        request(alerts, Instant.now().plusSeconds(10));
    assertThat(channel.send(request)).isInstanceOf(SendResult.Delivered.class);
    SendProgress.Builder everything = SendProgress.NONE.toBuilder();
    List<String> posted = bodies(received());
    for (String body : posted) {
      everything.add(SendProgress.key("#payments-alerts", body));
    }

    SendResult again = channel.send(request.withProgress(everything.build()));

    assertThat(received()).isEmpty();
    assertThat(again)
        .isEqualTo(
            SendResult.delivered(
                "POST "
                    + postUrl()
                    + ": "
                    + posted.size()
                    + " parts posted to #payments-alerts ("
                    + posted.size()
                    + " on an earlier attempt)"));
  }

  @Test
  void aPartThatRendersDifferentlyOnTheRetryIsPostedAgain() throws Exception {
    List<Alert> alerts = new ArrayList<>(manyAlerts(60));
    server.enqueue(SlackReplies.ok());
    server.enqueue(SlackReplies.error("internal_error"));
    SendResult.Failed failed =
        (SendResult.Failed) channel.send(request(alerts, Instant.now().plusSeconds(10)));
    String firstPart = bodies(received()).get(0);
    // The first part's first alert now says something else: that part is new.
    Alert changed = alerts.get(1);
    alerts.set(1, changed.withAnnotations(Map.of("summary", "Latency is back to normal")));
    for (int i = 0; i < 20; i++) {
      server.enqueue(SlackReplies.ok());
    }

    channel.send(request(alerts, Instant.now().plusSeconds(10)).withProgress(failed.progress()));

    List<String> retryBodies = bodies(received());
    assertThat(retryBodies.get(0)).isNotEqualTo(firstPart).contains("Latency is back to normal");
    assertThat(JSON.readTree(retryBodies.get(0)).path("text").asText()).contains("(part 1/");
  }

  private static List<String> bodies(List<RecordedRequest> requests) {
    List<String> out = new ArrayList<>();
    for (RecordedRequest r : requests) {
      out.add(r.getBody().string(StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void deadlinePassingBetweenPartsIsARetryableTimeoutNamingThePartsSent() throws Exception {
    Instant now = Instant.parse("2026-10-21T07:27:00Z");
    // Each reading of this clock is a second later: the deadline passes after the first post.
    Clock ticking =
        new Clock() {
          private final java.util.concurrent.atomic.AtomicLong reads =
              new java.util.concurrent.atomic.AtomicLong();

          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now.plusSeconds(reads.getAndIncrement());
          }
        };
    SlackChannel slow =
        open(SlackChannel.builder().apiUrl(server.url("/api/").toString()).clock(ticking));
    server.enqueue(SlackReplies.ok());
    server.enqueue(SlackReplies.ok());

    SendResult result = slow.send(request(manyAlerts(60), now.plusMillis(500)));

    assertThat(received()).hasSize(1);
    SendResult.Failed f = (SendResult.Failed) result;
    assertThat(f.reason()).isEqualTo(Reason.TIMEOUT);
    assertThat(f.retryable()).isTrue();
    assertThat(f.detail())
        .contains("part 2 of ", "failed after 1 part was posted", "deadline passed");
  }
}
