package io.nm4j.core;

import io.nm4j.core.internal.OwnedSecrets;
import io.nm4j.core.internal.Owner;
import io.nm4j.core.internal.UnknownFields;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.ChannelSpec;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.ConfigSpec;
import io.nm4j.spi.EgressPolicy;
import io.nm4j.spi.Endpoint;
import io.nm4j.spi.FieldError;
import io.nm4j.spi.KindDescription;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.Problem;
import io.nm4j.spi.ReceiverSpec;
import io.nm4j.spi.Schema;
import io.nm4j.spi.Scope;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SpecReader;
import io.nm4j.spi.TenantResolver;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Validates a {@link ConfigSet} and precomputes the routing tables of a {@link Snapshot}. */
final class SnapshotBuilder {
  static final String SETTINGS_KIND = Settings.KIND;
  static final String SECRET_KIND = "Secret";
  static final String ROLE_BINDING_KIND = "RoleBinding";
  static final String RBAC_API_VERSION = "rbac.authorization.k8s.io/v1";
  private static final Set<String> DEPLOYMENT_FIELDS =
      Set.of(
          "replicas",
          "image",
          "imagePullPolicy",
          "resources",
          "nodeSelector",
          "affinity",
          "tolerations",
          "serviceAccountName",
          "portName",
          "volumes",
          "volumeMounts",
          "args");

  private final ChannelRegistry channels;
  private final String namespace;
  private final Owner.Egress egress;
  private final List<Problem> problems = new ArrayList<>();
  private Set<ObjectRef> seen = new HashSet<>();
  // Problems that depend on how the whole set routes (which default wins, ambiguous selectors, a
  // receiver without config), not on whether one object is valid: validate() leaves them out.
  private final Set<Problem> routingProblems =
      java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

  private SnapshotBuilder(ChannelRegistry channels, String namespace, Owner.Egress egress) {
    this.channels = channels;
    this.namespace = namespace;
    this.egress = egress;
  }

  /** A parsed receiver or config with its labels. */
  private record Parsed2<T extends ChannelSpec>(
      ConfigObject object, ChannelProvider<?, ?> provider, T spec, ObjectRef ref) {
    Parsed2(ConfigObject object, ChannelProvider<?, ?> provider, T spec) {
      this(object, provider, spec, object.ref());
    }

    Map<String, String> labels() {
      return object.metadata().labels();
    }
  }

  /** A config with its owner: the default, a tenant, or the admin. */
  private record OwnedConfig(Parsed2<ConfigSpec> config, @Nullable String tenant) {}

  /** A secret's data before the settings tell who owns it. */
  private record SecretData(ConfigObject object, Map<String, byte[]> data) {}

  static Snapshot build(
      ConfigSet set,
      ChannelRegistry channels,
      String namespace,
      @Nullable TenantResolver hostResolver,
      Instant now,
      Owner.Egress egress) {
    return new SnapshotBuilder(channels, namespace, egress).run(set, hostResolver, now);
  }

