package io.nm4j.core.internal.admin;

import io.nm4j.spi.LogText;
import java.util.Collection;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per change through the admin API (and per test send): who (user, the tenants it acts
 * for, where from), verb, object, code and outcome. It names objects and outcomes only, never a
 * body, so no secret value can reach it. Every field is escaped ({@link LogText}) and quoted when
 * it holds anything but plain characters, so a name such as {@code "x\naudit user=admin"} or {@code
 * "x verb=delete"} cannot forge a line or a field.
 */
public final class Audit {
  private static final Logger log = LoggerFactory.getLogger("io.nm4j.audit");
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:/@,\\[\\]*+-]+");

  private Audit() {}

  /**
   * Logs one change.
   *
   * @param user the caller's user name
   * @param tenants the tenants the caller acts for; {@code ["*"]} for an admin
   * @param remote where the request came from; {@code null} when unknown
   * @param verb e.g. {@code create}
   * @param object e.g. {@code emailreceivers/alice}
   * @param code the HTTP status of the outcome
   * @param outcome {@code ok}, or the status reason
   */
  public static void record(
      String user,
      Collection<String> tenants,
      @Nullable String remote,
      String verb,
      String object,
      int code,
      String outcome) {
    if (!log.isInfoEnabled()) {
      return;
    }
    log.info(
        "audit user={} tenants={} remote={} verb={} object={} code={} outcome={}",
        field(user),
        field(String.join(",", tenants)),
        remote == null ? "-" : field(remote),
        field(verb),
        field(object),
        code,
        field(outcome));
  }

  /** The value as is when plain, else escaped and in double quotes. */
  static String field(String value) {
    if (!value.isEmpty() && PLAIN.matcher(value).matches()) {
      return value;
    }
    return "\"" + LogText.escape(value).replace("\"", "\\\"") + "\"";
  }
}
