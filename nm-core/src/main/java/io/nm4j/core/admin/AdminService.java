package io.nm4j.core.admin;

import io.nm4j.core.Manifests;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.internal.admin.Audit;
import io.nm4j.core.internal.admin.Quotas;
import io.nm4j.core.internal.admin.Resources;
import io.nm4j.core.internal.admin.Resources.Resource;
import io.nm4j.core.internal.admin.StoreCalls;
import io.nm4j.core.internal.admin.Tenancy;
import io.nm4j.core.internal.admin.TestSends;
import io.nm4j.core.internal.admin.UserDeletions;
import io.nm4j.core.internal.admin.WriteChecks;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigStore;
import io.nm4j.spi.LabelSelector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The admin API without a transport: create, update, get, list and delete receivers, configs,
 * secrets and ConfigMaps (template sets and language packs) in a {@link ConfigStore}; delete a
 * user's objects; send a test notification. Every write is validated by the same code that builds
 * routing snapshots, in the context of what the store holds (one default per kind, secret
 * references that exist and hold their key), and every failure is a {@link Status} (thrown as
 * {@link AdminException}).
 *
 * <p>Tenancy: members of the admin group manage everything. Any other caller acts only for its
 * tenants (user tenancy: its user name; namespace tenancy: the namespaces of its {@code ns:NAME}
 * groups): another tenant's objects and admin-owned ones are invisible to it (404); it can create
 * neither global receivers nor default or admin-owned configs, nor global silences, and manages no
 * routers (the v2beta2 kinds follow the same rules: a tenant's {@code Receiver}, {@code Config} and
 * {@code Silence} carry its tenant label); the service sets and checks the tenant label; its
 * objects may reference only its own secrets and connect only where the tenant egress policy allows
 * (the manager's validation, the same that builds snapshots); it holds at most {@link
 * Builder#tenantMaxObjects} objects and {@link Builder#tenantMaxBytes} bytes. Names are shared by
 * all tenants, as in Kubernetes: a 409 says a name is taken and nothing more. Secret values are
 * returned only to admins, only by {@link #render} of a secret they asked for by name. Every change
 * and test send is one audit line (caller, tenants, remote address, verb, object, code, outcome).
 * Test sends go through the manager's channel runtime, as deliveries do.
 */
public final class AdminService implements AutoCloseable {
  /** The admin group unless configured otherwise. */
  public static final String DEFAULT_ADMIN_GROUP = "nm-admins";

  /** Objects one tenant may hold unless configured otherwise. */
  public static final int DEFAULT_TENANT_MAX_OBJECTS = 500;

  /** Bytes of objects one tenant may hold unless configured otherwise: 4 MiB. */
  public static final long DEFAULT_TENANT_MAX_BYTES = 4L * 1024 * 1024;

  private final ConfigStore store;
  private final Resources resources;
  private final Tenancy tenancy;
  private final WriteChecks checks;
  private final Quotas quotas;
  private final UserDeletions userDeletions;
  private final TestSends testSends;

  private AdminService(Builder b) {
    this.store = Objects.requireNonNull(b.store, "store");
    NotificationManager manager = Objects.requireNonNull(b.manager, "manager");
    this.resources = new Resources(manager.channels());
    this.tenancy = new Tenancy(b.adminGroup, () -> manager.snapshot().settings());
    this.checks = new WriteChecks(store, manager, tenancy);
    this.quotas = new Quotas(store, resources, b.tenantMaxObjects, b.tenantMaxBytes);
    this.userDeletions = new UserDeletions(store, resources, manager.namespace());
    this.testSends =
        new TestSends(
            store,
            manager,
            resources,
            tenancy,
            checks,
            (caller, ref) -> visibleOrNotFound(caller, resource(ref.kind(), true), ref.name()));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The resource names served, e.g. {@code secrets}, {@code emailreceivers}, {@code receivers}. */
  public Set<String> resources() {
    return resources.all().keySet();
  }

  /**
   * The resource names served under an admin API version: {@code v2alpha1} the per-channel kinds,
   * {@code v2beta2} the cluster-scoped {@code receivers}, {@code configs}, {@code routers} and
   * {@code silences}; {@code secrets} and {@code configmaps} under both.
   */
  public Set<String> resources(String adminVersion) {
    Set<String> served = new java.util.LinkedHashSet<>();
    resources.all().values().stream()
        .filter(r -> r.servedUnder(adminVersion))
        .forEach(r -> served.add(r.plural()));
    return served;
  }

  public String adminGroup() {
    return tenancy.adminGroup();
  }

  public boolean isAdmin(Caller caller) {
    return tenancy.isAdmin(caller);
  }

  /** The tenants a caller acts for: its user name, or its {@code ns:} groups in namespace mode. */
  public Set<String> tenantsOf(Caller caller) {
    return tenancy.tenantsOf(caller);
  }

  /** Creates an object of {@code resource}; returns it as stored. */
  public ConfigObject create(Caller caller, String resource, ConfigObject object) {
    return audited(
        caller,
        "create",
        resource + "/" + object.metadata().name(),
        201,
        () -> {
          Resource r = resource(resource, false);
          ConfigObject candidate = checks.prepare(caller, r, object, null, false);
          checks.validateWrite(r, candidate);
          return withinQuota(
              caller,
              candidate,
              false,
              () ->
                  StoreCalls.call(
                      () -> store.create(candidate), r.kind(), candidate.metadata().name()));
        });
  }

  /**
   * Replaces object {@code name}; a non-empty {@code metadata.resourceVersion} must be the stored
   * one (else 409 Conflict).
   */
  public ConfigObject update(Caller caller, String resource, String name, ConfigObject object) {
    return audited(
        caller,
        "update",
        resource + "/" + name,
        200,
        () -> {
          Resource r = resource(resource, false);
          visibleOrNotFound(caller, r, name);
          ConfigObject candidate = checks.prepare(caller, r, object, name, true);
          checks.validateWrite(r, candidate);
          return withinQuota(
              caller,
              candidate,
              true,
              () -> StoreCalls.call(() -> store.update(candidate), r.kind(), name));
        });
  }

  /** The object {@code name}, if the caller may see it (else 404). */
  public ConfigObject get(Caller caller, String resource, String name) {
    return visibleOrNotFound(caller, resource(resource, false), name);
  }

  /** The objects of {@code resource} the caller may see that match {@code selector}. */
  public List<ConfigObject> list(Caller caller, String resource, LabelSelector selector) {
    Resource r = resource(resource, false);
    List<ConfigObject> out = new ArrayList<>();
    for (ConfigObject o : StoreCalls.call(() -> store.list(r.kind(), selector), r.kind(), "")) {
      if (tenancy.visible(caller, r, o)) {
        out.add(o);
      }
    }
    return out;
  }

  /** Deletes object {@code name}; returns it as it was. */
  public ConfigObject delete(Caller caller, String resource, String name) {
    return audited(
        caller,
        "delete",
        resource + "/" + name,
        200,
        () -> {
          Resource r = resource(resource, false);
          visibleOrNotFound(caller, r, name);
          return StoreCalls.call(() -> store.delete(r.kind(), name), r.kind(), name);
        });
  }

  /**
   * Admins only: removes every receiver and config labeled with {@code user} (the tenant key
   * label), then the secrets only they referenced and the user's own secrets no one else
   * references. Nothing of other tenants. Goes on past a failure and reports what remains.
   */
  public UserDeletion deleteUser(Caller caller, String user) {
    return audited(
        caller,
        "delete-user",
        "users/" + user,
        200,
        () -> {
          if (!isAdmin(caller)) {
            throw Status.forbidden("only members of " + adminGroup() + " delete users").exception();
          }
          return userDeletions.delete(user, tenancy.settings().tenantKey());
        });
  }

  /**
   * Sends one test notification now, bypassing queues but not validation or tenancy: to {@code
   * receiver}, with {@code config} or else the config the receiver resolves to.
   */
  public VerifyResult verify(Caller caller, VerifyTarget receiver, @Nullable VerifyTarget config) {
    String what =
        receiver.inline() != null
            ? receiver.inline().ref().toString()
            : Objects.requireNonNull(receiver.stored()).toString();
    return audited(caller, "verify", what, 200, () -> testSends.send(caller, receiver, config));
  }

  /** Sends one test notification as {@link #verify(Caller, VerifyTarget, VerifyTarget)} does. */
  public VerifyResult verify(Caller caller, VerifyRequest request) {
    return verify(caller, request.receiver(), request.config());
  }

  /**
   * An object as a reply body: the manifest tree, with secret {@code data} values left out unless
   * {@code revealSecret} (a {@code GET} of the secret itself) and the caller is an admin.
   */
  public Map<String, @Nullable Object> render(
      Caller caller, ConfigObject object, boolean revealSecret) {
    Map<String, @Nullable Object> tree = Manifests.toMap(object);
    if (object.kind().equals(Resources.SECRET_KIND) && !(revealSecret && isAdmin(caller))) {
      for (String field : List.of("data", "stringData")) {
        if (tree.get(field) instanceof Map<?, ?> data) {
          Map<String, @Nullable Object> keys = new LinkedHashMap<>();
          data.keySet().forEach(k -> keys.put(String.valueOf(k), null));
          tree.put(field, keys);
        }
      }
    }
    return tree;
  }

  /** Nothing to release: test notifications use the manager's channels, which it closes. */
  @Override
  public void close() {}

  /**
   * The resource named by its plural (a request path), or by its kind; 404 when not served.
   *
   * @param byKind whether {@code name} is a kind
   */
  private Resource resource(String name, boolean byKind) {
    Resource r = byKind ? resources.byKind(name) : resources.byPlural(name);
    if (r == null) {
      throw Status.of(404, "NotFound", "no resource \"" + name + "\"; served: " + resources())
          .exception();
    }
    return r;
  }

  private ConfigObject visibleOrNotFound(Caller caller, Resource r, String name) {
    Optional<ConfigObject> found = StoreCalls.call(() -> store.get(r.kind(), name), r.kind(), name);
    if (found.isEmpty() || !tenancy.visible(caller, r, found.get())) {
      throw Status.notFound(r.kind(), name).exception();
    }
    return found.get();
  }

  /** Admins are not limited; a tenant caller's write is made within its tenant's quota. */
  private <T> T withinQuota(
      Caller caller, ConfigObject candidate, boolean replaces, Supplier<T> write) {
    if (isAdmin(caller)) {
      return write.get();
    }
    return quotas.withinQuota(candidate, tenancy.settings().tenantKey(), replaces, write);
  }

  /** Runs {@code action} and writes its audit line, whatever the outcome. */
  private <T> T audited(Caller caller, String verb, String object, int okCode, Supplier<T> action) {
    Collection<String> tenants;
    try {
      tenants = isAdmin(caller) ? List.of("*") : tenantsOf(caller);
    } catch (RuntimeException e) {
      tenants = List.of("?");
    }
    String remote = caller.remoteAddress();
    try {
      T result = action.get();
      Audit.record(caller.user(), tenants, remote, verb, object, okCode, "ok");
      return result;
    } catch (AdminException e) {
      Audit.record(
          caller.user(), tenants, remote, verb, object, e.status().code(), e.status().reason());
      throw e;
    } catch (RuntimeException e) {
      Audit.record(caller.user(), tenants, remote, verb, object, 500, e.getClass().getSimpleName());
      throw e;
    }
  }

  /** Builds an {@link AdminService}. */
  public static final class Builder {
    private @Nullable ConfigStore store;
    private @Nullable NotificationManager manager;
    private String adminGroup = DEFAULT_ADMIN_GROUP;
    private int tenantMaxObjects = DEFAULT_TENANT_MAX_OBJECTS;
    private long tenantMaxBytes = DEFAULT_TENANT_MAX_BYTES;

    private Builder() {}

    /**
     * Most objects (receivers, configs and secrets) one tenant may hold (default {@value
     * #DEFAULT_TENANT_MAX_OBJECTS}); a tenant's create beyond it is refused with 403.
     */
    public Builder tenantMaxObjects(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("tenantMaxObjects must be at least 1, was " + max);
      }
      this.tenantMaxObjects = max;
      return this;
    }

    /**
     * Most bytes of objects, as stored, one tenant may hold (default {@value
     * #DEFAULT_TENANT_MAX_BYTES}); a tenant's create or update beyond it is refused with 403.
     */
    public Builder tenantMaxBytes(long max) {
      if (max < 1) {
        throw new IllegalArgumentException("tenantMaxBytes must be at least 1, was " + max);
      }
      this.tenantMaxBytes = max;
      return this;
    }

    /** Where objects are written; the manager's source, so changes reach its snapshot. */
    public Builder store(ConfigStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The manager whose channels validate and whose settings define tenancy. */
    public Builder manager(NotificationManager manager) {
      this.manager = Objects.requireNonNull(manager, "manager");
      return this;
    }

    /** The group whose members manage everything (default {@value #DEFAULT_ADMIN_GROUP}). */
    public Builder adminGroup(String adminGroup) {
      this.adminGroup = Objects.requireNonNull(adminGroup, "adminGroup");
      return this;
    }

    public AdminService build() {
      return new AdminService(this);
    }
  }
}
