package io.nm4j.examples.ntfy;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelContext;
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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exact request ntfy receives, and what the channel makes of its replies. */
class NtfyChannelTest {
  private static final String TOKEN = NtfyChannelCompatibilityTest.TOKEN;
  private static final Instant START = Instant.parse("2026-11-24T15:55:41Z");

  private final MockWebServer server = new MockWebServer();
  private final List<Channel<NtfyReceiver, NtfyConfig>> channels = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    channels.forEach(Channel::close);
    server.close();
  }

  private Channel<NtfyReceiver, NtfyConfig> channel(NtfyChannelProvider provider) {
    Channel<NtfyReceiver, NtfyConfig> c =
        provider.channel(new ChannelContext(Map.of(), Clock.systemUTC())).orElseThrow();
    channels.add(c);
    return c;
  }

  private static Alert alert(
      AlertStatus status, String name, @Nullable String namespace, String summary) {
    Map<String, String> labels =
        namespace == null
            ? Map.of("alertname", name)
            : Map.of("alertname", name, "namespace", namespace);
    return new Alert(
        status,
        labels,
        Map.of("summary", summary),
        START,
        status == AlertStatus.RESOLVED ? START.plusSeconds(300) : null,
        "",
        "fp-" + name);
  }

  private static SendRequest<NtfyReceiver, NtfyConfig> request(
      List<Alert> alerts,
      NtfyReceiver receiver,
      NtfyConfig config,
      Map<String, Secret> secrets,
      EgressPolicy egress,
      String origin) {
    Notification n =
        new Notification(
            "n-1",
            new ObjectRef("NtfyReceiver", "ops"),
            Scope.GLOBAL,
            null,
            new ObjectRef("NtfyConfig", "default-ntfy"),
            alerts,
            AlertBatch.of(alerts));
    return new SendRequest<>(
        n, receiver, config, secrets, Instant.now().plusSeconds(10), egress, origin);
  }

  private NtfyConfig config(@Nullable SecretKeySelector token) {
    return new NtfyConfig(URI.create(server.url("/").toString()), token);
  }

  private static final SecretKeySelector TOKEN_REF = new SecretKeySelector("ntfy-token", "token");

  /** Sends one firing alert to the topic {@code ops} with a new channel of the default provider. */
  private SendResult sendOneAlert(
      NtfyConfig config, Map<String, Secret> secrets, EgressPolicy egress) {
    return channel(new NtfyChannelProvider())
        .send(
            request(
                List.of(alert(AlertStatus.FIRING, "A", "demo", "a")),
                new NtfyReceiver("ops", null, List.of(), null),
                config,
                secrets,
                egress,
                ""));
  }

  @Test
  void publishesTheAlertsAsTextToTheTopicWithTitleTagsPriorityTokenAndOriginMark()
      throws Exception {
    server.enqueue(NtfyReplies.published("ops-alerts"));
    NtfyReceiver receiver = new NtfyReceiver("ops-alerts", "high", List.of("warning"), null);
    List<Alert> alerts =
        List.of(
            alert(AlertStatus.FIRING, "KubePodCrashLooping", "demo", "Pod demo/web restarts."),
            alert(AlertStatus.RESOLVED, "KubePodCrashLooping", "demo", "Pod demo/api is fine."));

    SendResult result =
        channel(new NtfyChannelProvider())
            .send(
                request(
                    alerts,
                    receiver,
                    config(TOKEN_REF),
                    Map.of(NtfyConfig.ACCESS_TOKEN_FIELD, Secret.of(TOKEN + "\n")),
                    EgressPolicy.UNRESTRICTED,
                    "nm4j-7f3a"));

    assertThat(result)
        .isEqualTo(
            SendResult.delivered(
                "POST " + server.url("/ops-alerts") + ": HTTP 200, message sPs71M8A2T"));
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getTarget()).isEqualTo("/ops-alerts");
    assertThat(r.getHeaders().get("Title")).isEqualTo("[FIRING:1, RESOLVED:1] KubePodCrashLooping");
    assertThat(r.getHeaders().get("Tags")).isEqualTo("warning,rotating_light");
    assertThat(r.getHeaders().get("Priority")).isEqualTo("high");
    assertThat(r.getHeaders().get("Authorization"))
        .as("the token's trailing line break is not sent")
        .isEqualTo("Bearer " + TOKEN);
    assertThat(r.getHeaders().get(SendRequest.ORIGIN_HEADER)).isEqualTo("nm4j-7f3a");
    assertThat(r.getHeaders().get("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(r.getBody().string(StandardCharsets.UTF_8))
        .isEqualTo(
            "firing KubePodCrashLooping in demo: Pod demo/web restarts.\n"
                + "resolved KubePodCrashLooping in demo: Pod demo/api is fine.");
  }

  @Test
  void withoutATokenOrPriorityNeitherHeaderIsSentAndResolvedAlertsGetTheirTag() throws Exception {
    server.enqueue(NtfyReplies.published("ops"));
    NtfyReceiver receiver = new NtfyReceiver("ops", null, List.of(), null);

    SendResult result =
        channel(new NtfyChannelProvider())
            .send(
                request(
                    List.of(alert(AlertStatus.RESOLVED, "NodeDown", null, "node-1 is back")),
                    receiver,
                    config(null),
                    Map.of(),
                    EgressPolicy.UNRESTRICTED,
                    ""));

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r.getHeaders().get("Authorization")).isNull();
    assertThat(r.getHeaders().get("Priority")).isNull();
    assertThat(r.getHeaders().get(SendRequest.ORIGIN_HEADER)).isNull();
    assertThat(r.getHeaders().get("Title")).isEqualTo("[RESOLVED] NodeDown");
    assertThat(r.getHeaders().get("Tags")).isEqualTo("white_check_mark");
    assertThat(r.getBody().string(StandardCharsets.UTF_8))
        .isEqualTo("resolved NodeDown: node-1 is back");
  }

  @Test
  void aServerUnderAPathKeepsItsPath() throws Exception {
    server.enqueue(NtfyReplies.published("ops"));
    NtfyConfig config = new NtfyConfig(URI.create(server.url("/ntfy/").toString()), null);

    sendOneAlert(config, Map.of(), EgressPolicy.UNRESTRICTED);

    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getTarget()).isEqualTo("/ntfy/ops");
  }

  @Test
  void aTitleThatIsNotAsciiTravelsAsRfc2047AndLineBreaksInAlertsCannotAddHeadersOrLines()
      throws Exception {
    server.enqueue(NtfyReplies.published("ops"));
    Alert hostile =
        new Alert(
            AlertStatus.FIRING,
            Map.of("alertname", "磁盘已满\r\nX-Injected: 1", "namespace", "demo"),
            Map.of("summary", "line one\nline two"),
            START,
            null,
            "",
            "fp");

    channel(new NtfyChannelProvider())
        .send(
            request(
                List.of(hostile),
                new NtfyReceiver("ops", null, List.of(), null),
                config(null),
                Map.of(),
                EgressPolicy.UNRESTRICTED,
                ""));

    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(r.getHeaders().get("X-Injected")).isNull();
    String title = r.getHeaders().get("Title");
    assertThat(title).startsWith("=?UTF-8?B?").endsWith("?=");
    assertThat(
            new String(
                Base64.getDecoder().decode(title.substring(10, title.length() - 2)),
                StandardCharsets.UTF_8))
        .isEqualTo("[FIRING] 磁盘已满  X-Injected: 1");
    assertThat(r.getBody().string(StandardCharsets.UTF_8))
        .isEqualTo("firing 磁盘已满  X-Injected: 1 in demo: line one line two");
  }

  @Test
  void alertsBeyondNtfysTextLimitAreCountedInALastLine() throws Exception {
    server.enqueue(NtfyReplies.published("ops"));
    List<Alert> many = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      many.add(alert(AlertStatus.FIRING, "Load" + i, "demo", "x".repeat(300)));
    }

    channel(new NtfyChannelProvider())
        .send(
            request(
                many,
                new NtfyReceiver("ops", null, List.of(), null),
                config(null),
                Map.of(),
                EgressPolicy.UNRESTRICTED,
                ""));

    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    String body = r.getBody().string(StandardCharsets.UTF_8);
    assertThat(r.getBodySize()).isLessThanOrEqualTo(4096);
    assertThat(body).startsWith("firing Load0 in demo: ").endsWith("… and 28 more");
    assertThat(body.lines()).hasSize(13);
    assertThat(r.getHeaders().get("Title")).isEqualTo("[FIRING:40] 40 alerts");
  }

  @Test
  void aTenantsEgressPolicyRefusesTheLoopbackServerBeforeAnythingIsSent() {
    SendResult result =
        sendOneAlert(
            config(TOKEN_REF),
            Map.of(NtfyConfig.ACCESS_TOKEN_FIELD, Secret.of(TOKEN)),
            EgressPolicy.tenantDefault());

    assertThat(result).isInstanceOf(SendResult.Failed.class);
    SendResult.Failed f = (SendResult.Failed) result;
    assertThat(f.reason()).isEqualTo(Reason.EGRESS_DENIED);
    assertThat(f.retryable()).isFalse();
    assertThat(f.detail())
        .isEqualTo(
            "POST " + server.url("/ops") + ": egress denied: 127.0.0.1 is loopback (127.0.0.0/8)");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aServerWhoseCertificateTheJvmDoesNotTrustIsAPermanentTlsFailure() throws Exception {
    server.close();
    try (MockWebServer https = new MockWebServer()) {
      https.useHttps(
          new HandshakeCertificates.Builder()
              .heldCertificate(
                  NtfyChannelCompatibilityTest.SERVER,
                  NtfyChannelCompatibilityTest.CA.certificate())
              .build()
              .sslSocketFactory());
      https.start(InetAddress.getByName("127.0.0.1"), 0);
      NtfyConfig config = new NtfyConfig(URI.create(https.url("/").toString()), null);

      SendResult result = sendOneAlert(config, Map.of(), EgressPolicy.UNRESTRICTED);

      assertThat(result).isInstanceOf(SendResult.Failed.class);
      assertThat(((SendResult.Failed) result).reason()).isEqualTo(Reason.TLS_FAILED);
      assertThat(((SendResult.Failed) result).retryable()).isFalse();
    }
  }

  @Test
  void aChunkedErrorReplyIsReadForNtfysCodeAndMessage() {
    server.enqueue(
        new MockResponse.Builder()
            .code(403)
            .chunkedBody(
                "{\"code\":40301,\"http\":403,\"error\":\"forbidden\","
                    + "\"link\":\"https://ntfy.sh/docs/publish/#authentication\"}\n",
                7)
            .build());

    SendResult result = sendOneAlert(config(null), Map.of(), EgressPolicy.UNRESTRICTED);

    assertThat(result)
        .isEqualTo(
            SendResult.permanent(
                Reason.AUTH_REJECTED,
                "POST " + server.url("/ops") + ": HTTP 403: ntfy error 40301 forbidden"));
  }

  @Test
  void aTokenThatCannotBeAHeaderIsRefusedWithoutShowingIt() {
    SendResult result =
        sendOneAlert(
            config(TOKEN_REF),
            Map.of(NtfyConfig.ACCESS_TOKEN_FIELD, Secret.of("tk_a\nX-Injected: b")),
            EgressPolicy.UNRESTRICTED);

    assertThat(result)
        .isEqualTo(
            SendResult.permanent(
                Reason.REJECTED,
                "NtfyConfig/default-ntfy: spec.accessToken: the token holds characters an HTTP"
                    + " header cannot carry"));
    assertThat(server.getRequestCount()).isZero();
  }
}
