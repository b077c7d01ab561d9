package io.nm4j.core.admin;

import io.nm4j.core.Destination;
import io.nm4j.core.Manifests;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.Settings;
import io.nm4j.core.Snapshot;
import io.nm4j.core.internal.Owner;
import io.nm4j.core.internal.admin.Audit;
import io.nm4j.core.internal.admin.Resources;
import io.nm4j.core.internal.admin.Resources.Resource;
import io.nm4j.core.internal.admin.Resources.Role;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.ChannelSpec;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.ConfigSpec;
import io.nm4j.spi.ConfigStore;
import io.nm4j.spi.ConfigStoreException;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectMeta;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.Problem;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SpecReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The admin API without a transport: create, update, get, list and delete receivers, configs and
 * secrets in a {@link ConfigStore}; delete a user's objects; send a test notification. Every write
 * is validated by the same code that builds routing snapshots, in the context of what the store
 * holds (one default per kind, secret references that exist and hold their key), and every failure
 * is a {@link Status} (thrown as {@link AdminException}).
 *
 * <p>Tenancy: members of the admin group manage everything. Any other caller acts only for its
 * tenants (user tenancy: its user name; namespace tenancy: the namespaces of its {@code ns:NAME}
 * groups): another tenant's objects and admin-owned ones are invisible to it (404); it can create
 * neither global receivers nor default or admin-owned configs; the service sets and checks the
 * tenant label; its objects may reference only its own secrets and connect only where the tenant
 * egress policy allows (the manager's validation, the same that builds snapshots); it holds at most
 * {@link Builder#tenantMaxObjects} objects and {@link Builder#tenantMaxBytes} bytes. Names are
 * shared by all tenants, as in Kubernetes: a 409 says a name is taken and nothing more. Secret
 * values are returned only to admins, only by {@link #render} of a secret they asked for by name.
 * Every change and test send is one audit line (caller, tenants, remote address, verb, object,
 * code, outcome). Test sends go through the manager's channel runtime, as deliveries do.
 */
public final class AdminService implements AutoCloseable {
  /** The admin group unless configured otherwise. */
  public static final String DEFAULT_ADMIN_GROUP = "nm-admins";

  /** Objects one tenant may hold unless configured otherwise. */
  public static final int DEFAULT_TENANT_MAX_OBJECTS = 500;

  /** Bytes of objects one tenant may hold unless configured otherwise: 4 MiB. */
  public static final long DEFAULT_TENANT_MAX_BYTES = 4L * 1024 * 1024;

  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(30);

  private final ConfigStore store;
  private final NotificationManager manager;
  private final String adminGroup;
  private final Resources resources;
  private final int tenantMaxObjects;
  private final long tenantMaxBytes;
  private final Map<String, Object> quotaLocks = new ConcurrentHashMap<>();

  private AdminService(Builder b) {
    this.store = Objects.requireNonNull(b.store, "store");
    this.manager = Objects.requireNonNull(b.manager, "manager");
    this.adminGroup = b.adminGroup;
    this.tenantMaxObjects = b.tenantMaxObjects;
    this.tenantMaxBytes = b.tenantMaxBytes;
    this.resources = new Resources(manager.channels());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The resource names served, e.g. {@code secrets}, {@code emailreceivers}. */
  public Set<String> resources() {
    return resources.all().keySet();
  }

  public String adminGroup() {
    return adminGroup;
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

  // ---- verbs ----

  /** Creates an object of {@code resource}; returns it as stored. */
  public ConfigObject create(Caller caller, String resource, ConfigObject object) {
    return audited(
        caller,
        "create",
        resource + "/" + object.metadata().name(),
        201,
        () -> {
          Resource r = resource(resource);
          ConfigObject candidate = prepare(caller, r, object, null, false);
          validate(r, candidate);
          return withinQuota(
              caller,
              candidate,
              false,
              () -> store(() -> store.create(candidate), r.kind(), candidate.metadata().name()));
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
          Resource r = resource(resource);
          visibleOrNotFound(caller, r, name);
          ConfigObject candidate = prepare(caller, r, object, name, true);
          validate(r, candidate);
          return withinQuota(
              caller, candidate, true, () -> store(() -> store.update(candidate), r.kind(), name));
        });
  }

  /** The object {@code name}, if the caller may see it (else 404). */
  public ConfigObject get(Caller caller, String resource, String name) {
    Resource r = resource(resource);
    return visibleOrNotFound(caller, r, name);
  }

  /** The objects of {@code resource} the caller may see that match {@code selector}. */
  public List<ConfigObject> list(Caller caller, String resource, LabelSelector selector) {
    Resource r = resource(resource);
    List<ConfigObject> out = new ArrayList<>();
    for (ConfigObject o : store(() -> store.list(r.kind(), selector), r.kind(), "")) {
      if (visible(caller, r, o)) {
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
          Resource r = resource(resource);
          visibleOrNotFound(caller, r, name);
          return store(() -> store.delete(r.kind(), name), r.kind(), name);
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
            throw Status.forbidden("only members of " + adminGroup + " delete users").exception();
          }
          String key = settings().tenantKey();
          LabelSelector mine = LabelSelector.of(Map.of(key, user));
          List<ConfigObject> receivers = new ArrayList<>();
          List<ConfigObject> configs = new ArrayList<>();
          for (Resource r : resources.all().values()) {
            if (r.role() == Role.RECEIVER) {
              receivers.addAll(store.list(r.kind(), mine));
            } else if (r.role() == Role.CONFIG) {
              configs.addAll(store.list(r.kind(), mine));
            }
          }
          Set<ObjectRef> owned = new LinkedHashSet<>();
          Set<String> theirSecrets = new TreeSet<>();
          for (ConfigObject o : receivers) {
            owned.add(o.ref());
            theirSecrets.addAll(secretNames(o));
          }
          for (ConfigObject o : configs) {
            owned.add(o.ref());
            theirSecrets.addAll(secretNames(o));
          }
          store
              .list(Resources.SECRET_KIND, mine)
              .forEach(s -> theirSecrets.add(s.metadata().name()));
          Set<String> othersUse = new TreeSet<>();
          for (ConfigObject o : store.load().objects()) {
            Resource r = resources.byKind(o.kind());
            if (r != null && r.role() != Role.SECRET && !owned.contains(o.ref())) {
              othersUse.addAll(secretNames(o));
            }
          }
          theirSecrets.removeAll(othersUse);
          List<ObjectRef> order = new ArrayList<>(owned);
          theirSecrets.forEach(s -> order.add(new ObjectRef(Resources.SECRET_KIND, s)));
          List<String> deleted = new ArrayList<>();
          List<UserDeletion.Remaining> remaining = new ArrayList<>();
          for (ObjectRef ref : order) {
            try {
              store.delete(ref.kind(), ref.name());
              deleted.add(ref.toString());
            } catch (ConfigStoreException e) {
              if (e.reason() == ConfigStoreException.Reason.NOT_FOUND) {
                continue; // gone already, or a secret that was only referenced: nothing remains
              }
              remaining.add(new UserDeletion.Remaining(ref.toString(), e.getMessage()));
            } catch (RuntimeException e) {
              remaining.add(new UserDeletion.Remaining(ref.toString(), e.toString()));
            }
          }
          return new UserDeletion(user, deleted, remaining);
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
    return audited(caller, "verify", what, 200, () -> doVerify(caller, receiver, config));
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

  // ---- steps ----

  private Settings settings() {
    return manager.snapshot().settings();
  }

  private String namespace() {
    return manager.namespace();
  }

  private Resource resource(String plural) {
    Resource r = resources.byPlural(plural);
    if (r == null) {
      throw Status.of(404, "NotFound", "no resource \"" + plural + "\"; served: " + resources())
          .exception();
    }
    return r;
  }

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

  /**
   * Writes a tenant caller's object only within its tenant's quota: at most {@link
   * Builder#tenantMaxObjects} objects (receivers, configs and secrets with its tenant label) and
   * {@link Builder#tenantMaxBytes} bytes of them as stored. Writes of one tenant are checked and
   * made one at a time, so parallel requests cannot pass the limit together. Admins are not
   * limited.
   */
  private <T> T withinQuota(
      Caller caller, ConfigObject candidate, boolean replaces, Supplier<T> write) {
    if (isAdmin(caller)) {
      return write.get();
    }
    String key = settings().tenantKey();
    String tenant = Objects.requireNonNull(candidate.metadata().labels().get(key));
    synchronized (quotaLocks.computeIfAbsent(tenant, t -> new Object())) {
      long objects = 0;
      long bytes = sizeOf(candidate);
      for (ConfigObject o : store(store::load, candidate.kind(), "").objects()) {
        if (tenant.equals(o.metadata().labels().get(key)) && resources.byKind(o.kind()) != null) {
          if (!o.ref().equals(candidate.ref())) {
            objects++;
            bytes += sizeOf(o);
          }
        }
      }
      String who = key + " \"" + tenant + "\"";
      if (!replaces && objects + 1 > tenantMaxObjects) {
        throw new Status(
                403,
                "Forbidden",
                "exceeded quota: "
                    + who
                    + " holds "
                    + objects
                    + " objects, the limit is "
                    + tenantMaxObjects
                    + "; delete one before creating another",
                candidate.kind(),
                candidate.metadata().name(),
                List.of())
            .exception();
      }
      if (bytes > tenantMaxBytes) {
        throw new Status(
                403,
                "Forbidden",
                "exceeded quota: "
                    + who
                    + " would hold "
                    + bytes
                    + " bytes of objects, the limit is "
                    + tenantMaxBytes
                    + " bytes",
                candidate.kind(),
                candidate.metadata().name(),
                List.of())
            .exception();
      }
      return write.get();
    }
  }

  /** The size of an object as a store keeps it (its manifest). */
  private static long sizeOf(ConfigObject o) {
    return Manifests.toYaml(o).getBytes(StandardCharsets.UTF_8).length;
  }

  private static <T> T store(Supplier<T> op, String kind, String name) {
    try {
      return op.get();
    } catch (ConfigStoreException e) {
      Status s =
          switch (e.reason()) {
            case NOT_FOUND -> Status.notFound(kind, name);
            case ALREADY_EXISTS ->
                // Names are shared by all tenants, as in Kubernetes: the reply says the name is
                // taken, and nothing of the object that holds it.
                new Status(
                    409,
                    "AlreadyExists",
                    kind
                        + " \""
                        + name
                        + "\" already exists (names are shared by all tenants; choose another)",
                    kind,
                    name,
                    List.of());
            case CONFLICT -> new Status(409, "Conflict", e.getMessage(), kind, name, List.of());
            case INVALID -> new Status(422, "Invalid", e.getMessage(), kind, name, List.of());
            case UNAVAILABLE ->
                new Status(503, "ServiceUnavailable", e.getMessage(), kind, name, List.of());
          };
      throw s.exception();
    }
  }

  private ConfigObject visibleOrNotFound(Caller caller, Resource r, String name) {
    Optional<ConfigObject> found = store(() -> store.get(r.kind(), name), r.kind(), name);
    if (found.isEmpty() || !visible(caller, r, found.get())) {
      throw Status.notFound(r.kind(), name).exception();
    }
    return found.get();
  }

  private boolean visible(Caller caller, Resource r, ConfigObject o) {
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
      case SECRET -> true;
      case RECEIVER ->
          s.tenantReceiverSelector().matches(labels) && !s.globalReceiverSelector().matches(labels);
      case CONFIG ->
          s.tenantReceiverSelector().matches(labels) && !s.defaultConfigSelector().matches(labels);
    };
  }

  /** Checks kind, namespace and name; fills the namespace; sets a tenant caller's labels. */
  private ConfigObject prepare(
      Caller caller, Resource r, ConfigObject o, @Nullable String pathName, boolean keepVersion) {
    if (!o.kind().equals(r.kind())) {
      throw Status.badRequest(
              "kind must be " + r.kind() + " for resource " + r.plural() + ", was " + o.kind())
          .exception();
    }
    if (!o.apiVersion().equals(r.apiVersion())) {
      throw Status.badRequest(
              "apiVersion must be "
                  + r.apiVersion()
                  + " for "
                  + r.kind()
                  + ", was "
                  + o.apiVersion())
          .exception();
    }
    ObjectMeta m = o.metadata();
    if (!m.namespace().isEmpty() && !m.namespace().equals(namespace())) {
      throw Status.badRequest(
              "metadata.namespace must be \""
                  + namespace()
                  + "\" (the namespace nm4j serves) or absent, was \""
                  + m.namespace()
                  + "\"")
          .exception();
    }
    if (pathName != null && !pathName.equals(m.name())) {
      throw Status.badRequest(
              "metadata.name \""
                  + m.name()
                  + "\" does not match the name in the path \""
                  + pathName
                  + "\"")
          .exception();
    }
    if (m.name().length() > 253 || !DNS1123_SUBDOMAIN.matcher(m.name()).matches()) {
      throw invalid(
          r.kind(),
          m.name(),
          List.of(
              new Status.Cause(
                  "metadata.name",
                  "must be a lowercase DNS-1123 subdomain (a-z, 0-9, '-', '.', at most 253"
                      + " characters, starting and ending alphanumeric), was \""
                      + m.name()
                      + "\"")));
    }
    Map<String, String> labels = new LinkedHashMap<>(m.labels());
    if (!isAdmin(caller)) {
      setTenant(caller, r, m.name(), labels);
    }
    Map<String, Object> body = new LinkedHashMap<>(o.body());
    if (r.role() == Role.SECRET) {
      mergeStringData(body);
    }
    ObjectMeta meta =
        new ObjectMeta(
            m.name(), namespace(), labels, "", keepVersion ? m.resourceVersion() : "", null);
    return new ConfigObject(o.apiVersion(), o.kind(), meta, body, "admin API");
  }

  private void setTenant(Caller caller, Resource r, String name, Map<String, String> labels) {
    Settings s = settings();
    String key = s.tenantKey();
    Set<String> tenants = tenantsOf(caller);
    if (tenants.isEmpty()) {
      throw Status.forbidden("user \"" + caller.user() + "\" acts for no tenant").exception();
    }
    String tenant = labels.get(key);
    if (tenant == null) {
      if (tenants.size() != 1) {
        throw invalid(
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
    if (r.role() == Role.CONFIG && s.defaultConfigSelector().matches(labels)) {
      throw Status.forbidden("only members of " + adminGroup + " create default configs")
          .exception();
    }
    labels.put(key, tenant);
    if (r.role() != Role.SECRET) {
      labels.putAll(s.tenantReceiverSelector().matchLabels());
      if (!s.tenantReceiverSelector().matches(labels)
          || (r.role() == Role.CONFIG && s.defaultConfigSelector().matches(labels))
          || (r.role() == Role.RECEIVER && s.globalReceiverSelector().matches(labels))) {
        throw Status.forbidden(
                "only members of "
                    + adminGroup
                    + " create admin-owned objects; a tenant's must match "
                    + s.tenantReceiverSelector())
            .exception();
      }
    }
  }

  /** As the Kubernetes API server does: {@code stringData} is written into {@code data}. */
  private static void mergeStringData(Map<String, Object> body) {
    if (!(body.get("stringData") instanceof Map<?, ?> plain)) {
      return;
    }
    Map<String, Object> data = new LinkedHashMap<>();
    if (body.get("data") instanceof Map<?, ?> existing) {
      existing.forEach((k, v) -> data.put(String.valueOf(k), v));
    } else if (body.get("data") != null) {
      return; // malformed: validation reports it
    }
    for (Map.Entry<?, ?> e : plain.entrySet()) {
      if (!(e.getValue() instanceof String text)) {
        return; // malformed: validation reports it
      }
      data.put(
          String.valueOf(e.getKey()),
          Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
    }
    body.remove("stringData");
    body.put("data", data);
  }

  /**
   * Every rule of the snapshot (secret references under the ownership rule, the owner's egress
   * policy), and one default per kind.
   */
  private void validate(Resource r, ConfigObject candidate) {
    ConfigSet context = store(store::load, r.kind(), candidate.metadata().name());
    List<Status.Cause> causes = new ArrayList<>();
    for (Problem p : manager.validate(candidate, context)) {
      causes.add(new Status.Cause(p.field(), p.message()));
    }
    if (!causes.isEmpty()) {
      throw invalid(r.kind(), candidate.metadata().name(), causes);
    }
    Settings s = settings();
    Map<String, String> labels = candidate.metadata().labels();
    if (r.role() == Role.CONFIG && s.defaultConfigSelector().matches(labels)) {
      for (ConfigObject other : store.list(r.kind(), s.defaultConfigSelector())) {
        if (!other.metadata().name().equals(candidate.metadata().name())) {
          throw new Status(
                  409,
                  "Conflict",
                  r.kind()
                      + "/"
                      + other.metadata().name()
                      + " is the default "
                      + r.kind()
                      + " already; there is one default per kind",
                  r.kind(),
                  candidate.metadata().name(),
                  List.of(
                      new Status.Cause(
                          "metadata.labels",
                          "a second default " + r.kind() + " (" + s.defaultConfigSelector() + ")")))
              .exception();
        }
      }
    }
  }

  private static AdminException invalid(String kind, String name, List<Status.Cause> causes) {
    StringBuilder msg = new StringBuilder(kind + " \"" + name + "\" is invalid: ");
    for (int i = 0; i < causes.size(); i++) {
      msg.append(i == 0 ? "" : "; ").append(causes.get(i).field()).append(": ");
      msg.append(causes.get(i).message());
    }
    return new Status(422, "Invalid", msg.toString(), kind, name, causes).exception();
  }

  private Map<String, SecretKeySelector> secretRefs(ConfigObject o) {
    ChannelSpec spec = parse(o);
    return spec == null ? Map.of() : spec.secretRefs();
  }

  private Set<String> secretNames(ConfigObject o) {
    Set<String> names = new TreeSet<>();
    secretRefs(o).values().forEach(s -> names.add(s.name()));
    return names;
  }

  /** The typed spec of a receiver or config, or {@code null} when it is not valid. */
  private @Nullable ChannelSpec parse(ConfigObject o) {
    Resource r = resources.byKind(o.kind());
    if (r == null
        || r.provider() == null
        || !(o.body().get("spec") instanceof Map<?, ?>) && o.body().get("spec") != null) {
      return null;
    }
    SpecReader reader = SpecReader.of(o.spec(), namespace());
    try {
      Parsed<? extends ChannelSpec> parsed =
          r.role() == Role.RECEIVER
              ? r.provider().parseReceiver(reader)
              : r.provider().parseConfig(reader);
      return parsed.isValid() ? parsed.value() : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private ConfigObject resolveTarget(Caller caller, VerifyTarget target, Role role) {
    ConfigObject inline = target.inline();
    if (inline != null) {
      Resource r = resources.byKind(inline.kind());
      if (r == null || r.role() != role) {
        throw Status.badRequest(
                inline.kind()
                    + " is not a "
                    + role.name().toLowerCase(java.util.Locale.ROOT)
                    + " kind")
            .exception();
      }
      ConfigObject candidate = prepare(caller, r, inline, null, false);
      List<Status.Cause> causes = new ArrayList<>();
      for (Problem p : manager.validate(candidate, store.load())) {
        causes.add(new Status.Cause(p.field(), p.message()));
      }
      if (!causes.isEmpty()) {
        throw invalid(r.kind(), candidate.metadata().name(), causes);
      }
      return candidate;
    }
    ObjectRef ref = Objects.requireNonNull(target.stored());
    Resource r = resources.byKind(ref.kind());
    if (r == null || r.role() != role) {
      throw Status.badRequest(
              ref.kind() + " is not a " + role.name().toLowerCase(java.util.Locale.ROOT) + " kind")
          .exception();
    }
    return visibleOrNotFound(caller, r, ref.name());
  }

  private VerifyResult doVerify(
      Caller caller, VerifyTarget receiverTarget, @Nullable VerifyTarget configTarget) {
    ConfigObject receiver = resolveTarget(caller, receiverTarget, Role.RECEIVER);
    ConfigObject config =
        configTarget == null ? null : resolveTarget(caller, configTarget, Role.CONFIG);
    Resource rr = Objects.requireNonNull(resources.byKind(receiver.kind()));
    ChannelProvider<?, ?> provider = Objects.requireNonNull(rr.provider());
    if (config != null && !config.kind().equals(provider.configKind())) {
      throw Status.badRequest(
              receiver.kind() + " uses " + provider.configKind() + ", not " + config.kind())
          .exception();
    }
    if (config != null && !isAdmin(caller)) {
      // A tenant may test only with its own config (tenancy also hides the others from it).
      setTenant(
          caller,
          Objects.requireNonNull(resources.byKind(config.kind())),
          "",
          new HashMap<>(config.metadata().labels()));
    }
    Map<ObjectRef, ConfigObject> objects = new LinkedHashMap<>();
    store.load().objects().forEach(o -> objects.put(o.ref(), o));
    objects.put(receiver.ref(), receiver);
    if (config != null) {
      objects.put(config.ref(), config);
    }
    Snapshot snapshot = manager.snapshotOf(ConfigSet.of(new ArrayList<>(objects.values())));
    Destination d = null;
    for (Destination candidate : snapshot.destinations()) {
      if (candidate.receiver().equals(receiver.ref())) {
        d = candidate;
      }
    }
    if (d == null) {
      List<Status.Cause> causes = new ArrayList<>();
      for (Problem p : snapshot.problems()) {
        if (p.object().equals(receiver.ref().toString())) {
          causes.add(new Status.Cause(p.field(), p.message()));
        }
      }
      if (causes.isEmpty()) {
        causes.add(new Status.Cause("metadata", "the receiver does not route"));
      }
      throw invalid(receiver.kind(), receiver.metadata().name(), causes);
    }
    if (config != null) {
      // The config asked for, in place of the one the receiver resolves to; its owner decides
      // which secrets it may use and where it may connect.
      ConfigSpec spec = (ConfigSpec) parse(config);
      if (spec == null) {
        throw invalid(
            config.kind(),
            config.metadata().name(),
            List.of(new Status.Cause("spec", "is not valid")));
      }
      d =
          new Destination(
              d.index(),
              d.receiver(),
              d.scope(),
              d.tenant(),
              d.provider(),
              d.receiverSpec(),
              config.ref(),
              spec,
              null,
              Owner.ofConfig(config.metadata().labels(), snapshot.settings()).tenant());
    }
    String receiverName = receiver.ref().toString();
    String configName = d.config() == null ? null : d.config().toString();
    Alert alert =
        Alert.firing(
            Map.of(
                "alertname", "nm4jTestNotification",
                "severity", "info",
                "receiver", receiver.metadata().name()));
    Notification n =
        new Notification(
            "verify-" + UUID.randomUUID(),
            receiver.ref(),
            d.scope(),
            d.tenant(),
            d.config(),
            List.of(alert),
            AlertBatch.of(List.of(alert)));
    SendResult result = manager.sendNow(d, n, snapshot, VERIFY_TIMEOUT);
    if (result instanceof SendResult.Delivered delivered) {
      return new VerifyResult(true, receiverName, configName, null, delivered.detail());
    }
    SendResult.Failed failed = (SendResult.Failed) result;
    return new VerifyResult(
        false, receiverName, configName, failed.reason().name(), failed.detail());
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
