package io.nm4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpExchangeTest {
  private final MockWebServer server = new MockWebServer();
  private final HttpClientFactory factory = HttpClientFactory.create();
  private final Clock clock = Clock.systemUTC();

  @BeforeEach
  void start() throws Exception {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    server.close();
    factory.close();
  }

  private HttpExchange run(int maxBodyBytes, Duration within) {
    Request post =
        new Request.Builder()
            .url(server.url("/api/send?access_token=tok-123"))
            .post(RequestBody.create("{}", MediaType.get("application/json")))
            .build();
    return HttpExchange.run(
        factory.base(), post, clock.instant().plus(within), clock, maxBodyBytes);
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
    assertThat(reply.byStatus(clock)).isInstanceOf(SendResult.Delivered.class);
  }

  @Test
  void aReplyDescribesItselfWithoutQueryHeadersOrBody() {
    server.enqueue(new MockResponse.Builder().code(503).body("token tok-123 is fine").build());
    HttpExchange.Reply reply = (HttpExchange.Reply) run(1024, Duration.ofSeconds(10));
    String where = "POST http://" + server.getHostName() + ":" + server.getPort() + "/api/send";
    assertThat(reply.describe()).isEqualTo(where);
    assertThat(reply.toString()).isEqualTo("Reply[" + where + ": HTTP 503]");
    SendResult.Failed f = (SendResult.Failed) reply.byStatus(clock);
    assertThat(f.reason()).isEqualTo(Reason.REMOTE_ERROR);
    assertThat(f.detail()).startsWith(where + ": HTTP 503").doesNotContain("tok-123");
  }

  @Test
  void aRetryAfterHeaderOfAnyReplyIsReadable() {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Retry-After", "30").build());
    HttpExchange.Reply reply = (HttpExchange.Reply) run(0, Duration.ofSeconds(10));
    assertThat(reply.retryAfter(clock)).isEqualTo(Duration.ofSeconds(30));
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
}
