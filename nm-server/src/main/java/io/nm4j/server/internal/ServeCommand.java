package io.nm4j.server.internal;

import io.nm4j.core.FileConfigSource;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.admin.AdminService;
import io.nm4j.core.admin.Authenticator;
import io.nm4j.core.admin.ProxyHeaderAuthenticator;
import io.nm4j.core.admin.TokenFileAuthenticator;
import io.nm4j.core.delivery.DeliveryHistory;
import io.nm4j.core.delivery.DeliveryOptions;
import io.nm4j.core.journal.FileJournal;
import io.nm4j.server.Command;
import io.nm4j.server.Nm4jServer;
import io.nm4j.server.Options;
import io.nm4j.k8s.KubernetesConfigSource;
import io.nm4j.spi.ConfigSource;
import io.nm4j.spi.ConfigStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * {@code nm4j serve}: runs the server on a configuration directory (hot reloaded) or a Kubernetes
 * namespace, until SIGTERM/SIGINT; then it stops intake (503), drains, and exits.
 */
public final class ServeCommand implements Command {
  static final Options.Option LISTEN =
      Options.Option.value(
          "listen", "HOST:PORT", false, "where to listen (default 127.0.0.1:19093)");
  static final Options.Option KUBERNETES =
      Options.Option.flag(
          "kubernetes", "read the configuration from the cluster instead of --config");
  static final Options.Option CHANNEL_OPTION =
      Options.Option.value(
          "channel-option",
          "CH.NAME=VALUE[,...]",
          false,
          "channel options, e.g. slack.apiUrl=http://127.0.0.1:8080/api/ (comma-separated)");
  static final Options.Option DATA_DIR =
      Options.Option.value(
          "data-dir",
          "DIR",
          false,
          "where the intake journal and dead letters live (default ./nm4j-data, created)");
  static final Options.Option DEAD_LETTERS =
      Options.Option.value(
          "dead-letters",
          "FILE",
          false,
          "JSON-lines file of dead letters (default DATA_DIR/dead-letters.jsonl)");
  static final Options.Option MAX_BODY =
      Options.Option.value(
          "max-body", "BYTES", false, "largest accepted request body (default 10 MiB)");
  static final Options.Option CONFIG_DIR =
      Options.Option.value(
          "config", "DIR", false, "directory of manifests (required without --kubernetes)");

  static final Options.Option ADMIN_LISTEN =
      Options.Option.value(
          "admin-listen",
          "HOST:PORT",
          false,
          "serve the admin API on its own address (default: on --listen)");
  static final Options.Option AUTH_TOKENS =
      Options.Option.value(
          "auth-tokens",
          "FILE",
          false,
          "admin API bearer tokens, lines token,user,group1|group2 (reloaded on change)");
  static final Options.Option TRUST_PROXY_HEADERS =
      Options.Option.flag(
          "trust-proxy-headers",
          "admin API: trust X-Remote-User/X-Remote-Group from a front proxy");
  static final Options.Option ADMIN_GROUP =
      Options.Option.value(
          "admin-group",
          "GROUP",
          false,
          "admin API: the group that manages everything (default nm-admins)");

  static final Options.Option HISTORY_SIZE =
      Options.Option.value(
          "history-size",
          "N",
          false,
          "most records of the in-memory delivery history (default "
              + DeliveryHistory.DEFAULT_SIZE
              + ")");
  static final Options.Option HISTORY_BYTES =
      Options.Option.value(
          "history-bytes",
          "BYTES",
          false,
          "most heap the delivery history may hold, estimated (default 8 MiB)");
  static final Options.Option DRAIN_TIMEOUT =
      Options.Option.value(
          "drain-timeout",
          "DURATION",
          false,
          "on SIGTERM, how long to keep delivering before stopping, e.g. 10s (default 10s)");
  static final Options.Option SEND_TIMEOUT =
      Options.Option.value(
          "send-timeout", "DURATION", false, "how long one send may take, e.g. 30s (default 30s)");
  static final Options.Option MAX_IN_FLIGHT =
      Options.Option.value(
          "max-in-flight",
          "N",
          false,
          "sends in progress at once per receiver, each for another alert group (default "
              + DeliveryOptions.DEFAULT_MAX_IN_FLIGHT_PER_RECEIVER
              + "; 1 sends one at a time)");
  static final Options.Option JOURNAL_SEGMENT_BYTES =
      Options.Option.value(
          "journal-segment-bytes",
          "BYTES",
          false,
          "size at which the journal starts a new segment file (default 64 MiB)");

