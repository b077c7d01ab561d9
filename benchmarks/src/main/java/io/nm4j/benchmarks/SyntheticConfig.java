package io.nm4j.benchmarks;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.Settings;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.ObjectMeta;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A large, valid, deterministic configuration for benchmarks: tenants with receivers of every kind
 * the registry knows, a default config per kind, tenant configs for part of the tenants, global
 * receivers with admin configs, the secrets every config references and, in user mode, the
 * RoleBindings that map namespaces to users.
 *
 * <p>Objects are built directly as {@link ConfigObject}s with the shapes a YAML or Kubernetes
 * source would give (nested {@code LinkedHashMap}s, ports as strings), so building a snapshot
 * measures validation and precomputation, not parsing.
 *
 * <p>Every receiver's config selector is one of four forms: none (the default config), {@code
 * matchLabels}, {@code In} and {@code Exists}. Each selects exactly one config, so the
 * configuration has no errors; a test checks that.
 */
public final class SyntheticConfig {
  /** The namespace receivers, configs and secrets live in. */
  public static final String NAMESPACE = "kubesphere-monitoring-system";

  public static final int DEFAULT_TENANTS = 10_000;
  public static final int DEFAULT_RECEIVERS = 50_000;
  public static final int GLOBAL_RECEIVERS = 10;

  /** Share of tenants that own configs (the others use the defaults). */
  private static final double TENANTS_WITH_CONFIGS = 0.25;

  private static final String[] TIERS = {"gold", "silver", "bronze"};
  private static final String[] ALERT_NAMES = {
    "KubePodCrashLooping",
    "KubePodNotReady",
    "KubeDeploymentReplicasMismatch",
    "KubeContainerWaiting",
    "CPUThrottlingHigh",
    "KubePersistentVolumeFillingUp",
    "KubeJobFailed",
    "TargetDown"
  };
  private static final Instant CREATED = Instant.parse("2026-01-05T08:00:00Z");

  /** How alerts map to tenants. */
  public enum TenantMode {
    /** Tenant key {@code namespace}: each namespace is a tenant. */
    NAMESPACE(Settings.TENANT_KEY_NAMESPACE),
    /** Tenant key {@code user}: the users RoleBindings bind in a namespace are its tenants. */
    USER(Settings.TENANT_KEY_USER);

    private final String tenantKey;

    TenantMode(String tenantKey) {
      this.tenantKey = tenantKey;
    }

    /** The tenant key of the settings, and the label naming a tenant object's tenant. */
    public String tenantKey() {
      return tenantKey;
    }

    /** The mode of a tenant key ({@code namespace} or {@code user}), as JMH params spell it. */
    public static TenantMode of(String tenantKey) {
      for (TenantMode m : values()) {
        if (m.tenantKey.equals(tenantKey)) {
          return m;
        }
      }
      throw new IllegalArgumentException(
          "tenant mode must be namespace or user, was \"" + tenantKey + "\"");
    }
  }

  /** One channel's kinds and how to write their specs. */
  private enum Kind {
    EMAIL("EmailReceiver", "EmailConfig", "emailConfigSelector", "email", 30),
    WECHAT("WechatReceiver", "WechatConfig", "wechatConfigSelector", "wechat", 20),
    SLACK("SlackReceiver", "SlackConfig", "slackConfigSelector", "slack", 20),
    WEBHOOK("WebhookReceiver", "WebhookConfig", "webhookConfigSelector", "webhook", 15),
    DINGTALK("DingTalkReceiver", "DingTalkConfig", "dingTalkConfigSelector", "dingtalk", 15);

    final String receiverKind;
    final String configKind;
    final String selectorField;
    final String shortName;
    final int weight;

    Kind(String receiverKind, String configKind, String selectorField, String shortName, int w) {
      this.receiverKind = receiverKind;
      this.configKind = configKind;
      this.selectorField = selectorField;
      this.shortName = shortName;
      this.weight = w;
    }
  }

  private final TenantMode mode;
  private final ConfigSet configSet;
  private final List<String> namespaces;
  private final Map<String, List<String>> tenantsByNamespace;
  private final List<String> receiverKinds;
  private final int tenantConfigCount;

