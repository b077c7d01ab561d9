package io.nm4j.examples.ntfy;

import io.nm4j.spi.ConfigSpec;
import io.nm4j.spi.Endpoint;
import io.nm4j.spi.SecretKeySelector;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The spec of an {@code NtfyConfig}: the ntfy server and the credentials to publish with.
 *
 * @param server the server's base URL, {@code http(s)://host[:port][/path]}
 * @param accessToken an access token ({@code tk_...}) sent as {@code Authorization: Bearer}; {@code
 *     null} publishes anonymously
 */
public record NtfyConfig(URI server, @Nullable SecretKeySelector accessToken)
    implements ConfigSpec {
  /** The field path of the token, under which the core hands over its value. */
  public static final String ACCESS_TOKEN_FIELD = "spec.accessToken";

  /** The field path of the server, under which the core checks it against the egress policy. */
  public static final String SERVER_FIELD = "spec.server";

  /** ntfy's public server, when a config names none. */
  public static final URI DEFAULT_SERVER = URI.create("https://ntfy.sh");

  public NtfyConfig {
    Objects.requireNonNull(server, "server");
  }

  /** The token's reference, when the config has one. */
  @Override
  public Map<String, SecretKeySelector> secretRefs() {
    return accessToken == null ? Map.of() : Map.of(ACCESS_TOKEN_FIELD, accessToken);
  }

  /** The server, so the core can refuse a tenant's loopback or metadata address at validation. */
  @Override
  public Map<String, Endpoint> endpoints() {
    Endpoint endpoint = Endpoint.ofUrl(server);
    return endpoint == null ? Map.of() : Map.of(SERVER_FIELD, endpoint);
  }
}
