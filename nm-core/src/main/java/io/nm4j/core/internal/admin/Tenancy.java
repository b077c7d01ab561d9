package io.nm4j.core.internal.admin;

import io.nm4j.core.Settings;
import io.nm4j.core.admin.Caller;
import io.nm4j.core.admin.Status;
import io.nm4j.core.internal.admin.Resources.Resource;
import io.nm4j.core.internal.admin.Resources.Role;
import io.nm4j.spi.ConfigObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Who a caller of the admin API acts for, and what that lets it see and write: members of the admin
 * group everything; any other caller only its tenants' objects, and neither global receivers nor
 * default or admin-owned configs, global silences nor routers.
 */
public final class Tenancy {
  private final String adminGroup;
  private final Supplier<Settings> settings;

  /**
   * @param adminGroup the group whose members manage everything
   * @param settings the current settings (tenant key and selectors)
   */
  public Tenancy(String adminGroup, Supplier<Settings> settings) {
    this.adminGroup = adminGroup;
    this.settings = settings;
  }

  public String adminGroup() {
    return adminGroup;
  }

  public Settings settings() {
    return settings.get();
  }

  public boolean isAdmin(Caller caller) {
    return caller.groups().contains(adminGroup);
  }

  /** The tenants a caller acts for: its user name, or its {@code ns:} groups in namespace mode. */
  public Set<String> tenantsOf(Caller caller) {
    if (Settings.TENANT_KEY_NAMESPACE.equals(settings().tenantKey())) {
      Set<String> out = new TreeSet<>();
      for (String g : caller.groups()) {
        if (g.startsWith(Caller.NAMESPACE_GROUP_PREFIX)
            && g.length() > Caller.NAMESPACE_GROUP_PREFIX.length()) {
          out.add(g.substring(Caller.NAMESPACE_GROUP_PREFIX.length()));
        }
      }
      return out;
    }
    return Set.of(caller.user());
  }

  /** Whether the caller may see {@code o}, an object of resource {@code r}. */
  public boolean visible(Caller caller, Resource r, ConfigObject o) {
    if (isAdmin(caller)) {
      return true;
    }
    Settings s = settings();
    Map<String, String> labels = o.metadata().labels();
    String tenant = labels.get(s.tenantKey());
    if (tenant == null || !tenantsOf(caller).contains(tenant)) {
      return false;
    }
    return switch (r.role()) {
      case SECRET, CONFIG_MAP -> true;
      case RECEIVER, SILENCE ->
          s.tenantReceiverSelector().matches(labels) && !s.globalReceiverSelector().matches(labels);
      case ROUTER -> false;
      case CONFIG ->
          s.tenantReceiverSelector().matches(labels) && !s.defaultConfigSelector().matches(labels);
    };
  }

  /**
   * Makes {@code labels} (of an object a tenant caller writes) name one of its tenants and match
   * the tenant selector; refuses a tenant it does not act for, a global receiver and a default or
   * admin-owned config.
   *
   * @param name the object's name, for the status
   */
  public void setTenant(Caller caller, Resource r, String name, Map<String, String> labels) {
    Settings s = settings();
    String key = s.tenantKey();
    if (r.role() == Role.ROUTER) {
      throw Status.forbidden("only members of " + adminGroup + " manage routers").exception();
    }
    Set<String> tenants = tenantsOf(caller);
    if (tenants.isEmpty()) {
      throw Status.forbidden("user \"" + caller.user() + "\" acts for no tenant").exception();
    }
    String tenant = labels.get(key);
    if (tenant == null) {
      if (tenants.size() != 1) {
        throw StoreCalls.invalid(
            r.kind(),
            name,
            List.of(
                new Status.Cause(
                    "metadata.labels." + key, "is required: one of your tenants " + tenants)));
      }
      tenant = tenants.iterator().next();
    } else if (!tenants.contains(tenant)) {
      throw Status.forbidden(
              "user \"" + caller.user() + "\" may not act for " + key + " \"" + tenant + "\"")
          .exception();
    }
    if (r.role() == Role.RECEIVER && s.globalReceiverSelector().matches(labels)) {
      throw Status.forbidden("only members of " + adminGroup + " create global receivers")
          .exception();
    }
    if (r.role() == Role.SILENCE && s.globalReceiverSelector().matches(labels)) {
      throw Status.forbidden("only members of " + adminGroup + " create global silences")
          .exception();
    }
    if (r.role() == Role.CONFIG && s.defaultConfigSelector().matches(labels)) {
      throw Status.forbidden("only members of " + adminGroup + " create default configs")
          .exception();
    }
    labels.put(key, tenant);
    if (!r.isCoreKind()) {
      labels.putAll(s.tenantReceiverSelector().matchLabels());
      if (!s.tenantReceiverSelector().matches(labels)
          || (r.role() == Role.CONFIG && s.defaultConfigSelector().matches(labels))
          || ((r.role() == Role.RECEIVER || r.role() == Role.SILENCE)
              && s.globalReceiverSelector().matches(labels))) {
        throw Status.forbidden(
                "only members of "
                    + adminGroup
                    + " create admin-owned objects; a tenant's must match "
                    + s.tenantReceiverSelector())
            .exception();
      }
    }
  }
}
