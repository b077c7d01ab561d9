package io.nm4j.core.admin;

import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who calls the admin API, as an {@link Authenticator} established it.
 *
 * @param user the user name; in user tenancy also the caller's tenant
 * @param groups the groups; the admin group grants everything, {@code ns:NAME} grants namespace
 *     {@code NAME} in namespace tenancy
 * @param remoteAddress where the request came from (the peer address, or what a trusted proxy
 *     said), for the audit log; {@code null} when the host does not say
 */
public record Caller(String user, Set<String> groups, @Nullable String remoteAddress) {

  /** The group prefix that grants a namespace as a tenant. */
  public static final String NAMESPACE_GROUP_PREFIX = "ns:";

  public Caller {
    Objects.requireNonNull(user, "user");
    groups = Set.copyOf(groups);
  }

  /** A caller without a remote address. */
  public Caller(String user, Set<String> groups) {
    this(user, groups, null);
  }

  /** This caller as seen from {@code address} (e.g. {@code 10.1.2.3:51234}). */
  public Caller withRemoteAddress(@Nullable String address) {
    return new Caller(user, groups, address);
  }

  /** The caller the server assumes on loopback when no authenticator is configured. */
  public static Caller loopbackAdmin(String adminGroup) {
    return new Caller("loopback", Set.of(adminGroup));
  }
}
