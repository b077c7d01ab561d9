package io.nm4j.examples.ntfy;

import mockwebserver3.MockResponse;

/** ntfy's replies as its server writes them: the published message, or its error JSON. */
final class NtfyReplies {
  private NtfyReplies() {}

  /** 200 with the message ntfy stored. */
  static MockResponse published(String topic) {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/json")
        .body(
            "{\"id\":\"sPs71M8A2T\",\"time\":1764170981,\"expires\":1764214181,"
                + "\"event\":\"message\",\"topic\":\""
                + topic
                + "\",\"title\":\"[FIRING:1] KubePodCrashLooping\","
                + "\"message\":\"firing KubePodCrashLooping in demo\","
                + "\"tags\":[\"rotating_light\"]}\n")
        .build();
  }

  /** An error as ntfy's errHTTP writes it: {@code {"code", "http", "error", "link"}}. */
  static MockResponse error(int status, int code, String error) {
    return new MockResponse.Builder()
        .code(status)
        .addHeader("Content-Type", "application/json")
        .body(
            "{\"code\":"
                + code
                + ",\"http\":"
                + status
                + ",\"error\":\""
                + error
                + "\",\"link\":\"https://ntfy.sh/docs/publish/#limitations\"}\n")
        .build();
  }
}
