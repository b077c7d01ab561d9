package io.nm4j.core;

import io.nm4j.core.delivery.CompositeListener;
import io.nm4j.core.delivery.DeadLetterFile;
import io.nm4j.core.delivery.DeliveryCounters;
import io.nm4j.core.delivery.DeliveryHistory;
import io.nm4j.core.delivery.DeliveryOptions;
import io.nm4j.core.internal.CurrentSnapshot;
import io.nm4j.core.internal.Owner;
import io.nm4j.core.internal.channel.ChannelRuntime;
import io.nm4j.core.internal.delivery.BatchDeduplicator;
import io.nm4j.core.internal.delivery.Delivery;
import io.nm4j.core.internal.delivery.Dispatcher;
import io.nm4j.core.internal.intake.Intake;
import io.nm4j.core.internal.intake.QueuedDelivery;
import io.nm4j.core.internal.intake.Recovery;
import io.nm4j.core.journal.FileJournal;
import io.nm4j.core.journal.InMemoryJournal;
import io.nm4j.core.journal.Journal;
import io.nm4j.core.journal.SharedQueue;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.ConfigSource;
import io.nm4j.spi.DeliveryListener;
import io.nm4j.spi.EgressPolicy;
import io.nm4j.spi.Notification;
import io.nm4j.spi.Problem;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.TemplateEngine;
import io.nm4j.spi.TenantResolver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The entry point of nm4j: holds the current routing {@link Snapshot} of a {@link ConfigSource},
 * rebuilt whenever the source changes, and routes alert batches on it.
 *
 * <pre>{@code
 * NotificationManager nm = NotificationManager.builder()
 *     .configSource(FileConfigSource.of(Path.of("config")))
 *     .build();
 * Receipt receipt = nm.submitWebhook(body); // an Alertmanager webhook body; returns once enqueued
 * receipt.allOutcomes().join();              // or observe a listener
 * }</pre>
 *
 * <p>Each batch is routed on one snapshot; each receiver gets one notification, delivered by the
 * dispatcher (per-receiver queues fair across tenants, retries with backoff, rate limits, dead
 * letters). Secrets are read when a notification is sent, from the newest snapshot, so a rotated
 * secret takes effect at the next attempt.
 */
public final class NotificationManager implements AutoCloseable {
  /** The namespace receivers, configs and secrets live in unless told otherwise. */
  public static final String DEFAULT_NAMESPACE = "kubesphere-monitoring-system";

  private final ChannelRegistry channels;
  private final ConfigSource source;
  private final String namespace;
  private final @Nullable TenantResolver tenantResolver;
  private final Clock clock;
  private final Owner.Egress egress;
  private final @Nullable TemplateEngine templateEngine;
  private final MessageDefaults messageDefaults;
  private final ChannelRuntime runtime;
  private final DeliveryHistory history;
  private final Journal journal;
  private final @Nullable SharedQueue sharedQueue;
  private final int rateShare;
  private final DeliveryCounters deliveryCounters = new DeliveryCounters();
  private final @Nullable DeadLetterFile deadLetters;
  private final Dispatcher dispatcher;
  private final String origin = originMark();
  private final CurrentSnapshot currentSnapshot;
  private final Intake intake;

