package io.nm4j.spi;

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
}
