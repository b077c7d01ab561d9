package io.nm4j.core.admin;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Trusts the identity a front proxy puts in {@code X-Remote-User} and {@code X-Remote-Group} (one
 * header per group, or comma-separated), as the Kubernetes API server's front-proxy mode does. Use
 * it only behind a proxy that strips these headers from clients: anyone who can reach the server
 * directly can claim any identity.
 */
public final class ProxyHeaderAuthenticator implements Authenticator {
  public static final String USER_HEADER = "X-Remote-User";
  public static final String GROUP_HEADER = "X-Remote-Group";

  @Override
  public @Nullable Caller authenticate(Function<String, List<String>> header) {
    List<String> users = header.apply(USER_HEADER);
    if (users.isEmpty() || users.get(0).isBlank()) {
      return null;
    }
    Set<String> groups = new LinkedHashSet<>();
    for (String value : header.apply(GROUP_HEADER)) {
      for (String g : value.split(",")) {
        if (!g.isBlank()) {
          groups.add(g.strip());
        }
      }
    }
    return new Caller(users.get(0).strip(), groups);
  }
}
