package io.nm4j.channel.dingtalk;

import mockwebserver3.MockResponse;

/** DingTalk's reply bodies, as the API sends them (HTTP 200 with an errcode). */
final class Replies {
  private Replies() {}

  static MockResponse json(String body) {
    return new MockResponse.Builder()
        .code(200)
        .addHeader("Content-Type", "application/json;charset=UTF-8")
        .body(body)
        .build();
  }

  static MockResponse ok() {
    return json("{\"errcode\":0,\"errmsg\":\"ok\"}");
  }

  static MockResponse error(long code, String message) {
    return json("{\"errcode\":" + code + ",\"errmsg\":\"" + message + "\"}");
  }

  static MockResponse token(String token) {
    return json(
        "{\"errcode\":0,\"access_token\":\"" + token + "\",\"errmsg\":\"ok\",\"expires_in\":7200}");
  }

  static MockResponse tooFast() {
    return error(130101, "send too fast, exceed 20 times per minute");
  }
}
