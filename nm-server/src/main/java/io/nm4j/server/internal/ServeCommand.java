package io.nm4j.server.internal;

import io.nm4j.core.FileConfigSource;
import io.nm4j.core.MessageDefaults;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.admin.AdminService;
import io.nm4j.core.admin.Authenticator;
import io.nm4j.core.admin.ProxyHeaderAuthenticator;
import io.nm4j.core.admin.TokenFileAuthenticator;
import io.nm4j.core.delivery.DeliveryHistory;
import io.nm4j.core.delivery.DeliveryOptions;
import io.nm4j.core.journal.FileJournal;
import io.nm4j.k8s.KubernetesConfigSource;
import io.nm4j.kafka.KafkaQueue;
import io.nm4j.server.Nm4jServer;
import io.nm4j.spi.ConfigSource;
import io.nm4j.spi.ConfigStore;
import io.nm4j.spi.EgressPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nm4j serve}: runs the server on a configuration directory (hot reloaded) or a Kubernetes
 * namespace, until SIGTERM/SIGINT; then it stops intake (503), drains, and exits.
 *
 * <p>Values are checked here rather than by picocli's converters, so an error names the flag the
 * operator typed and says what it must be.
 */
@Command(
    name = ServeCommand.NAME,
    descriptionHeading = "%n",
    optionListHeading = "%nOptions:%n",
    sortOptions = false,
    customSynopsis = "nm4j serve (--config DIR | --kubernetes) [OPTIONS]",
    description = "Run the server: Alertmanager posts to /api/v2/alerts.",
    footer = {
      "",
      "Every option may also come from an environment variable named NM4J_ and the option in capitals",
      "with _ for -, e.g. NM4J_MAX_IN_FLIGHT=8, NM4J_KUBERNETES=true; a repeatable option takes a",
      "comma-separated list. An option on the command line wins. Arguments may be read from @FILE.",
      "",
      "Intake listener: POST /api/v2/alerts (200 accepted, 400 malformed, 401 without the intake token,",
      "413 too large, 503 full or stopping, 508 a notification of this server sent back to it),",
      "POST /api/v2/explain, POST /api/v2/render and GET /api/v2/deliveries (a caller is required;",
      "a tenant sees only its own receivers), GET /metrics, GET /healthz, GET /readyz (503 while",
      "stopping or while the configuration source fails for longer than --ready-stale-after),",
      "POST /sink (a demo webhook receiver that logs what it gets).",
      "Admin listener (--admin-listen): /kapis/notification.kubesphere.io/v2alpha1/{resource}[/{name}];",
      "the v2beta2 receivers, configs, routers and silences under .../v2beta2/{resource}[/{name}].",
      "Without --auth-tokens or --trust-proxy-headers the data endpoints and the admin API serve",
      "loopback callers only.",
      "A batch answered 200 is in the journal under --data-dir (fsynced); a restart delivers what was",
      "accepted and not yet delivered. On SIGTERM intake answers 503, deliveries go on for",
      "--drain-timeout, then a send still in flight gets at most --send-timeout; what is left stays in",
      "the journal for the next start.",
      "With --kafka-bootstrap a batch answered 200 is committed to the Kafka topic instead (acks=all,",
      "one transaction), and the replica owning each receiver's partition delivers it; what a replica",
      "stopping or crashing leaves undelivered, the next owner sends. Dead letters also go to",
      "--kafka-dead-letter-topic before their record is settled. /readyz answers 503 while the",
      "brokers cannot be reached or the replica's consumer has failed.",
      "Exit codes: 0 after a clean stop; 2 bad arguments or unusable configuration, files or ports."
    })
public final class ServeCommand implements Callable<Integer> {
  public static final String NAME = "serve";

  // More sends at once to one endpoint than this would be a flood, not a setting.
  private static final int MAX_IN_FLIGHT_LIMIT = 64;

  @Spec CommandSpec spec;

  @Mixin HelpOption help = new HelpOption();

  @Option(
      names = "--config",
      paramLabel = "DIR",
      description = "directory of manifests (required without --kubernetes)")
  @Nullable String config;

  @Option(
      names = "--kubernetes",
      description = "read the configuration from the cluster instead of --config")
  boolean kubernetes;

