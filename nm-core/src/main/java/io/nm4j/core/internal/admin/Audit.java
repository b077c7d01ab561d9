package io.nm4j.core.internal.admin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per change through the admin API: who, verb, object, result. It names objects and
 * outcomes only, never a body, so no secret value can reach it.
 */
public final class Audit {
  private static final Logger log = LoggerFactory.getLogger("io.nm4j.audit");

  private Audit() {}

  public static void record(String user, String verb, String object, int code, String result) {
    log.info("audit user={} verb={} object={} code={} result={}", user, verb, object, code, result);
  }
}
