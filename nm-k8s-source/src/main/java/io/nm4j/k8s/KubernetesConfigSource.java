package io.nm4j.k8s;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.nm4j.k8s.internal.CoalescingTrigger;
import io.nm4j.k8s.internal.ObjectConversion;
import io.nm4j.k8s.internal.RoleBindingWatch;
import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.ConfigStore;
import io.nm4j.spi.ConfigStoreException;
import io.nm4j.spi.KindDescription;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Problem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receivers, configs, Secrets, ConfigMaps and the {@code NotificationManager} settings of one
 * namespace, and notification-manager's cluster-scoped {@code notification.kubesphere.io/v2beta2}
 * {@code Receiver}, {@code Config}, {@code Router} and {@code Silence} objects, read with
 * informers; RoleBindings of every namespace too while the tenant key is {@code user}. The settings
 * are read as the cluster serves them: notification-manager's cluster-scoped v2beta2 {@code
 * NotificationManager} where the API server's discovery lists it (KubeSphere), else the namespaced
 * v1alpha1 kind.
 *
 * <p>The receiver and config kinds are those of the channel providers present: given to the
 * builder, or found with {@link ServiceLoader} in a class loader (by default the thread's context
 * class loader), so a plugin's kinds are watched like the built-in ones. Each kind's plural comes
 * from its provider's {@link ChannelProvider#description() description}; this module names no
 * channel.
 *
 * <p>The notification kinds are read as generic objects, so an object the core cannot accept still
 * arrives and is reported by the core instead of vanishing in a deserialisation failure.
 *
 * <p>Every ConfigMap of the namespace is read, not only labelled ones: notification-manager finds a
 * template set or language pack by name alone, so its users' ConfigMaps carry no common label. The
 * core reads only the ConfigMaps an object names, within its template size bounds; the others (a CA
 * bundle, another program's files) are published but never read as templates.
 *
 * <p>{@link #load()} waits for every informer's first complete list. {@link #watch} delivers the
 * full set after changes, from a thread of the source's own, at most once per debounce interval: a
 * burst of changes (a {@code kubectl apply -f dir/}) yields one set. Informers relist and rewatch
 * by themselves after a dropped connection; {@link #health()} reports when one is not watching (a
 * relist failing, an informer stopped for good) and the failures met.
 *
 * <pre>{@code
 * try (KubernetesConfigSource source = KubernetesConfigSource.builder().client(client).build()) {
 *   ConfigSet first = source.load();
 *   source.watch(set -> ...);
 * }
 * }</pre>
 */
public final class KubernetesConfigSource implements ConfigStore {

  /** Where KubeSphere keeps receivers, configs and their Secrets. */
  public static final String DEFAULT_NAMESPACE = "kubesphere-monitoring-system";

  /** How long changes are gathered before a new set is published. */
  public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(200);

  /** How long {@link #load()} waits for the informers' first lists. */
  public static final Duration DEFAULT_SYNC_TIMEOUT = Duration.ofSeconds(30);

  /** The kind that holds the settings. */
  public static final String SETTINGS_KIND = "NotificationManager";

  /** notification-manager's settings object as KubeSphere installs it: v2beta2, cluster-scoped. */
  public static final KindDescription CLUSTER_SETTINGS =
      new KindDescription(
          SETTINGS_KIND,
          KindDescription.defaultPlural(SETTINGS_KIND),
          "",
          null,
          KindDescription.V2BETA2,
          true);

  /** notification-manager's unified kinds, read cluster-wide. */
  public static final List<String> CLUSTER_SCOPED_KINDS =
      List.of("Receiver", "Config", "Router", "Silence");

  private static final Logger log = LoggerFactory.getLogger(KubernetesConfigSource.class);
  private static final String GROUP = "notification.kubesphere.io";
  private static final String USER_TENANT_KEY = "user";

  /** The {@code v1} kinds the admin API writes here, by their plurals. */
  private static final Map<String, String> CORE_KINDS =
      Map.of("Secret", "secrets", "ConfigMap", "configmaps");

  private static final Comparator<HasMetadata> BY_NAMESPACE_AND_NAME =
      Comparator.comparing((HasMetadata r) -> String.valueOf(r.getMetadata().getNamespace()))
          .thenComparing(r -> String.valueOf(r.getMetadata().getName()));

  private final KubernetesClient client;
  private final boolean ownsClient;
  private final String namespace;
  private final Duration syncTimeout;
  private final @Nullable String tenantKey;
  private final Map<String, KindDescription> kinds;
  private final List<String> kindOrder;
  private final ObjectConversion conversion;
  private final ResourceEventHandler<Object> onChange;
  private final CoalescingTrigger trigger;
  private final RoleBindingWatch roleBindings;
  private final CopyOnWriteArrayList<Consumer<ConfigSet>> listeners = new CopyOnWriteArrayList<>();
  private final RoleBindingTenantResolver tenantResolver;
  private final Clock clock;

  private final Object lock = new Object();

  /**
   * The settings kind as the cluster serves it, found when the informers start: notification-
   * manager's cluster-scoped v2beta2 {@code NotificationManager} where the API server serves that
   * version (KubeSphere), else the namespaced v1alpha1 kind. One CRD holds both versions in a
   * cluster, with one scope, so at most one of them is ever served.
   */
  private volatile @Nullable KindDescription servedSettings;

  private final Map<String, SharedIndexInformer<GenericKubernetesResource>> kindInformers =
      new LinkedHashMap<>();
  private @Nullable SharedIndexInformer<Secret> secrets;
  private @Nullable SharedIndexInformer<ConfigMap> configMaps;
  private final List<CompletableFuture<Void>> initialSyncs = new ArrayList<>();
  private boolean started;
  private boolean closed;
  private @Nullable ConfigSet lastPublished;

  // The objects of the last set made, by the resource instance the informers held and by kind,
  // namespace and name; guarded by conversions. A set made follows lastMade, so a listener learns
  // what changed without comparing the sets.
  private final Object conversions = new Object();
  private Map<HasMetadata, ConfigObject> converted = new IdentityHashMap<>();
  private Map<String, ConfigObject> byName = new HashMap<>();
  private Map<HasMetadata, ConfigObject> previousConverted = new IdentityHashMap<>();
  private Map<String, ConfigObject> previousByName = new HashMap<>();
  private final Map<ConfigObject, Boolean> kept = new IdentityHashMap<>();
  private final List<ConfigObject> added = new ArrayList<>();
  private @Nullable ConfigSet lastMade;
  private @Nullable Instant lastCurrent;
  private long failures;
  private @Nullable String lastFailure;

  private KubernetesConfigSource(Builder b) {
    if (b.client != null) {
      this.client = b.client;
      this.ownsClient = false;
    } else {
      KubernetesClientBuilder cb = new KubernetesClientBuilder();
      if (b.config != null) {
        cb.withConfig(b.config);
      }
      this.client = cb.build();
      this.ownsClient = true;
    }
    this.namespace = b.namespace;
    this.syncTimeout = b.syncTimeout;
    this.tenantKey = b.tenantKey;
    Map<String, KindDescription> watched = kinds(b);
    this.kinds = Map.copyOf(watched);
    this.clock = b.clock;
    this.conversion = new ObjectConversion(client.getKubernetesSerialization());
    this.trigger = new CoalescingTrigger("nm4j-k8s-source", b.debounce, this::publish);
    this.onChange =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Object obj) {
            trigger.fire();
          }

          @Override
          public void onUpdate(Object oldObj, Object newObj) {
            trigger.fire();
          }

          @Override
          public void onDelete(Object obj, boolean deletedFinalStateUnknown) {
            trigger.fire();
          }
        };
    this.roleBindings =
        new RoleBindingWatch(
            client, onChange, trigger::fire, informer -> watchHealth(informer, "rolebindings"));
    this.tenantResolver = RoleBindingTenantResolver.of(roleBindings::in);
    this.kindOrder = List.copyOf(watched.keySet());
  }

  /**
   * The settings kind, each provider's config and receiver kind, then the cluster-scoped kinds. Two
   * providers claiming one kind or plural, or one claiming a kind or plural of the core, is an
   * error naming both.
   */
  private static Map<String, KindDescription> kinds(Builder b) {
    Map<String, KindDescription> kinds = new LinkedHashMap<>();
    Map<String, String> plurals = new LinkedHashMap<>();
    Map<String, String> owners = new LinkedHashMap<>();
    List<KindDescription> core = new ArrayList<>();
    core.add(KindDescription.undescribed(SETTINGS_KIND));
    for (String kind : CLUSTER_SCOPED_KINDS) {
      core.add(
          new KindDescription(
              kind, KindDescription.defaultPlural(kind), "", null, KindDescription.V2BETA2, true));
    }
    for (KindDescription kind : core) {
      plurals.put(kind.kind(), kind.plural());
      owners.put(kind.kind(), "the core");
    }
    kinds.put(SETTINGS_KIND, core.get(0));
    for (ChannelProvider<?, ?> p : b.providers()) {
      ChannelDescription d = p.description();
      for (KindDescription kind : List.of(d.config(), d.receiver())) {
        String owner = p.getClass().getName();
        String previous = owners.putIfAbsent(kind.kind(), owner);
        if (previous != null || plurals.containsValue(kind.plural())) {
          throw new IllegalStateException(
              "the kind "
                  + kind.kind()
                  + " (plural "
                  + kind.plural()
                  + ") of "
                  + owner
                  + " is already claimed"
                  + (previous == null ? "" : " by " + previous)
                  + "; remove one of the providers");
        }
        plurals.put(kind.kind(), kind.plural());
        kinds.put(kind.kind(), kind);
      }
    }
    core.subList(1, core.size()).forEach(kind -> kinds.put(kind.kind(), kind));
    return kinds;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Resolves tenants from the RoleBindings this source watches (while the tenant key is {@code
   * user}; otherwise every namespace has no tenant here).
   */
  public RoleBindingTenantResolver tenantResolver() {
    return tenantResolver;
  }

  /** The namespace whose namespaced objects this source reads. */
  public String namespace() {
    return namespace;
  }

  /**
   * Starts the informers if needed and waits for their first complete lists.
   *
   * @throws IllegalStateException naming the kinds not listed in time, or the first failure
   */
  @Override
  public ConfigSet load() {
    start();
    long deadline = System.nanoTime() + syncTimeout.toNanos();
    List<CompletableFuture<Void>> syncs;
    synchronized (lock) {
      syncs = List.copyOf(initialSyncs);
    }
    await(CompletableFuture.allOf(syncs.toArray(CompletableFuture[]::new)), deadline);
    await(roleBindings.want(wantsRoleBindings()), deadline);
    ConfigSet set = current();
    synchronized (lock) {
      lastPublished = set;
    }
    return set;
  }

  /**
   * Calls {@code listener} with the full set after each change, from the source's thread. When the
   * set changed between {@link #load()} and this call, the listener gets the new one at once.
   */
  @Override
  public Subscription watch(Consumer<ConfigSet> listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    start();
    trigger.fire();
    return () -> listeners.remove(listener);
  }

  @Override
  public String describe() {
    return "kubernetes namespace " + namespace;
  }

  /**
   * Current while every informer is running and watching; otherwise the time it last was, the
   * failures counted since the source started (a spell of informers not watching, list errors, an
   * informer stopped for good) and the newest one. Before {@link #load()} nothing is current yet.
   */
  @Override
  public Health health() {
    synchronized (lock) {
      if (started && !closed) {
        List<String> behind = notWatching();
        if (behind.isEmpty()) {
          lastCurrent = clock.instant();
          lastFailure = null;
        } else if (lastFailure == null) {
          // One failure per spell: informers retry on their own, and each poll would count again.
          failures++;
          lastFailure = "not watching " + String.join(", ", behind);
        }
      }
      return new Health(lastCurrent, failures, lastFailure);
    }
  }

  /** The resources whose informer is not running and watching. Caller holds {@link #lock}. */
  private List<String> notWatching() {
    List<String> behind = new ArrayList<>();
    kindInformers.forEach(
        (kind, informer) -> {
          if (!informer.isRunning() || !informer.isWatching()) {
            behind.add(Objects.requireNonNull(described(kind)).plural());
          }
        });
    if (secrets == null || !secrets.isRunning() || !secrets.isWatching()) {
      behind.add("secrets");
    }
    if (configMaps == null || !configMaps.isRunning() || !configMaps.isWatching()) {
      behind.add("configmaps");
    }
    if (!roleBindings.watching()) {
      behind.add("rolebindings");
    }
    return behind;
  }

  private void failed(String resource, String what) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      failures++;
      lastFailure = resource + ": " + what;
    }
    log.warn("{}: {}: {}", describe(), resource, what);
  }

  // Writes go through the API server, so its validation and concurrency apply.
  @Override
  public ConfigObject create(ConfigObject object) {
    return call(
        object.ref().toString(),
        true,
        () -> read(object.kind(), api(object.kind()).resource(toResource(object, "")).create()));
  }

  @Override
  public ConfigObject update(ConfigObject object) {
    return call(
        object.ref().toString(),
        false,
        () -> {
          String version = object.metadata().resourceVersion();
          if (version.isEmpty()) {
            // An update without a version replaces unconditionally, as kubectl replace does.
            GenericKubernetesResource current =
                api(object.kind()).withName(object.metadata().name()).get();
            if (current == null) {
              throw notFound(object.kind(), object.metadata().name());
            }
            version = current.getMetadata().getResourceVersion();
          }
          return read(
              object.kind(), api(object.kind()).resource(toResource(object, version)).update());
        });
  }

  @Override
  public Optional<ConfigObject> get(String kind, String name) {
    return call(
        kind + "/" + name,
        false,
        () -> {
          GenericKubernetesResource r = api(kind).withName(name).get();
          return r == null ? Optional.empty() : Optional.of(read(kind, r));
        });
  }

  @Override
  public List<ConfigObject> list(String kind, LabelSelector selector) {
    return call(
        kind,
        false,
        () -> {
          List<ConfigObject> out = new ArrayList<>();
          for (GenericKubernetesResource r : api(kind).list().getItems()) {
            ConfigObject o = read(kind, r);
            if (selector.matches(o.metadata().labels())) {
              out.add(o);
            }
          }
          out.sort(Comparator.comparing(o -> o.metadata().name()));
          return out;
        });
  }

  @Override
  public ConfigObject delete(String kind, String name) {
    return call(
        kind + "/" + name,
        false,
        () -> {
          GenericKubernetesResource r = api(kind).withName(name).get();
          if (r == null) {
            throw notFound(kind, name);
          }
          api(kind).withName(name).delete();
          return read(kind, r);
        });
  }

  private NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      api(String kind) {
    String corePlural = CORE_KINDS.get(kind);
    if (corePlural != null) {
      ResourceDefinitionContext context =
          new ResourceDefinitionContext.Builder()
              .withGroup("")
              .withVersion("v1")
              .withKind(kind)
              .withPlural(corePlural)
              .withNamespaced(true)
              .build();
      return client.genericKubernetesResources(context).inNamespace(namespace);
    }
    KindDescription description = described(kind);
    if (description == null) {
      throw new ConfigStoreException(
          ConfigStoreException.Reason.INVALID, "unknown kind " + kind + "; known: " + kindOrder);
    }
    return resources(description);
  }

  /**
   * The objects of a notification kind: of the namespace, or of the cluster when cluster-scoped.
   */
  private NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      resources(KindDescription kind) {
    ResourceDefinitionContext context =
        new ResourceDefinitionContext.Builder()
            .withGroup(GROUP)
            .withVersion(kind.version())
            .withKind(kind.kind())
            .withPlural(kind.plural())
            .withNamespaced(!kind.clusterScoped())
            .build();
    var all = client.genericKubernetesResources(context);
    return kind.clusterScoped() ? all : all.inNamespace(namespace);
  }

  private GenericKubernetesResource toResource(ConfigObject o, String resourceVersion) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(o.apiVersion());
    r.setKind(o.kind());
    r.setMetadata(
        new ObjectMetaBuilder()
            .withName(o.metadata().name())
            .withNamespace(isClusterScoped(o.kind()) ? null : namespace)
            .withLabels(new LinkedHashMap<>(o.metadata().labels()))
            .withResourceVersion(resourceVersion.isEmpty() ? null : resourceVersion)
            .build());
    o.body().forEach(r::setAdditionalProperty);
    return r;
  }

  private boolean isClusterScoped(String kind) {
    KindDescription description = described(kind);
    return description != null && description.clusterScoped();
  }

  /** A watched kind's description; the settings kind's as the cluster serves it. */
  private @Nullable KindDescription described(String kind) {
    KindDescription served = servedSettings;
    return kind.equals(SETTINGS_KIND) && served != null ? served : kinds.get(kind);
  }

  /**
   * Which settings kind the API server serves: the v2beta2 one when its discovery lists {@code
   * notificationmanagers}, else the v1alpha1 one of {@link #kinds}. A failed discovery keeps the
   * v1alpha1 kind, whose list then fails or succeeds as before.
   */
  private KindDescription discoverSettings() {
    KindDescription v1alpha1 = kinds.get(SETTINGS_KIND);
    try {
      APIResourceList v2beta2 = client.getApiResources(GROUP + "/" + KindDescription.V2BETA2);
      if (v2beta2 != null
          && v2beta2.getResources().stream()
              .anyMatch(r -> CLUSTER_SETTINGS.plural().equals(r.getName()))) {
        return CLUSTER_SETTINGS;
      }
    } catch (KubernetesClientException e) {
      log.warn(
          "{}: could not discover the served versions of {}; reading the v1alpha1 kind: {}",
          describe(),
          CLUSTER_SETTINGS.plural(),
          e.getMessage());
    }
    return v1alpha1;
  }

  private ConfigObject read(String kind, GenericKubernetesResource r) {
    KindDescription description = described(kind);
    String apiVersion =
        r.getApiVersion() != null
            ? r.getApiVersion()
            : description != null ? description.apiVersion() : ConfigObject.API_VERSION;
    return conversion.toConfigObject(apiVersion, kind, r);
  }

  private static ConfigStoreException notFound(String kind, String name) {
    return new ConfigStoreException(
        ConfigStoreException.Reason.NOT_FOUND, kind + "/" + name + " not found");
  }

  /** The API server's answer as the store's reasons; its message names the object and field. */
  private static <T> T call(String object, boolean creating, Supplier<T> op) {
    try {
      return op.get();
    } catch (KubernetesClientException e) {
      String message = object + ": " + e.getMessage();
      ConfigStoreException.Reason reason =
          switch (e.getCode()) {
            case 404 -> ConfigStoreException.Reason.NOT_FOUND;
            case 409 ->
                creating
                    ? ConfigStoreException.Reason.ALREADY_EXISTS
                    : ConfigStoreException.Reason.CONFLICT;
            case 400, 422 -> ConfigStoreException.Reason.INVALID;
            default -> ConfigStoreException.Reason.UNAVAILABLE;
          };
      throw new ConfigStoreException(reason, message, e);
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      kindInformers.values().forEach(SharedIndexInformer::stop);
      if (secrets != null) {
        secrets.stop();
      }
      if (configMaps != null) {
        configMaps.stop();
      }
    }
    roleBindings.close();
    trigger.close();
    listeners.clear();
    if (ownsClient) {
      client.close();
    }
  }

  private void start() {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException(describe() + ": source is closed");
      }
      if (started) {
        return;
      }
      started = true;
      servedSettings = discoverSettings();
      log.info(
          "{}: starting informers on {} (settings: {} {})",
          describe(),
          kindOrder,
          Objects.requireNonNull(servedSettings).apiVersion(),
          Objects.requireNonNull(servedSettings).clusterScoped() ? "cluster-scoped" : "namespaced");
      for (String kind : kindOrder) {
        KindDescription description = Objects.requireNonNull(described(kind));
        SharedIndexInformer<GenericKubernetesResource> informer =
            resources(description).runnableInformer(0);
        kindInformers.put(kind, informer);
        initialSyncs.add(started(informer, description.plural()));
      }
      SharedIndexInformer<Secret> secretInformer =
          client.secrets().inNamespace(namespace).runnableInformer(0);
      secrets = secretInformer;
      initialSyncs.add(started(secretInformer, "secrets"));
      SharedIndexInformer<ConfigMap> configMapInformer =
          client.configMaps().inNamespace(namespace).runnableInformer(0);
      configMaps = configMapInformer;
      initialSyncs.add(started(configMapInformer, "configmaps"));
    }
  }

  private CompletableFuture<Void> started(SharedIndexInformer<?> informer, String resource) {
    watchHealth(informer, resource);
    informer.addEventHandler(onChange);
    CompletableFuture<Void> synced = informer.start().toCompletableFuture();
    // The first list adds every object before sync completes; publish once it has.
    synced.whenComplete((v, e) -> trigger.fire());
    return synced;
  }

  /**
   * Counts an informer's list and watch errors and notices when it stops for good. It keeps
   * retrying as fabric8 does by default (after its first list, unless the objects cannot be read).
   */
  private void watchHealth(SharedIndexInformer<?> informer, String resource) {
    informer.exceptionHandler(
        (isStarted, t) -> {
          failed(resource, "list or watch failed: " + t.getMessage());
          return isStarted && !ExceptionHandler.isDeserializationException(t);
        });
    // Stopping on purpose (close, the tenant key leaving user) completes normally.
    informer
        .stopped()
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                failed(resource, "informer stopped for good: " + e.getMessage());
              }
            });
  }

  private void await(CompletableFuture<Void> future, long deadline) {
    try {
      future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          describe()
              + ": initial list not complete after "
              + syncTimeout.toMillis()
              + " ms for "
              + unsynced()
              + " (are the CRDs installed, and may this service account list them?)");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException(
          describe() + ": initial list failed for " + unsynced() + ": " + cause.getMessage(),
          cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(describe() + ": interrupted while waiting for sync", e);
    }
  }

  private List<String> unsynced() {
    List<String> names = new ArrayList<>();
    synchronized (lock) {
      kindInformers.forEach(
          (kind, informer) -> {
            if (!informer.hasSynced()) {
              names.add(Objects.requireNonNull(described(kind)).plural());
            }
          });
      if (secrets != null && !secrets.hasSynced()) {
        names.add("secrets");
      }
      if (configMaps != null && !configMaps.hasSynced()) {
        names.add("configmaps");
      }
    }
    if (!roleBindings.ready()) {
      names.add("rolebindings");
    }
    return names;
  }

  /** Runs on the trigger's thread only. */
  private void publish() {
    try {
      synchronized (lock) {
        if (closed || !started || !allSynced()) {
          return; // the informer that completes its sync fires again
        }
      }
      roleBindings.want(wantsRoleBindings());
      if (!roleBindings.ready()) {
        return; // publishing before the RoleBindings are listed would drop every user's alerts
      }
      ConfigSet set = current();
      synchronized (lock) {
        if (set.equals(lastPublished)) {
          return;
        }
        lastPublished = set;
      }
      for (Consumer<ConfigSet> listener : listeners) {
        try {
          listener.accept(set);
        } catch (RuntimeException e) {
          log.warn("{}: a config listener failed", describe(), e);
        }
      }
    } catch (RuntimeException e) {
      log.warn("{}: could not publish the configuration", describe(), e);
    }
  }

  private boolean allSynced() {
    for (SharedIndexInformer<GenericKubernetesResource> informer : kindInformers.values()) {
      if (!informer.hasSynced()) {
        return false;
      }
    }
    return secrets != null && secrets.hasSynced() && configMaps != null && configMaps.hasSynced();
  }

  private boolean wantsRoleBindings() {
    return USER_TENANT_KEY.equals(effectiveTenantKey());
  }

  private @Nullable String effectiveTenantKey() {
    if (tenantKey != null) {
      return tenantKey;
    }
    SharedIndexInformer<GenericKubernetesResource> settings;
    synchronized (lock) {
      settings = kindInformers.get(SETTINGS_KIND);
    }
    if (settings == null) {
      return null;
    }
    KindDescription served = Objects.requireNonNull(described(SETTINGS_KIND));
    // One settings object is expected; with several, the first by name decides, as in the core.
    return settings.getStore().list().stream()
        .sorted(BY_NAMESPACE_AND_NAME)
        .map(r -> conversion.toConfigObject(served.apiVersion(), SETTINGS_KIND, r))
        .map(o -> o.at("spec.receivers.tenantKey"))
        .map(v -> v instanceof String s ? s : null)
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  /**
   * The full set as the informers hold it now, with what changed since the set made before: an
   * object whose resource the informers still hold (the same instance, or one that reads the same)
   * keeps its instance, so only what a watch event changed is reported changed.
   */
  private ConfigSet current() {
    synchronized (conversions) {
      previousConverted = converted;
      previousByName = byName;
      converted = new IdentityHashMap<>(previousConverted.size() * 2);
      byName = new HashMap<>(previousByName.size() * 2);
      kept.clear();
      added.clear();
      ConfigSet set = read();
      ConfigSet previous = lastMade;
      if (previous == null) {
        lastMade = set;
        return set;
      }
      List<ConfigObject> removed = new ArrayList<>();
      for (ConfigObject o : previous.objects()) {
        if (!kept.containsKey(o)) {
          removed.add(o);
        }
      }
      if (removed.isEmpty() && added.isEmpty() && previous.problems().equals(set.problems())) {
        return previous;
      }
      lastMade =
          ConfigSet.following(previous, set.objects(), set.problems(), removed, List.copyOf(added));
      return lastMade;
    }
  }

  /** The object of {@code resource}, the one converted before when it still reads the same. */
  private ConfigObject converted(String apiVersion, String kind, HasMetadata resource) {
    ConfigObject object = previousConverted.get(resource);
    String name =
        kind + "/" + resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
    boolean same = object != null;
    if (object == null) {
      object = conversion.toConfigObject(apiVersion, kind, resource);
      // A relist hands over new instances of unchanged resources.
      ConfigObject before = previousByName.get(name);
      if (before != null && before.equals(object)) {
        object = before;
        same = true;
      }
    }
    if (same) {
      kept.put(object, Boolean.TRUE);
    } else {
      added.add(object);
    }
    converted.put(resource, object);
    byName.put(name, object);
    return object;
  }

  /** Reads every informer's objects, reusing {@link #converted} conversions. */
  private ConfigSet read() {
    List<ConfigObject> objects = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    Map<String, SharedIndexInformer<GenericKubernetesResource>> informers;
    SharedIndexInformer<Secret> secretInformer;
    SharedIndexInformer<ConfigMap> configMapInformer;
    synchronized (lock) {
      informers = new LinkedHashMap<>(kindInformers);
      secretInformer = Objects.requireNonNull(secrets);
      configMapInformer = Objects.requireNonNull(configMaps);
    }
    informers.forEach(
        (kind, informer) ->
            add(
                Objects.requireNonNull(described(kind)).apiVersion(),
                kind,
                informer.getStore().list(),
                objects,
                problems));
    add("v1", "Secret", secretInformer.getStore().list(), objects, problems);
    add("v1", "ConfigMap", configMapInformer.getStore().list(), objects, problems);
    add("rbac.authorization.k8s.io/v1", "RoleBinding", roleBindings.all(), objects, problems);
    return new ConfigSet(objects, problems);
  }

  private void add(
      String apiVersion,
      String kind,
      List<? extends HasMetadata> resources,
      List<ConfigObject> objects,
      List<Problem> problems) {
    List<HasMetadata> sorted = new ArrayList<>(resources);
    sorted.sort(BY_NAMESPACE_AND_NAME);
    for (HasMetadata resource : sorted) {
      try {
        objects.add(converted(apiVersion, kind, resource));
      } catch (RuntimeException e) {
        // Never drop an object silently: the core shows what could not be read.
        problems.add(
            Problem.error(
                new ObjectRef(kind, String.valueOf(resource.getMetadata().getName())),
                "",
                "could not be read from Kubernetes: " + e.getMessage()));
      }
    }
  }

  /** Settings of a {@link KubernetesConfigSource}; every one has a default. */
  public static final class Builder {
    private @Nullable KubernetesClient client;
    private @Nullable Config config;
    private String namespace = DEFAULT_NAMESPACE;
    private Duration debounce = DEFAULT_DEBOUNCE;
    private Duration syncTimeout = DEFAULT_SYNC_TIMEOUT;
    private @Nullable String tenantKey;
    private final List<ChannelProvider<?, ?>> providers = new ArrayList<>();
    private boolean discoverProviders = true;
    private @Nullable ClassLoader classLoader;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The explicit providers, then those discovered that are not of an explicit one's class. */
    private List<ChannelProvider<?, ?>> providers() {
      List<ChannelProvider<?, ?>> all = new ArrayList<>(providers);
      if (discoverProviders) {
        ClassLoader loader = classLoader;
        if (loader == null) {
          loader = Thread.currentThread().getContextClassLoader();
        }
        if (loader == null) {
          loader = KubernetesConfigSource.class.getClassLoader();
        }
        List<Class<?>> seen = new ArrayList<>();
        providers.forEach(p -> seen.add(p.getClass()));
        @SuppressWarnings("rawtypes")
        ServiceLoader<ChannelProvider> found = ServiceLoader.load(ChannelProvider.class, loader);
        for (ChannelProvider<?, ?> p : found) {
          if (!seen.contains(p.getClass())) {
            seen.add(p.getClass());
            all.add(p);
          }
        }
      }
      return all;
    }

    /** A client to use; the caller keeps ownership and closes it. */
    public Builder client(KubernetesClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Client settings; the source builds its own client and closes it. Without {@code client} or
     * {@code config}, the usual in-cluster or kubeconfig discovery applies.
     */
    public Builder config(Config config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** The namespace of receivers, configs, settings and Secrets. */
    public Builder namespace(String namespace) {
      this.namespace = Objects.requireNonNull(namespace, "namespace");
      return this;
    }

    /** How long changes are gathered into one published set. */
    public Builder debounce(Duration debounce) {
      if (debounce.isNegative()) {
        throw new IllegalArgumentException("debounce: must not be negative, was " + debounce);
      }
      this.debounce = debounce;
      return this;
    }

    /** How long {@link #load()} waits for the first lists before failing. */
    public Builder syncTimeout(Duration syncTimeout) {
      if (syncTimeout.isNegative() || syncTimeout.isZero()) {
        throw new IllegalArgumentException("syncTimeout: must be positive, was " + syncTimeout);
      }
      this.syncTimeout = syncTimeout;
      return this;
    }

    /**
     * Fixes the tenant key instead of reading it from the {@code NotificationManager} object's
     * {@code spec.receivers.tenantKey}. RoleBindings are watched only when it is {@code user}.
     */
    public Builder tenantKey(@Nullable String tenantKey) {
      this.tenantKey = tenantKey;
      return this;
    }

    /**
     * Channel providers whose kinds to read, in addition to those discovered (a provider of the
     * same class as a discovered one is read once).
     */
    public Builder providers(Collection<? extends ChannelProvider<?, ?>> providers) {
      providers.forEach(p -> this.providers.add(Objects.requireNonNull(p, "provider")));
      return this;
    }

    /**
     * Where to discover providers with {@link ServiceLoader}: a plugin class loader, so plugin jars
     * are watched too. Default: the context class loader of the thread that builds.
     */
    public Builder classLoader(ClassLoader classLoader) {
      this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
      return this;
    }

    /** Whether to discover providers at all; with false only {@link #providers} are read. */
    public Builder discoverProviders(boolean discover) {
      this.discoverProviders = discover;
      return this;
    }

    /** The clock of {@link KubernetesConfigSource#health()}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The source.
     *
     * @throws IllegalStateException when two providers claim one kind or plural
     */
    public KubernetesConfigSource build() {
      return new KubernetesConfigSource(this);
    }
  }
}
