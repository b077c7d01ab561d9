package io.nm4j.k8s;

import io.nm4j.k8s.internal.Yaml;
import io.nm4j.spi.KindDescription;
import io.nm4j.spi.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The Kubernetes manifests a set of kinds needs, made from their descriptions: one {@code
 * CustomResourceDefinition} per kind (structural schema, CEL rules as {@code
 * x-kubernetes-validations}) and the RBAC rules of the server's ServiceAccount. The committed
 * {@code deploy/kubernetes/crds/} and {@code rbac.yaml} are this output for the built-in channels;
 * for the channels of a running jar (plugins included):
 *
 * <pre>{@code
 * List<KindDescription> kinds = manager.channels().kindDescriptions();
 * System.out.print(KubernetesManifests.all(kinds, "kubesphere-monitoring-system"));
 * }</pre>
 */
public final class KubernetesManifests {

  /** The API group of every notification kind. */
  public static final String GROUP = "notification.kubesphere.io";

  /** The ServiceAccount the server runs as. */
  public static final String SERVICE_ACCOUNT = "nm4j";

  private static final String HEADER =
      "# Generated from the kind descriptions of nm4j's channel providers; do not edit.\n";

  private KubernetesManifests() {}

  /**
   * One CRD per kind, as YAML by file name ({@code emailconfigs.notification.kubesphere.io.yaml}),
   * in the order given.
   *
   * @throws IllegalArgumentException naming a kind whose provider does not describe its spec
   */
  public static Map<String, String> crds(List<KindDescription> kinds) {
    Map<String, String> files = new LinkedHashMap<>();
    for (KindDescription kind : kinds) {
      files.put(kind.plural() + "." + GROUP + ".yaml", HEADER + Yaml.write(crd(kind)));
    }
    return files;
  }

  /**
   * The CRD of one kind as plain maps and lists.
   *
   * @throws IllegalArgumentException when the kind has no schema
   */
  public static Map<String, Object> crd(KindDescription kind) {
    Schema spec = kind.spec();
    if (spec == null) {
      throw new IllegalArgumentException(
          kind.kind()
              + " has no schema: its channel provider must describe its kinds"
              + " (ChannelProvider.description()) to have a CRD");
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("type", "object");
    if (!kind.description().isEmpty()) {
      root.put("description", kind.description());
    }
    root.put("properties", Map.of("spec", openApi(spec)));

    Map<String, Object> version = new LinkedHashMap<>();
    version.put("name", kind.version());
    version.put("served", true);
    version.put("storage", true);
    version.put("schema", Map.of("openAPIV3Schema", root));

    Map<String, Object> names = new LinkedHashMap<>();
    names.put("kind", kind.kind());
    names.put("listKind", kind.kind() + "List");
    names.put("plural", kind.plural());
    names.put("singular", kind.kind().toLowerCase(Locale.ROOT));

    Map<String, Object> crdSpec = new LinkedHashMap<>();
    crdSpec.put("group", GROUP);
    crdSpec.put("names", names);
    crdSpec.put("scope", kind.clusterScoped() ? "Cluster" : "Namespaced");
    crdSpec.put("versions", List.of(version));

    Map<String, Object> crd = new LinkedHashMap<>();
    crd.put("apiVersion", "apiextensions.k8s.io/v1");
    crd.put("kind", "CustomResourceDefinition");
    crd.put("metadata", Map.of("name", kind.plural() + "." + GROUP));
    crd.put("spec", crdSpec);
    return crd;
  }

  /** A schema node as OpenAPI v3, structural as Kubernetes requires. */
  static Map<String, Object> openApi(Schema s) {
    Map<String, Object> out = new LinkedHashMap<>();
    switch (s.type()) {
      case OBJECT -> out.put("type", "object");
      case MAP -> out.put("type", "object");
      case ARRAY -> out.put("type", "array");
      case STRING -> out.put("type", "string");
      case INTEGER -> out.put("type", "integer");
      case BOOLEAN -> out.put("type", "boolean");
      case INT_OR_STRING -> {
        out.put("x-kubernetes-int-or-string", true);
        out.put("anyOf", List.of(Map.of("type", "integer"), Map.of("type", "string")));
      }
      case FREE_FORM -> {
        out.put("type", "object");
        out.put("x-kubernetes-preserve-unknown-fields", true);
      }
    }
    String description = documentation(s);
    if (!description.isEmpty()) {
      out.put("description", description);
    }
    if (s.nullable()) {
      out.put("nullable", true);
    }
    if (!s.properties().isEmpty()) {
      Map<String, Object> properties = new LinkedHashMap<>();
      s.properties().forEach((name, field) -> properties.put(name, openApi(field)));
      out.put("properties", properties);
    }
    if (!s.required().isEmpty()) {
      out.put("required", s.required());
    }
    if (s.additionalProperties() != null) {
      out.put("additionalProperties", openApi(s.additionalProperties()));
    }
    if (s.items() != null) {
      out.put("items", openApi(s.items()));
    }
    putIfSet(out, "format", s.format());
    if (!s.enumValues().isEmpty()) {
      out.put("enum", s.enumValues());
    }
    putIfSet(out, "pattern", s.pattern());
    putIfSet(out, "minLength", s.minLength());
    putIfSet(out, "maxLength", s.maxLength());
    putIfSet(out, "minimum", s.minimum());
    putIfSet(out, "maximum", s.maximum());
    putIfSet(out, "minItems", s.minItems());
    putIfSet(out, "maxItems", s.maxItems());
    if (!s.rules().isEmpty()) {
      List<Map<String, Object>> rules = new ArrayList<>();
      for (Schema.Rule rule : s.rules()) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("rule", rule.rule());
        r.put("message", rule.message());
        rules.add(r);
      }
      out.put("x-kubernetes-validations", rules);
    }
    return out;
  }

