package io.nm4j.server;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Prometheus Alertmanager started for one test: its own working directory, clustering off,
 * listening on a free loopback port, one webhook receiver {@code nm4j} with {@code send_resolved},
 * {@code group_wait} and {@code group_interval} of 1 s.
 */
final class AlertmanagerProcess implements AutoCloseable {
  static final String INSTALL_HINT =
      "Prometheus Alertmanager is required by the end-to-end test and was not found (looked at"
          + " $ALERTMANAGER_BIN, then 'prometheus-alertmanager' and 'alertmanager' on the PATH)."
          + " Install it, on Debian/Ubuntu: apt-get install -y prometheus-alertmanager"
          + " (.ci/run does this), or set ALERTMANAGER_BIN=/path/to/alertmanager.";

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final int START_TRIES = 3;

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http;

  private AlertmanagerProcess(Process process, int port, Path log, HttpClient http) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.http = http;
  }

  /**
   * The binary: {@code ALERTMANAGER_BIN}, else {@code prometheus-alertmanager}, else {@code
   * alertmanager} on the PATH.
   *
   * @throws AssertionError saying how to install it when there is none
   */
  static Path findBinary() {
    return findBinary(System.getenv());
  }

  /** {@link #findBinary()} in the environment {@code env}. */
  static Path findBinary(Map<String, String> env) {
    String configured = env.get("ALERTMANAGER_BIN");
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured);
      if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
        throw new AssertionError(
            "ALERTMANAGER_BIN=" + configured + " is not an executable file. " + INSTALL_HINT);
      }
      return p;
    }
    String path = env.get("PATH");
    List<String> dirs = path == null ? List.of() : List.of(path.split(File.pathSeparator));
    for (String name : List.of("prometheus-alertmanager", "alertmanager")) {
      for (String dir : dirs) {
        if (dir.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new AssertionError(INSTALL_HINT);
  }

  /**
   * Starts Alertmanager in {@code workdir} sending to {@code webhookUrl}, grouping by {@code
   * groupBy}, and waits until it is ready. A port taken between choosing and binding it makes
   * Alertmanager exit; then it is started again on another port.
   */
  static AlertmanagerProcess start(Path binary, Path workdir, String webhookUrl, String groupBy)
      throws IOException {
    Files.createDirectories(workdir.resolve("data"));
    Path config = workdir.resolve("alertmanager.yml");
    Files.writeString(
        config,
        """
        route:
          receiver: nm4j
          group_by: %s
          group_wait: 1s
          group_interval: 1s
          repeat_interval: 1h
        receivers:
          - name: nm4j
            webhook_configs:
              - url: '%s'
                send_resolved: true
        """
            .formatted(groupBy, webhookUrl),
        StandardCharsets.UTF_8);
    HttpClient http =
        HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    String lastFailure = "";
    for (int attempt = 1; attempt <= START_TRIES; attempt++) {
      int port = freePort();
      Path log = workdir.resolve("alertmanager-" + attempt + ".log");
      Process process =
          new ProcessBuilder(
                  binary.toString(),
                  "--config.file=" + config,
                  "--storage.path=" + workdir.resolve("data"),
                  "--web.listen-address=127.0.0.1:" + port,
                  "--web.external-url=http://127.0.0.1:" + port,
                  "--cluster.listen-address=")
              .directory(workdir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      AlertmanagerProcess am = new AlertmanagerProcess(process, port, log, http);
      try {
        await("Alertmanager ready on 127.0.0.1:" + port)
            .atMost(READY_TIMEOUT)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> !process.isAlive() || am.ready());
      } catch (ConditionTimeoutException e) {
        am.close();
        throw new AssertionError(
            "Alertmanager did not become ready within " + READY_TIMEOUT + ":\n" + am.logTail(), e);
      }
      if (process.isAlive()) {
        return am;
      }
      lastFailure = am.logTail();
      am.close();
    }
    throw new AssertionError(
        "Alertmanager exited during startup " + START_TRIES + " times; last log:\n" + lastFailure);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  private boolean ready() {
    try {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(uri("/-/ready")).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** POSTs a JSON array of alerts to Alertmanager's {@code /api/v2/alerts}. */
  void post(String alertsJson) {
    HttpResponse<String> r;
    try {
      r =
          http.send(
              HttpRequest.newBuilder(uri("/api/v2/alerts"))
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(alertsJson, StandardCharsets.UTF_8))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("POST to Alertmanager failed:\n" + logTail(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while posting alerts", e);
    }
    if (r.statusCode() / 100 != 2) {
      throw new AssertionError(
          "Alertmanager answered HTTP " + r.statusCode() + " to the alerts: " + r.body());
    }
  }

  /** The last lines of Alertmanager's log, for failure messages. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Stops Alertmanager and anything it started; forcibly when it does not stop within 10 s. */
  @Override
  public void close() {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }
}