  private final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public String name() {
    return "serve";
  }

  @Override
  public String summary() {
    return "run the server: Alertmanager posts to /api/v2/alerts";
  }

  @Override
  public List<Options.Option> options() {
    return List.of(
        CONFIG_DIR,
        KUBERNETES,
        ConfigInput.NAMESPACE,
        LISTEN,
        CHANNEL_OPTION,
        DATA_DIR,
        DEAD_LETTERS,
        MAX_BODY,
        ADMIN_LISTEN,
        AUTH_TOKENS,
        TRUST_PROXY_HEADERS,
        ADMIN_GROUP,
        HISTORY_SIZE,
        HISTORY_BYTES,
        DRAIN_TIMEOUT,
        SEND_TIMEOUT,
        MAX_IN_FLIGHT,
        JOURNAL_SEGMENT_BYTES);
  }

  @Override
  public List<String> details() {
    return List.of(
        "Endpoints: POST /api/v2/alerts (200 once accepted, 400 malformed, 413 too large, 503 full),",
        "POST /api/v2/explain, GET /api/v2/deliveries?receiver=&tenant=&status=&limit=, GET /metrics,",
        "GET /healthz,",
        "GET /readyz, POST /sink (a demo webhook receiver that logs what it gets).",
        "Admin API: /kapis/notification.kubesphere.io/v2alpha1/{resource}[/{name}] (see README);",
        "without --auth-tokens or --trust-proxy-headers it serves loopback callers only.",
        "A batch answered 200 is in the journal under --data-dir (fsynced); a restart delivers",
        "what was accepted and not yet delivered. Intake answers 503 when the journal cannot write",
        "(disk full, read-only) and accepts again once it can.",
        "On SIGTERM intake answers 503, deliveries go on for --drain-timeout, then a send still in",
        "flight gets at most --send-timeout; what is left stays in the journal for the next start.",
        "Exit codes: 0 after a clean stop; 2 bad arguments or unusable configuration source.");
  }