  /** The description, with the default and whether nm4j ignores the field. */
  static String documentation(Schema s) {
    StringBuilder d = new StringBuilder(s.description());
    if (s.defaultValue() != null) {
      d.append(d.length() == 0 ? "" : " ").append("Default: ").append(s.defaultValue()).append('.');
    }
    if (s.ignored()) {
      d.append(d.length() == 0 ? "" : " ")
          .append("Accepted for compatibility with notification-manager; nm4j ignores it.");
    }
    return d.toString();
  }

  private static void putIfSet(
      Map<String, Object> out, String key, @org.jspecify.annotations.Nullable Object value) {
    if (value != null) {
      out.put(key, value);
    }
  }

  /**
   * The RBAC rules of the server's ServiceAccount in {@code namespace}: read the settings kind (in
   * the namespace, and cluster-wide where the cluster serves it cluster-scoped), read and write
   * (for the admin API) the other namespaced kinds and Secrets of that namespace and the
   * cluster-scoped kinds, and read RoleBindings in every namespace (KubeSphere tenancy maps a
   * namespace to its users with them).
   */
  public static String rbac(List<KindDescription> kinds, String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    List<String> read = List.of("get", "list", "watch");
    List<String> readWrite = List.of("get", "list", "watch", "create", "update", "delete");
    List<String> settings = new ArrayList<>();
    List<String> channels = new ArrayList<>();
    List<String> clusterScoped = new ArrayList<>();
    for (KindDescription kind : kinds) {
      if (kind.clusterScoped()) {
        clusterScoped.add(kind.plural());
      } else {
        (kind.kind().equals(KubernetesConfigSource.SETTINGS_KIND) ? settings : channels)
            .add(kind.plural());
      }
    }
    List<Map<String, Object>> rules = new ArrayList<>();
    if (!settings.isEmpty()) {
      rules.add(rule(GROUP, settings, read));
    }
    if (!channels.isEmpty()) {
      rules.add(rule(GROUP, channels, readWrite));
    }
    // ConfigMaps hold template sets and language packs, which the admin API writes too.
    rules.add(rule("", List.of("secrets", "configmaps"), readWrite));

    StringBuilder out = new StringBuilder(HEADER);
    out.append(
        "# The nm4j server's ServiceAccount; what it reads and, for the admin API, writes.\n");
    out.append(Yaml.write(object("v1", "ServiceAccount", SERVICE_ACCOUNT, namespace)));
    out.append("---\n# The notification kinds, Secrets and ConfigMaps of its namespace.\n");
    Map<String, Object> role = object("rbac.authorization.k8s.io/v1", "Role", "nm4j", namespace);
    role.put("rules", rules);
    out.append(Yaml.write(role));
    out.append("---\n");
    out.append(Yaml.write(binding("RoleBinding", "Role", "nm4j", namespace)));
    out.append(
        "---\n# RoleBindings of every namespace: KubeSphere tenancy (tenant key user) maps an"
            + " alert's\n# namespace to the users bound there.");
    List<Map<String, Object>> clusterRules = new ArrayList<>();
    clusterRules.add(rule("rbac.authorization.k8s.io", List.of("rolebindings"), read));
    if (!clusterScoped.isEmpty()) {
      out.append(
          " The cluster-scoped notification kinds, read and, for\n# the admin API, written.");
      clusterRules.add(rule(GROUP, clusterScoped, readWrite));
    }
    if (!settings.isEmpty()) {
      out.append(
          "\n# The settings where the cluster serves them cluster-scoped (notification-manager's"
              + "\n# v2beta2 NotificationManager, as KubeSphere installs it), read only.");
      clusterRules.add(rule(GROUP, settings, read));
    }
    out.append('\n');
    Map<String, Object> clusterRole =
        object("rbac.authorization.k8s.io/v1", "ClusterRole", "nm4j-cluster", null);
    clusterRole.put("rules", clusterRules);
    out.append(Yaml.write(clusterRole));
    out.append("---\n");
    out.append(Yaml.write(binding("ClusterRoleBinding", "ClusterRole", "nm4j-cluster", namespace)));
    return out.toString();
  }