  @Mixin ChannelsAndNamespace channels = new ChannelsAndNamespace();

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description = "where the intake listens (default 127.0.0.1:19093)")
  @Nullable String listen;

  @Option(
      names = "--admin-listen",
      paramLabel = "HOST:PORT",
      description = "where the admin API listens (default 127.0.0.1:19094)")
  @Nullable String adminListen;

  @Option(
      names = "--channel-option",
      paramLabel = "CH.NAME=VALUE",
      split = ",",
      description =
          "a channel option, e.g. CH.apiUrl=http://127.0.0.1:8080/api/; repeatable, and each"
              + " value may hold several, comma-separated")
  List<String> channelOptions = new ArrayList<>();

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "where the intake journal and dead letters live (default ./nm4j-data, created)")
  @Nullable String dataDir;

  @Option(
      names = "--dead-letters",
      paramLabel = "FILE",
      description = "JSON-lines file of dead letters (default DATA_DIR/dead-letters.jsonl)")
  @Nullable String deadLetters;

  @Option(
      names = "--journal-segment-bytes",
      paramLabel = "BYTES",
      description = "size at which the journal starts a new segment file (default 64 MiB)")
  @Nullable String journalSegmentBytes;

  @Option(
      names = "--kafka-bootstrap",
      paramLabel = "HOST:PORT[,...]",
      description =
          "keep accepted batches in a Kafka topic that all replicas share instead of the journal"
              + " under --data-dir; every replica of a --kafka-group delivers its share")
  @Nullable String kafkaBootstrap;

  @Option(
      names = "--kafka-topic",
      paramLabel = "NAME",
      description = "the topic of the notifications (default nm4j-notifications)")
  @Nullable String kafkaTopic;

  @Option(
      names = "--kafka-dead-letter-topic",
      paramLabel = "NAME",
      description =
          "the topic every replica writes its dead letters to, one JSON object each (default the"
              + " --kafka-topic and -dead-letters)")
  @Nullable String kafkaDeadLetterTopic;

  @Option(
      names = "--kafka-group",
      paramLabel = "NAME",
      description = "the consumer group of all replicas (default nm4j)")
  @Nullable String kafkaGroup;

  @Option(
      names = "--kafka-replica",
      paramLabel = "NAME",
      description =
          "this replica's name, unique in the group and stable across restarts (default the host"
              + " name, a StatefulSet pod's name)")
  @Nullable String kafkaReplica;

  @Option(
      names = "--kafka-partitions",
      paramLabel = "N",
      description =
          "partitions of the topic when the server creates it (default 12): the most replicas that"
              + " deliver at once")
  @Nullable String kafkaPartitions;

  @Option(
      names = "--kafka-append-timeout",
      paramLabel = "DURATION",
      description =
          "how long intake waits for the brokers to store a batch before answering 503 (default"
              + " 5s)")
  @Nullable String kafkaAppendTimeout;

  @Option(
      names = "--kafka-property",
      paramLabel = "KEY=VALUE",
      split = ",",
      description =
          "a Kafka client property, e.g. security.protocol=SSL or sasl.mechanism=SCRAM-SHA-512;"
              + " repeatable")
  List<String> kafkaProperties = new ArrayList<>();

  @Option(
      names = "--auth-tokens",
      paramLabel = "FILE",
      description =
          "bearer tokens of API callers, lines token,user,group1|group2 (reloaded on change)")
  @Nullable String authTokens;

  @Option(
      names = "--trust-proxy-headers",
      description =
          "trust X-Remote-User/X-Remote-Group from a front proxy (and X-Forwarded-For in audit"
              + " lines)")
  boolean trustProxyHeaders;

  @Option(
      names = "--admin-group",
      paramLabel = "GROUP",
      description = "the group that manages everything (default nm-admins)")
  @Nullable String adminGroup;

  @Option(
      names = "--tenant-max-objects",
      paramLabel = "N",
      description =
          "most receivers, configs and secrets one tenant may hold (default "
              + AdminService.DEFAULT_TENANT_MAX_OBJECTS
              + ")")
  @Nullable String tenantMaxObjects;

  @Option(
      names = "--tenant-max-bytes",
      paramLabel = "BYTES",
      description = "most bytes of stored objects one tenant may hold (default 4 MiB)")
  @Nullable String tenantMaxBytes;

  @Option(
      names = "--egress-deny",
      paramLabel = "CIDR",
      split = ",",
      description =
          "tenants' configs may not connect to CIDR, e.g. 10.0.0.0/8 (repeatable); loopback,"
              + " link-local, cloud metadata addresses and this server's ports are always denied")
  List<String> egressDeny = new ArrayList<>();

  @Option(
      names = "--egress-allow",
      paramLabel = "CIDR",
      split = ",",
      description =
          "tenants' configs may connect to CIDR, e.g. 10.20.0.0/16, even inside a denied range"
              + " (repeatable); a built-in denied range re-opens only where CIDR lies inside it")
  List<String> egressAllow = new ArrayList<>();

  @Option(
      names = "--admin-egress-deny",
      paramLabel = "CIDR",
      split = ",",
      description =
          "the admin's configs may not connect to CIDR either (repeatable; default: they may"
              + " connect anywhere)")
  List<String> adminEgressDeny = new ArrayList<>();

  @Option(
      names = "--intake-token-file",
      paramLabel = "FILE",
      description =
          "intake needs a bearer token from FILE, one per line (reloaded; missing or empty refuses"
              + " all)")
  @Nullable Path intakeTokenFile;

  @Option(
      names = "--metrics-auth",
      description = "serve /metrics to admin callers only (default: open)")
  boolean metricsAuth;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description = "PEM certificate chain: both listeners speak TLS (HTTP/2 by ALPN)")
  @Nullable Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key of --tls-cert")
  @Nullable Path tlsKey;

  @Option(
      names = "--tls-client-ca",
      paramLabel = "FILE",
      description = "PEM CA bundle: clients must present a certificate it signed (mutual TLS)")
  @Nullable Path tlsClientCa;

  @Option(
      names = "--max-body",
      paramLabel = "BYTES",
      description = "largest accepted alert body (default 10 MiB)")
  @Nullable String maxBody;

  @Option(
      names = "--intake-threads",
      paramLabel = "N",
      description = "threads handling intake requests (default 16)")
  @Nullable String intakeThreads;

  @Option(
      names = "--admin-threads",
      paramLabel = "N",
      description = "threads handling admin API requests (default 8)")
  @Nullable String adminThreads;

  @Option(
      names = "--verify-concurrency",
      paramLabel = "N",
      description = "admin test notifications sent at once; more get 429 (default 4)")
  @Nullable String verifyConcurrency;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      description = "open connections per listener; more wait to be accepted (default 1024)")
  @Nullable String maxConnections;

  @Option(
      names = "--max-header-bytes",
      paramLabel = "BYTES",
      description = "largest request header; larger get 431 (default 8192)")
  @Nullable String maxHeaderBytes;

  @Option(
      names = "--header-timeout",
      paramLabel = "DURATION",
      description = "a new connection must send a request header within it (default 10s)")
  @Nullable String headerTimeout;

  @Option(
      names = "--idle-timeout",
      paramLabel = "DURATION",
      description = "a silent connection is closed after it (default 30s)")
  @Nullable String idleTimeout;

  @Option(
      names = "--request-timeout",
      paramLabel = "DURATION",
      description = "a request body must arrive within it, else 408 (default 60s)")
  @Nullable String requestTimeout;

  @Option(
      names = "--history-size",
      paramLabel = "N",
      description =
          "most records of the in-memory delivery history (default "
              + DeliveryHistory.DEFAULT_SIZE
              + ")")
  @Nullable String historySize;

  @Option(
      names = "--history-bytes",
      paramLabel = "BYTES",
      description = "most heap the delivery history may hold, estimated (default 8 MiB)")
  @Nullable String historyBytes;

  @Option(
      names = "--drain-timeout",
      paramLabel = "DURATION",
      description = "on SIGTERM, how long to keep delivering before stopping (default 10s)")
  @Nullable String drainTimeout;

  @Option(
      names = "--send-timeout",
      paramLabel = "DURATION",
      description = "how long one send may take, e.g. 30s (default 30s)")
  @Nullable String sendTimeout;

  @Option(
      names = "--max-in-flight",
      paramLabel = "N",
      description =
          "sends in progress at once per receiver, each for another alert group (default "
              + DeliveryOptions.DEFAULT_MAX_IN_FLIGHT_PER_RECEIVER
              + "; 1 sends one at a time)")
  @Nullable String maxInFlight;

  @Option(
      names = "--rate-share",
      paramLabel = "N",
      description =
          "replicas sending to the same endpoints (default 1): each keeps to 1/N of a rate a"
              + " vendor enforces per endpoint, e.g. 6 of DingTalk's 20 a minute with 3")
  @Nullable String rateShare;

  @Option(
      names = "--ready-stale-after",
      paramLabel = "DURATION",
      description =
          "/readyz answers 503 once the configuration source has failed to load for longer"
              + " (default 2m)")
  @Nullable String readyStaleAfter;

  @Mixin LanguageAndTimezone messages = new LanguageAndTimezone();

  private final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // The server's own log is its output (deliveries, failures, reloads, access lines): unlike the
    // one-shot commands, it logs nm4j's INFO lines. Set before the first nm4j logger is created.
    System.setProperty("org.slf4j.simpleLogger.log.io.nm4j", "info");
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    Running running;
    try {
      running = launch(out, err);
    } catch (IllegalArgumentException | InputException e) {
      err.println("nm4j serve: " + Lines.oneLine(String.valueOf(e.getMessage())));
      return 2;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  running.close();
                  stop.countDown();
                },
                "nm4j-shutdown"));
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /**
   * The server the options describe, started: what {@code serve} runs until SIGTERM, and what a
   * test runs in its own JVM. {@link #close()} stops it as SIGTERM does: intake answers 503, the
   * manager drains (what is left stays in the journal), then the listeners close.
   *
   * @param server the listeners
   * @param manager the manager behind them
   * @param admin the admin API's service; {@code null} when the source cannot be written
   */
  public record Running(
      Nm4jServer server, NotificationManager manager, @Nullable AdminService admin)
      implements AutoCloseable {
    @Override
    public void close() {
      server.stopIntake();
      if (admin != null) {
        admin.close();
      }
      manager.close();
      server.close();
    }
  }

  /**
   * Checks every option, then opens the journal, binds the listeners, builds the manager (its
   * tenant egress policy denies the ports just bound) and the admin service, and starts serving.
   * What was opened is closed again when a step fails.
   *
   * @throws InputException naming the flag or file that cannot be used
   * @throws IllegalArgumentException naming the flag whose value is wrong
   */
  public Running launch(PrintWriter out, PrintWriter err) throws InputException {
    return start(prepare(), out, err);
  }

  /** Every option checked and parsed, before anything starts. */
  private record Prepared(
      String namespace,
      Nm4jServer.Builder server,
      InetSocketAddress listen,
      InetSocketAddress adminListen,
      DeliveryOptions delivery,
      long segmentBytes,
      Path dataDir,
      Path deadLetters,
      Map<String, String> channelOptions,
      List<Authenticator> authenticators,
      ClassLoader plugins,
      EgressPolicy.Builder tenantEgress,
      @Nullable EgressPolicy adminEgress,
      @Nullable Integer tenantMaxObjects,
      @Nullable Long tenantMaxBytes,
      KafkaQueue.@Nullable Builder kafka,
      int rateShare,
      MessageDefaults messageDefaults) {}

  private Prepared prepare() throws InputException {
    if (kubernetes == (config != null)) {
      throw new InputException("give exactly one of --config DIR and --kubernetes");
    }
    InetSocketAddress intakeAddress =
        listen == null ? Nm4jServer.DEFAULT_LISTEN : address("--listen", listen);
    InetSocketAddress adminAddress =
        adminListen == null
            ? Nm4jServer.DEFAULT_ADMIN_LISTEN
            : address("--admin-listen", adminListen);
    Nm4jServer.Builder server = Nm4jServer.builder().metricsAuth(metricsAuth);
    if (readyStaleAfter != null) {
      server.readyStaleAfter(positive("--ready-stale-after", readyStaleAfter));
    }
    if (maxBody != null) {
      server.maxBodyBytes(intIn("--max-body", maxBody, 1, Integer.MAX_VALUE));
    }
    if (intakeThreads != null) {
      server.intakeThreads(intIn("--intake-threads", intakeThreads, 1, 1024));
    }
    if (adminThreads != null) {
      server.adminThreads(intIn("--admin-threads", adminThreads, 1, 1024));
    }
    if (verifyConcurrency != null) {
      server.verifyConcurrency(intIn("--verify-concurrency", verifyConcurrency, 1, 256));
    }
    if (maxConnections != null) {
      server.maxConnections(intIn("--max-connections", maxConnections, 1, 1_000_000));
    }
    if (maxHeaderBytes != null) {
      server.maxHeaderBytes(intIn("--max-header-bytes", maxHeaderBytes, 1024, 1024 * 1024));
    }
    if (headerTimeout != null) {
      server.headerTimeout(positive("--header-timeout", headerTimeout));
    }
    if (idleTimeout != null) {
      server.idleTimeout(positive("--idle-timeout", idleTimeout));
    }
    if (requestTimeout != null) {
      server.requestTimeout(positive("--request-timeout", requestTimeout));
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new InputException("--tls-cert and --tls-key go together");
    }
    if (tlsClientCa != null && tlsCert == null) {
      throw new InputException("--tls-client-ca needs --tls-cert and --tls-key");
    }
    if (tlsCert != null && tlsKey != null) {
      readable("--tls-cert", tlsCert);
      readable("--tls-key", tlsKey);
      if (tlsClientCa != null) {
        readable("--tls-client-ca", tlsClientCa);
      }
      server.tls(tlsCert, tlsKey, tlsClientCa);
    }
    if (intakeTokenFile != null) {
      readable("--intake-token-file", intakeTokenFile);
      server.intakeTokenFile(intakeTokenFile);
    }
    DeliveryOptions delivery = deliveryOptions();
    long segmentBytes =
        journalSegmentBytes == null
            ? 64L * 1024 * 1024
            : number("--journal-segment-bytes", journalSegmentBytes);
    if (segmentBytes < 1024) {
      throw new IllegalArgumentException(
          "--journal-segment-bytes: must be at least 1024, was " + segmentBytes);
    }
    if (!kubernetes && !Files.isDirectory(Path.of(config))) {
      throw new InputException(config + ": not a readable directory");
    }
    // Checked before anything starts: a server that cannot journal must not come up at all.
    Path data = Path.of(dataDir == null ? "nm4j-data" : dataDir);
    String unusable = unusableDataDir(data);
    if (unusable != null) {
      throw new InputException("--data-dir " + data + ": " + unusable);
    }
    Map<String, String> options = new LinkedHashMap<>();
    for (String pair : channelOptions) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "--channel-option: expected CHANNEL.NAME=VALUE, was \"" + pair + "\"");
      }
      options.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    List<Authenticator> authenticators = new ArrayList<>();
    if (authTokens != null) {
      try {
        authenticators.add(TokenFileAuthenticator.of(Path.of(authTokens)));
      } catch (UncheckedIOException e) {
        throw new InputException("--auth-tokens " + authTokens + ": cannot be read");
      }
    }
    if (trustProxyHeaders) {
      authenticators.add(new ProxyHeaderAuthenticator());
    }
    server.authenticators(authenticators);
    EgressPolicy.Builder tenantEgress = EgressPolicy.builder();
    for (String cidr : egressDeny) {
      cidr("--egress-deny", cidr, tenantEgress::deny);
    }
    for (String cidr : egressAllow) {
      cidr("--egress-allow", cidr, tenantEgress::allow);
    }
    EgressPolicy adminEgress = null;
    if (!adminEgressDeny.isEmpty()) {
      // the operator's ranges only: the admin's own services on loopback (the demo sink) stay open
      EgressPolicy.Builder b = EgressPolicy.builder().builtInDenials(false);
      for (String cidr : adminEgressDeny) {
        cidr("--admin-egress-deny", cidr, b::deny);
      }
      adminEgress = b.build();
    }
    Integer maxObjects =
        tenantMaxObjects == null
            ? null
            : intIn("--tenant-max-objects", tenantMaxObjects, 1, 1_000_000);
    Long maxBytes = null;
    if (tenantMaxBytes != null) {
      maxBytes = number("--tenant-max-bytes", tenantMaxBytes);
      if (maxBytes < 1) {
        throw new IllegalArgumentException(
            "--tenant-max-bytes: must be at least 1, was " + maxBytes);
      }
    }
    return new Prepared(
        channels.namespace(),
        server,
        intakeAddress,
        adminAddress,
        delivery,
        segmentBytes,
        data,
        deadLetters == null ? data.resolve("dead-letters.jsonl") : Path.of(deadLetters),
        options,
        authenticators,
        channels.channelLoader(),
        tenantEgress,
        adminEgress,
        maxObjects,
        maxBytes,
        kafka(),
        rateShare == null ? 1 : intIn("--rate-share", rateShare, 1, 1000),
        messages.messageDefaults());
  }

  /** The Kafka queue's settings, or {@code null} without {@code --kafka-bootstrap}. */
  private KafkaQueue.@Nullable Builder kafka() {
    if (kafkaBootstrap == null) {
      for (String flag : kafkaFlagsGiven()) {
        throw new IllegalArgumentException(flag + ": needs --kafka-bootstrap");
      }
      return null;
    }
    if (kafkaBootstrap.isBlank()) {
      throw new IllegalArgumentException("--kafka-bootstrap: must name at least one HOST:PORT");
    }
    KafkaQueue.Builder b = KafkaQueue.builder().bootstrapServers(kafkaBootstrap.strip());
    if (kafkaTopic != null) {
      b.topic(name("--kafka-topic", kafkaTopic));
    }
    if (kafkaDeadLetterTopic != null) {
      b.deadLetterTopic(name("--kafka-dead-letter-topic", kafkaDeadLetterTopic));
    }
    if (kafkaGroup != null) {
      b.group(name("--kafka-group", kafkaGroup));
    }
    if (kafkaReplica != null) {
      b.replica(name("--kafka-replica", kafkaReplica));
    }
    if (kafkaPartitions != null) {
      b.partitions(intIn("--kafka-partitions", kafkaPartitions, 1, 10_000));
    }
    if (kafkaAppendTimeout != null) {
      b.appendTimeout(positive("--kafka-append-timeout", kafkaAppendTimeout));
    }
    for (String pair : kafkaProperties) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "--kafka-property: expected KEY=VALUE, was \"" + pair + "\"");
      }
      b.property(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
    }
    return b;
  }

  /** The {@code --kafka-*} flags given besides {@code --kafka-bootstrap}. */
  private List<String> kafkaFlagsGiven() {
    Map<String, @Nullable Object> values = new LinkedHashMap<>();
    values.put("--kafka-topic", kafkaTopic);
    values.put("--kafka-dead-letter-topic", kafkaDeadLetterTopic);
    values.put("--kafka-group", kafkaGroup);
    values.put("--kafka-replica", kafkaReplica);
    values.put("--kafka-partitions", kafkaPartitions);
    values.put("--kafka-append-timeout", kafkaAppendTimeout);
    values.put("--kafka-property", kafkaProperties.isEmpty() ? null : kafkaProperties);
    List<String> given = new ArrayList<>();
    values.forEach(
        (flag, value) -> {
          if (value != null) {
            given.add(flag);
          }
        });
    return given;
  }

  /** A topic, group or replica name as Kafka allows them: letters, digits, '.', '_', '-'. */
  private static String name(String flag, String text) {
    String name = text.strip();
    if (!name.matches("[A-Za-z0-9._-]{1,200}")) {
      throw new IllegalArgumentException(
          flag + ": must be 1 to 200 letters, digits, '.', '_' or '-', was \"" + text + "\"");
    }
    return name;
  }

  private static void cidr(String flag, String text, Consumer<String> add) {
    try {
      add.accept(text.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens the source and the journal, binds the listeners, builds the manager and starts the
   * server; closes what it opened on error.
   */
  private Running start(Prepared p, PrintWriter out, PrintWriter err) throws InputException {
    ConfigSource source =
        kubernetes
            ? KubernetesConfigSource.builder()
                .namespace(p.namespace())
                // the kinds of the plugins' channels too, not only those of the jar
                .classLoader(p.plugins())
                .build()
            : FileConfigSource.of(Path.of(config));
    List<AutoCloseable> opened = new ArrayList<>();
    opened.add(source);
    try {
      return start(p, source, opened, out, err);
    } catch (InputException | RuntimeException e) {
      Collections.reverse(opened);
      for (AutoCloseable c : opened) {
        try {
          c.close();
        } catch (Exception closing) {
          e.addSuppressed(closing);
        }
      }
      throw e;
    }
  }

  private Running start(
      Prepared p, ConfigSource source, List<AutoCloseable> opened, PrintWriter out, PrintWriter err)
      throws InputException {
    ServerSocketChannel intakeChannel = bind("--listen", p.listen());
    opened.add(intakeChannel);
    ServerSocketChannel adminChannel = null;
    if (source instanceof ConfigStore) {
      adminChannel = bind("--admin-listen", p.adminListen());
      opened.add(adminChannel);
    }
    AutoCloseable accepted;
    try {
      Path parent = p.deadLetters().toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      accepted =
          p.kafka() != null
              ? p.kafka().build()
              : FileJournal.open(p.dataDir().resolve("journal"), p.segmentBytes());
    } catch (IOException e) {
      // an IOException's message is often the bare path; its type says what went wrong
      throw new InputException("--data-dir " + p.dataDir() + ": cannot open the journal: " + e);
    }
    opened.add(accepted);
    if (accepted instanceof FileJournal journal) {
      for (String repair : journal.repairs()) {
        err.println("nm4j serve: " + repair);
      }
    }
    // Tenants never reach this server's own listeners, on any address of the host.
    EgressPolicy.Builder tenantEgress = p.tenantEgress().denyLocalPort(port(intakeChannel));
    if (adminChannel != null) {
      tenantEgress.denyLocalPort(port(adminChannel));
    }
    NotificationManager.Builder builder =
        NotificationManager.builder()
            .configSource(source)
            .namespace(p.namespace())
            .classLoader(p.plugins())
            .deliveryOptions(p.delivery())
            .deadLetterFile(p.deadLetters())
            .rateShare(p.rateShare())
            .messageDefaults(p.messageDefaults())
            .tenantEgress(tenantEgress.build());
    if (accepted instanceof KafkaQueue queue) {
      builder.sharedQueue(queue);
    } else {
      builder.journal((FileJournal) accepted);
    }
    if (p.adminEgress() != null) {
      builder.adminEgress(p.adminEgress());
    }
    p.channelOptions().forEach(builder::channelOption);
    NotificationManager manager;
    try {
      manager = builder.build();
    } catch (RuntimeException e) {
      throw new InputException("cannot start: " + e.getMessage());
    }
    // the manager closes the journal or queue and the source from now on
    opened.remove(accepted);
    opened.remove(source);
    opened.add(manager);
    AdminService admin = null;
    Nm4jServer.Builder server = p.server().manager(manager).listen(intakeChannel);
    if (source instanceof ConfigStore store && adminChannel != null) {
      AdminService.Builder ab =
          AdminService.builder()
              .store(store)
              .manager(manager)
              .adminGroup(adminGroup == null ? AdminService.DEFAULT_ADMIN_GROUP : adminGroup);
      if (p.tenantMaxObjects() != null) {
        ab.tenantMaxObjects(p.tenantMaxObjects());
      }
      if (p.tenantMaxBytes() != null) {
        ab.tenantMaxBytes(p.tenantMaxBytes());
      }
      admin = ab.build();
      opened.add(admin);
      server.admin(admin).adminListen(adminChannel);
    } else {
      out.println("nm4j admin API: not available for " + source.describe());
    }
    if (p.authenticators().isEmpty()) {
      out.println("nm4j API: no authenticator configured; serving loopback callers only");
    }
    Nm4jServer started;
    try {
      started = server.build().start();
    } catch (IOException | IllegalArgumentException e) {
      throw new InputException("cannot listen: " + e.getMessage());
    }
    String scheme = started.tls() ? "https" : "http";
    InetSocketAddress adminAt = started.adminAddress();
    out.println(
        "nm4j listening on "
            + scheme
            + "://"
            + hostPort(started.address())
            + (adminAt == null ? "" : ", admin API on " + scheme + "://" + hostPort(adminAt))
            + " ("
            + source.describe()
            + ", "
            + manager.snapshot().destinations().size()
            + " receivers, "
            + manager.problems().size()
            + " problems)");
    out.flush();
    return new Running(started, manager, admin);
  }

  private static String hostPort(InetSocketAddress a) {
    return a.getHostString() + ":" + a.getPort();
  }

  private static ServerSocketChannel bind(String flag, InetSocketAddress address)
      throws InputException {
    try {
      return Nm4jServer.bind(address);
    } catch (IOException | RuntimeException e) {
      throw new InputException(
          flag + " " + hostPort(address) + ": cannot listen: " + e.getMessage());
    }
  }

  private static int port(ServerSocketChannel channel) {
    return channel.socket().getLocalPort();
  }

  private static void readable(String flag, Path file) throws InputException {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new InputException(flag + " " + file + ": not a readable file");
    }
  }

  /** Why the data directory cannot hold the journal, or {@code null} when it can. */
  static @Nullable String unusableDataDir(Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      return "not a directory (a file of that name is in the way)";
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      return "cannot be created: " + e;
    }
    if (!Files.isWritable(dir)) {
      return "not writable";
    }
    return null;
  }

  /** The delivery options of the reliability flags, each checked and named as typed. */
  DeliveryOptions deliveryOptions() {
    DeliveryOptions.Builder b = DeliveryOptions.defaults().toBuilder();
    if (historySize != null) {
      b.historySize(intIn("--history-size", historySize, 1, Integer.MAX_VALUE));
    }
    if (historyBytes != null) {
      long n = number("--history-bytes", historyBytes);
      if (n < DeliveryHistory.MIN_BYTES) {
        throw new IllegalArgumentException(
            "--history-bytes: must be at least " + DeliveryHistory.MIN_BYTES + ", was " + n);
      }
      b.historyBytes(n);
    }
    if (drainTimeout != null) {
      b.drainTimeout(duration("--drain-timeout", drainTimeout));
    }
    if (sendTimeout != null) {
      b.sendTimeout(positive("--send-timeout", sendTimeout));
    }
    if (maxInFlight != null) {
      b.maxInFlightPerReceiver(intIn("--max-in-flight", maxInFlight, 1, MAX_IN_FLIGHT_LIMIT));
    }
    return b.build();
  }

  private static int intIn(String flag, String text, int min, int max) {
    long n = number(flag, text);
    if (n < min || n > max) {
      throw new IllegalArgumentException(flag + ": must be " + min + ".." + max + ", was " + n);
    }
    return (int) n;
  }

  private static long number(String flag, String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          flag + ": must be a whole number, was \"" + text + "\"", e);
    }
  }

  private static Duration positive(String flag, String text) {
    Duration d = duration(flag, text);
    if (d.isZero()) {
      throw new IllegalArgumentException(flag + ": must be positive");
    }
    return d;
  }

  /** {@code 500ms}, {@code 10s}, {@code 2m} or ISO-8601 ({@code PT10S}). */
  static Duration duration(String flag, String text) {
    Duration d = parseDuration(flag, text);
    if (d.isNegative()) {
      throw new IllegalArgumentException(flag + ": must not be negative, was " + text.trim());
    }
    return d;
  }

  private static Duration parseDuration(String flag, String text) {
    String t = text.trim();
    try {
      if (t.startsWith("P") || t.startsWith("p")) {
        return Duration.parse(t);
      }
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      if (t.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      }
    } catch (NumberFormatException | DateTimeParseException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        flag + ": must be a duration such as 500ms, 10s, 2m or PT10S, was \"" + text + "\"");
  }

  static InetSocketAddress address(String flag, String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(flag + ": expected HOST:PORT, was \"" + text + "\"");
    }
    String host = text.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": port must be a number, was \"" + text + "\"");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(flag + ": port must be 0..65535, was " + port);
    }
    return new InetSocketAddress(
        host.startsWith("[") ? host.substring(1, host.length() - 1) : host, port);
  }
}
