package io.nm4j.spi;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One object as a {@link ConfigSource} publishes it, before the core validates it: a receiver, a
 * config, a {@code v1/Secret}, a RoleBinding or the {@code NotificationManager} settings.
 *
 * <p>The body is the object's top level below {@code apiVersion}, {@code kind} and {@code metadata}
 * (for example {@code spec}, or {@code data} of a Secret) as plain JDK values: {@code Map<String,
 * Object>}, {@code List<Object>}, {@code String}, {@code Number}, {@code Boolean} or {@code null}.
 *
 * <p>Objects built in code (for an {@code InMemoryConfigSource}, a host's own source, or a test)
 * come from {@link #of(String, String)} and {@link #secret(String)}:
 *
 * <pre>{@code
 * ConfigObject config = ConfigObject.of("EmailConfig", "default-email")
 *     .label("type", "default")
 *     .spec(Map.of(
 *         "from", "alerts@example.com",
 *         "smartHost", Map.of("host", "smtp.example.com", "port", 587),
 *         "authUsername", "alerts@example.com",
 *         "authPassword", Map.of("name", "smtp", "key", "password")))
 *     .build();
 * ConfigObject secret = ConfigObject.secret("smtp").data("password", "s3cret").build();
 * ConfigObject receiver = ConfigObject.of("EmailReceiver", "shop-email")
 *     .label("type", "tenant").label("namespace", "shop")
 *     .spec(Map.of("to", List.of("shop-team@example.com")))
 *     .build();
 * }</pre>
 *
 * <p>Labels decide what an object is. With the default settings (a {@code NotificationManager}
 * object can change each selector): a receiver labeled {@code type: global} gets every alert; one
 * labeled {@code type: tenant} gets its tenant's alerts and names its tenant in the tenant-key
 * label ({@code namespace: <namespace>}, or {@code user: <user>} with KubeSphere tenancy); a config
 * labeled {@code type: default} is the default of its kind, one labeled {@code type: tenant} plus
 * the tenant-key label is that tenant's, any other config is the admin's. A secret labeled with the
 * tenant key belongs to that tenant, an unlabeled one to the admin.
 *
 * @param apiVersion e.g. {@code notification.kubesphere.io/v1alpha1}
 * @param kind e.g. {@code EmailReceiver}
 * @param metadata name, namespace, labels
 * @param body the rest of the object
 * @param origin where it came from (a file name, {@code kubernetes}), for messages
 */
public record ConfigObject(
    String apiVersion, String kind, ObjectMeta metadata, Map<String, Object> body, String origin) {

  /** API group and version of receivers, configs and settings. */
  public static final String API_VERSION = "notification.kubesphere.io/v1alpha1";

  /**
   * API group and version of notification-manager's current kinds: the cluster-scoped {@code
   * Receiver}, {@code Config}, {@code Router} and {@code Silence}, and its settings.
   */
  public static final String API_VERSION_V2BETA2 = "notification.kubesphere.io/v2beta2";

  /** Where objects built with {@link #of} and {@link #secret} say they came from, by default. */
  public static final String ORIGIN_CODE = "code";

  public ConfigObject {
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(metadata, "metadata");
    body = Collections.unmodifiableMap(new LinkedHashMap<>(body));
    Objects.requireNonNull(origin, "origin");
  }

  /** {@code Kind/name}. */
  public ObjectRef ref() {
    return new ObjectRef(kind, metadata.name());
  }

  /**
   * The {@code spec} map; empty when absent or null.
   *
   * @throws IllegalStateException when {@code spec} is present but not an object
   */
  @SuppressWarnings("unchecked")
  public Map<String, Object> spec() {
    Object spec = body.get("spec");
    if (spec == null) {
      return Map.of();
    }
    if (spec instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new IllegalStateException(ref() + ": spec: must be an object");
  }

  /** Looks up a value by dotted path below the body, e.g. {@code spec.receivers.tenantKey}. */
  public @Nullable Object at(String dottedPath) {
    Object current = body;
    for (String part : List.of(dottedPath.split("\\."))) {
      if (!(current instanceof Map<?, ?> m)) {
        return null;
      }
      current = m.get(part);
    }
    return current;
  }

  /**
   * A builder of a {@code notification.kubesphere.io/v1alpha1} object of {@code kind} (a receiver,
   * a config or the {@code NotificationManager} settings) named {@code name}, with no namespace
   * (the namespace of the manager that reads it), no labels and an empty {@code spec}.
   */
  public static Builder of(String kind, String name) {
    return new Builder(API_VERSION, kind, name);
  }

  /**
   * A builder of a {@code v1/Secret} named {@code name}, with no namespace (the manager's), no
   * labels (the admin's) and no data; {@link Builder#data(String, String)} adds values.
   */
  public static Builder secret(String name) {
    return new Builder("v1", "Secret", name);
  }

  /**
   * Builds a {@link ConfigObject}. Values are copied when given, so changing a map afterwards does
   * not change the object; every value must be a plain JDK value (see {@link ConfigObject}).
   */
  public static final class Builder {
    private String apiVersion;
    private final String kind;
    private final String name;
    private String namespace = "";
    private final Map<String, String> labels = new LinkedHashMap<>();
    private @Nullable Instant creationTimestamp;
    private final Map<String, Object> body = new LinkedHashMap<>();
    private final Map<String, Object> secretData = new LinkedHashMap<>();
    private String origin = ORIGIN_CODE;

    private Builder(String apiVersion, String kind, String name) {
      this.apiVersion = apiVersion;
      this.kind = Objects.requireNonNull(kind, "kind");
      this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * The API group and version; {@value ConfigObject#API_VERSION} unless set (and {@code v1} for a
     * secret).
     */
    public Builder apiVersion(String apiVersion) {
      this.apiVersion = Objects.requireNonNull(apiVersion, "apiVersion");
      return this;
    }

    /**
     * The namespace. Empty, the default, means the namespace of the manager that reads the object;
     * any other namespace than the manager's makes the object a problem, never used.
     */
    public Builder namespace(String namespace) {
      this.namespace = Objects.requireNonNull(namespace, "namespace");
      return this;
    }

    /** Adds a label, e.g. {@code label("type", "tenant")}. */
    public Builder label(String key, String value) {
      labels.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Adds labels. */
    public Builder labels(Map<String, String> labels) {
      labels.forEach(this::label);
      return this;
    }

    /**
     * When a store created the object. Among several default configs of a kind the oldest wins; an
     * object without a timestamp counts as newer than any with one.
     */
    public Builder creationTimestamp(Instant creationTimestamp) {
      this.creationTimestamp = Objects.requireNonNull(creationTimestamp, "creationTimestamp");
      return this;
    }

    /** The {@code spec}: the fields the object's kind describes. */
    public Builder spec(Map<String, ?> spec) {
      return field("spec", spec);
    }

    /**
     * A top-level field other than {@code spec}, e.g. the {@code subjects} and {@code roleRef} of a
     * RoleBinding.
     *
     * @throws IllegalArgumentException when {@code name} is {@code apiVersion}, {@code kind} or
     *     {@code metadata}, or the value holds something other than plain JDK values
     */
    public Builder field(String name, @Nullable Object value) {
      Objects.requireNonNull(name, "name");
      if (name.equals("apiVersion") || name.equals("kind") || name.equals("metadata")) {
        throw new IllegalArgumentException(name + " is set by the builder, not as a field");
      }
      body.put(name, plain(value, name));
      return this;
    }

    /**
     * A secret value under {@code key}, written to {@code data} as the Base64 of its UTF-8 bytes,
     * as Kubernetes stores it.
     */
    public Builder data(String key, String value) {
      return data(key, Objects.requireNonNull(value, "value").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A secret value under {@code key} (a certificate, a key), written to {@code data} in Base64.
     */
    public Builder data(String key, byte[] value) {
      Objects.requireNonNull(key, "key");
      secretData.put(key, Base64.getEncoder().encodeToString(value));
      return this;
    }

    /** Where the object came from, for messages ({@value ConfigObject#ORIGIN_CODE} unless set). */
    public Builder origin(String origin) {
      this.origin = Objects.requireNonNull(origin, "origin");
      return this;
    }

    /**
     * The object.
     *
     * @throws IllegalStateException when {@link #data} was given and {@code data} was also set as a
     *     field
     */
    public ConfigObject build() {
      Map<String, Object> out = new LinkedHashMap<>(body);
      if (!secretData.isEmpty()) {
        if (out.containsKey("data")) {
          throw new IllegalStateException(kind + "/" + name + ": data given twice");
        }
        out.put("data", Collections.unmodifiableMap(new LinkedHashMap<>(secretData)));
      }
      ObjectMeta metadata = new ObjectMeta(name, namespace, labels, "", "", creationTimestamp);
      return new ConfigObject(apiVersion, kind, metadata, out, origin);
    }

    /** An immutable copy of a plain JDK value. */
    private static @Nullable Object plain(@Nullable Object value, String path) {
      if (value == null
          || value instanceof String
          || value instanceof Boolean
          || value instanceof Integer
          || value instanceof Long
          || value instanceof Short
          || value instanceof Byte
          || value instanceof Double
          || value instanceof Float
          || value instanceof java.math.BigInteger
          || value instanceof java.math.BigDecimal) {
        return value;
      }
      if (value instanceof Map<?, ?> m) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (!(e.getKey() instanceof String key)) {
            throw new IllegalArgumentException(path + ": keys must be strings");
          }
          copy.put(key, plain(e.getValue(), path + "." + key));
        }
        return Collections.unmodifiableMap(copy);
      }
      if (value instanceof List<?> list) {
        List<Object> copy = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
          copy.add(plain(list.get(i), path + "[" + i + "]"));
        }
        return Collections.unmodifiableList(copy);
      }
      throw new IllegalArgumentException(
          path
              + ": must be a map, list, string, number, boolean or null, was "
              + value.getClass().getName());
    }
  }
}
