package io.nm4j.fixturea.internal;

/** A detail of the fixture module {@code io.nm4j.fixturea}. */
public final class Hidden {
  public static int value() {
    return 1;
  }
}
