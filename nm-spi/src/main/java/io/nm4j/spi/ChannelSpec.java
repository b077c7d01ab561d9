package io.nm4j.spi;

import java.util.List;
import java.util.Map;

/** What receiver and config specs of every channel have in common. */
public interface ChannelSpec {

  /**
   * The secret references of this spec by field path (e.g. {@code spec.authPassword}), so the core
   * can check that they exist and resolve them when a notification is sent.
   */
  default Map<String, SecretKeySelector> secretRefs() {
    return Map.of();
  }

  /**
   * The network destinations this spec names, by field path (e.g. {@code spec.url}), so the core
   * can check them against the owner's {@link EgressPolicy} when the object is validated. Only
   * destinations written in the spec itself; one held in a secret (a webhook URL with a token) is
   * checked when the channel connects.
   */
  default Map<String, Endpoint> endpoints() {
    return Map.of();
  }

  /**
   * What the core tells whoever wrote a valid spec without refusing it, each with its field path
   * ({@code spec.tls.rootCA}: not used, since the spec skips verifying the server); reported as
   * notices of the object. By default none.
   */
  default List<FieldError> notices() {
    return List.of();
  }
}
