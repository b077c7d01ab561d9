package io.nm4j.channel.discord;

import mockwebserver3.MockResponse;

/**
 * Replies shaped as Discord sends them to a webhook execution
 * (https://discord.com/developers/docs/resources/webhook#execute-webhook): with {@code wait=true}
 * 200 and the created message; errors as {@code {"message": ..., "code": ...}}.
 */
final class DiscordReplies {
  private DiscordReplies() {}

  /** The message the webhook created. */
  static MockResponse ok() {
    return json(
        200,
        """
        {"id":"1311990000000000001","type":0,"content":"**[FIRING:1] KubePodCrashLooping**",\
        "channel_id":"1311980000000000000","author":{"bot":true,"id":"1311970000000000000",\
        "username":"nm4j","avatar":null,"discriminator":"0000"},"attachments":[],"embeds":[],\
        "mentions":[],"mention_roles":[],"pinned":false,"mention_everyone":false,"tts":false,\
        "timestamp":"2026-12-02T23:00:00.000000+00:00","edited_timestamp":null,"flags":0,\
        "components":[],"webhook_id":"1311970000000000000"}""");
  }

  static MockResponse error(int status, int code, String message) {
    return json(status, "{\"message\": \"" + message + "\", \"code\": " + code + "}");
  }

  /**
   * A rate limit: 429 with {@code retry_after} in seconds as a float, and the headers
   * (https://discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit).
   */
  static MockResponse rateLimited(String retryAfter) {
    return new MockResponse.Builder()
        .code(429)
        .addHeader("Content-Type", "application/json")
        .addHeader("Retry-After", "2")
        .addHeader("X-RateLimit-Limit", "5")
        .addHeader("X-RateLimit-Remaining", "0")
        .addHeader("X-RateLimit-Reset-After", retryAfter)
        .addHeader("X-RateLimit-Bucket", "3a8c6c2a5c7ff1c3b0e8a1d5")
        .addHeader("X-RateLimit-Scope", "shared")
        .body(
            "{\"message\": \"You are being rate limited.\", \"retry_after\": "
                + retryAfter
                + ", \"global\": false}")
        .build();
  }

  static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .addHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }
}
