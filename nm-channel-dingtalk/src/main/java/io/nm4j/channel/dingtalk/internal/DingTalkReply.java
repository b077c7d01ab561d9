package io.nm4j.channel.dingtalk.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.nm4j.spi.TextSplitter;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The JSON every DingTalk API answers with: {@code errcode} (0 on success) and {@code errmsg}, plus
 * {@code access_token} and {@code expires_in} from {@code gettoken}.
 *
 * @param errcode the API's code
 * @param errmsg its message; shown in details, it names the problem and holds no credential
 * @param accessToken the token of a {@code gettoken} reply, else {@code null}
 * @param expiresIn the token's lifetime in seconds, 0 when not given
 */
public record DingTalkReply(
    long errcode, String errmsg, @Nullable String accessToken, long expiresIn) {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** The most of {@code errmsg} a detail shows. */
  private static final int MAX_ERRMSG_CHARS = 200;

  /** Reads a reply body; {@code null} when it is not a DingTalk reply (no numeric errcode). */
  public static @Nullable DingTalkReply parse(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
    if (root == null || !root.path("errcode").isIntegralNumber()) {
      return null;
    }
    JsonNode token = root.get("access_token");
    return new DingTalkReply(
        root.get("errcode").asLong(),
        root.path("errmsg").asText(""),
        token != null && token.isTextual() ? token.asText() : null,
        root.path("expires_in").asLong(0));
  }

  /** {@code errcode 130101 (send too fast)}. */
  public String describe() {
    String m = TextSplitter.ellipsize(errmsg, MAX_ERRMSG_CHARS);
    return "errcode " + errcode + (m.isBlank() ? "" : " (" + m + ")");
  }

  @Override
  public String toString() {
    return "DingTalkReply["
        + describe()
        + (accessToken != null ? ", access_token redacted" : "")
        + "]";
  }
}
