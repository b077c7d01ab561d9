package io.nm4j.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.ConfigSource;
import io.nm4j.spi.Problem;
import io.nm4j.spi.TenantResolver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of nm4j: holds the current routing {@link Snapshot} of a {@link ConfigSource},
 * rebuilt whenever the source changes, and routes alert batches on it.
 *
 * <pre>{@code
 * NotificationManager nm = NotificationManager.builder()
 *     .configSource(FileConfigSource.of(Path.of("config")))
 *     .build();
 * Routing routing = nm.route(AlertmanagerWebhook.decode(body));
 * }</pre>
 */
public final class NotificationManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NotificationManager.class);

  /** The namespace receivers, configs and secrets live in unless told otherwise. */
  public static final String DEFAULT_NAMESPACE = "kubesphere-monitoring-system";

  private final ChannelRegistry channels;
  private final ConfigSource source;
  private final String namespace;
  private final @Nullable TenantResolver tenantResolver;
  private final Clock clock;
  private final List<Consumer<Snapshot>> snapshotListeners;
  private final ConfigSource.Subscription subscription;
  private volatile Snapshot snapshot;

  private NotificationManager(Builder b) {
    this.channels = ChannelRegistry.discover(b.classLoader(), b.providers);
    this.source = b.source == null ? new InMemoryConfigSource() : b.source;
    this.namespace = b.namespace;
    this.tenantResolver = b.tenantResolver;
    this.clock = b.clock;
    this.snapshotListeners = new CopyOnWriteArrayList<>(b.snapshotListeners);
    this.snapshot = buildSnapshot(source.load());
    this.subscription = source.watch(this::onConfigChange);
  }

  public static Builder builder() {
    return new Builder();
  }

  private Snapshot buildSnapshot(ConfigSet set) {
    Snapshot s = SnapshotBuilder.build(set, channels, namespace, tenantResolver, clock.instant());
    for (Problem p : s.problems()) {
      if (p.severity() == Problem.Severity.ERROR) {
        log.warn("config problem: {}", p);
      } else {
        log.info("config notice: {}", p);
      }
    }
    return s;
  }

  private void onConfigChange(ConfigSet set) {
    Snapshot next;
    try {
      next = buildSnapshot(set);
    } catch (RuntimeException e) {
      log.error(
          "config change from {} not applied; keeping the previous snapshot", source.describe(), e);
      return;
    }
    snapshot = next;
    log.info(
        "config reloaded from {}: {} receivers, {} problems",
        source.describe(),
        next.destinations().size(),
        next.problems().size());
    for (Consumer<Snapshot> l : snapshotListeners) {
      try {
        l.accept(next);
      } catch (RuntimeException e) {
        log.warn("snapshot listener failed", e);
      }
    }
  }

  /** The current snapshot; a batch routed on it sees one consistent configuration. */
  public Snapshot snapshot() {
    return snapshot;
  }

  /** The channel providers in use. */
  public ChannelRegistry channels() {
    return channels;
  }

  public String namespace() {
    return namespace;
  }

  public Clock clock() {
    return clock;
  }

  /** Routes a batch on the current snapshot without sending anything. */
  public Routing route(AlertBatch batch) {
    return snapshot.route(batch);
  }

  /** The explain (dry-run) document of a batch, as in {@code SEMANTICS.md}. */
  public ObjectNode explain(AlertBatch batch) {
    return Explain.toJson(route(batch));
  }

  /** The current configuration's problems. */
  public List<Problem> problems() {
    return snapshot.problems();
  }

  /** Calls {@code listener} with every new snapshot. */
  public void onSnapshot(Consumer<Snapshot> listener) {
    snapshotListeners.add(listener);
  }

  @Override
  public void close() {
    subscription.close();
    source.close();
  }

  /** Builds a {@link NotificationManager}; every setting has a default. */
  public static final class Builder {
    private final List<ChannelProvider<?, ?>> providers = new ArrayList<>();
    private final List<Consumer<Snapshot>> snapshotListeners = new ArrayList<>();
    private boolean discover = true;
    private @Nullable ClassLoader loader;
    private @Nullable ConfigSource source;
    private String namespace = DEFAULT_NAMESPACE;
    private @Nullable TenantResolver tenantResolver;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Registers a channel provider explicitly (in addition to discovered ones). */
    public Builder channel(ChannelProvider<?, ?> provider) {
      providers.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /**
     * Whether to discover channel providers with {@link java.util.ServiceLoader} (default true);
     * with false only explicitly registered channels are used.
     */
    public Builder discoverChannels(boolean discover) {
      this.discover = discover;
      return this;
    }

    /** The class loader to discover channel providers in (default: this class's). */
    public Builder classLoader(ClassLoader loader) {
      this.loader = Objects.requireNonNull(loader, "loader");
      return this;
    }

    /** Where the configuration comes from (default: an empty in-memory source). */
    public Builder configSource(ConfigSource source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /** The namespace of receivers, configs and secrets (default {@value #DEFAULT_NAMESPACE}). */
    public Builder namespace(String namespace) {
      this.namespace = Objects.requireNonNull(namespace, "namespace");
      return this;
    }

    /** A host's own tenant resolver, replacing the one the tenant key implies. */
    public Builder tenantResolver(TenantResolver resolver) {
      this.tenantResolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /** The clock for all timing (default UTC system clock); tests inject their own. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Called with every snapshot built after a configuration change. */
    public Builder onSnapshot(Consumer<Snapshot> listener) {
      snapshotListeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    ClassLoader classLoader() {
      if (!discover) {
        return new ClassLoader(null) {};
      }
      return loader != null ? loader : NotificationManager.class.getClassLoader();
    }

    /** Builds the manager and loads the first snapshot (blocking until the source has it). */
    public NotificationManager build() {
      return new NotificationManager(this);
    }
  }
}
