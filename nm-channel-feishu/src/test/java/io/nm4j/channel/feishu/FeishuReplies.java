package io.nm4j.channel.feishu;

import mockwebserver3.MockResponse;

/**
 * Replies of Feishu's open platform as its documentation shows them: HTTP 200 with {@code
 * {"code":0,"msg":"success","data":{}}}, errors as a non-zero code (often still HTTP 200), a token
 * with {@code tenant_access_token} and {@code expire}, and the frequency limit as HTTP 429 with
 * {@code x-ogw-ratelimit-reset}.
 */
final class FeishuReplies {
  static final String TOKEN = "t-caecc734c2e3328a62489fe0648c4b98779515d3";

  private FeishuReplies() {}

  static MockResponse json(int status, String body) {
    return new MockResponse.Builder()
        .code(status)
        .addHeader("Content-Type", "application/json; charset=utf-8")
        .body(body)
        .build();
  }

  /** A custom bot's success, with the redundant fields it still sends. */
  static MockResponse botOk() {
    return json(
        200,
        "{\"code\":0,\"msg\":\"success\",\"data\":{},\"Extra\":null,\"StatusCode\":0,"
            + "\"StatusMessage\":\"success\"}");
  }

  static MockResponse batchOk(String invalidUsers) {
    return json(
        200,
        "{\"code\":0,\"msg\":\"success\",\"data\":{\"message_id\":\"bm-1\","
            + "\"invalid_department_ids\":[],\"invalid_open_ids\":[],\"invalid_user_ids\":["
            + invalidUsers
            + "]}}");
  }

  static MockResponse token(String token) {
    return json(
        200,
        "{\"code\":0,\"msg\":\"ok\",\"tenant_access_token\":\"" + token + "\",\"expire\":7200}");
  }

  static MockResponse code(int code, String msg) {
    return json(200, "{\"code\":" + code + ",\"msg\":\"" + msg + "\",\"data\":{}}");
  }

  /** The frequency limit of the open platform: 429 with the wait in a header. */
  static MockResponse frequencyLimit(int status, int resetSeconds) {
    return new MockResponse.Builder()
        .code(status)
        .addHeader("Content-Type", "application/json")
        .addHeader("x-ogw-ratelimit-limit", "100")
        .addHeader("x-ogw-ratelimit-reset", String.valueOf(resetSeconds))
        .body("{\"code\":99991400,\"msg\":\"request trigger frequency limit\"}")
        .build();
  }
}
