package io.nm4j.server.internal;

import io.nm4j.core.admin.AdminException;
import io.nm4j.core.admin.AdminService;
import io.nm4j.core.admin.Authenticator;
import io.nm4j.core.admin.Caller;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who may call the server's data endpoints and the admin API, and what they may see. Callers are
 * established by the authenticators, tried in order; without any, only loopback callers are served,
 * as admins. An admin sees everything; anyone else sees only their tenants, as the {@link
 * AdminService} defines them (without one, only admins are served).
 */
public final class Access {
  private final List<Authenticator> authenticators;
  private final @Nullable AdminService admin;

  public Access(List<Authenticator> authenticators, @Nullable AdminService admin) {
    this.authenticators = List.copyOf(authenticators);
    this.admin = admin;
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
    Caller caller = establish(x);
    x.caller(caller);
    return caller;
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
