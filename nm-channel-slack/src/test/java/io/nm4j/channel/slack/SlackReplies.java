package io.nm4j.channel.slack;

import mockwebserver3.MockResponse;

/** Replies shaped exactly as Slack's Web API sends them. */
final class SlackReplies {
  private SlackReplies() {}

  /** A successful {@code chat.postMessage}, as in Slack's method reference. */
  static MockResponse ok() {
    return json(
        200,
        """
        {"ok":true,"channel":"C123ABC456","ts":"1503435956.000247",\
        "message":{"text":"Here's a message for you","username":"ecto1","bot_id":"B123ABC456",\
        "attachments":[{"text":"This is an attachment","id":1,"fallback":"This is an attachment's fallback"}],\
        "type":"message","subtype":"bot_message","ts":"1503435956.000247"}}""");
  }

  /** An API error: HTTP 200 with {@code "ok": false}. */
  static MockResponse error(String code) {
    return json(200, "{\"ok\":false,\"error\":\"" + code + "\"}");
  }

  /** Slack's rate limit reply: HTTP 429 with {@code Retry-After} in seconds. */
  static MockResponse rateLimited(int seconds) {
    return new MockResponse.Builder()
        .code(429)
        .addHeader("Content-Type", "application/json; charset=utf-8")
        .addHeader("Retry-After", Integer.toString(seconds))
        .body("{\"ok\":false,\"error\":\"ratelimited\"}")
        .build();
  }

  static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json; charset=utf-8")
        .body(body)
        .build();
  }
}