  /**
   * The errors of one object in the context of a set: the set with {@code candidate} in place of
   * the object of its kind and name (or added), validated exactly as a snapshot validates it.
   * Problems of routing (which default wins, ambiguous selectors, a receiver without config) are
   * not errors of the object and are left out.
   */
  static List<Problem> validate(
      ConfigObject candidate,
      ConfigSet context,
      ChannelRegistry channels,
      String namespace,
      Instant now,
      Owner.Egress egress) {
    List<ConfigObject> objects = new ArrayList<>();
    for (ConfigObject o : context.objects()) {
      if (!o.ref().equals(candidate.ref())) {
        objects.add(o);
      }
    }
    objects.add(candidate);
    SnapshotBuilder b = new SnapshotBuilder(channels, namespace, egress);
    b.run(ConfigSet.of(objects), null, now);
    String name = candidate.ref().toString();
    List<Problem> out = new ArrayList<>();
    for (Problem p : b.problems) {
      if (p.object().equals(name)
          && p.severity() == Problem.Severity.ERROR
          && !b.routingProblems.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }

  private void routingError(ObjectRef ref, String field, String message) {
    Problem p = Problem.error(ref, field, message);
    problems.add(p);
    routingProblems.add(p);
  }

  private Snapshot run(ConfigSet set, @Nullable TenantResolver hostResolver, Instant now) {
    problems.addAll(set.problems());
    seen = new HashSet<>(set.objects().size() * 2);
    List<ConfigObject> settingsObjects = new ArrayList<>();
    List<ConfigObject> roleBindings = new ArrayList<>();
    List<SecretData> secretData = new ArrayList<>();
    List<Parsed2<ReceiverSpec>> receivers = new ArrayList<>();
    List<Parsed2<ConfigSpec>> configs = new ArrayList<>();

    for (ConfigObject o : set.objects()) {
      String kind = o.kind();
      if (kind.equals(ROLE_BINDING_KIND) && o.apiVersion().equals(RBAC_API_VERSION)) {
        roleBindings.add(o);
        continue;
      }
      if (!seen.add(o.ref())) {
        error(
            o.ref(),
            "metadata.name",
            "defined twice (again in " + o.origin() + "); the first is used");
        continue;
      }
      if (!inNamespace(o)) {
        continue;
      }
      if (kind.equals(SECRET_KIND) && o.apiVersion().equals("v1")) {
        secretData.add(new SecretData(o, readSecret(o)));
      } else if (kind.equals(SETTINGS_KIND)) {
        if (checkApiVersion(o)) {
          settingsObjects.add(o);
        }
      } else if (channels.forReceiverKind(kind) != null) {
        if (checkApiVersion(o)) {
          parseReceiver(o, channels.forReceiverKind(kind)).ifValid(receivers::add);
        }
      } else if (channels.forConfigKind(kind) != null) {
        if (checkApiVersion(o)) {
          parseConfig(o, channels.forConfigKind(kind)).ifValid(configs::add);
        }
      } else {
        error(
            o.ref(),
            "kind",
            "unknown kind \""
                + kind
                + "\" ("
                + o.apiVersion()
                + "); known kinds: "
                + String.join(", ", knownKinds()));
      }
    }

    Settings settings = readSettings(settingsObjects);
    OwnedSecrets.Builder owned = OwnedSecrets.builder();
    for (SecretData d : secretData) {
      owned.add(
          d.object().metadata().name(),
          Owner.ofSecret(d.object().metadata().labels(), settings),
          d.data());
    }
    OwnedSecrets secrets = owned.build();
    TenantIndex index = classify(settings, receivers, configs, secrets, hostResolver, roleBindings);
    return new Snapshot(
        settings,
        index.destinations,
        index.globals,
        index.byNamespace,
        index.resolveUnknown,
        secrets,
        problems,
        set,
        now);
  }

  private List<String> knownKinds() {
    List<String> kinds = new ArrayList<>(channels.kinds());
    kinds.add(SETTINGS_KIND);
    kinds.add("v1/" + SECRET_KIND);
    kinds.add(RBAC_API_VERSION + "/" + ROLE_BINDING_KIND);
    return kinds;
  }

  private boolean inNamespace(ConfigObject o) {
    String ns = o.metadata().namespace();
    if (ns.isEmpty() || ns.equals(namespace)) {
      return true;
    }
    error(
        o.ref(),
        "metadata.namespace",
        "must be \"" + namespace + "\" (the namespace nm4j reads), was \"" + ns + "\"");
    return false;
  }

  private boolean checkApiVersion(ConfigObject o) {
    if (o.apiVersion().equals(ConfigObject.API_VERSION)) {
      return true;
    }
    error(
        o.ref(),
        "apiVersion",
        "must be " + ConfigObject.API_VERSION + ", was \"" + o.apiVersion() + "\"");
    return false;
  }

  private void error(ObjectRef ref, String field, String message) {
    problems.add(Problem.error(ref, field, message));
  }

  private void notice(ObjectRef ref, String field, String message) {
    problems.add(Problem.notice(ref, field, message));
  }

  /** The outcome of parsing one object: its value, or nothing after its problems were recorded. */
  private record Outcome<T>(@Nullable T value) {
    void ifValid(java.util.function.Consumer<T> sink) {
      if (value != null) {
        sink.accept(value);
      }
    }
  }

  private @Nullable Map<String, Object> specOf(ConfigObject o) {
    Object spec = o.body().get("spec");
    if (spec == null) {
      return Map.of();
    }
    if (spec instanceof Map<?, ?>) {
      return o.spec();
    }
    error(o.ref(), "spec", "must be an object");
    return null;
  }

  private Outcome<Parsed2<ReceiverSpec>> parseReceiver(
      ConfigObject o, ChannelProvider<?, ?> provider) {
    Map<String, Object> spec = specOf(o);
    if (spec == null) {
      return new Outcome<>(null);
    }
    List<FieldError> unknown = unknownFields(o.kind(), spec);
    Parsed<? extends ReceiverSpec> parsed;
    try {
      parsed = provider.parseReceiver(SpecReader.of(spec, namespace));
    } catch (RuntimeException e) {
      error(o.ref(), "spec", "channel " + provider.name() + " failed to parse it: " + e);
      return new Outcome<>(null);
    }
    if (!report(o.ref(), withUnknown(unknown, parsed.errors()))) {
      return new Outcome<>(null);
    }
    return new Outcome<>(new Parsed2<>(o, provider, parsed.value()));
  }

  private Outcome<Parsed2<ConfigSpec>> parseConfig(ConfigObject o, ChannelProvider<?, ?> provider) {
    Map<String, Object> spec = specOf(o);
    if (spec == null) {
      return new Outcome<>(null);
    }
    List<FieldError> unknown = unknownFields(o.kind(), spec);
    Parsed<? extends ConfigSpec> parsed;
    try {
      parsed = provider.parseConfig(SpecReader.of(spec, namespace));
    } catch (RuntimeException e) {
      error(o.ref(), "spec", "channel " + provider.name() + " failed to parse it: " + e);
      return new Outcome<>(null);
    }
    if (!report(o.ref(), withUnknown(unknown, parsed.errors()))) {
      return new Outcome<>(null);
    }
    return new Outcome<>(new Parsed2<>(o, provider, parsed.value()));
  }

  /** The fields of a spec its kind's description does not know; none for an undescribed kind. */
  private List<FieldError> unknownFields(String kind, Map<String, Object> spec) {
    KindDescription description = channels.description(kind);
    Schema schema = description == null ? null : description.spec();
    return schema == null ? List.of() : UnknownFields.of(schema, spec, "spec");
  }

  /**
   * Unknown fields first, then the provider's errors except those about an unknown field or what is
   * below it (a provider may name an unknown field in its own words).
   */
  private static List<FieldError> withUnknown(List<FieldError> unknown, List<FieldError> parsed) {
    if (unknown.isEmpty()) {
      return parsed;
    }
    List<FieldError> all = new ArrayList<>(unknown);
    for (FieldError e : parsed) {
      boolean covered = false;
      for (FieldError u : unknown) {
        String f = e.field();
        covered |=
            f.equals(u.field()) || f.startsWith(u.field() + ".") || f.startsWith(u.field() + "[");
      }
      if (!covered) {
        all.add(e);
      }
    }
    return all;
  }

  private boolean report(ObjectRef ref, List<FieldError> errors) {
    for (FieldError e : errors) {
      error(ref, e.field(), e.message());
    }
    return errors.isEmpty();
  }

  private Map<String, byte[]> readSecret(ConfigObject o) {
    Map<String, byte[]> values = new HashMap<>();
    readSecretData(o, "data", true, values);
    readSecretData(o, "stringData", false, values);
    return values;
  }

  private void readSecretData(
      ConfigObject o, String field, boolean base64, Map<String, byte[]> values) {
    Object data = o.body().get(field);
    if (data == null) {
      return;
    }
    if (!(data instanceof Map<?, ?> map)) {
      error(o.ref(), field, "must be an object of strings");
      return;
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (!(e.getValue() instanceof String text)) {
        error(o.ref(), field + "." + key, "must be a string");
        continue;
      }
      if (!base64) {
        values.put(key, text.getBytes(StandardCharsets.UTF_8));
        continue;
      }
      try {
        values.put(key, Base64.getMimeDecoder().decode(strictBase64(text)));
      } catch (IllegalArgumentException ex) {
        error(o.ref(), field + "." + key, "is not valid base64");
      }
    }
  }

  /** The MIME decoder skips junk silently; reject anything that is not base64 or line breaks. */
  private static String strictBase64(String text) {
    StringBuilder compact = new StringBuilder(text.length());
    int padding = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        continue;
      }
      boolean alphabet =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '+'
              || c == '/';
      if (c == '=') {
        padding++;
      } else if (!alphabet || padding > 0) {
        throw new IllegalArgumentException("not base64");
      }
      compact.append(c);
    }
    if (padding > 2 || compact.length() % 4 != 0) {
      throw new IllegalArgumentException("not base64");
    }
    return compact.toString();
  }

