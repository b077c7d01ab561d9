package io.nm4j.spi;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A network destination a spec names: a host name or IP literal, and a port.
 *
 * @param host a host name or IP literal (IPv6 without brackets)
 * @param port 1..65535
 */
public record Endpoint(String host, int port) {

  public Endpoint {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, was " + port);
    }
  }

  /**
   * The destination of an {@code http} or {@code https} URL (port 80 or 443 unless given); {@code
   * null} when it is not such a URL.
   */
  public static @Nullable Endpoint ofUrl(@Nullable URI url) {
    if (url == null || url.getHost() == null || url.getScheme() == null) {
      return null;
    }
    String scheme = url.getScheme().toLowerCase(Locale.ROOT);
    int port = url.getPort();
    if (port == -1) {
      port =
          switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> -1;
          };
    }
    if (port < 1 || port > 65535) {
      return null;
    }
    String host = url.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new Endpoint(host, port);
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