  private SyntheticConfig(
      TenantMode mode,
      ConfigSet configSet,
      List<String> namespaces,
      Map<String, List<String>> tenantsByNamespace,
      List<String> receiverKinds,
      int tenantConfigCount) {
    this.mode = mode;
    this.configSet = configSet;
    this.namespaces = List.copyOf(namespaces);
    this.tenantsByNamespace = Collections.unmodifiableMap(new LinkedHashMap<>(tenantsByNamespace));
    this.receiverKinds = List.copyOf(receiverKinds);
    this.tenantConfigCount = tenantConfigCount;
  }

  /** The configuration of the benchmarks: 10,000 tenants and 50,000 receivers. */
  public static SyntheticConfig generate(TenantMode mode, long seed, ChannelRegistry channels) {
    return generate(mode, seed, channels, DEFAULT_TENANTS, DEFAULT_RECEIVERS);
  }

  /**
   * A configuration of {@code tenants} tenants (and as many namespaces) and {@code receivers}
   * receivers in all, {@link #GLOBAL_RECEIVERS} of them global. Only kinds the registry knows are
   * generated, so the configuration stays valid whichever channels are on the classpath.
   */
  public static SyntheticConfig generate(
      TenantMode mode, long seed, ChannelRegistry channels, int tenants, int receivers) {
    if (tenants < 1 || receivers < GLOBAL_RECEIVERS + tenants) {
      throw new IllegalArgumentException(
          "need at least one tenant and one receiver per tenant plus "
              + GLOBAL_RECEIVERS
              + " global ones");
    }
    List<Kind> kinds = new ArrayList<>();
    for (Kind k : Kind.values()) {
      if (channels.forReceiverKind(k.receiverKind) != null
          && channels.forConfigKind(k.configKind) != null) {
        kinds.add(k);
      }
    }
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("the registry knows none of the five channels' kinds");
    }
    return new Generator(mode, new SplittableRandom(seed), kinds).run(tenants, receivers);
  }

  public TenantMode mode() {
    return mode;
  }

  /** The generated objects. */
  public ConfigSet configSet() {
    return configSet;
  }

  /** The namespaces that have tenants, in generation order. */
  public List<String> namespaces() {
    return namespaces;
  }

  /** Each namespace's tenants: itself in namespace mode, its bound users in user mode. */
  public Map<String, List<String>> tenantsByNamespace() {
    return tenantsByNamespace;
  }

  /** The receiver kinds generated (those the registry knew). */
  public List<String> receiverKinds() {
    return receiverKinds;
  }

  /** How many tenant configs were generated. */
  public int tenantConfigCount() {
    return tenantConfigCount;
  }

  /**
   * Firing alerts over random namespaces: about 80% of known namespaces, 10% without a namespace
   * label (cluster alerts) and 10% of namespaces no tenant owns.
   */
  public Alert[] alerts(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Alert[] alerts = new Alert[count];
    for (int i = 0; i < count; i++) {
      Map<String, String> labels = new LinkedHashMap<>();
      String alertName = ALERT_NAMES[random.nextInt(ALERT_NAMES.length)];
      labels.put("alertname", alertName);
      labels.put("severity", random.nextInt(4) == 0 ? "critical" : "warning");
      labels.put("prometheus", NAMESPACE + "/k8s");
      int roll = random.nextInt(10);
      if (roll == 0) {
        labels.put("node", "node-" + random.nextInt(64));
      } else {
        String ns =
            roll == 1
                ? "unowned-" + random.nextInt(1000)
                : namespaces.get(random.nextInt(namespaces.size()));
        labels.put("namespace", ns);
        labels.put("pod", "app-" + Integer.toHexString(random.nextInt()) + "-x7k2p");
        labels.put("container", "app");
      }
      alerts[i] =
          new Alert(
              AlertStatus.FIRING,
              labels,
              Map.of("summary", alertName + " for 15 minutes"),
              CREATED.plusSeconds(i),
              null,
              "http://prometheus.example.com/graph?g0.expr=up",
              String.format(Locale.ROOT, "%016x", random.nextLong()));
    }
    return alerts;
  }

  /** Writes the objects of one configuration. */
  private static final class Generator {
    private final TenantMode mode;
    private final SplittableRandom random;
    private final List<Kind> kinds;
    private final int totalWeight;
    private final List<ConfigObject> objects = new ArrayList<>();

    Generator(TenantMode mode, SplittableRandom random, List<Kind> kinds) {
      this.mode = mode;
      this.random = random;
      this.kinds = kinds;
      this.totalWeight = kinds.stream().mapToInt(k -> k.weight).sum();
    }

    SyntheticConfig run(int tenantCount, int receiverCount) {
      objects.add(settings());
      List<String> namespaces = new ArrayList<>(tenantCount);
      List<String> tenants = new ArrayList<>(tenantCount);
      for (int i = 0; i < tenantCount; i++) {
        namespaces.add(String.format(Locale.ROOT, "ns-%05d", i));
        tenants.add(
            mode == TenantMode.NAMESPACE
                ? namespaces.get(i)
                : String.format(Locale.ROOT, "user-%05d", i));
      }

      // Defaults and the admin configs the global receivers select.
      objects.add(secret("nm-default-credentials", Map.of(), allSecretKeys()));
      objects.add(secret("nm-platform-credentials", Map.of(), allSecretKeys()));
      for (Kind k : kinds) {
        objects.add(
            config(k, "default-" + k.shortName, labels("type", "default"), "nm-default", "ops"));
        objects.add(
            config(
                k,
                "platform-" + k.shortName,
                labels("scope", "cluster", "tier", "platform"),
                "nm-platform",
                "platform"));
      }
      for (int i = 0; i < GLOBAL_RECEIVERS; i++) {
        Kind k = kinds.get(i % kinds.size());
        // Half select the admin config, half use the default.
        Map<String, Object> selector =
            i % 2 == 0 ? map("matchLabels", map("scope", "cluster")) : null;
        objects.add(
            receiver(
                k,
                "global-" + k.shortName + "-" + i,
                labels("type", "global"),
                "platform",
                selector));
      }

      // Tenant configs: a quarter of the tenants own configs of one to three kinds.
      List<Map<Kind, String>> tierOf = new ArrayList<>(tenantCount);
      int tenantConfigs = 0;
      for (String tenant : tenants) {
        Map<Kind, String> owned = new LinkedHashMap<>();
        if (random.nextDouble() < TENANTS_WITH_CONFIGS) {
          int n = 1 + random.nextInt(Math.min(3, kinds.size()));
          while (owned.size() < n) {
            owned.put(kinds.get(random.nextInt(kinds.size())), TIERS[random.nextInt(3)]);
          }
          // A tenant's configs resolve only secrets labeled with the tenant.
          objects.add(
              secret(tenant + "-credentials", labels(mode.tenantKey(), tenant), allSecretKeys()));
          for (Map.Entry<Kind, String> e : owned.entrySet()) {
            objects.add(
                config(
                    e.getKey(),
                    tenant + "-" + e.getKey().shortName,
                    labels("type", "tenant", mode.tenantKey(), tenant, "tier", e.getValue()),
                    tenant,
                    tenant));
            tenantConfigs++;
          }
        }
        tierOf.add(owned);
      }

      // Tenant receivers: one per tenant, the rest spread at random.
      int[] perTenant = new int[tenantCount];
      java.util.Arrays.fill(perTenant, 1);
      for (int i = tenantCount + GLOBAL_RECEIVERS; i < receiverCount; i++) {
        perTenant[random.nextInt(tenantCount)]++;
      }
      for (int t = 0; t < tenantCount; t++) {
        String tenant = tenants.get(t);
        for (int r = 0; r < perTenant[t]; r++) {
          Kind k = pickKind();
          String tier = tierOf.get(t).get(k);
          objects.add(
              receiver(
                  k,
                  tenant + "-" + k.shortName + "-" + r,
                  labels("type", "tenant", mode.tenantKey(), tenant),
                  tenant,
                  selector(tier)));
        }
      }

      Map<String, List<String>> tenantsByNamespace = new LinkedHashMap<>();
      if (mode == TenantMode.NAMESPACE) {
        namespaces.forEach(ns -> tenantsByNamespace.put(ns, List.of(ns)));
      } else {
        roleBindings(namespaces, tenants, tenantsByNamespace);
      }
      List<String> receiverKinds = kinds.stream().map(k -> k.receiverKind).toList();
      return new SyntheticConfig(
          mode,
          ConfigSet.of(objects),
          namespaces,
          tenantsByNamespace,
          receiverKinds,
          tenantConfigs);
    }

    /**
     * KubeSphere-style bindings: each namespace binds its owner, about a third also bind one or two
     * other users (so those users are tenants of several namespaces), and bindings carry
     * ServiceAccount and Group subjects, which are not tenants.
     */
    private void roleBindings(
        List<String> namespaces, List<String> users, Map<String, List<String>> out) {
      for (int i = 0; i < namespaces.size(); i++) {
        String ns = namespaces.get(i);
        Set<String> bound = new TreeSet<>();
        bound.add(users.get(i));
        objects.add(
            roleBinding(
                ns,
                users.get(i) + "-admin",
                "admin",
                List.of(
                    subject("User", users.get(i)),
                    subject("ServiceAccount", "default"),
                    subject("Group", "system:serviceaccounts:" + ns))));
        if (random.nextInt(3) == 0) {
          Set<String> others = new LinkedHashSet<>();
          int n = 1 + random.nextInt(2);
          while (others.size() < n) {
            String u = users.get(random.nextInt(users.size()));
            if (!u.equals(users.get(i))) {
              others.add(u);
            }
          }
          for (String u : others) {
            objects.add(roleBinding(ns, u + "-viewer", "viewer", List.of(subject("User", u))));
            bound.add(u);
          }
        }
        out.put(ns, List.copyOf(bound));
      }
    }

    private Kind pickKind() {
      int roll = random.nextInt(totalWeight);
      for (Kind k : kinds) {
        roll -= k.weight;
        if (roll < 0) {
          return k;
        }
      }
      throw new IllegalStateException("weights");
    }

    /**
     * A receiver's config selector, each form in turn. With a tier (the tenant owns a config of the
     * kind) the selector picks that config by its {@code tier} label; without, it picks the default
     * by its {@code type} label (only the tenant's own configs and the default are candidates).
     */
    private @Nullable Map<String, Object> selector(@Nullable String tier) {
      int form = random.nextInt(4);
      String key = tier == null ? "type" : "tier";
      String value = tier == null ? "default" : tier;
      return switch (form) {
        case 0 -> null;
        case 1 -> map("matchLabels", map(key, value));
        case 2 ->
            map(
                "matchExpressions",
                List.of(
                    map(
                        "key",
                        key,
                        "operator",
                        "In",
                        "values",
                        tier == null ? List.of("default") : List.of(TIERS))));
        default -> map("matchExpressions", List.of(map("key", key, "operator", "Exists")));
      };
    }

    private ConfigObject settings() {
      Map<String, Object> receivers =
          map(
              "tenantKey",
              mode.tenantKey(),
              "globalReceiverSelector",
              map("matchLabels", map("type", "global")),
              "tenantReceiverSelector",
              map("matchLabels", map("type", "tenant")),
              "options",
              map(
                  "global",
                  map("cluster", "host"),
                  "email",
                  map("notificationTimeout", 5, "deliveryType", "bulk")));
      Map<String, Object> spec =
          map(
              "receivers",
              receivers,
              "defaultConfigSelector",
              map("matchLabels", map("type", "default")));
      return new ConfigObject(
          ConfigObject.API_VERSION,
          "NotificationManager",
          ObjectMeta.of("notification-manager", "", Map.of()),
          map("spec", spec),
          "synthetic");
    }

    private ConfigObject receiver(
        Kind k,
        String name,
        Map<String, String> labels,
        String owner,
        @Nullable Map<String, Object> selector) {
      Map<String, Object> spec = new LinkedHashMap<>();
      switch (k) {
        case EMAIL -> {
          List<String> to = new ArrayList<>();
          int n = 1 + random.nextInt(3);
          for (int i = 0; i < n; i++) {
            to.add("oncall-" + i + "@" + owner + ".example.com");
          }
          spec.put("to", List.copyOf(to));
        }
        case WECHAT -> {
          spec.put("toUser", owner + "|ops-" + random.nextInt(100));
          if (random.nextBoolean()) {
            spec.put("toParty", String.valueOf(2 + random.nextInt(50)));
          }
        }
        case SLACK -> spec.put("channel", "#alerts-" + owner);
        case WEBHOOK, DINGTALK -> {
          // Their receivers carry only the selector in v1alpha1.
        }
      }
      if (selector != null) {
        spec.put(k.selectorField, selector);
      }
      return object(k.receiverKind, name, labels, map("spec", Collections.unmodifiableMap(spec)));
    }

    private ConfigObject config(
        Kind k, String name, Map<String, String> labels, String secretPrefix, String owner) {
      String secret = secretPrefix + "-credentials";
      Map<String, Object> spec =
          switch (k) {
            case EMAIL ->
                map(
                    "from",
                    "alerts@" + owner + ".example.com",
                    "smartHost",
                    map("host", "smtp." + owner + ".example.com", "port", "587"),
                    "authUsername",
                    "alerts@" + owner + ".example.com",
                    "authPassword",
                    ref(secret, "email-password"),
                    "requireTLS",
                    true);
            case WECHAT ->
                map(
                    "wechatApiUrl",
                    "https://qyapi.weixin.qq.com/cgi-bin/",
                    "wechatApiCorpId",
                    "ww" + Long.toHexString(random.nextLong() & 0xffffffffffL),
                    "wechatApiAgentId",
                    String.valueOf(1_000_002 + random.nextInt(100)),
                    "wechatApiSecret",
                    ref(secret, "wechat-secret"));
            case SLACK -> map("slackTokenSecret", ref(secret, "slack-token"));
            case WEBHOOK ->
                map(
                    "url",
                    "https://hooks." + owner + ".example.com/alertmanager",
                    "httpConfig",
                    map("bearerToken", ref(secret, "webhook-token")));
            case DINGTALK ->
                map(
                    "chatbot",
                    map(
                        "webhook",
                        ref(secret, "dingtalk-webhook"),
                        "keywords",
                        List.of("alert"),
                        "secret",
                        ref(secret, "dingtalk-secret")));
          };
      return object(k.configKind, name, labels, map("spec", spec));
    }

    private static List<String> allSecretKeys() {
      return List.of(
          "email-password",
          "wechat-secret",
          "slack-token",
          "webhook-token",
          "dingtalk-webhook",
          "dingtalk-secret");
    }

    private ConfigObject secret(String name, Map<String, String> labels, List<String> keys) {
      Map<String, Object> data = new LinkedHashMap<>();
      for (String key : keys) {
        String value = key + "-" + Long.toHexString(random.nextLong());
        data.put(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
      }
      return new ConfigObject(
          "v1",
          "Secret",
          new ObjectMeta(name, NAMESPACE, labels, "", "", CREATED),
          map("type", "Opaque", "data", Collections.unmodifiableMap(data)),
          "synthetic");
    }

    private static ConfigObject roleBinding(
        String namespace, String name, String role, List<Map<String, Object>> subjects) {
      return new ConfigObject(
          "rbac.authorization.k8s.io/v1",
          "RoleBinding",
          ObjectMeta.of(name, namespace, labels("iam.kubesphere.io/user-ref", name)),
          map(
              "roleRef",
              map("apiGroup", "rbac.authorization.k8s.io", "kind", "Role", "name", role),
              "subjects",
              subjects),
          "synthetic");
    }

    private static Map<String, Object> subject(String kind, String name) {
      return kind.equals("User")
          ? map("kind", kind, "apiGroup", "rbac.authorization.k8s.io", "name", name)
          : map("kind", kind, "name", name);
    }

    private static ConfigObject object(
        String kind, String name, Map<String, String> labels, Map<String, Object> body) {
      return new ConfigObject(
          ConfigObject.API_VERSION,
          kind,
          new ObjectMeta(name, NAMESPACE, labels, "", "", CREATED),
          body,
          "synthetic");
    }

    private static Map<String, Object> ref(String name, String key) {
      return map("name", name, "key", key);
    }

    private static Map<String, String> labels(String... kv) {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < kv.length; i += 2) {
        m.put(kv[i], kv[i + 1]);
      }
      return m;
    }

    /** An ordered, unmodifiable map, as a YAML reader would give (keys in document order). */
    private static Map<String, Object> map(Object... kv) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < kv.length; i += 2) {
        m.put((String) kv[i], kv[i + 1]);
      }
      return Collections.unmodifiableMap(m);
    }
  }
}
