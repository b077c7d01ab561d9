package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.ConfigSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Small builders for routing tests. */
final class Fixtures {
  private Fixtures() {}

  static final ChannelRegistry CHANNELS =
      ChannelRegistry.of(List.of(new PagerChannelProvider(), new PagerChannelProvider("Chat")));

  static ConfigSet yaml(String text) {
    ConfigSet set = Manifests.parse(text, "test.yaml");
    assertThat(set.problems()).as("manifest problems").isEmpty();
    return set;
  }

  static Snapshot snapshot(String yaml) {
    return Snapshot.build(yaml(yaml), CHANNELS, NotificationManager.DEFAULT_NAMESPACE, null);
  }

  static String receiver(String kind, String name, String labels, String spec) {
    return "---\napiVersion: notification.kubesphere.io/v1alpha1\nkind: "
        + kind
        + "\nmetadata:\n  name: "
        + name
        + "\n  namespace: kubesphere-monitoring-system\n  labels: "
        + labels
        + "\nspec: "
        + spec
        + "\n";
  }

  /** Settings whose tenants are the users RoleBindings bind. */
  static final String USER_MODE =
      "---\napiVersion: notification.kubesphere.io/v1alpha1\nkind: NotificationManager\n"
          + "metadata: {name: nm, namespace: kubesphere-monitoring-system}\n"
          + "spec: {receivers: {tenantKey: user}}\n";

  /** A RoleBinding in {@code ns} with the {@code subjects} given as a YAML list. */
  static String roleBinding(String name, String ns, String subjects) {
    return "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: "
        + name
        + ", namespace: "
        + ns
        + "}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: operator}\n"
        + "subjects: "
        + subjects
        + "\n";
  }

  static String global(String name) {
    return receiver("PagerReceiver", name, "{type: global}", "{to: " + name + "}");
  }

  static String tenant(String name, String tenant) {
    return tenant(name, tenant, "namespace");
  }

  static String tenant(String name, String tenant, String key) {
    return receiver(
        "PagerReceiver", name, "{type: tenant, " + key + ": " + tenant + "}", "{to: " + name + "}");
  }

  static String config(String name, String labels) {
    return receiver("PagerConfig", name, labels, "{}");
  }

  /** The default PagerConfig {@code d}, its {@code token} in the admin's secret {@code sec}. */
  static String defaultConfigWithToken(String token) {
    return secret(
            "sec",
            "token",
            Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)))
        + receiver("PagerConfig", "d", "{type: default}", "{token: {name: sec, key: token}}");
  }

  static String secret(String name, String key, String base64) {
    return secret(name, key, base64, null);
  }

  /** A secret owned by the tenant its {@code namespace} label names, or the admin's. */
  static String secret(String name, String key, String base64, @Nullable String tenant) {
    return "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: "
        + name
        + "\n  namespace: kubesphere-monitoring-system"
        + (tenant == null ? "" : "\n  labels: {namespace: " + tenant + "}")
        + "\ndata:\n  "
        + key
        + ": "
        + base64
        + "\n";
  }

  static Alert alert(String... labels) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      map.put(labels[i], labels[i + 1]);
    }
    return Alert.firing(map);
  }

  static Alert inNamespace(String ns) {
    return alert("alertname", "A", "namespace", ns);
  }

  static AlertBatch batch(Alert... alerts) {
    return AlertBatch.of(List.of(alerts));
  }

  /** Receiver name to alert indexes, e.g. {@code PagerReceiver/alice=[0, 2]}. */
  static Map<String, List<Integer>> routes(Routing routing) {
    Map<String, List<Integer>> out = new LinkedHashMap<>();
    routing.routes().forEach(r -> out.put(r.destination().receiver().toString(), r.alerts()));
    return out;
  }

  static List<String> problems(Snapshot s) {
    List<String> out = new ArrayList<>();
    s.problems().forEach(p -> out.add(p.toString()));
    return out;
  }
}
