package io.nm4j.fixtureb;

import io.nm4j.fixturea.internal.Hidden;

/** Breaks the boundary: module {@code io.nm4j.fixtureb} uses {@code io.nm4j.fixturea.internal}. */
public final class UsesAnotherModulesInternals {
  public int value() {
    return Hidden.value();
  }
}
