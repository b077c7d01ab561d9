package io.nm4j.core.archfixture;

import io.nm4j.core.internal.OwnedSecrets;

/** Breaks the boundary: an API method hands out an internal type. */
public final class ReturnsInternal {
  public OwnedSecrets secrets() {
    return OwnedSecrets.EMPTY;
  }
}
