package io.nm4j.core.internal;

import io.nm4j.core.Settings;
import io.nm4j.spi.EgressPolicy;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Who owns an object or a secret: one tenant, or the admin. The one ownership rule of nm4j:
 *
 * <ul>
 *   <li>a receiver or config is a tenant's when it is a tenant object (it matches the tenant
 *       receiver selector, is neither global nor a default config) and carries the tenant-key
 *       label; its value names the tenant. Anything else (global receivers, default and admin-owned
 *       configs) is the admin's;
 *   <li>a secret is the tenant's its tenant-key label names, else the admin's;
 *   <li>an object resolves only secrets of its own owner, and sends under its owner's egress
 *       policy.
 * </ul>
 *
 * Snapshots apply it when they validate references, the channel runtime when it resolves secrets
 * for a send, and the admin API when it checks a write: one implementation for all three.
 *
 * @param tenant the tenant; {@code null} for the admin
 */
public record Owner(@Nullable String tenant) {
  /** The admin: owner of global receivers, default and admin-owned configs, unlabeled secrets. */
  public static final Owner ADMIN = new Owner(null);

  public static Owner tenant(String tenant) {
    return new Owner(tenant);
  }

  /** The owner of what {@code tenant} holds: {@link #ADMIN} when it is {@code null}. */
  public static Owner of(@Nullable String tenant) {
    return tenant == null ? ADMIN : new Owner(tenant);
  }

  public boolean isAdmin() {
    return tenant == null;
  }

  /** The owner of a receiver with these labels. */
  public static Owner ofReceiver(Map<String, String> labels, Settings s) {
    boolean tenantObject =
        s.tenantReceiverSelector().matches(labels) && !s.globalReceiverSelector().matches(labels);
    return ofObject(tenantObject, labels, s);
  }

  /** The owner of a config with these labels. */
  public static Owner ofConfig(Map<String, String> labels, Settings s) {
    boolean tenantObject =
        s.tenantReceiverSelector().matches(labels) && !s.defaultConfigSelector().matches(labels);
    return ofObject(tenantObject, labels, s);
  }

  /**
   * The owner of a receiver or config once the settings' selectors decided whether it is a tenant
   * object (as {@link #ofReceiver} and {@link #ofConfig} decide), for a caller that matched them
   * already.
   */
  public static Owner ofObject(boolean tenantObject, Map<String, String> labels, Settings s) {
    return tenantObject ? labeled(labels, s) : ADMIN;
  }

  /** The owner of a secret with these labels. */
  public static Owner ofSecret(Map<String, String> labels, Settings s) {
    return labeled(labels, s);
  }

  private static Owner labeled(Map<String, String> labels, Settings s) {
    String tenant = labels.get(s.tenantKey());
    return tenant == null || tenant.isEmpty() ? ADMIN : new Owner(tenant);
  }

  /** {@code tenant alice} or {@code the admin}, for messages. */
  public String describe() {
    return tenant == null ? "the admin" : "tenant " + tenant;
  }

  /**
   * The egress policies of the two kinds of owner.
   *
   * @param tenant what tenants' configs may connect to
   * @param admin what the admin's configs may connect to
   */
  public record Egress(EgressPolicy tenant, EgressPolicy admin) {
    /** The defaults: tenants get the built-in denials, the admin is unrestricted. */
    public static final Egress DEFAULTS =
        new Egress(EgressPolicy.tenantDefault(), EgressPolicy.UNRESTRICTED);

    public EgressPolicy of(Owner owner) {
      return owner.isAdmin() ? admin : tenant;
    }
  }
}