  private Settings readSettings(List<ConfigObject> objects) {
    if (objects.isEmpty()) {
      return Settings.DEFAULTS;
    }
    objects.sort(Comparator.comparing(o -> o.metadata().name()));
    ConfigObject o = objects.get(0);
    for (ConfigObject other : objects.subList(1, objects.size())) {
      error(
          other.ref(),
          "metadata.name",
          "a second " + SETTINGS_KIND + "; " + o.ref() + " is used, this one is ignored");
    }
    Map<String, Object> spec = specOf(o);
    if (spec == null) {
      return Settings.DEFAULTS;
    }
    SpecReader r = SpecReader.of(spec, namespace);
    SpecReader receivers = r.object("receivers");
    String tenantKey = Settings.DEFAULTS.tenantKey();
    LabelSelector global = Settings.DEFAULTS.globalReceiverSelector();
    LabelSelector tenant = Settings.DEFAULTS.tenantReceiverSelector();
    Map<String, Object> options = Map.of();
    if (receivers != null) {
      String key = receivers.string("tenantKey");
      if (key != null && !key.isBlank()) {
        tenantKey = key;
      }
      LabelSelector g = receivers.selector("globalReceiverSelector");
      global = g != null ? g : global;
      LabelSelector t = receivers.selector("tenantReceiverSelector");
      tenant = t != null ? t : tenant;
      SpecReader opts = receivers.object("options");
      if (opts != null) {
        options = opts.raw();
      }
    }
    LabelSelector d = r.selector("defaultConfigSelector");
    LabelSelector defaults = d != null ? d : Settings.DEFAULTS.defaultConfigSelector();
    // Unknown settings fields are errors (a misspelt tenantKey would change every tenant's
    // routing), but the fields that were read still apply: rejecting the whole object would.
    Schema settingsSchema = Settings.description(channels).spec();
    report(
        o.ref(),
        withUnknown(
            settingsSchema == null ? List.of() : UnknownFields.of(settingsSchema, spec, "spec"),
            r.errors()));
    for (String field : spec.keySet()) {
      if (DEPLOYMENT_FIELDS.contains(field)) {
        notice(
            o.ref(),
            "spec." + field,
            "describes the server's Deployment; nm4j running in this process ignores it");
      }
    }
    return new Settings(tenantKey, global, tenant, defaults, options);
  }