  /** Every CRD, then the RBAC rules, as one multi-document YAML stream. */
  public static String all(List<KindDescription> kinds, String namespace) {
    StringBuilder out = new StringBuilder();
    for (String crd : crds(kinds).values()) {
      out.append(crd).append("---\n");
    }
    return out.append(rbac(kinds, namespace)).toString();
  }

  private static Map<String, Object> rule(
      String group, List<String> resources, List<String> verbs) {
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("apiGroups", List.of(group));
    rule.put("resources", resources);
    rule.put("verbs", verbs);
    return rule;
  }

  private static Map<String, Object> object(
      String apiVersion,
      String kind,
      String name,
      @org.jspecify.annotations.Nullable String namespace) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    if (namespace != null) {
      metadata.put("namespace", namespace);
    }
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("apiVersion", apiVersion);
    o.put("kind", kind);
    o.put("metadata", metadata);
    return o;
  }

  private static Map<String, Object> binding(
      String kind, String roleKind, String roleName, String namespace) {
    Map<String, Object> b =
        object(
            "rbac.authorization.k8s.io/v1",
            kind,
            roleName,
            kind.equals("RoleBinding") ? namespace : null);
    Map<String, Object> roleRef = new LinkedHashMap<>();
    roleRef.put("apiGroup", "rbac.authorization.k8s.io");
    roleRef.put("kind", roleKind);
    roleRef.put("name", roleName);
    b.put("roleRef", roleRef);
    Map<String, Object> subject = new LinkedHashMap<>();
    subject.put("kind", "ServiceAccount");
    subject.put("name", SERVICE_ACCOUNT);
    subject.put("namespace", namespace);
    b.put("subjects", List.of(subject));
    return b;
  }
}
