package io.nm4j.core.internal.admin;

import io.nm4j.core.NotificationManager;
import io.nm4j.core.Settings;
import io.nm4j.core.admin.Caller;
import io.nm4j.core.admin.Status;
import io.nm4j.core.internal.admin.Resources.Resource;
import io.nm4j.core.internal.admin.Resources.Role;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.ConfigStore;
import io.nm4j.spi.ObjectMeta;
import io.nm4j.spi.Problem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What an object must pass before the admin API writes it (or test-sends with it): kind, API
 * version, namespace and name; the tenant labels a tenant caller's object gets; every rule of a
 * snapshot in the context of what the store holds; one default per kind.
 */
public final class WriteChecks {
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private final ConfigStore store;
  private final NotificationManager manager;
  private final Tenancy tenancy;

  public WriteChecks(ConfigStore store, NotificationManager manager, Tenancy tenancy) {
    this.store = store;
    this.manager = manager;
    this.tenancy = tenancy;
  }

  /**
   * Checks kind, namespace and name; fills the namespace; sets a tenant caller's labels.
   *
   * @param pathName the name in the request path; {@code null} for a create
   * @param keepVersion whether the object's {@code resourceVersion} is kept (an update)
   */
  public ConfigObject prepare(
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
    String namespace = r.clusterScoped() ? "" : manager.namespace();
    ObjectMeta m = o.metadata();
    if (r.clusterScoped() && !m.namespace().isEmpty()) {
      throw Status.badRequest(
              "metadata.namespace must be absent: "
                  + r.kind()
                  + " is cluster-scoped, was \""
                  + m.namespace()
                  + "\"")
          .exception();
    }
    if (!m.namespace().isEmpty() && !m.namespace().equals(namespace)) {
      throw Status.badRequest(
              "metadata.namespace must be \""
                  + namespace
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
      throw StoreCalls.invalid(
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
    if (!tenancy.isAdmin(caller)) {
      tenancy.setTenant(caller, r, m.name(), labels);
    }
    Map<String, Object> body = new LinkedHashMap<>(o.body());
    if (r.role() == Role.SECRET) {
      mergeStringData(body);
    }
    ObjectMeta meta =
        new ObjectMeta(
            m.name(), namespace, labels, "", keepVersion ? m.resourceVersion() : "", null);
    return new ConfigObject(o.apiVersion(), o.kind(), meta, body, "admin API");
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
   * policy) in the context of {@code context}; a 422 naming every cause otherwise.
   */
  public void validate(ConfigObject candidate, ConfigSet context) {
    List<Status.Cause> causes = new ArrayList<>();
    for (Problem p : manager.validate(candidate, context)) {
      causes.add(new Status.Cause(p.field(), p.message()));
    }
    if (!causes.isEmpty()) {
      throw StoreCalls.invalid(candidate.kind(), candidate.metadata().name(), causes);
    }
  }

  /**
   * Every rule of the snapshot in the context of what the store holds, and one default per
   * per-channel config kind (a second is 409); v2beta2 configs may have several defaults, chosen by
   * their {@code priority} label.
   */
  public void validateWrite(Resource r, ConfigObject candidate) {
    validate(candidate, StoreCalls.call(store::load, r.kind(), candidate.metadata().name()));
    Settings s = tenancy.settings();
    Map<String, String> labels = candidate.metadata().labels();
    if (r.role() == Role.CONFIG
        && !r.clusterScoped()
        && s.defaultConfigSelector().matches(labels)) {
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
}