  /** The routing tables. */
  private static final class TenantIndex {
    List<Destination> destinations = List.of();
    Destination[] globals = new Destination[0];
    Map<String, Destination[]> byNamespace = Map.of();
    @Nullable Function<String, Destination[]> resolveUnknown;
  }

  private TenantIndex classify(
      Settings settings,
      List<Parsed2<ReceiverSpec>> receivers,
      List<Parsed2<ConfigSpec>> configs,
      OwnedSecrets secrets,
      @Nullable TenantResolver hostResolver,
      List<ConfigObject> roleBindings) {
    String tenantKey = settings.tenantKey();

    // Configs: who owns each, and the one default per kind.
    Map<String, List<Parsed2<ConfigSpec>>> defaultsByKind = new HashMap<>();
    Map<String, Map<String, List<OwnedConfig>>> tenantConfigs = new HashMap<>(); // kind -> tenant
    Map<String, List<OwnedConfig>> adminConfigs = new HashMap<>(); // kind
    Map<ObjectRef, Owner> configOwners = new HashMap<>();
    for (Parsed2<ConfigSpec> c : configs) {
      String kind = c.object().kind();
      boolean isDefault = settings.defaultConfigSelector().matches(c.labels());
      String tenant = c.labels().get(tenantKey);
      if (!isDefault
          && settings.tenantReceiverSelector().matches(c.labels())
          && (tenant == null || tenant.isEmpty())) {
        error(
            c.ref(),
            "metadata.labels",
            "a tenant config needs the label \"" + tenantKey + "\" naming its tenant; not used");
        continue;
      }
      Owner owner = Owner.ofConfig(c.labels(), settings);
      configOwners.put(c.ref(), owner);
      checkSecrets(c.ref(), c.spec(), owner, secrets);
      checkEndpoints(c.ref(), c.spec(), owner);
      if (isDefault) {
        defaultsByKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(c);
      } else if (!owner.isAdmin()) {
        tenantConfigs
            .computeIfAbsent(kind, k -> new HashMap<>())
            .computeIfAbsent(tenant, t -> new ArrayList<>())
            .add(new OwnedConfig(c, tenant));
      } else {
        adminConfigs.computeIfAbsent(kind, k -> new ArrayList<>()).add(new OwnedConfig(c, null));
      }
    }
    Map<String, Parsed2<ConfigSpec>> defaults = new HashMap<>();
    defaultsByKind.forEach((kind, list) -> defaults.put(kind, pickDefault(list)));

    // Receivers: global or tenant, each with its resolved config.
    List<Parsed2<ReceiverSpec>> sorted = new ArrayList<>(receivers);
    // Sort by kind, then name: String keys compare faster than records through a comparator.
    sorted.sort(
        (x, y) -> {
          int c = x.object().kind().compareTo(y.object().kind());
          return c != 0 ? c : x.object().metadata().name().compareTo(y.object().metadata().name());
        });
    List<Destination> destinations = new ArrayList<>(sorted.size());
    List<Destination> globals = new ArrayList<>();
    Map<String, List<Destination>> byTenant = new HashMap<>();
    for (Parsed2<ReceiverSpec> r : sorted) {
      boolean isGlobal = settings.globalReceiverSelector().matches(r.labels());
      boolean isTenant = settings.tenantReceiverSelector().matches(r.labels());
      if (isGlobal && isTenant) {
        error(
            r.ref(),
            "metadata.labels",
            "matches both the global receiver selector ("
                + settings.globalReceiverSelector()
                + ") and the tenant receiver selector ("
                + settings.tenantReceiverSelector()
                + "); not used");
        continue;
      }
      if (!isGlobal && !isTenant) {
        error(
            r.ref(),
            "metadata.labels",
            "matches neither the global receiver selector ("
                + settings.globalReceiverSelector()
                + ") nor the tenant receiver selector ("
                + settings.tenantReceiverSelector()
                + "); not used");
        continue;
      }
      String tenant = null;
      if (isTenant) {
        tenant = r.labels().get(tenantKey);
        if (tenant == null || tenant.isEmpty()) {
          error(
              r.ref(),
              "metadata.labels",
              "a tenant receiver needs the label \""
                  + tenantKey
                  + "\" naming its tenant; not used");
          continue;
        }
      }
      Owner owner = Owner.ofReceiver(r.labels(), settings);
      checkSecrets(r.ref(), r.spec(), owner, secrets);
      checkEndpoints(r.ref(), r.spec(), owner);
      String configKind = r.provider().configKind();
      List<OwnedConfig> visible =
          tenant == null
              ? adminConfigs.getOrDefault(configKind, List.of())
              : tenantConfigs.getOrDefault(configKind, Map.of()).getOrDefault(tenant, List.of());
      Parsed2<ConfigSpec> dflt = defaults.get(configKind);
      Destination d =
          resolve(
              destinations.size(),
              r,
              isGlobal ? Scope.GLOBAL : Scope.TENANT,
              tenant,
              visible,
              dflt,
              configKind,
              configOwners);
      destinations.add(d);
      if (tenant == null) {
        globals.add(d);
      } else {
        byTenant.computeIfAbsent(tenant, t -> new ArrayList<>()).add(d);
      }
    }

    TenantIndex index = new TenantIndex();
    index.destinations = destinations;
    index.globals = globals.toArray(new Destination[0]);
    Destination[] globalArray = index.globals;
    Function<List<String>, Destination[]> forTenants =
        tenants -> merge(globalArray, tenants, byTenant);
    if (hostResolver != null) {
      index.resolveUnknown = ns -> forTenants.apply(hostResolver.tenantsOf(ns));
    } else if (Settings.TENANT_KEY_NAMESPACE.equals(tenantKey)) {
      Map<String, Destination[]> byNs = new HashMap<>();
      byTenant.keySet().forEach(ns -> byNs.put(ns, forTenants.apply(List.of(ns))));
      index.byNamespace = byNs;
    } else if (Settings.TENANT_KEY_USER.equals(tenantKey)) {
      Map<String, Destination[]> byNs = new HashMap<>();
      RoleBindingTenants.of(roleBindings)
          .forEach((ns, users) -> byNs.put(ns, forTenants.apply(users)));
      index.byNamespace = byNs;
    } else {
      problems.add(
          new Problem(
              SETTINGS_KIND,
              "spec.receivers.tenantKey",
              "tenant key \""
                  + tenantKey
                  + "\" needs a TenantResolver from the host (built in: namespace, user); only"
                  + " global receivers get alerts",
              Problem.Severity.ERROR));
    }
    return index;
  }

