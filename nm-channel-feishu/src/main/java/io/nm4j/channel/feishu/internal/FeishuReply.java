package io.nm4j.channel.feishu.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What Feishu answers in the body: {@code {"code":0,"msg":"success","data":{...}}} for bots and
 * messages, with {@code tenant_access_token} and {@code expire} for a token.
 *
 * @param code the API's code, 0 for success
 * @param msg the API's message, as given
 * @param token the tenant access token of a token reply, or {@code null}
 * @param expire the token's lifetime in seconds, 0 when absent
 * @param invalid IDs the message could not go to ({@code invalid_user_ids}, {@code
 *     invalid_department_ids}, {@code invalid_open_ids}), each as {@code kind:id}
 */
public record FeishuReply(
    int code, String msg, @Nullable String token, long expire, List<String> invalid) {
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  public FeishuReply {
    invalid = List.copyOf(invalid);
  }

  /** The reply in {@code body}, or {@code null} when it is not Feishu's JSON with a code. */
  public static @Nullable FeishuReply parse(String body) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (IOException e) {
      return null;
    }
    if (root == null || !root.path("code").isIntegralNumber()) {
      return null;
    }
    JsonNode token = root.get("tenant_access_token");
    List<String> invalid = new ArrayList<>();
    JsonNode data = root.path("data");
    for (String kind : List.of("user", "department", "open")) {
      for (JsonNode id : data.path("invalid_" + kind + "_ids")) {
        invalid.add(kind + ":" + id.asText());
      }
    }
    return new FeishuReply(
        root.path("code").asInt(),
        root.path("msg").asText(""),
        token == null || !token.isTextual() ? null : token.asText(),
        root.path("expire").asLong(0),
        invalid);
  }

  /** The token is redacted: a reply's text says enough without it. */
  @Override
  public String toString() {
    return "FeishuReply[code=" + code + ", msg=" + msg + "]";
  }
}
