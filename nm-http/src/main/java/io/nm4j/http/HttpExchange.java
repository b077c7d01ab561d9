package io.nm4j.http;

import io.nm4j.spi.RetryAfter;
import io.nm4j.spi.SendResult;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * One request and its reply within a send's deadline: the reply's status, headers and body (read up
 * to a bound, so a remote cannot make a channel hold an unbounded reply), or the failure that kept
 * a reply from coming, mapped by {@link HttpOutcomes}. Channels whose remote answers in the body
 * (Slack's {@code ok}, WeChat Work's and DingTalk's {@code errcode}) read it from {@link
 * Reply#body()}; what the status alone says is {@link Reply#byStatus(Clock)}.
 */
public sealed interface HttpExchange permits HttpExchange.Reply, HttpExchange.Failure {

  /**
   * Sends {@code request} with the time left until {@code deadline} as the call's timeout (or the
   * client's call timeout if that is shorter) and reads at most {@code maxBodyBytes} of the reply.
   *
   * @return the reply, or a {@link Failure}: {@code TIMEOUT} when no time is left before sending,
   *     else the transport failure as {@link HttpOutcomes#ofException} maps it
   */
  static HttpExchange run(
      OkHttpClient client, Request request, Instant deadline, Clock clock, int maxBodyBytes) {
    long left = Duration.between(clock.instant(), deadline).toMillis();
    if (left <= 0) {
      return new Failure(
          SendResult.retryable(
              SendResult.Reason.TIMEOUT,
              HttpOutcomes.describe(request) + ": deadline passed before sending"));
    }
    long configured = client.callTimeoutMillis();
    Call call = client.newCall(request);
    call.timeout()
        .timeout(configured > 0 ? Math.min(left, configured) : left, TimeUnit.MILLISECONDS);
    try (Response response = call.execute()) {
      String body = maxBodyBytes > 0 ? response.peekBody(maxBodyBytes).string() : "";
      return new Reply(
          response.request(), response.code(), response.message(), response.headers(), body);
    } catch (IOException e) {
      return new Failure(HttpOutcomes.ofException(request, e));
    }
  }

  /**
   * A reply.
   *
   * @param request the request as sent (after interceptors and redirects)
   * @param code the HTTP status
   * @param message the status line's reason phrase, may be empty
   * @param headers the reply's headers
   * @param body the start of the body, at most the bytes asked for, as UTF-8; never put whole into
   *     a detail, it is the remote's text
   */
  record Reply(Request request, int code, String message, Headers headers, String body)
      implements HttpExchange {
    public Reply {
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(headers, "headers");
      Objects.requireNonNull(body, "body");
    }

    /** A 2xx status. */
    public boolean isSuccessful() {
      return code >= 200 && code < 300;
    }

    /** A header's value, or {@code null}. */
    public @Nullable String header(String name) {
      return headers.get(name);
    }

    /** The delay of the {@code Retry-After} header, or {@code null}. */
    public @Nullable Duration retryAfter(Clock clock) {
      return RetryAfter.parse(header("Retry-After"), clock);
    }

    /** What the status says, as every HTTP channel maps it (see {@link HttpOutcomes}). */
    public SendResult byStatus(Clock clock) {
      return HttpOutcomes.ofStatus(this, clock);
    }

    /** {@code POST https://host:443/path}: never the query or user info, where tokens are. */
    public String describe() {
      return HttpOutcomes.describe(request);
    }

    /** The status only: a body or a header may hold anything. */
    @Override
    public String toString() {
      return "Reply[" + describe() + ": HTTP " + code + "]";
    }
  }

  /**
   * No reply: the deadline had passed, or the connection, TLS or the wait failed.
   *
   * @param failure what to report
   */
  record Failure(SendResult.Failed failure) implements HttpExchange {
    public Failure {
      Objects.requireNonNull(failure, "failure");
    }
  }
}
