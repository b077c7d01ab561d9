package io.nm4j.spi;

import java.util.Locale;

/** Whether a receiver gets every alert (global) or its tenant's alerts (tenant). */
public enum Scope {
  GLOBAL,
  TENANT;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
