package io.nm4j.channel.wechat;

import io.nm4j.spi.ConfigSpec;
import io.nm4j.spi.Endpoint;
import io.nm4j.spi.SecretKeySelector;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The spec of a {@code WechatConfig}: the WeChat Work app that sends the messages.
 *
 * @param wechatApiUrl the API base, an absolute http(s) URL ending with {@code /} (the manifest's
 *     value with a {@code /} appended when missing), {@link #DEFAULT_API_URL} when absent
 * @param wechatApiCorpId the corp ID
 * @param wechatApiAgentId the app's AgentId, digits only (a string in v1alpha1)
 * @param wechatApiSecret the app's secret; {@code null} only in {@link #robotOnly()}
 */
public record WechatConfig(
    URI wechatApiUrl,
    String wechatApiCorpId,
    String wechatApiAgentId,
    @Nullable SecretKeySelector wechatApiSecret)
    implements ConfigSpec {

  /** The WeChat Work API base used when a config names none. */
  public static final URI DEFAULT_API_URL = URI.create("https://qyapi.weixin.qq.com/cgi-bin/");

  public WechatConfig {
    Objects.requireNonNull(wechatApiUrl, "wechatApiUrl");
    String path = wechatApiUrl.getRawPath();
    if (path == null || !path.endsWith("/")) {
      throw new IllegalArgumentException("wechatApiUrl must end with /, was " + wechatApiUrl);
    }
    Objects.requireNonNull(wechatApiCorpId, "wechatApiCorpId");
    Objects.requireNonNull(wechatApiAgentId, "wechatApiAgentId");
  }

  /**
   * The config of a v2beta2 receiver block that names only its group robot: it sends no app
   * messages, so it has no app (notification-manager sends to the robot without a {@code Config}).
   */
  public static WechatConfig robotOnly() {
    return new WechatConfig(DEFAULT_API_URL, "", "", null);
  }

  /** The app secret, at {@code spec.wechatApiSecret}; none in {@link #robotOnly()}. */
  @Override
  public Map<String, SecretKeySelector> secretRefs() {
    return wechatApiSecret == null ? Map.of() : Map.of("spec.wechatApiSecret", wechatApiSecret);
  }

  /** The API base, at {@code spec.wechatApiUrl}. */
  @Override
  public Map<String, Endpoint> endpoints() {
    Endpoint api = Endpoint.ofUrl(wechatApiUrl);
    return api == null ? Map.of() : Map.of("spec.wechatApiUrl", api);
  }
}
