package io.nm4j.core.admin;

import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Establishes who calls the admin API from the request's headers. Authenticators are tried in
 * order; the first that returns a caller wins.
 */
@FunctionalInterface
public interface Authenticator {

  /**
   * The caller, or {@code null} when the request carries nothing this authenticator reads.
   *
   * @param header the values of a request header by name (case-insensitive), empty when absent
   * @throws AdminException with status 401 when the request carries credentials that are wrong
   */
  @Nullable Caller authenticate(Function<String, List<String>> header);
}
