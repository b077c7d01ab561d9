package io.nm4j.server.internal;

import io.nm4j.core.admin.AdminException;
import io.nm4j.core.admin.AdminService;
import io.nm4j.core.admin.Authenticator;
import io.nm4j.core.admin.Caller;
import io.nm4j.core.admin.ProxyHeaderAuthenticator;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who may call the server's data endpoints and the admin API, and what they may see. Callers are
 * established by the authenticators, tried in order; without any, only loopback callers are served,
 * as admins. An admin sees everything; anyone else sees only their tenants, as the {@link
 * AdminService} defines them (without one, only admins are served).
 *
 * <p>Every caller carries where the request came from, for the audit log: the peer address, and
 * when the server trusts a front proxy (a {@link ProxyHeaderAuthenticator} is configured) also the
 * first entry of {@value #FORWARDED_FOR}, marked {@code for=} as what the proxy was told.
 */
public final class Access {
  static final String FORWARDED_FOR = "X-Forwarded-For";

  // Longer than any IPv6 address with a zone and port; a longer claim is cut, not trusted more.
  private static final int MAX_FORWARDED_LENGTH = 64;

  private final List<Authenticator> authenticators;
  private final @Nullable AdminService admin;
  private final boolean behindProxy;

  public Access(List<Authenticator> authenticators, @Nullable AdminService admin) {
    this.authenticators = List.copyOf(authenticators);
    this.admin = admin;
    this.behindProxy = authenticators.stream().anyMatch(a -> a instanceof ProxyHeaderAuthenticator);
  }

  /** Whether any authenticator is configured (else loopback callers only). */
  public boolean authenticated() {
    return !authenticators.isEmpty();
  }

  private String adminGroup() {
    return admin != null ? admin.adminGroup() : AdminService.DEFAULT_ADMIN_GROUP;
  }

  /**
   * The caller of this request, recorded for the access log.
   *
   * @throws HttpError 401 without valid credentials, 403 from beyond loopback when no authenticator
   *     is configured
   */
  public Caller authenticate(Exchange x) {
    Caller caller = establish(x).withRemoteAddress(remote(x));
    x.caller(caller);
    return caller;
  }

  /** {@code 10.1.2.3:51234}, or behind a trusted proxy {@code 10.1.2.3:51234 for=203.0.113.7}. */
  private String remote(Exchange x) {
    String peer = Exchange.addressText(x.remote());
    String forwarded = behindProxy ? x.header(FORWARDED_FOR) : null;
    if (forwarded == null) {
      return peer;
    }
    String first = forwarded.split(",", 2)[0].strip();
    if (first.isEmpty()) {
      return peer;
    }
    if (first.length() > MAX_FORWARDED_LENGTH) {
      first = first.substring(0, MAX_FORWARDED_LENGTH) + "...";
    }
    return peer + " for=" + first;
  }

  private Caller establish(Exchange x) {
    if (authenticators.isEmpty()) {
      if (x.fromLoopback()) {
        return Caller.loopbackAdmin(adminGroup());
      }
      throw HttpError.forbidden("no authenticator configured: serving loopback callers only");
    }
    for (Authenticator a : authenticators) {
      Caller c;
      try {
        c = a.authenticate(x::headers);
      } catch (AdminException e) {
        throw HttpError.unauthorized(e.status().message());
      }
      if (c != null) {
        return c;
      }
    }
    throw HttpError.unauthorized("authentication required");
  }

  public boolean isAdmin(Caller caller) {
    return caller.groups().contains(adminGroup());
  }

  /**
   * The tenants whose data a non-admin caller may see.
   *
   * @throws HttpError 403 when there is no admin service to tell a caller's tenants
   */
  public Set<String> tenantsOf(Caller caller) {
    if (admin == null) {
      throw HttpError.forbidden("only admins are served: this server has no tenant access");
    }
    return admin.tenantsOf(caller);
  }
}