  private static Destination[] merge(
      Destination[] globals, List<String> tenants, Map<String, List<Destination>> byTenant) {
    Destination[] merged = globals;
    for (String t : tenants) {
      List<Destination> own = byTenant.get(t);
      if (own != null) {
        merged = mergeSorted(merged, own);
      }
    }
    return merged;
  }

  /** Merges two lists sorted by index into one, each destination once. */
  private static Destination[] mergeSorted(Destination[] a, List<Destination> b) {
    Destination[] out = new Destination[a.length + b.size()];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < a.length || j < b.size()) {
      Destination next;
      if (j == b.size() || (i < a.length && a[i].index() <= b.get(j).index())) {
        next = a[i++];
      } else {
        next = b.get(j++);
      }
      // A receiver belongs to one tenant, but a host resolver may name a tenant twice.
      if (n == 0 || out[n - 1].index() != next.index()) {
        out[n++] = next;
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /** The oldest default wins, then the smallest name; the others are problems, never used. */
  private Parsed2<ConfigSpec> pickDefault(List<Parsed2<ConfigSpec>> list) {
    list.sort(
        Comparator.comparing(
                (Parsed2<ConfigSpec> c) -> c.object().metadata().creationTimestamp(),
                Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(c -> c.object().metadata().name()));
    Parsed2<ConfigSpec> winner = list.get(0);
    for (Parsed2<ConfigSpec> loser : list.subList(1, list.size())) {
      routingError(
          loser.ref(),
          "metadata.labels",
          "a second default "
              + loser.object().kind()
              + "; "
              + winner.ref()
              + " is the default (oldest, then first by name), this one is not used");
    }
    return winner;
  }

  private Destination resolve(
      int index,
      Parsed2<ReceiverSpec> r,
      Scope scope,
      @Nullable String tenant,
      List<OwnedConfig> visible,
      @Nullable Parsed2<ConfigSpec> dflt,
      String configKind,
      Map<ObjectRef, Owner> configOwners) {
    LabelSelector selector = r.spec().configSelector();
    Parsed2<ConfigSpec> chosen = null;
    if (selector == null) {
      chosen = dflt;
    } else {
      List<Parsed2<ConfigSpec>> candidates = new ArrayList<>();
      for (OwnedConfig c : visible) {
        if (selector.matches(c.config().labels())) {
          candidates.add(c.config());
        }
      }
      if (dflt != null && selector.matches(dflt.labels())) {
        candidates.add(dflt);
      }
      candidates.sort(Comparator.comparing(c -> c.object().metadata().name()));
      String field = "spec." + r.provider().selectorField();
      if (candidates.size() == 1) {
        chosen = candidates.get(0);
      } else if (candidates.size() > 1) {
        chosen = candidates.get(0);
        List<String> names = new ArrayList<>();
        candidates.forEach(c -> names.add(c.ref().toString()));
        routingError(
            r.ref(),
            field,
            "ambiguous selector: matches "
                + String.join(", ", names)
                + "; using "
                + chosen.ref()
                + " (first by name)");
      } else {
        chosen = dflt;
        notice(
            r.ref(),
            field,
            dflt == null
                ? "selector matched nothing and there is no default " + configKind
                : "selector matched nothing; using default " + dflt.ref());
      }
    }
    String reason = null;
    if (chosen == null) {
      reason =
          selector == null
              ? "no " + configKind + " selected and no default"
              : "selector matched no " + configKind + " and there is no default";
      routingError(r.ref(), "spec", reason + "; its notifications fail with NO_CONFIG");
    }
    return new Destination(
        index,
        r.ref(),
        scope,
        tenant,
        r.provider(),
        r.spec(),
        chosen == null ? null : chosen.ref(),
        chosen == null ? null : chosen.spec(),
        reason,
        chosen == null ? null : configOwners.getOrDefault(chosen.ref(), Owner.ADMIN).tenant());
  }

  /** Every secret reference resolves for the object's owner, as the channel runtime will. */
  private void checkSecrets(ObjectRef ref, ChannelSpec spec, Owner owner, OwnedSecrets secrets) {
    for (Map.Entry<String, SecretKeySelector> e : spec.secretRefs().entrySet()) {
      if (secrets.lookup(owner, e.getValue()) instanceof OwnedSecrets.Lookup.Missing m) {
        error(ref, e.getKey(), m.message());
      }
    }
  }

  /** What the owner's egress policy can tell about the spec's destinations without DNS. */
  private void checkEndpoints(ObjectRef ref, ChannelSpec spec, Owner owner) {
    EgressPolicy policy = egress.of(owner);
    if (policy.isUnrestricted()) {
      return;
    }
    for (Map.Entry<String, Endpoint> e : spec.endpoints().entrySet()) {
      String denied = policy.checkHost(e.getValue().host(), e.getValue().port());
      if (denied != null) {
        error(
            ref,
            e.getKey(),
            "egress denied for "
                + owner.describe()
                + ": "
                + denied
                + "; its notifications fail with EGRESS_DENIED");
      }
    }
  }

  /** KubeSphere tenancy: the distinct {@code User} subjects of each namespace's RoleBindings. */
  static final class RoleBindingTenants {
    private RoleBindingTenants() {}

    static Map<String, List<String>> of(List<ConfigObject> roleBindings) {
      Map<String, TreeSet<String>> users = new LinkedHashMap<>();
      for (ConfigObject rb : roleBindings) {
        String ns = rb.metadata().namespace();
        if (ns.isEmpty()) {
          continue;
        }
        TreeSet<String> set = users.computeIfAbsent(ns, n -> new TreeSet<>());
        if (rb.body().get("subjects") instanceof List<?> subjects) {
          for (Object s : subjects) {
            if (s instanceof Map<?, ?> subject
                && "User".equals(subject.get("kind"))
                && subject.get("name") instanceof String name
                && !name.isEmpty()) {
              set.add(name);
            }
          }
        }
      }
      Map<String, List<String>> out = new HashMap<>();
      users.forEach((ns, set) -> out.put(ns, List.copyOf(set)));
      return out;
    }
  }
}