  private NotificationManager(Builder b) {
    this.channels = ChannelRegistry.discover(b.classLoader(), b.providers);
    this.source = b.source == null ? new InMemoryConfigSource() : b.source;
    this.namespace = b.namespace;
    this.tenantResolver = b.tenantResolver;
    this.clock = b.clock;
    DeliveryOptions options = b.deliveryOptions;
    if (b.journal != null && b.sharedQueue != null) {
      throw new IllegalArgumentException(
          "a journal and a shared queue were both given; accepted batches go to one of them");
    }
    this.journal = b.journal == null ? new InMemoryJournal() : b.journal;
    this.sharedQueue = b.sharedQueue;
    this.rateShare = b.rateShare;
    this.history = new DeliveryHistory(options.historySize(), options.historyBytes(), clock);
    this.deadLetters =
        b.deadLetterFile == null ? null : new DeadLetterFile(b.deadLetterFile, clock);
    List<DeliveryListener> listeners = new ArrayList<>();
    listeners.add(history);
    listeners.add(deliveryCounters);
    if (deadLetters != null) {
      listeners.add(deadLetters);
    }
    DeliveryListener sharedDeadLetters = sharedQueue == null ? null : sharedQueue.deadLetters();
    if (sharedDeadLetters != null) {
      listeners.add(sharedDeadLetters);
    }
    listeners.addAll(b.listeners);
    this.egress = new Owner.Egress(b.tenantEgress, b.adminEgress);
    this.messageDefaults = b.messageDefaults;
    this.templateEngine =
        b.templateEngine != null
            ? b.templateEngine
            // Not discoverChannels' empty loader: turning off channel discovery keeps the engine.
            : TemplateEngine.discover(
                    b.loader != null ? b.loader : NotificationManager.class.getClassLoader())
                .orElse(null);
    this.runtime =
        new ChannelRuntime(
            channels, b.channelOptions, clock, egress, origin, b.templateEngine, b.rateShare);
    this.dispatcher =
        Dispatcher.builder()
            .options(options)
            .clock(clock)
            .listener(CompositeListener.of(listeners))
            .build();
    this.currentSnapshot = new CurrentSnapshot(source, this::snapshotOf, b.snapshotListeners);
    this.intake =
        new Intake(
            currentSnapshot::get,
            this::delivery,
            dispatcher,
            journal,
            sharedQueue,
            new BatchDeduplicator(options.dedupWindow(), options.dedupMaxEntries(), clock),
            clock,
            options.maxQueuedTotal(),
            options.maxQueuedBytes());
    Recovery.recover(intake, journal, dispatcher);
    if (sharedQueue != null) {
      sharedQueue.start(new QueuedDelivery(intake, dispatcher, options.maxQueuedTotal()));
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A random mark of this instance, unguessable by whoever receives its requests. */
  private static String originMark() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** The current snapshot; a batch routed on it sees one consistent configuration. */
  public Snapshot snapshot() {
    return currentSnapshot.get();
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
    return currentSnapshot.get().route(batch);
  }

  /**
   * The explain (dry-run) view of a batch routed on the current snapshot: the notifications it
   * would become, the alerts no receiver gets, the configuration's problems; {@link
   * Explain#toJson()} gives its JSON document.
   */
  public Explain explain(AlertBatch batch) {
    return Explain.of(route(batch));
  }

  /**
   * What each notification of a batch would say on the current snapshot, rendered with the
   * templates chosen for its receiver, of the receivers {@code which} accepts; nothing is sent.
   *
   * @throws IllegalStateException when the manager has no template engine (none given, none on the
   *     class path)
   */
  public Preview preview(AlertBatch batch, Predicate<Destination> which) {
    if (templateEngine == null) {
      throw new IllegalStateException(
          "no template engine: add nm-template-freemarker or give the manager one");
    }
    return Preview.of(currentSnapshot.get(), batch, templateEngine, which);
  }

  /**
   * Accepts a batch for delivery and returns once it is enqueued (never waits for sending): routes
   * it on the current snapshot and enqueues one notification per receiver. A batch identical to one
   * accepted within the deduplication window (Alertmanager re-sending after a timeout) is not
   * enqueued again. With a durable {@link Journal} the batch is on disk before this returns, so a
   * crash after it does not lose the batch: the next start delivers it. Delivery starts once the
   * journal has written the batch, without waiting for its {@code fsync}.
   *
   * @throws RejectedException when the queues cannot take the whole batch or the journal cannot
   *     store it; nothing was enqueued, unless the journal wrote the batch and then could not make
   *     it durable: its notifications go on, and a retry may send them again (at least once)
   */
  public Receipt submit(AlertBatch batch) {
    return submit(batch, null);
  }

  /**
   * Decodes an Alertmanager webhook body ({@link AlertmanagerWebhook#decode(byte[])}) and accepts
   * the batch as {@link #submit(AlertBatch)} does. The journal stores the body as received, which
   * spares encoding the batch again: what a host receiving webhooks should call.
   *
   * @throws InvalidPayloadException when the body is not a valid webhook batch; nothing was
   *     accepted
   * @throws RejectedException as {@link #submit(AlertBatch)}
   */
  public Receipt submitWebhook(byte[] body) {
    return submit(AlertmanagerWebhook.decode(body), body);
  }

  /**
   * Decodes an Alertmanager webhook body and accepts the batch as {@link #submitWebhook(byte[])}
   * does, without waiting for the journal: the future completes once the batch is durable and
   * enqueued, on the thread that completed the journal's write. A host answering senders
   * asynchronously holds no thread through the journal's {@code fsync}, and every batch waiting for
   * it shares one.
   *
   * @return completes with the receipt, or exceptionally with a {@link RejectedException} when the
   *     queues cannot take the whole batch or the journal cannot store it (what was enqueued then,
   *     as {@link #submit(AlertBatch)} says)
   * @throws InvalidPayloadException when the body is not a valid webhook batch; nothing was
   *     accepted
   */
  public CompletableFuture<Receipt> submitWebhookAsync(byte[] body) {
    return intake.submitAsync(AlertmanagerWebhook.decode(body), body);
  }

  private Receipt submit(AlertBatch batch, byte @Nullable [] wireForm) {
    return intake.submit(batch, wireForm);
  }

  /** Counts of what intake accepted and refused since start. */
  public IntakeCounts intakeCounts() {
    return intake.counts();
  }

  /** Delivered, failed, retried and dead-lettered notifications per channel and tenant. */
  public DeliveryCounters deliveryCounters() {
    return deliveryCounters;
  }

  /** Bytes of accepted batches whose notifications are not all final. */
  public long queuedBytes() {
    return intake.queuedBytes();
  }

  /** The dispatcher's unit of work: one notification to one destination, sent by the runtime. */
  private Delivery delivery(Destination d, Notification n) {
    String tenantKey = d.tenant() == null ? "" : d.tenant();
    ChannelLimits.Rate whole = runtime.rateOf(d);
    ChannelLimits.Rate rate = whole == null ? null : whole.share(rateShare);
    String rateKey = rate == null || d.config() == null ? null : d.config().toString();
    // Secrets are read from the newest snapshot at each attempt, so a rotated secret takes effect
    // at the next retry.
    return new Delivery(
        n,
        tenantKey,
        rateKey,
        rate,
        (deadline, progress) ->
            runtime.send(d, n, currentSnapshot.get().secrets(), deadline, progress));
  }

  /**
   * Sends one notification now, once, through the same channels, secret resolution and egress
   * policies as delivery, bypassing queues, retries, history and metrics: what a test notification
   * needs.
   *
   * @param destination a destination of {@code snapshot}, or one with another config of it
   * @param notification what to send
   * @param snapshot where the secrets are resolved, under the ownership rule
   * @param timeout how long the send may take
   */
  public SendResult sendNow(
      Destination destination, Notification notification, Snapshot snapshot, Duration timeout) {
    return runtime.send(
        destination, notification, snapshot.secrets(), clock.instant().plus(timeout));
  }

  /**
   * Validates one object as this manager's snapshots validate it (its channels, namespace and
   * egress policies, secret references under the ownership rule), in the context of a set: the
   * errors of {@code candidate}, empty when it is valid.
   *
   * @param candidate the object, replacing the one of its kind and name in {@code context}
   * @param context the other objects
   */
  public List<Problem> validate(ConfigObject candidate, ConfigSet context) {
    return SnapshotBuilder.validate(
        candidate,
        context,
        channels,
        namespace,
        clock.instant(),
        egress,
        templateEngine,
        messageDefaults);
  }

  /**
   * A snapshot of {@code set} built as this manager builds its own (channels, namespace, egress
   * policies), without installing it: for checking or test-sending a configuration not yet stored.
   */
  public Snapshot snapshotOf(ConfigSet set) {
    return SnapshotBuilder.build(
        set, channels, namespace, tenantResolver, clock, egress, templateEngine, messageDefaults);
  }

  /**
   * The mark this instance sends as the {@value SendRequest#ORIGIN_HEADER} header of every HTTP
   * request: a random value per instance.
   */
  public String origin() {
    return origin;
  }

  /**
   * Whether a received request carries this instance's own mark, so a host's intake can refuse a
   * batch that one of its own notifications sent back (a tenant's webhook pointing at the intake):
   * {@code if (nm.isOwnOrigin(request.header("X-Nm4j-Origin"))) reply 508}.
   *
   * @param headerValue the value of {@value SendRequest#ORIGIN_HEADER}, or {@code null} when absent
   */
  public boolean isOwnOrigin(@Nullable String headerValue) {
    return headerValue != null
        && MessageDigest.isEqual(
            headerValue.strip().getBytes(StandardCharsets.US_ASCII),
            origin.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Whether the configuration source still follows its store; see {@link ConfigSource#health()}.
   */
  public ConfigSource.Health configHealth() {
    return source.health();
  }

  /** The configuration source this manager reads. */
  public ConfigSource configSource() {
    return source;
  }

  /** The in-memory history of delivery attempts and outcomes (bounded; newest first). */
  public DeliveryHistory history() {
    return history;
  }

  /** The queue the replicas share, when the builder was given one instead of a journal. */
  public @Nullable SharedQueue sharedQueue() {
    return sharedQueue;
  }

  /** The intake journal (in memory unless the builder was given another). */
  public Journal journal() {
    return journal;
  }

  /** Notifications queued or waiting for a retry. */
  public int queued() {
    return dispatcher.queued();
  }

  /** The current configuration's problems. */
  public List<Problem> problems() {
    return currentSnapshot.get().problems();
  }

  /** Calls {@code listener} with every new snapshot. */
  public void onSnapshot(Consumer<Snapshot> listener) {
    currentSnapshot.addListener(listener);
  }

  /**
   * Stops: no new batches, drains what is queued for up to the drain timeout, records the rest as
   * dead letters ({@code SHUTDOWN}; they stay in a durable journal and are delivered at the next
   * start, or in the shared queue for the receiver's next owner), then closes the journal or shared
   * queue, channels and the source.
   */
  @Override
  public void close() {
    currentSnapshot.close();
    dispatcher.close();
    journal.close();
    if (sharedQueue != null) {
      sharedQueue.close();
    }
    runtime.close();
    if (deadLetters != null) {
      deadLetters.close();
    }
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
    private @Nullable TemplateEngine templateEngine;
    private MessageDefaults messageDefaults = MessageDefaults.DEFAULT;
    private DeliveryOptions deliveryOptions = DeliveryOptions.defaults();
    private final List<DeliveryListener> listeners = new ArrayList<>();
    private final Map<String, String> channelOptions = new LinkedHashMap<>();
    private @Nullable Path deadLetterFile;
    private @Nullable Journal journal;
    private @Nullable SharedQueue sharedQueue;
    private int rateShare = 1;
    private EgressPolicy tenantEgress = EgressPolicy.tenantDefault();
    private EgressPolicy adminEgress = EgressPolicy.UNRESTRICTED;

    private Builder() {}

    /**
     * Where tenants' configs may connect (default {@link EgressPolicy#tenantDefault()}: no
     * loopback, link-local, unspecified or cloud metadata address). Add the ports of the host's own
     * listeners ({@link EgressPolicy.Builder#denyLocalPort}) and the operator's ranges. Checked
     * when objects are validated and again when each connection is made.
     */
    public Builder tenantEgress(EgressPolicy policy) {
      this.tenantEgress = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Where the admin's configs (global receivers' and default configs) may connect (default {@link
     * EgressPolicy#UNRESTRICTED}).
     */
    public Builder adminEgress(EgressPolicy policy) {
      this.adminEgress = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Where accepted batches are kept until delivered (default: an {@link InMemoryJournal}, which
     * does not survive a crash; use a {@link FileJournal} for durability). The manager closes it.
     * Batches it holds from an earlier run are delivered again when the manager is built.
     */
    public Builder journal(Journal journal) {
      this.journal = Objects.requireNonNull(journal, "journal");
      return this;
    }

    /**
     * A queue several replicas share, in place of a journal: intake appends each accepted batch
     * there, and each replica delivers the receivers it owns in the queue (see {@link
     * SharedQueue}). Not together with {@link #journal(Journal)}. The manager starts and closes it.
     */
    public Builder sharedQueue(SharedQueue queue) {
      this.sharedQueue = Objects.requireNonNull(queue, "queue");
      return this;
    }

    /**
     * How many replicas send to the same endpoints (default 1): each keeps to its share of a rate a
     * vendor enforces per endpoint, e.g. 6 of DingTalk's 20 a minute per robot with 3 replicas, so
     * together they stay within it.
     */
    public Builder rateShare(int replicas) {
      if (replicas < 1) {
        throw new IllegalArgumentException("rateShare: must be at least 1, was " + replicas);
      }
      this.rateShare = replicas;
      return this;
    }

    /** Queue sizes, retries, timeouts, deduplication; override only what differs. */
    public Builder deliveryOptions(DeliveryOptions options) {
      this.deliveryOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Also tells {@code listener} of every attempt and outcome (after the built-in history). */
    public Builder listener(DeliveryListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Appends each dead letter as one JSON line to {@code file} (created if missing). */
    public Builder deadLetterFile(Path file) {
      this.deadLetterFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * A channel option, {@code <channel>.<name>}, e.g. {@code slack.apiUrl}; the channel receives
     * {@code apiUrl}. Used to redirect API base URLs for tests and proxies.
     */
    public Builder channelOption(String key, String value) {
      Objects.requireNonNull(value, "value");
      int dot = key.indexOf('.');
      if (dot <= 0 || dot == key.length() - 1) {
        throw new IllegalArgumentException(
            "channel option must be <channel>.<name>, e.g. <channel>.apiUrl, was \"" + key + "\"");
      }
      channelOptions.put(key, value);
      return this;
    }

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

    /**
     * The engine every channel renders its messages with; by default the one on the class path
     * ({@code nm-template-freemarker}, which every built-in channel brings).
     */
    public Builder templateEngine(TemplateEngine engine) {
      this.templateEngine = Objects.requireNonNull(engine, "engine");
      return this;
    }

    /**
     * The server-wide language and time zone of messages (default English and UTC), below the
     * settings' {@code spec.template.language} and {@code timezone}.
     */
    public Builder messageDefaults(MessageDefaults defaults) {
      this.messageDefaults = Objects.requireNonNull(defaults, "defaults");
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
