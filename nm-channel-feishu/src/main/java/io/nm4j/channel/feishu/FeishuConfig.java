package io.nm4j.channel.feishu;

import io.nm4j.spi.ConfigSpec;
import io.nm4j.spi.SecretKeySelector;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The spec of a {@code FeishuConfig}: the credentials of the app that sends to users and
 * departments. Both or neither: a config without them serves receivers that only have a custom bot,
 * whose webhook is the receiver's own.
 *
 * @param appID the app's ID ({@code cli_...}); {@code null} with {@code appSecret}
 * @param appSecret the app's secret; {@code null} with {@code appID}
 */
public record FeishuConfig(@Nullable SecretKeySelector appID, @Nullable SecretKeySelector appSecret)
    implements ConfigSpec {

  /** Field path of the app ID secret. */
  public static final String APP_ID = "spec.appID";

  /** Field path of the app secret. */
  public static final String APP_SECRET = "spec.appSecret";

  public FeishuConfig {
    if ((appID == null) != (appSecret == null)) {
      throw new IllegalArgumentException("appID and appSecret go together");
    }
  }

  /** Whether the config has an app's credentials. */
  public boolean hasApp() {
    return appID != null;
  }

  /** {@code spec.appID} and {@code spec.appSecret}, when set. */
  @Override
  public Map<String, SecretKeySelector> secretRefs() {
    return appID == null || appSecret == null
        ? Map.of()
        : Map.of(APP_ID, appID, APP_SECRET, appSecret);
  }
}
