package io.nm4j.fixtureb;

import io.nm4j.spi.Secret;

/** Breaks the boundary: a public getter returns a secret's value. */
public final class HandsOutASecret {
  private final Secret token = Secret.of("t");

  public String token() {
    return token.reveal();
  }
}