  @Override
  public int run(Options options, PrintStream out, PrintStream err) {
    // The server's own log is its output (deliveries, failures, reloads): unlike the one-shot
    // commands, it logs nm4j's INFO lines. Set before the first nm4j logger is created.
    System.setProperty("org.slf4j.simpleLogger.log.io.nm4j", "info");
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    String namespace =
        options.get(ConfigInput.NAMESPACE.name(), NotificationManager.DEFAULT_NAMESPACE);
    boolean kubernetes = options.flag(KUBERNETES.name());
    String dir = options.get(CONFIG_DIR.name());
    if (kubernetes == (dir != null)) {
      err.println("nm4j serve: give exactly one of --config DIR and --kubernetes");
      return 2;
    }
    InetSocketAddress listen;
    int maxBody;
    DeliveryOptions deliveryOptions;
    long segmentBytes;
    try {
      listen = parseListen(options.get(LISTEN.name(), "127.0.0.1:19093"));
      maxBody =
          Integer.parseInt(
              options.get(MAX_BODY.name(), String.valueOf(Nm4jServer.DEFAULT_MAX_BODY_BYTES)));
      deliveryOptions = deliveryOptions(options);
      segmentBytes =
          number(JOURNAL_SEGMENT_BYTES, options.get(JOURNAL_SEGMENT_BYTES.name(), "67108864"));
      if (segmentBytes < 1024) {
        throw new IllegalArgumentException(
            "--journal-segment-bytes: must be at least 1024, was " + segmentBytes);
      }
    } catch (IllegalArgumentException e) {
      err.println("nm4j serve: " + e.getMessage());
      return 2;
    }
    if (!kubernetes && !Files.isDirectory(Path.of(dir))) {
      err.println("nm4j serve: " + dir + ": not a readable directory");
      return 2;
    }
    // Checked before anything starts: a server that cannot journal must not come up at all.
    Path dataDir = Path.of(options.get(DATA_DIR.name(), "nm4j-data"));
    String unusable = unusableDataDir(dataDir);
    if (unusable != null) {
      err.println("nm4j serve: --data-dir " + dataDir + ": " + unusable);
      return 2;
    }
    ConfigSource source =
        kubernetes
            ? KubernetesConfigSource.builder().namespace(namespace).build()
            : FileConfigSource.of(Path.of(dir));
    String deadLettersOption = options.get(DEAD_LETTERS.name());
    Path deadLetters =
        deadLettersOption == null
            ? dataDir.resolve("dead-letters.jsonl")
            : Path.of(deadLettersOption);
    NotificationManager.Builder builder =
        NotificationManager.builder()
            .configSource(source)
            .namespace(namespace)
            .deliveryOptions(deliveryOptions)
            .deadLetterFile(deadLetters);
    Map<String, String> channelOptionMap = new LinkedHashMap<>();
    InetSocketAddress adminListen = null;
    List<Authenticator> authenticators = new ArrayList<>();
    try {
      String adminAddress = options.get(ADMIN_LISTEN.name());
      if (adminAddress != null) {
        adminListen = parseListen(adminAddress);
      }
      String tokens = options.get(AUTH_TOKENS.name());
      if (tokens != null) {
        authenticators.add(TokenFileAuthenticator.of(Path.of(tokens)));
      }
      if (options.flag(TRUST_PROXY_HEADERS.name())) {
        authenticators.add(new ProxyHeaderAuthenticator());
      }
    } catch (IllegalArgumentException | UncheckedIOException e) {
      source.close();
      err.println("nm4j serve: " + e.getMessage());
      return 2;
    }
    FileJournal journal;
    try {
      String channelOptions = options.get(CHANNEL_OPTION.name());
      if (channelOptions != null) {
        for (String pair : channelOptions.split(",")) {
          int eq = pair.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException(
                "--channel-option: expected CHANNEL.NAME=VALUE, was \"" + pair + "\"");
          }
          builder.channelOption(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
          channelOptionMap.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
      }
      Path parent = deadLetters.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      journal = FileJournal.open(dataDir.resolve("journal"), segmentBytes);
    } catch (IllegalArgumentException e) {
      source.close();
      err.println("nm4j serve: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      source.close();
      // an IOException's message is often the bare path; its type says what went wrong
      err.println("nm4j serve: --data-dir " + dataDir + ": cannot open the journal: " + e);
      return 2;
    }
    for (String repair : journal.repairs()) {
      err.println("nm4j serve: " + repair);
    }
    builder.journal(journal);
    NotificationManager manager;
    Nm4jServer server;
    try {
      manager = builder.build();
    } catch (RuntimeException e) {
      journal.close();
      source.close();
      err.println("nm4j serve: cannot start: " + e.getMessage());
      return 2;
    }
    Nm4jServer.Builder serverBuilder =
        Nm4jServer.builder().manager(manager).listen(listen).maxBodyBytes(maxBody);
    AdminService admin = null;
    if (source instanceof ConfigStore store) {
      AdminService.Builder ab =
          AdminService.builder()
              .store(store)
              .manager(manager)
              .adminGroup(options.get(ADMIN_GROUP.name(), AdminService.DEFAULT_ADMIN_GROUP));
      channelOptionMap.forEach(ab::channelOption);
      admin = ab.build();
      serverBuilder.admin(admin, authenticators);
      if (adminListen != null) {
        serverBuilder.adminListen(adminListen);
      }
      if (authenticators.isEmpty()) {
        out.println("nm4j admin API: no authenticator configured; serving loopback callers only");
      }
    } else {
      out.println("nm4j admin API: not available for " + source.describe());
    }
    try {
      server = serverBuilder.start();
    } catch (IOException e) {
      if (admin != null) {
        admin.close();
      }
      manager.close();
      err.println("nm4j serve: cannot listen on " + listen + ": " + e.getMessage());
      return 2;
    }
    out.println(
        "nm4j listening on http://"
            + server.address().getHostString()
            + ":"
            + server.address().getPort()
            + " ("
            + source.describe()
            + ", "
            + manager.snapshot().destinations().size()
            + " receivers, "
            + manager.problems().size()
            + " problems)");
    AdminService adminToClose = admin;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.stopIntake();
                  if (adminToClose != null) {
                    adminToClose.close();
                  }
                  manager.close(); // drains; what is left stays in the journal for the next start
                  server.close();
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

  static DeliveryOptions deliveryOptions(Options options) {
    DeliveryOptions.Builder b = DeliveryOptions.defaults().toBuilder();
    // Each value is checked here, so an error names the flag the operator typed rather than the
    // builder's field.
    String size = options.get(HISTORY_SIZE.name());
    if (size != null) {
      long n = number(HISTORY_SIZE, size);
      if (n < 1 || n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "--" + HISTORY_SIZE.name() + ": must be 1.." + Integer.MAX_VALUE + ", was " + n);
      }
      b.historySize((int) n);
    }
    String bytes = options.get(HISTORY_BYTES.name());
    if (bytes != null) {
      long n = number(HISTORY_BYTES, bytes);
      if (n < DeliveryHistory.MIN_BYTES) {
        throw new IllegalArgumentException(
            "--"
                + HISTORY_BYTES.name()
                + ": must be at least "
                + DeliveryHistory.MIN_BYTES
                + ", was "
                + n);
      }
      b.historyBytes(n);
    }
    String drain = options.get(DRAIN_TIMEOUT.name());
    if (drain != null) {
      b.drainTimeout(duration(DRAIN_TIMEOUT, drain));
    }
    String send = options.get(SEND_TIMEOUT.name());
    if (send != null) {
      Duration d = duration(SEND_TIMEOUT, send);
      if (d.isZero()) {
        throw new IllegalArgumentException("--" + SEND_TIMEOUT.name() + ": must be positive");
      }
      b.sendTimeout(d);
    }
    String inFlight = options.get(MAX_IN_FLIGHT.name());
    if (inFlight != null) {
      long n = number(MAX_IN_FLIGHT, inFlight);
      if (n < 1 || n > MAX_IN_FLIGHT_LIMIT) {
        throw new IllegalArgumentException(
            "--" + MAX_IN_FLIGHT.name() + ": must be 1.." + MAX_IN_FLIGHT_LIMIT + ", was " + n);
      }
      b.maxInFlightPerReceiver((int) n);
    }
    return b.build();
  }

  // More sends at once to one endpoint than this would be a flood, not a setting.
  private static final int MAX_IN_FLIGHT_LIMIT = 64;

  private static long number(Options.Option option, String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--" + option.name() + ": must be a whole number, was \"" + text + "\"", e);
    }
  }

  /** {@code 500ms}, {@code 10s}, {@code 2m} or ISO-8601 ({@code PT10S}). */
  static Duration duration(Options.Option option, String text) {
    Duration d = parseDuration(option, text);
    if (d.isNegative()) {
      throw new IllegalArgumentException(
          "--" + option.name() + ": must not be negative, was " + text.trim());
    }
    return d;
  }

  private static Duration parseDuration(Options.Option option, String text) {
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
        "--"
            + option.name()
            + ": must be a duration such as 500ms, 10s, 2m or PT10S, was \""
            + text
            + "\"");
  }

  static InetSocketAddress parseListen(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("--listen: expected HOST:PORT, was \"" + text + "\"");
    }
    String host = text.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--listen: port must be a number, was \"" + text + "\"");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--listen: port must be 0..65535, was " + port);
    }
    return new InetSocketAddress(
        host.startsWith("[") ? host.substring(1, host.length() - 1) : host, port);
  }
}
