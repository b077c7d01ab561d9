package io.nm4j.core.admin;

import java.util.Objects;
import java.util.Set;

/**
 * Who calls the admin API, as an {@link Authenticator} established it.
 *
 * @param user the user name; in user tenancy also the caller's tenant
 * @param groups the groups; the admin group grants everything, {@code ns:NAME} grants namespace
 *     {@code NAME} in namespace tenancy
 */
public record Caller(String user, Set<String> groups) {

  /** The group prefix that grants a namespace as a tenant. */
  public static final String NAMESPACE_GROUP_PREFIX = "ns:";

  public Caller {
    Objects.requireNonNull(user, "user");
    groups = Set.copyOf(groups);
  }

  /** The caller the server assumes on loopback when no authenticator is configured. */
  public static Caller loopbackAdmin(String adminGroup) {
    return new Caller("loopback", Set.of(adminGroup));
  }
}
