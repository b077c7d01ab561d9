package io.nm4j.channel.telegram;

import mockwebserver3.MockResponse;

/**
 * Replies shaped as the Bot API sends them (https://core.telegram.org/bots/api#making-requests):
 * {@code {"ok":true,"result":<Message>}} or {@code {"ok":false,"error_code":..,"description":..}}.
 */
final class TelegramReplies {
  private TelegramReplies() {}

  /** A successful {@code sendMessage}: the sent Message. */
  static MockResponse ok() {
    return json(
        200,
        """
        {"ok":true,"result":{"message_id":4711,"sender_chat":{"id":-1001234567890,\
        "title":"Alerts","type":"channel"},"chat":{"id":-1001234567890,"title":"Alerts",\
        "type":"channel"},"date":1764633600,"text":"[FIRING:1] KubePodCrashLooping"}}""");
  }

  /** An error reply; the Bot API sends the same code as the HTTP status. */
  static MockResponse error(int code, String description) {
    return json(
        code, "{\"ok\":false,\"error_code\":" + code + ",\"description\":\"" + description + "\"}");
  }

  /**
   * Flood control: 429 with {@code parameters.retry_after} in seconds
   * (https://core.telegram.org/bots/api#responseparameters).
   */
  static MockResponse tooManyRequests(int seconds) {
    return json(
        429,
        "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after "
            + seconds
            + "\",\"parameters\":{\"retry_after\":"
            + seconds
            + "}}");
  }

  static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }
}
