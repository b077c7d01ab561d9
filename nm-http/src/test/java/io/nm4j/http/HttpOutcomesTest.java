package io.nm4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpOutcomesTest {
  private final MockWebServer server = new MockWebServer();
  private final HttpClientFactory factory = HttpClientFactory.create();

  @BeforeEach
  void start() throws Exception {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    server.close();
    factory.close();
  }

  private SendResult post(HttpUrl url, Clock clock, Duration within) {
    return Posts.post(factory, HttpSettings.DEFAULTS, url, clock.instant().plus(within), clock);
  }

  private SendResult post(MockResponse reply) {
    server.enqueue(reply);
    return post(server.url("/hook"), Clock.systemUTC(), Duration.ofSeconds(10));
  }

  private static MockResponse status(int code) {
    return new MockResponse.Builder().code(code).build();
  }

  @Test
  void aRemotesMessageIsRepeatedAsPlainWordsOnlyAndBounded() {
    assertThat(HttpOutcomes.remoteMessage("Bad Request: chat not found", 120))
        .isEqualTo("Bad Request: chat not found");
    assertThat(HttpOutcomes.remoteMessage("无效的 key [93000]\n<script>\"x\"\\", 120))
        .isEqualTo("无效的 key [93000]??script??x??");
    assertThat(HttpOutcomes.remoteMessage("a".repeat(300), 40))
        .hasSizeLessThanOrEqualTo(40)
        .endsWith("…");
  }

  @Test
  void anyTwoHundredIsDelivered() {
    assertThat(post(status(200))).isInstanceOf(SendResult.Delivered.class);
    assertThat(post(status(202))).isInstanceOf(SendResult.Delivered.class);
    assertThat(post(status(204))).isInstanceOf(SendResult.Delivered.class);
  }

  @Test
  void tooManyRequestsIsRateLimitedRetryableWithRetryAfterSeconds() {
    SendResult r = post(new MockResponse.Builder().code(429).addHeader("Retry-After", "7").build());
    assertThat(r)
        .isEqualTo(
            SendResult.retryAfter(
                Reason.RATE_LIMITED, Duration.ofSeconds(7), ((SendResult.Failed) r).detail()));
    assertThat(((SendResult.Failed) r).detail()).contains("POST").contains("429");
  }

  @Test
  void retryAfterAsAnHttpDateIsMeasuredWithTheInjectedClock() {
    Clock clock = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
    server.enqueue(
        new MockResponse.Builder()
            .code(429)
            .addHeader("Retry-After", "Wed, 25 Nov 2026 10:01:30 GMT")
            .build());
    SendResult.Failed r =
        (SendResult.Failed) post(server.url("/hook"), clock, Duration.ofSeconds(10));
    assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void tooManyRequestsWithoutRetryAfterIsRetryableWithoutDelay() {
    SendResult.Failed r = (SendResult.Failed) post(status(429));
    assertThat(r.reason()).isEqualTo(Reason.RATE_LIMITED);
    assertThat(r.retryable()).isTrue();
    assertThat(r.retryAfter()).isNull();
  }

  @Test
  void serverErrorsAreRetryableRemoteErrors() {
    for (int code : new int[] {500, 502, 503, 504}) {
      SendResult.Failed r = (SendResult.Failed) post(status(code));
      assertThat(r.reason()).isEqualTo(Reason.REMOTE_ERROR);
      assertThat(r.retryable()).isTrue();
      assertThat(r.detail()).contains("HTTP " + code);
    }
  }

  @Test
  void unauthorizedAndForbiddenArePermanentAuthRejections() {
    for (int code : new int[] {401, 403}) {
      SendResult.Failed r = (SendResult.Failed) post(status(code));
      assertThat(r.reason()).isEqualTo(Reason.AUTH_REJECTED);
      assertThat(r.retryable()).isFalse();
    }
  }

  @Test
  void otherClientErrorsArePermanentRejections() {
    for (int code : new int[] {400, 404, 405, 413, 422}) {
      SendResult.Failed r = (SendResult.Failed) post(status(code));
      assertThat(r.reason()).isEqualTo(Reason.REJECTED);
      assertThat(r.retryable()).isFalse();
    }
  }

  @Test
  void remoteThatNeverAnswersTimesOutRetryablyOnceTheDeadlinePassed() {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    Instant deadline = Instant.now().plusMillis(300);
    SendResult r =
        post(server.url("/hook"), Clock.systemUTC(), Duration.between(Instant.now(), deadline));
    assertThat(Instant.now()).isAfterOrEqualTo(deadline.minusMillis(20));
    assertThat(r).isInstanceOf(SendResult.Failed.class);
    assertThat(((SendResult.Failed) r).reason()).isEqualTo(Reason.TIMEOUT);
    assertThat(((SendResult.Failed) r).retryable()).isTrue();
  }

  @Test
  void deadlineAlreadyPassedIsTimeoutWithoutSending() {
    SendResult.Failed r =
        (SendResult.Failed) post(server.url("/hook"), Clock.systemUTC(), Duration.ofMillis(-1));
    assertThat(r.reason()).isEqualTo(Reason.TIMEOUT);
    assertThat(r.retryable()).isTrue();
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void refusedConnectionIsRetryableConnectionFailure() {
    HttpUrl url = server.url("/hook");
    server.close();
    SendResult.Failed r = (SendResult.Failed) post(url, Clock.systemUTC(), Duration.ofSeconds(5));
    assertThat(r.reason()).isEqualTo(Reason.CONNECTION_FAILED);
    assertThat(r.retryable()).isTrue();
    // The exception's own words, not its class name.
    assertThat(r.detail()).contains(": cannot connect: ").doesNotContain("Exception");
  }

  @Test
  void unknownHostIsRetryableConnectionFailure() {
    SendResult.Failed r =
        (SendResult.Failed)
            post(
                HttpUrl.get("http://no-such-host.invalid/x"),
                Clock.systemUTC(),
                Duration.ofSeconds(5));
    assertThat(r.reason()).isEqualTo(Reason.CONNECTION_FAILED);
    assertThat(r.retryable()).isTrue();
    assertThat(r.detail())
        .isEqualTo("POST http://no-such-host.invalid:80/x: cannot resolve no-such-host.invalid");
  }

  @Test
  void droppedConnectionIsRetryableConnectionFailure() {
    server.enqueue(
        new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
    // OkHttp retries a request once on a fresh connection when the first is dropped silently.
    server.enqueue(
        new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
    SendResult.Failed r =
        (SendResult.Failed) post(server.url("/hook"), Clock.systemUTC(), Duration.ofSeconds(5));
    assertThat(r.reason()).isEqualTo(Reason.CONNECTION_FAILED);
    assertThat(r.retryable()).isTrue();
  }

  @Test
  void detailsShowSchemeHostPortAndPathButNoQueryOrUserInfo() {
    server.enqueue(status(400));
    HttpUrl url =
        server
            .url("/hook")
            .newBuilder()
            .username("u")
            .password("pw-secret")
            .query("token=abc123")
            .build();
    SendResult.Failed r = (SendResult.Failed) post(url, Clock.systemUTC(), Duration.ofSeconds(5));
    assertThat(r.detail())
        .isEqualTo("POST http://" + url.host() + ":" + url.port() + "/hook: HTTP 400 Client Error")
        .doesNotContain("abc123")
        .doesNotContain("pw-secret");
  }

  private HttpExchange run(int maxBodyBytes, Duration within) {
    Request post =
        new Request.Builder()
            .url(server.url("/api/send?access_token=tok-123"))
            .post(RequestBody.create("{}", MediaType.get("application/json")))
            .build();
    return HttpExchange.run(
        factory.base(), post, Instant.now().plus(within), Clock.systemUTC(), maxBodyBytes);
  }

  @Test
  void aReplyGivesStatusHeadersAndTheBodyUpToTheBound() {
    server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .addHeader("X-Request-Id", "r-1")
            .body("{\"errcode\":0,\"errmsg\":\"ok\"}" + " ".repeat(10_000))
            .build());
    HttpExchange.Reply reply = (HttpExchange.Reply) run(27, Duration.ofSeconds(10));
    assertThat(reply.isSuccessful()).isTrue();
    assertThat(reply.code()).isEqualTo(200);
    assertThat(reply.header("X-Request-Id")).isEqualTo("r-1");
    assertThat(reply.body()).isEqualTo("{\"errcode\":0,\"errmsg\":\"ok\"}");
    assertThat(reply.byStatus(Clock.systemUTC())).isInstanceOf(SendResult.Delivered.class);
  }

  @Test
  void aReplyDescribesItselfWithoutQueryHeadersOrBody() {
    server.enqueue(new MockResponse.Builder().code(503).body("token tok-123 is fine").build());
    HttpExchange.Reply reply = (HttpExchange.Reply) run(1024, Duration.ofSeconds(10));
    String where = "POST http://" + server.getHostName() + ":" + server.getPort() + "/api/send";
    assertThat(reply.describe()).isEqualTo(where);
    assertThat(reply.toString()).isEqualTo("Reply[" + where + ": HTTP 503]");
    SendResult.Failed f = (SendResult.Failed) reply.byStatus(Clock.systemUTC());
    assertThat(f.reason()).isEqualTo(Reason.REMOTE_ERROR);
    assertThat(f.detail()).startsWith(where + ": HTTP 503").doesNotContain("tok-123");
  }

  @Test
  void aRetryAfterHeaderOfAnyReplyIsReadable() {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Retry-After", "30").build());
    HttpExchange.Reply reply = (HttpExchange.Reply) run(0, Duration.ofSeconds(10));
    assertThat(reply.retryAfter(Clock.systemUTC())).isEqualTo(Duration.ofSeconds(30));
    assertThat(reply.body()).isEmpty();
  }

  @Test
  void aPassedDeadlineIsARetryableTimeoutWithoutSending() {
    HttpExchange e = run(1024, Duration.ofMillis(-1));
    SendResult.Failed f = ((HttpExchange.Failure) e).failure();
    assertThat(f.reason()).isEqualTo(Reason.TIMEOUT);
    assertThat(f.retryable()).isTrue();
    assertThat(f.detail()).endsWith("/api/send: deadline passed before sending");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aRefusedConnectionIsAFailureAsHttpOutcomesMapsIt() {
    server.close();
    SendResult.Failed f = ((HttpExchange.Failure) run(1024, Duration.ofSeconds(5))).failure();
    assertThat(f.reason()).isEqualTo(Reason.CONNECTION_FAILED);
    assertThat(f.retryable()).isTrue();
    assertThat(f.detail()).doesNotContain("tok-123");
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void aRedirectIsNotFollowedAndIsPermanentNamingTheLocationWithoutItsQuery(int code)
      throws Exception {
    SendResult r =
        post(
            new MockResponse.Builder()
                .code(code)
                .addHeader("Location", "https://login.example.com/sso?token=secret-fixture")
                .build());
    assertThat(r).isInstanceOf(SendResult.Failed.class);
    SendResult.Failed f = (SendResult.Failed) r;
    assertThat(f.reason()).isEqualTo(Reason.REJECTED);
    assertThat(f.retryable()).isFalse();
    assertThat(f.detail())
        .contains("HTTP " + code)
        .endsWith("redirect to https://login.example.com:443/sso not followed")
        .doesNotContain("secret-fixture");
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(server.takeRequest().getMethod()).isEqualTo("POST");
  }

  @Test
  void aRelativeRedirectIsNamedAgainstTheRequestsUrl() {
    SendResult.Failed f =
        (SendResult.Failed)
            post(new MockResponse.Builder().code(302).addHeader("Location", "/login?x=1").build());
    assertThat(f.detail()).endsWith("redirect to " + server.url("/login") + " not followed");
  }

  @Test
  void aReplyBodyIsReadOnlyUpToTheBoundAskedFor() {
    server.enqueue(new MockResponse.Builder().code(200).body("x".repeat(1024 * 1024)).build());
    Request request =
        new Request.Builder()
            .url(server.url("/hook"))
            .post(RequestBody.create("{}", MediaType.get("application/json")))
            .build();
    HttpExchange exchange =
        HttpExchange.run(
            factory.base(), request, Instant.now().plusSeconds(10), Clock.systemUTC(), 64 * 1024);
    assertThat(exchange).isInstanceOf(HttpExchange.Reply.class);
    assertThat(((HttpExchange.Reply) exchange).body()).hasSize(64 * 1024);
  }

  @Test
  void aRequestWhosePathIsMarkedSecretIsDescribedByItsHostAlone() {
    Request hook =
        new Request.Builder().url("https://open.feishu.cn/open-apis/bot/v2/hook/tok3n?x=1").build();

    assertThat(HttpOutcomes.describe(SecretPath.mark(hook.newBuilder()).build()))
        .isEqualTo("GET https://open.feishu.cn:443/…");
    assertThat(HttpOutcomes.describe(hook))
        .isEqualTo("GET https://open.feishu.cn:443/open-apis/bot/v2/hook/tok3n");
  }

  @Test
  void aPathMarkedSecretWithAShownPathIsShownSoInRepliesAndFailures() {
    String secretPath = "/bot7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0/sendMessage";
    Request.Builder post =
        SecretPath.mark(
            new Request.Builder().post(RequestBody.create("{}", MediaType.get("application/json"))),
            "/bot<token>/sendMessage");
    server.enqueue(status(400));
    HttpExchange replied =
        HttpExchange.run(
            factory.base(),
            post.url(server.url(secretPath)).build(),
            Instant.now().plusSeconds(10),
            Clock.systemUTC(),
            1024);
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    HttpExchange stalled =
        HttpExchange.run(
            factory.base(),
            post.url(server.url(secretPath)).build(),
            Instant.now().plusMillis(300),
            Clock.systemUTC(),
            1024);

    String shown = ((HttpExchange.Reply) replied).describe();
    assertThat(shown).endsWith("/bot<token>/sendMessage").doesNotContain("AAHdq");
    assertThat(((HttpExchange.Reply) replied).byStatus(Clock.systemUTC()).toString())
        .doesNotContain("AAHdq");
    assertThat(((HttpExchange.Failure) stalled).failure().detail())
        .contains("/bot<token>/sendMessage")
        .doesNotContain("AAHdq");
  }
}
